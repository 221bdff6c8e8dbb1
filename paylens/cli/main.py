"""`paylens` commands: build, import-metrics, ingest, signals, eval-signals, export, snapshot."""

from __future__ import annotations

import sys
from pathlib import Path

import click

# corpus_commands, correct_command and perf.cli register search, digest, correct, synth and bench on the group.
from paylens.cli import corpus_commands, correct_command  # noqa: F401
from paylens.cli.app import cli, data_option, db_option, handled, parse_params
from paylens.config import settings
from paylens.errors import InputError, PaylensError
from paylens.perf import cli as perf_cli  # noqa: F401
from paylens.wording import counted


@cli.command()
@data_option
@db_option
@handled
def build(data_dir: Path | None, db: Path | None) -> None:
    """Rebuild the store from data/ and print row counts."""
    from paylens.store.build import build as run_build

    result = run_build(settings(data_dir, db))
    lake = f", DuckLake snapshot {result.lake_snapshot}" if result.lake_snapshot is not None else ""
    click.echo(f"built {result.db_path} (build {result.build_id[:12]}{lake})")
    for table, n in result.counts.items():
        click.echo(f"  {table:18} {n:>8,}")


@cli.command("import-metrics")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_option
@db_option
@handled
def import_metrics(csv_file: Path, data_dir: Path | None, db: Path | None) -> None:
    """Validate a metrics CSV, save it under data/imports/ and rebuild the store."""
    from paylens.store.intake import import_metrics as run_import

    result = run_import(settings(data_dir, db), csv_file)
    if not result.added and result.caught_up:
        click.echo(f"0 new rows ({result.skipped} already saved in data/); "
                   f"the store lagged behind data/ and was rebuilt (build {result.build.build_id[:12]})")
        return
    if not result.added:
        click.echo(f"0 new rows ({result.skipped} already in the store); nothing changed")
        return
    click.echo(f"added {counted(result.added, 'row')} ({result.skipped} already present); saved {result.saved[0]}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@data_option
@db_option
@handled
def ingest(paths: tuple[str, ...], data_dir: Path | None, db: Path | None) -> None:
    """Add article files (or folders of them), or web pages by URL, to data/articles/ and rebuild the store."""
    from paylens.store.intake import ingest_articles
    from paylens.web.intake import looks_like_url

    urls = [p for p in paths if looks_like_url(p)]
    files = [Path(p) for p in paths if not looks_like_url(p)]
    missing = [f"{f}:1: no such file or folder (a web page needs its full http:// or https:// address)"
               for f in files if not f.exists()]
    if missing:
        raise InputError(missing)
    if urls:
        _ingest_urls(settings(data_dir, db), urls, files)
        return
    result = ingest_articles(settings(data_dir, db), files)
    click.echo(f"added {counted(result.added, 'article')} ({result.skipped} already in the corpus)")
    for path in result.saved:
        click.echo(f"  saved {path}")
    if result.caught_up:
        click.echo(f"  the store lagged behind data/ and was rebuilt (build {result.build.build_id[:12]})")


def _ingest_urls(cfg, urls: list[str], files: list[Path]) -> None:
    """`ingest URL...`: fetch, extract, deduplicate and save, all or nothing (paylens.web.intake)."""
    from paylens.web.intake import ingest_urls

    result = ingest_urls(cfg, urls, files)
    for o in result.outcomes:
        if o.status == "added":
            click.echo(f"added {o.url} -> data/articles/{o.file}")
        elif o.status == "duplicate_url":
            click.echo(f"already in the corpus: {o.url} ({o.file}); nothing to do")
        else:
            click.echo(f"same story as {o.file} (similarity {o.similarity:.2f}): {o.url} recorded as another "
                       "source in data/intake/also_in.csv, not added again")
    for path in result.saved:
        if path.parent.name == "articles" and not any(o.file == path.name for o in result.outcomes):
            click.echo(f"  saved {path}")
    if result.caught_up:
        click.echo(f"  the store lagged behind data/ and was rebuilt (build {result.build.build_id[:12]})")


@cli.command()
@click.option("--once", is_flag=True, help="Read every feed once, then exit.")
@click.option("--interval", default=None, metavar="DUR", help="Keep running: a pass every DUR (30m, 6h, 1d).")
@click.option("--feeds", "feeds_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Feeds file (default DATA/feeds.toml).")
@data_option
@db_option
@handled
def watch(once: bool, interval: str | None, feeds_file: Path | None, data_dir: Path | None, db: Path | None) -> None:
    """Read RSS/Atom feeds, ingest new items about tracked platforms, and log each run in the store."""
    import time

    from paylens.web.feeds import FEEDS_FILE, load_feeds, parse_duration

    if once == (interval is not None):
        raise InputError("watch: give exactly one of --once or --interval DUR")
    cfg = settings(data_dir, db)
    path = feeds_file or cfg.data_dir / FEEDS_FILE
    seconds = parse_duration(interval) if interval else 0.0
    feeds = load_feeds(path)
    if once:
        if not _watch_pass(cfg, feeds):
            sys.exit(1)
        return
    while True:
        try:
            _watch_pass(cfg, load_feeds(path))
        except PaylensError as exc:  # a bad run (edited feeds file, full disk) waits for the next one
            click.echo(str(exc), err=True)
        time.sleep(seconds)


def _watch_pass(cfg, feeds) -> bool:
    """One pass; prints a line per feed, errors on stderr; False when no feed could be read."""
    from paylens.web.feeds import watch_once

    result = watch_once(cfg, feeds)
    for run in result.runs:
        click.echo(f"{result.run_at} {run.feed.name}: {run.items_seen} items, {run.added} added, "
                   f"{run.skipped_duplicate} duplicate, {run.skipped_off_topic} off topic, {len(run.errors)} errors")
        for name in run.saved:
            click.echo(f"  saved data/articles/{name}")
        for error in run.errors:
            click.echo(f"{error}", err=True)
    return any(not (r.errors and r.items_seen == 0) for r in result.runs)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@data_option
@handled
def signals(files: tuple[Path, ...], as_json: bool, data_dir: Path | None) -> None:
    """Extract signals from article files without touching the store."""
    from paylens.signals.articles import parse_article
    from paylens.signals.extract import Extractor, hits_to_json_lines

    extractor = Extractor.from_dir(settings(data_dir).data_dir / "lexicon")
    problems, parsed = [], []
    for path in files:
        try:
            parsed.append((path, parse_article(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    for path, art in parsed:
        hits = extractor.extract_article(art)
        if as_json:
            for line in hits_to_json_lines(str(path), hits):
                click.echo(line)
            continue
        click.echo(f"{path}: {len(hits)} hits")
        for h in hits:
            click.echo(f"  [{h.sentence_idx}] {h.signal:27} {h.platform:14} {h.stance:8} {h.score:.2f}  {h.evidence}")


@cli.command("eval-signals")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("--split", default=None, metavar="NAME",
              help="Evaluate one split (train, test, dev, ... or all); default: each split in the file.")
@click.option("--corrections", "corrections", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="Also score the hits analysts corrected in FILE (data/corrections.csv's format) against the "
                   "articles of --data.")
@click.option("--no-context", "no_context", is_flag=True,
              help="Ignore each row's platform_context, as `paylens signals` and the store extract whole articles.")
@data_option
@handled
def eval_signals(gold: Path | None, split: str | None, corrections: Path | None, no_context: bool,
                 data_dir: Path | None) -> None:
    """Precision, recall and F1 per signal, and stance by signal, on a labelled CSV and/or analysts' corrections."""
    from paylens.signals.evaluate import evaluate, format_report, load_gold
    from paylens.signals.extract import Extractor

    if gold is None and corrections is None:
        raise InputError("eval-signals:1: give a labelled CSV, --corrections FILE, or both")
    cfg = settings(data_dir)
    extractor = Extractor.from_dir(cfg.data_dir / "lexicon")
    if gold is not None:
        rows = load_gold(gold)
        present = list(dict.fromkeys(r.split for r in rows))  # file order: train before test in the gold set
        if split is not None and split != "all" and split not in present:
            raise InputError(f"{gold}: no rows with split {split!r} (splits: {', '.join(present) or 'none'})")
        for name in ([split] if split else present):
            report = evaluate(rows, extractor, None if name == "all" else name, context=not no_context)
            click.echo(f"== split: {name}{' (no platform_context)' if no_context else ''} ==")
            click.echo(format_report(report))
    if corrections is not None:
        from paylens.signals.evaluate import corrections_report, format_corrections

        click.echo(f"== corrections: {corrections} ==")
        click.echo(format_corrections(corrections_report(corrections, cfg.data_dir, extractor)))


@cli.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, help="k=v; competitors=a,b for lists.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (else stdout; xlsx and parquet need --out).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "parquet"]), default=None,
              help="File format; default: from --out's suffix, else csv.")
@db_option
@handled
def export(query: str, params: tuple[str, ...], out: Path | None, fmt: str | None, db: Path | None) -> None:
    """Run a named query and write its rows as CSV, Excel (rows + About sheet) or Parquet."""
    from datetime import UTC, datetime

    from paylens import queries
    from paylens.exports import export_bytes
    from paylens.store.reader import build_id, open_store

    fmt = fmt or (out.suffix.lstrip(".").lower() if out is not None and out.suffix.lower() in (".xlsx", ".parquet")
                  else "csv")
    if fmt != "csv" and out is None:
        raise InputError(f"--format {fmt} writes a binary file: give --out FILE.{fmt}")

    bound = parse_params(params)
    named = queries.get(query)
    queries.bind(named, bound)  # fail on bad parameters before touching the store
    thin = "max_points" in named.params
    every_row = {**bound, "max_points": queries.INT_RANGES["max_points"][1]} if thin else bound
    con = open_store(settings(db_path=db).db_path)
    try:
        # A CLI export gives every row unless asked to thin (--param max_points=N), and says when it thins.
        frame = queries.run(con, query, bound if thin and "max_points" in bound else every_row)
        if thin and "max_points" in bound:
            total = len(queries.run(con, query, every_row))
            if total > len(frame):
                click.echo(f"note: thinned to {len(frame):,} of {total:,} rows (max_points={bound['max_points']}); "
                           "leave out max_points for every row", err=True)
        about = {"query": query, "purpose": named.purpose,
                 "parameters": ", ".join(f"{k}={v}" for k, v in bound.items()) or "(defaults)",
                 "build id": build_id(con), "created at (UTC)": datetime.now(UTC).isoformat(timespec="seconds")}
        data = export_bytes(frame, fmt, about, sheet=query)
    finally:
        con.close()
    if out is None:
        sys.stdout.buffer.write(data.removeprefix(b"\xef\xbb\xbf"))
    else:
        out.write_bytes(data)
        click.echo(f"wrote {out}", err=True)


def _check_snapshot_params(filters: dict[str, str]) -> None:
    """Refuse a name that is no part of a view, and bad dates (exit 2), before the store is touched."""
    from paylens import queries
    from paylens.snapshot import ACCEPTED

    unknown = sorted(set(filters) - set(ACCEPTED))
    if unknown:
        raise InputError(f"--param {', '.join(unknown)}: no snapshot query takes "
                         f"{'this name' if len(unknown) == 1 else 'these names'}; "
                         f"known: {', '.join(ACCEPTED)}")
    for key in ("from", "to"):
        if filters.get(key):
            queries.coerce(key, filters[key])  # a bad date is bad input too


@cli.command()
@click.option("--param", "params", multiple=True,
              help="k=v view: competitors, from, to, metric, signal, focus, platform, rival, ...")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Zip file to write.")
@click.option("--base-url", default="http://localhost:8501", help="Dashboard address for the restore link.")
@data_option
@db_option
@handled
def snapshot(params: tuple[str, ...], out: Path, base_url: str, data_dir: Path | None, db: Path | None) -> None:
    """Write the snapshot bundle (every chart's CSV + manifest.json) for the given filters."""
    from paylens.snapshot import build_bundle
    from paylens.store.reader import open_store

    cfg = settings(data_dir, db)
    filters = parse_params(params)
    _check_snapshot_params(filters)  # before touching the store
    con = open_store(cfg.db_path)
    try:
        data = build_bundle(con, filters, cfg.data_dir, base_url)
    finally:
        con.close()
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data):,} bytes)")


