"""Intake records kept in data/intake/ so a rebuild keeps them: where else a story ran, and feed runs.

- `also_in.csv`: a story found again under another URL (a repost): the original's article file, the other
  URL and its publisher, title and date, the shingle similarity and when it was found. Loaded into the
  store table `article_sources`, so the UI can say "also in N sources".
- `feed_runs.csv`: one row per feed per `paylens watch` run: time, feed, items seen, added, skipped as
  duplicate or off topic, errors and their messages. Loaded into the store table `feed_runs`.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from paylens.errors import InputError

FOLDER = "intake"
ALSO_IN_FILE = "also_in.csv"
FEED_RUNS_FILE = "feed_runs.csv"
ALSO_IN_COLUMNS = ("article_file", "url", "publisher", "title", "date", "similarity", "found_at")
FEED_RUN_COLUMNS = ("run_at", "feed", "feed_url", "items_seen", "added", "skipped_duplicate",
                    "skipped_off_topic", "errors", "error_detail")
_COUNTS = ("items_seen", "added", "skipped_duplicate", "skipped_off_topic", "errors")
ERROR_DETAIL_CHARS = 2000


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    name = f"data/{FOLDER}/{path.name}"
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}:1: invalid UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != columns:
        raise InputError(f"{name}:1: bad header; expected {','.join(columns)}")
    out, line = [], 1
    for rec in reader:
        out.append((line + 1, rec))
        line = reader.line_num
    return out


def _timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def read_also_in(data_dir: Path, article_ids: dict[str, str]) -> list[dict[str, object]]:
    """also_in.csv rows as `article_sources` rows; `article_ids` maps an article file name to its id."""
    path = data_dir / FOLDER / ALSO_IN_FILE
    if not path.is_file():
        return []
    name = f"data/{FOLDER}/{ALSO_IN_FILE}"
    out, problems = [], []
    for line, rec in _rows(path, ALSO_IN_COLUMNS):
        where = f"{name}:{line}"
        if rec["article_file"] not in article_ids:
            problems.append(f"{where}: article {rec['article_file']!r} is not in data/articles/")
            continue
        if not rec["url"].lower().startswith(("http://", "https://")):
            problems.append(f"{where}: url {rec['url']!r} must be an http:// or https:// address")
            continue
        try:
            day = date.fromisoformat(rec["date"]) if rec["date"] else None
            similarity = float(rec["similarity"])
            found_at = _timestamp(rec["found_at"])
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        out.append({"article_id": article_ids[rec["article_file"]], "url": rec["url"],
                    "publisher": rec["publisher"] or None, "title": rec["title"] or None, "date": day,
                    "similarity": similarity, "found_at": found_at})
    if problems:
        raise InputError(problems)
    return out


def read_feed_runs(data_dir: Path) -> list[dict[str, object]]:
    """feed_runs.csv rows, typed."""
    path = data_dir / FOLDER / FEED_RUNS_FILE
    if not path.is_file():
        return []
    name = f"data/{FOLDER}/{FEED_RUNS_FILE}"
    out, problems = [], []
    for line, rec in _rows(path, FEED_RUN_COLUMNS):
        try:
            row: dict[str, object] = {"run_at": _timestamp(rec["run_at"]), "feed": rec["feed"],
                                      "feed_url": rec["feed_url"], "error_detail": rec["error_detail"] or None}
            for key in _COUNTS:
                row[key] = int(rec[key])
        except ValueError as exc:
            problems.append(f"{name}:{line}: {exc}")
            continue
        out.append(row)
    if problems:
        raise InputError(problems)
    return out


def _append(path: Path, columns: tuple[str, ...], rows: list[dict[str, object]]) -> bytes:
    """The file's bytes with rows appended (a header first when the file is new)."""
    old = path.read_bytes() if path.is_file() else b""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    if not old:
        writer.writeheader()
    elif not old.endswith(b"\n"):
        buf.write("\n")
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    return old + buf.getvalue().encode("utf-8")


def also_in_bytes(data_dir: Path, rows: list[dict[str, object]]) -> tuple[Path, bytes]:
    """(path, new content) of also_in.csv with rows appended."""
    path = data_dir / FOLDER / ALSO_IN_FILE
    return path, _append(path, ALSO_IN_COLUMNS, rows)


def feed_runs_bytes(data_dir: Path, rows: list[dict[str, object]]) -> tuple[Path, bytes]:
    """(path, new content) of feed_runs.csv with rows appended (error detail cut to a sane length)."""
    path = data_dir / FOLDER / FEED_RUNS_FILE
    capped = [{**r, "error_detail": str(r.get("error_detail") or "")[:ERROR_DETAIL_CHARS]} for r in rows]
    return path, _append(path, FEED_RUN_COLUMNS, capped)


def also_in_urls(data_dir: Path) -> set[str]:
    """URLs already recorded as reposts (raw, as written), without validating the file."""
    path = data_dir / FOLDER / ALSO_IN_FILE
    if not path.is_file():
        return set()
    try:
        return {rec["url"] for _, rec in _rows(path, ALSO_IN_COLUMNS)}
    except InputError:
        return set()
