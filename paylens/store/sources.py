"""Read and validate every source file under data/ before anything is written."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from paylens.errors import InputError
from paylens.store import metrics_csv
from paylens.store.corrections import read_corrections

PLATFORM_COLUMNS = ("platform_id", "name", "name_zh", "operator", "parent_group", "launched", "notes")
EVENT_COLUMNS = ("date", "platform_id", "category", "title", "description", "source_url", "source_publisher")
# Files that feed the store; everything else in data/ (docs, build output) is ignored.
SOURCE_GLOBS = ("platforms.csv", "metrics.csv", "events.csv", "imports/*.csv", "articles/*.txt",
                "articles/*.md", "lexicon/*.csv", "intake/*.csv", "corrections.csv")


@dataclass
class Sources:
    """Everything the store is built from, validated."""

    platforms: list[dict[str, str]]
    metrics: list[metrics_csv.MetricRow]
    events: list[dict[str, object]]
    articles: list = field(default_factory=list)
    data_sha256: str = ""
    also_in: list = field(default_factory=list)  # data/intake/also_in.csv: reposts of an article
    feed_runs: list = field(default_factory=list)  # data/intake/feed_runs.csv: `paylens watch` runs
    corrections: list = field(default_factory=list)  # data/corrections.csv: analysts' corrections of hits


def source_files(data_dir: Path) -> list[Path]:
    """All files that feed the store, sorted so the build is deterministic."""
    found: set[Path] = set()
    for pattern in SOURCE_GLOBS:
        found.update(p for p in data_dir.glob(pattern) if p.is_file())
    return sorted(found, key=lambda p: p.relative_to(data_dir).as_posix())


def digest(data_dir: Path) -> str:
    """sha256 over every source file's relative name and bytes: the build id."""
    h = hashlib.sha256()
    for path in source_files(data_dir):
        h.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _rel(path: Path, data_dir: Path) -> str:
    try:
        return "data/" + path.relative_to(data_dir).as_posix()
    except ValueError:
        return str(path)