@cli.command("lake-load")
@click.option("--from", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="A store file to publish (a file store or a synthetic one).")
@db_option
@handled
def lake_load(source: Path, db: Path | None) -> None:
    """Publish an existing store file into the DuckLake named by --db / PAYLENS_DB as one new snapshot."""
    from paylens.store.lake import is_lake, load_file, parse_spec

    target = settings(db_path=db).db_path
    if not is_lake(target):
        raise InputError(f"--db:1: {target} is not a DuckLake; give ducklake:postgres:<dsn> (and PAYLENS_LAKE_DATA)")
    build_id, snapshot = load_file(parse_spec(target), source)
    click.echo(f"published {source} (build {build_id[:22]}) as DuckLake snapshot {snapshot}")


@cli.command("lake-prune")
@click.option("--keep-hours", type=click.FloatRange(min=0.05), default=24.0, show_default=True,
              help="Keep every snapshot younger than this (replicas copying or pinned to one need it).")
@db_option
@handled
def lake_prune(keep_hours: float, db: Path | None) -> None:
    """Expire old DuckLake snapshots and delete the data files only they used (the newest is always kept)."""
    from datetime import timedelta

    from paylens.store.lake import is_lake, parse_spec, prune

    target = settings(db_path=db).db_path
    if not is_lake(target):
        raise InputError(f"--db:1: {target} is not a DuckLake; give ducklake:postgres:<dsn> (and PAYLENS_LAKE_DATA)")
    expired, deleted = prune(parse_spec(target), timedelta(hours=keep_hours))
    click.echo(f"expired {expired} snapshots, deleted {deleted} data files")


@cli.command("queries")
def list_queries() -> None:
    """List the named queries with their parameters."""
    from paylens import queries

    for q in queries.load_all().values():
        click.echo(f"{q.name:24} {', '.join(q.params) or '-':40} {q.purpose}")
