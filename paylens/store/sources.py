"""Read and validate every source file under data/ before anything is written."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from paylens.errors import InputError
from paylens.store import metrics_csv

PLATFORM_COLUMNS = ("platform_id", "name", "name_zh", "operator", "parent_group", "launched", "notes")
EVENT_COLUMNS = ("date", "platform_id", "category", "title", "description", "source_url", "source_publisher")
# Files that feed the store; everything else in data/ (docs, build output) is ignored.
SOURCE_GLOBS = ("platforms.csv", "metrics.csv", "events.csv", "imports/*.csv", "articles/*.txt",
                "articles/*.md", "lexicon/*.csv", "intake/*.csv")


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
    """Rows of a small reference CSV with their line numbers; header must match exactly."""
    text = metrics_csv.decode(path.read_bytes(), name)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != columns:
        raise InputError(f"{name}:1: bad header; expected {','.join(columns)}")
    out = []
    line = 1
    for rec in reader:
        out.append((line + 1, rec))
        line = reader.line_num
    return out


def read_platforms(data_dir: Path) -> list[dict[str, str]]:
    """platforms.csv with a derived kind: payment, aggregate or ai_product."""
    name = _rel(data_dir / "platforms.csv", data_dir)
    rows, problems = [], []
    for line, rec in _dict_rows(data_dir / "platforms.csv", name, PLATFORM_COLUMNS):
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


def read_events(data_dir: Path, platforms: set[str]) -> list[dict[str, object]]:
    """events.csv, each row checked for a real date and a known platform."""
    name = _rel(data_dir / "events.csv", data_dir)
    rows, problems = [], []
    for line, rec in _dict_rows(data_dir / "events.csv", name, EVENT_COLUMNS):
        try:
            day = date.fromisoformat(rec["date"])
        except ValueError:
            problems.append(f"{name}:{line}: date {rec['date']!r} is not YYYY-MM-DD")
            continue
        if rec["platform_id"] not in platforms:
            problems.append(f"{name}:{line}: unknown platform_id {rec['platform_id']!r}")
            continue
        rows.append({**rec, "date": day, "source_line": line})
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
                        ("articles", lambda: read_articles(data_dir))):
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
                   feed_runs=parts["feed_runs"])
