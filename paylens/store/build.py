"""Build the DuckDB store from data/ into a temp file, then swap it in atomically."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock

from paylens.config import Settings
from paylens.store.catalogue import describe
from paylens.store.corrections import STORE_COLUMNS as CORRECTION_COLUMNS
from paylens.store.corrections import apply_corrections
from paylens.store.lake import LakeWriteLock, is_lake, parse_spec, publishing, write_lock
from paylens.store.metrics_csv import MetricRow
from paylens.store.reader import store_error
from paylens.store.sources import Sources, read_all
from paylens.store.swap import clean_temp_files, replacing

SCHEMA = Path(__file__).with_name("schema.sql")
AGGREGATES = Path(__file__).with_name("aggregates.sql")


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    db_path: Path
    build_id: str
    counts: dict[str, int]
    lake_snapshot: int | None = None  # the DuckLake snapshot the build published (None for a file store)


class StoreLock(FileLock):
    """The store's file lock; a folder it cannot be created in (read-only, full) is a StoreError, not a traceback."""

    db_path: Path

    def acquire(self, *args, **kwargs):
        try:
            return super().acquire(*args, **kwargs)
        except OSError as exc:
            raise store_error(exc, self.db_path, writing=True) from exc


def lock_for(db_path: Path) -> FileLock | LakeWriteLock:
    """One writer at a time per store path (per DuckLake, across machines, for a `ducklake:` setting)."""
    if is_lake(db_path):
        return write_lock(parse_spec(db_path))
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise store_error(exc, db_path, writing=True) from exc
    lock = StoreLock(str(db_path) + ".lock", timeout=600)
    lock.db_path = db_path
    return lock


def fallback_title(body: str, limit: int = 90) -> str:
    """Display title for an article without one: its first real line (not a date or a count), cut at a word."""
    first = next((line.strip() for line in body.splitlines() if len(line.strip()) >= 15), "Untitled")
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _timestamp(value: str | None) -> datetime | None:
    """An article's `fetched_at` header (ISO 8601, UTC) as a naive UTC timestamp."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def _frames(src: Sources, hits: list[dict]) -> dict[str, pd.DataFrame]:
    """One DataFrame per source table, in a stable order."""
    # Column by column: a list of one dict per row costs ~1 KB a row more on a big import.
    fields = [f.name for f in dataclasses.fields(MetricRow)]
    metrics = pd.DataFrame({f: [getattr(r, f) for r in src.metrics] for f in fields}, columns=fields)
    metrics["source_day"] = source_days(metrics["source_date"])
    units = metrics.groupby("metric")["unit"].agg(lambda u: ",".join(sorted(set(u))))
    catalogue = pd.DataFrame([
        {**vars(describe(m)), "unit": units[m]} for m in sorted(units.index)
    ])[["metric", "label", "family", "research_firm", "unit", "headline", "description"]]
    articles = pd.DataFrame([
        {"article_id": a.sha256[:16], "file": a.name, "title": a.title or fallback_title(a.body), "url": a.url,
         "publisher": a.publisher, "date": pd.to_datetime(a.date).date() if a.date else None,
         "lang": a.lang, "body": a.body, "fetched_at": _timestamp(getattr(a, "fetched_at", None))}
        for a in src.articles
    ], columns=["article_id", "file", "title", "url", "publisher", "date", "lang", "body", "fetched_at"])
    return {
        "platforms": pd.DataFrame(src.platforms),
        "metric_catalogue": catalogue,
        "metric_values": metrics,
        "events": pd.DataFrame(src.events),
        "articles": articles,
        "signal_hits": pd.DataFrame(hits, columns=["article_id", "platform_id", "signal", "stance", "evidence",
                                                   "sentence_idx", "score", "rival"]),
        "article_sources": pd.DataFrame(src.also_in, columns=["article_id", "url", "publisher", "title", "date",
                                                              "similarity", "found_at"]),
        "feed_runs": pd.DataFrame(src.feed_runs, columns=["run_at", "feed", "feed_url", "items_seen", "added",
                                                          "skipped_duplicate", "skipped_off_topic", "errors",
                                                          "error_detail"]),
    }


def source_days(source_dates: pd.Series) -> pd.Series:
    """Each source date as a day when it is a full YYYY-MM-DD date (checked on import), else None."""
    return pd.Series([date.fromisoformat(d) if isinstance(d, str) and len(d) == 10 else None for d in source_dates],
                     index=source_dates.index, dtype="object")


def extract_hits(articles: list, lexicon_dir: Path) -> list[dict]:
    """Run the signal extractor over every article (skipped when there are none)."""
    if not articles:
        return []
    from paylens.signals.extract import Extractor

    extractor = Extractor.from_dir(lexicon_dir)
    rows = []
    for art in articles:
        for hit in extractor.extract_article(art):
            rows.append({"article_id": art.sha256[:16], "platform_id": hit.platform, "signal": hit.signal,
                         "stance": hit.stance, "evidence": hit.evidence, "sentence_idx": hit.sentence_idx,
                         "score": hit.score, "rival": hit.rival})
    return rows


def write_store(path: Path, frames: dict[str, pd.DataFrame], build_id: str, synthetic: bool = False,
                lexicon_dir: Path | None = None) -> dict:
    """Create a fresh store at path from the frames (and the search index, given the lexicon); return row counts."""
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA.read_text())
        counts = {}
        for table, frame in frames.items():
            if len(frame):
                cols = ", ".join(f'"{c}"' for c in frame.columns)  # column names come from our own frames
                con.register("frame", frame)
                con.execute(f"insert into {table} ({cols}) select {cols} from frame")  # noqa: S608
                con.unregister("frame")
            counts[table] = len(frame)
        con.execute(AGGREGATES.read_text())
        if lexicon_dir is not None:
            from paylens.search.index import build_index

            counts["search_docs"] = build_index(con, lexicon_dir)
        con.execute("insert into build_info values ($id, $at, $synthetic, $counts)",
                    {"id": build_id, "at": datetime.now(UTC).replace(tzinfo=None), "synthetic": synthetic,
                     "counts": json.dumps(counts, sort_keys=True)})
        con.execute("checkpoint")
    finally:
        con.close()
    return counts


def build(cfg: Settings) -> BuildResult:
    """Validate data/, build a new store beside the live one and swap it in."""
    with lock_for(cfg.db_path):
        return build_locked(cfg)


def build_locked(cfg: Settings) -> BuildResult:
    """The build itself; the caller holds the store's lock."""
    return _build_lake(cfg) if is_lake(cfg.db_path) else _write_file(cfg)


