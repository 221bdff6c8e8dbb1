"""Validate metrics CSV files (reference data and analyst imports) row by row."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from paylens.errors import InputError

COLUMNS = (
    "platform_id", "metric", "period", "period_start", "period_end", "value", "unit",
    "source_publisher", "source_title", "source_url", "source_date", "confidence", "note",
)
CONFIDENCE = frozenset({"reported", "secondary", "approximate"})
MAX_BYTES = 20_000_000
# Units whose values may legitimately be negative (growth rates can shrink).
SIGNED_UNITS = frozenset({"percent_growth", "times_growth_as_stated"})
# "=" and "@" open a formula in every spreadsheet; "+"/"-" also start real notes ("+12% yoy"),
# so those are accepted here and neutralised on export instead.
FORMULA_PREFIXES = ("=", "@")
TEXT_FIELDS = ("metric", "period", "unit", "source_publisher", "source_title", "note")
NATURAL_KEY = ("platform_id", "metric", "period_start", "period_end", "source_url")


@dataclass(frozen=True)
class MetricRow:
    """One validated metric value with its provenance and where it came from."""

    platform_id: str
    metric: str
    period: str
    period_start: date
    period_end: date
    value: float
    unit: str
    source_publisher: str
    source_title: str
    source_url: str
    source_date: str
    confidence: str
    note: str
    source_file: str
    source_line: int

    def key(self) -> tuple:
        """The natural key that makes re-imports idempotent."""
        return tuple(getattr(self, k) for k in NATURAL_KEY)


def _iso_date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _source_date_ok(text: str) -> bool:
    """Source dates may be partial: YYYY, YYYY-MM or YYYY-MM-DD (or empty)."""
    if text == "":
        return True
    parts = text.split("-")
    if len(parts) == 1:
        return len(text) == 4 and text.isdigit()
    if len(parts) == 2:
        return len(parts[0]) == 4 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12
    return _iso_date(text) is not None


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM allowed) or fail naming the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}:1: file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(f"{name}:{line}: contains NUL bytes; this is not a text CSV")
    return text


def parse(data: bytes, name: str, platforms: set[str]) -> list[MetricRow]:
    """Parse and validate every row; raise InputError listing all problems."""
    text = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}:1: file is empty; expected a header: {','.join(COLUMNS)}")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    problems: list[str] = []
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra or len(header) != len(set(header)):
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            detail.append("unexpected " + ", ".join(repr(c) for c in extra))
        if len(header) != len(set(header)):
            detail.append("duplicate column names")
        raise InputError(f"{name}:1: bad header ({'; '.join(detail)}); expected {','.join(COLUMNS)}")
    rows: list[MetricRow] = []
    seen: dict[tuple, int] = {}
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"{name}:{start}: expected {len(header)} fields, found {len(cells)}")
            continue
        rec = dict(zip(header, cells, strict=True))
        row, errs = _check(rec, platforms, name, start)
        problems.extend(errs)
        if row is None:
            continue
        if row.key() in seen:
            problems.append(f"{name}:{start}: duplicate of line {seen[row.key()]} "
                            f"(same platform_id, metric, period_start, period_end, source_url)")
            continue
        seen[row.key()] = start
        rows.append(row)
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(f"{name}:2: no data rows after the header")
    return rows


def _check(rec: dict[str, str], platforms: set[str], name: str, line: int) -> tuple[MetricRow | None, list[str]]:
    """Validate one record; return the row (or None) and its problems."""
    errs: list[str] = []
    at = f"{name}:{line}:"
    pid = rec["platform_id"].strip()
    if pid not in platforms:
        errs.append(f"{at} unknown platform_id {pid!r}")
    for field in ("metric", "period", "unit", "source_publisher"):
        if not rec[field].strip():
            errs.append(f"{at} {field} is empty")
    for field in TEXT_FIELDS + ("source_url",):
        if rec[field].startswith(FORMULA_PREFIXES):
            errs.append(f"{at} {field} starts with {rec[field][:1]!r}, which a spreadsheet would run as a formula")
    start = _iso_date(rec["period_start"].strip())
    end = _iso_date(rec["period_end"].strip())
    if start is None:
        errs.append(f"{at} period_start {rec['period_start']!r} is not a date (YYYY-MM-DD)")
    if end is None:
        errs.append(f"{at} period_end {rec['period_end']!r} is not a date (YYYY-MM-DD)")
    if start and end and start > end:
        errs.append(f"{at} period_start {start} is after period_end {end}")
    value: float | None = None
    raw = rec["value"].strip()
    try:
        value = float(raw)
    except ValueError:
        errs.append(f"{at} value {raw!r} is not a number")
    unit = rec["unit"].strip()
    if value is not None:
        if not math.isfinite(value) or abs(value) > 1e15:
            errs.append(f"{at} value {raw!r} is not a finite number of sensible size")
            value = None
        elif unit == "percent" and not 0 <= value <= 100:
            errs.append(f"{at} percent value {value:g} is outside 0..100")
        elif value < 0 and unit not in SIGNED_UNITS:
            errs.append(f"{at} value {value:g} is negative; {unit or 'this unit'} cannot be negative")
    conf = rec["confidence"].strip()
    if conf not in CONFIDENCE:
        errs.append(f"{at} confidence {conf!r} is not one of {', '.join(sorted(CONFIDENCE))}")
    url = rec["source_url"].strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errs.append(f"{at} source_url {url!r} must be an http(s) URL")
    if not _source_date_ok(rec["source_date"].strip()):
        errs.append(f"{at} source_date {rec['source_date']!r} must be empty, YYYY, YYYY-MM or YYYY-MM-DD")
    if errs or value is None or start is None or end is None:
        return None, errs
    return MetricRow(
        platform_id=pid, metric=rec["metric"].strip(), period=rec["period"].strip(),
        period_start=start, period_end=end, value=value, unit=unit,
        source_publisher=rec["source_publisher"].strip(), source_title=rec["source_title"].strip(),
        source_url=url, source_date=rec["source_date"].strip(), confidence=conf,
        note=rec["note"].strip(), source_file=name, source_line=line,
    ), errs
