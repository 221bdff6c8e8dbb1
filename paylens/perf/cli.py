"""`paylens synth` and `paylens bench` (performance at scale), registered on the shared group by cli/main.py."""

from __future__ import annotations

import json
from pathlib import Path

import click

from paylens.cli.app import cli, handled  # commands register on the shared group


@cli.command()
@click.option("--metrics-rows", type=click.IntRange(min=0), default=10_000_000, show_default=True,
              help="Rows of metric_values to generate.")
@click.option("--articles", type=click.IntRange(min=0), default=100_000, show_default=True,
              help="Synthetic articles (each with signal hits).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the synthetic store (never the live store).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed and sizes, same store.")
@handled
def synth(metrics_rows: int, articles: int, db: Path, seed: int) -> None:
    """Build a deterministic synthetic store (flagged synthetic) for scale tests."""
    from paylens.perf.synth import synthesize

    result = synthesize(db, metrics_rows, articles, seed)
    click.echo(f"built synthetic {result.db_path} in {result.seconds:.1f} s (build {result.build_id[:22]})")
    for table, n in result.counts.items():
        click.echo(f"  {table:18} {n:>11,}")


@cli.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Store to measure (a synthetic one from `paylens synth`), or a DuckLake "
                   "(ducklake:postgres:<dsn>, with PAYLENS_LAKE_DATA and PAYLENS_LAKE_SERVE).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--repeat", type=click.IntRange(min=1), default=20, show_default=True,
              help="Timed runs per query (p50/p95 over them).")
@click.option("--min-sample-seconds", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Keep timing a fast query until each path has run this long (up to 400 rounds).")
@click.option("--warm-runs", type=click.IntRange(min=0), default=None,
              help="Filter changes per page (default: min(repeat, 12)).")
@click.option("--build-rows", type=click.IntRange(min=0), default=None,
              help="Synthesise --db with this many metric rows first and time it (build_s).")
@click.option("--build-articles", type=click.IntRange(min=0), default=None,
              help="Articles for --build-rows (default 100,000).")
@click.option("--seed", type=int, default=0, help="Seed for --build-rows.")
@click.option("--pages/--no-pages", default=True, help="AppTest page timings.")
@click.option("--naive/--no-naive", default=True, help="The quick-script baseline (reads every metric row).")
@click.option("--naive-runs", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--signals-seconds", type=float, default=3.0, show_default=True)
@click.option("--browser", is_flag=True, help="Also run the Chromium measurement and load test (minutes).")
@click.option("--sessions", type=click.IntRange(min=1), default=10, show_default=True,
              help="Concurrent browser sessions for --browser.")
@click.option("--load-seconds", type=click.IntRange(min=1), default=120, show_default=True,
              help="Length of the --browser load test.")
@click.option("--think-seconds", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Pause after each filter change in the --browser load test (0: back to back).")
@handled
def bench(db: Path, as_json: bool, repeat: int, min_sample_seconds: float, warm_runs: int | None,
          build_rows: int | None, build_articles: int | None, seed: int, pages: bool, naive: bool, naive_runs: int,
          signals_seconds: float, browser: bool, sessions: int, load_seconds: int, think_seconds: float) -> None:
    """Time every query, page, the extractor and a naive baseline on a store; --json for one object."""
    from paylens.errors import InputError, StoreMissingError
    from paylens.perf import queries as perf
    from paylens.store.reader import LAKE_PREFIX

    lake = str(db).startswith(LAKE_PREFIX)
    if lake and build_rows is not None:
        raise InputError("--build-rows:1: synthesises a store file, not a DuckLake; "
                         "`paylens synth` a file, then `paylens lake-load --from FILE`")
    if not lake and build_rows is None and not db.exists():
        raise StoreMissingError(f"no store at {db}; run `paylens synth --db {db}` or pass --build-rows")
    browser_opts = ({"sessions": sessions, "load_seconds": load_seconds, "think_seconds": think_seconds}
                    if browser else None)
    with perf.stdout_to_stderr():
        served = perf.prepare_lake(db) if lake else None
        report = perf.bench_report(db, repeat=repeat, warm_runs=warm_runs, build_rows=build_rows,
                          build_articles=build_articles, seed=seed, pages=pages, naive=naive,
                          naive_runs=naive_runs, signals_seconds=signals_seconds, browser=browser_opts,
                          min_sample_s=min_sample_seconds)
    if served is not None:
        report["lake"] = served
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    else:
        for line in perf.summary_lines(report):
            click.echo(line)