def _dict_rows(path: Path, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a small reference CSV with the line each starts on; header must match exactly.

    Blank lines are skipped (and still counted). Like csv.DictReader, a row with extra fields has them
    under the key None and a short row has None for the missing ones, for the caller to report.
    """
    text = metrics_csv.decode(path.read_bytes(), name)
    problems: list[str] = []
    records = metrics_csv._records(csv.reader(io.StringIO(text, newline="")), name, problems)
    _, header = next(records, (1, []))
    if tuple(header) != columns:
        raise InputError(problems or f"{name}:1: bad header; expected {','.join(columns)}")
    out = []
    for start, cells in records:
        if not any(c.strip() for c in cells):
            continue
        rec: dict = dict(zip(columns, cells, strict=False))
        if len(cells) > len(columns):
            rec[None] = cells[len(columns):]
        rec.update({c: None for c in columns[len(cells):]})
        out.append((start, rec))
    if problems:
        raise InputError(problems)
    return out


def read_platforms(data_dir: Path) -> list[dict[str, str]]:
    """platforms.csv with a derived kind: payment, aggregate or ai_product."""
    name = _rel(data_dir / "platforms.csv", data_dir)
    rows, problems = [], []
    for line, rec in _dict_rows(data_dir / "platforms.csv", name, PLATFORM_COLUMNS):
        if None in rec or None in rec.values():
            problems.append(f"{name}:{line}: expected {len(PLATFORM_COLUMNS)} fields, "
                            f"found {'more' if None in rec else 'fewer'}")
            continue
        if not rec["platform_id"] or not rec["name"]:
            problems.append(f"{name}:{line}: platform_id and name are required")
            continue
        notes = rec["notes"].lower()
        kind = ("aggregate" if rec["platform_id"] == "market"
                else "ai_product" if "not a payment platform" in notes else "payment")
        # Short names keep legends readable: "WeChat Pay (Weixin Pay) / Tenpay" -> "WeChat Pay".
        rows.append({**rec, "kind": kind, "short_name": rec["name"].split(" (")[0].strip()})
    if problems:
        raise InputError(problems)
    return rows


EVENT_TEXT_FIELDS = ("category", "title", "description", "source_url", "source_publisher")
_CATEGORY = re.compile(r"[a-z][a-z0-9_]*")


def _check_event(rec: dict, platforms: set[str], at: str) -> tuple[date | None, list[str]]:
    """The event's date and every problem with the row, checked like a metrics row."""
    errs: list[str] = []
    if None in rec or None in rec.values():  # csv.DictReader's marks for extra and missing fields
        return None, [f"{at} expected {len(EVENT_COLUMNS)} fields, found {'more' if None in rec else 'fewer'}"]
    day = metrics_csv._iso_date(rec["date"].strip())
    if day is None:
        errs.append(f"{at} date {rec['date']!r} is not YYYY-MM-DD")
    if rec["platform_id"].strip() not in platforms:
        errs.append(f"{at} unknown platform_id {rec['platform_id']!r}")
    if not _CATEGORY.fullmatch(rec["category"].strip()):
        errs.append(f"{at} category {rec['category']!r} must be a lowercase id (letters, digits, _)")
    for col in ("title", "source_publisher"):
        if not rec[col].strip():
            errs.append(f"{at} {col} is empty")
    for col in EVENT_TEXT_FIELDS:
        if rec[col].strip().startswith(metrics_csv.FORMULA_PREFIXES):
            errs.append(f"{at} {col} starts with {rec[col].strip()[:1]!r}, which a spreadsheet would run as a formula")
    url = rec["source_url"].strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errs.append(f"{at} source_url {url!r} must be an http(s) URL")
    return day, errs


def read_events(data_dir: Path, platforms: set[str]) -> list[dict[str, object]]:
    """events.csv, every row validated like metrics.csv: date, known platform, category id, http(s) source URL,
    no formula cells; InputError lists every problem as `FILE:LINE: message`."""
    name = _rel(data_dir / "events.csv", data_dir)
    rows, problems = [], []
    for line, rec in _dict_rows(data_dir / "events.csv", name, EVENT_COLUMNS):
        day, errs = _check_event(rec, platforms, f"{name}:{line}:")
        problems.extend(errs)
        if errs or day is None:
            continue
        clean = {k: rec[k].strip() for k in EVENT_COLUMNS}
        rows.append({**clean, "date": day, "source_line": line})
    if problems:
        raise InputError(problems)
    return rows


def read_metrics(data_dir: Path, platforms: set[str]) -> list[metrics_csv.MetricRow]:
    """metrics.csv then data/imports/*.csv; the first row with a natural key wins."""
    files = [data_dir / "metrics.csv", *sorted((data_dir / "imports").glob("*.csv"))]
    rows: list[metrics_csv.MetricRow] = []
    seen: set[tuple] = set()
    problems: list[str] = []
    for path in files:
        try:
            parsed = metrics_csv.parse(path.read_bytes(), _rel(path, data_dir), platforms)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for row in parsed:
            if row.key() not in seen:
                seen.add(row.key())
                rows.append(row)
    if problems:
        raise InputError(problems)
    return rows


def read_articles(data_dir: Path) -> list:
    """Article files under data/articles/, deduplicated by body hash (first file name wins)."""
    from paylens.signals.articles import parse_article

    folder = data_dir / "articles"
    paths = sorted(p for p in folder.glob("*") if p.suffix in (".txt", ".md") and p.is_file())
    articles, problems, seen = [], [], set()
    for path in paths:
        try:
            art = parse_article(path, _rel(path, data_dir))  # "data/articles/x.txt", as for the CSVs
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if art.sha256 not in seen:
            seen.add(art.sha256)
            articles.append(art)
    if problems:
        raise InputError(problems)
    return articles


def read_all(data_dir: Path) -> Sources:
    """Validate every source; raise one InputError with all problems, or return them all."""
    platforms = read_platforms(data_dir)
    ids = {p["platform_id"] for p in platforms}
    problems: list[str] = []
    parts: dict[str, object] = {}
    for key, reader in (("metrics", lambda: read_metrics(data_dir, ids)),
                        ("events", lambda: read_events(data_dir, ids)),
                        ("articles", lambda: read_articles(data_dir)),
                        ("corrections", lambda: read_corrections(data_dir, ids))):
        try:
            parts[key] = reader()
        except InputError as exc:
            problems.extend(exc.problems)
    if "articles" in parts:
        from paylens.store import intake_records

        ids = {Path(a.name).name: a.sha256[:16] for a in parts["articles"]}
        for key, reader in (("also_in", lambda: intake_records.read_also_in(data_dir, ids)),
                            ("feed_runs", lambda: intake_records.read_feed_runs(data_dir))):
            try:
                parts[key] = reader()
            except InputError as exc:
                problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return Sources(platforms=platforms, metrics=parts["metrics"], events=parts["events"],
                   articles=parts["articles"], data_sha256=digest(data_dir), also_in=parts["also_in"],
                   feed_runs=parts["feed_runs"], corrections=parts["corrections"])