def _read_frames(cfg: Settings) -> tuple[dict[str, pd.DataFrame], str]:
    """Validate data/ and turn it into the store's frames (InputError before anything is written)."""
    src = read_all(cfg.data_dir)
    hits, fixes = apply_corrections(extract_hits(src.articles, cfg.data_dir / "lexicon"), src.corrections)
    frames, build_id = _frames(src, hits), src.data_sha256
    frames["hit_corrections"] = pd.DataFrame(fixes, columns=list(CORRECTION_COLUMNS))
    del src, hits  # the rows live on in the frames: free the row objects before DuckDB copies the frames
    return frames, build_id


def _build_lake(cfg: Settings) -> BuildResult:
    """Build into a temp file as for a file store, then publish it to the lake as one snapshot."""
    spec = parse_spec(cfg.db_path)
    frames, build_id = _read_frames(cfg)
    try:
        with publishing(spec, build_id) as (tmp, snapshot):
            counts = write_store(tmp, frames, build_id, lexicon_dir=cfg.data_dir / "lexicon")
    except (duckdb.Error, OSError) as exc:  # the temp file could not be written: the lake is untouched
        raise store_error(exc, spec.build_file, writing=True) from exc
    return BuildResult(cfg.db_path, build_id, counts, lake_snapshot=snapshot[0])


def _write_file(cfg: Settings) -> BuildResult:
    """The file store's write: temp file beside the live one, swapped in."""
    db = cfg.db_path
    clean_temp_files(db)
    frames, build_id = _read_frames(cfg)
    try:
        with replacing(db) as tmp:
            counts = write_store(tmp, frames, build_id, lexicon_dir=cfg.data_dir / "lexicon")
    except (duckdb.Error, OSError) as exc:  # full disk, read-only folder: the live store is untouched
        raise store_error(exc, db, writing=True) from exc
    return BuildResult(db, build_id, counts)
