"""Validate metrics CSV files (reference data and analyst imports) row by row."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Iterator
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
# Plain ASCII decimals only: float() alone would also take "1_000", "nan", "١٢" or NBSP padding.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# YYYY-MM-DD only: date.fromisoformat also takes ISO week dates such as "2020-W01-1".
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CHUNK = 1 << 20
# Columns whose text repeats from row to row: each distinct value is kept once, not once per row.
_REPEATED = ("platform_id", "metric", "period", "unit", "source_publisher", "source_title", "source_date",
             "confidence", "note")


@dataclass(frozen=True, slots=True)  # slots: a 20 MB import holds ~100k of these
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
    if not _ISO_DATE.fullmatch(text):
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
        return _iso_date(text + "-01-01") is not None
    if len(parts) == 2:
        return _iso_date(text + "-01") is not None
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


def check_text(data: bytes, name: str) -> None:
    """What decode() checks (size, UTF-8, NUL bytes), without keeping the decoded text in memory."""
    if len(data) > MAX_BYTES or b"\x00" in data:
        decode(data, name)  # raises with the line
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start:start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        decode(data, name)  # raises with the line of the first bad byte
        raise


def parse(data: bytes, name: str, platforms: set[str]) -> list[MetricRow]:
    """Parse and validate every row; raise InputError listing all problems."""
    return list(iter_rows(data, name, platforms))


def iter_rows(data: bytes, name: str, platforms: set[str]) -> Iterator[MetricRow]:
    """Validate and yield rows one at a time, decoding as it goes (a 20 MB file is never held as text).

    Raises InputError listing all problems once every row was read, so a caller must consume it all
    before acting on any row.
    """
    check_text(data, name)
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise InputError(f"{name}:1: file is empty; expected a header: {','.join(COLUMNS)}")
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    problems: list[str] = []
    records = _records(reader, name, problems)
    _, header = next(records, (1, []))
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
        raise InputError(problems or f"{name}:1: bad header ({'; '.join(detail)}); expected {','.join(COLUMNS)}")
    seen: dict[tuple, int] = {}
    shared: dict[str, str] = {}  # one string object per distinct text (units, publishers, ...) for all rows
    for start, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"{name}:{start}: expected {len(header)} fields, found {len(cells)}")
            continue
        rec = dict(zip(header, cells, strict=True))
        for field in _REPEATED:
            rec[field] = shared.setdefault(rec[field], rec[field])
        row, errs = _check(rec, platforms, name, start)
        problems.extend(errs)
        if row is None:
            continue
        if row.key() in seen:
            problems.append(f"{name}:{start}: duplicate of line {seen[row.key()]} "
                            f"(same platform_id, metric, period_start, period_end, source_url)")
            continue
        seen[row.key()] = start
        if not problems:
            yield row
    if problems:
        raise InputError(problems)
    if not seen:
        raise InputError(f"{name}:2: no data rows after the header")


def _records(reader, name: str, problems: list[str]):
    """Yield (first line, cells) per record; a record the csv module cannot read ends the file."""
    line = 0
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(f"{name}:{start}: unreadable CSV record ({exc}); nothing after it was checked")
            return
        line = reader.line_num
        yield start, cells


def _text(value: str) -> str:
    """A text cell without surrounding blanks and with LF line ends (CRLF files keep multi-line notes)."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_texts(rec: dict[str, str], platforms: set[str], at: str) -> list[str]:
    """Known platform, required cells present, no cell a spreadsheet would run as a formula."""
    errs: list[str] = []
    pid = rec["platform_id"].strip()
    if pid not in platforms:
        errs.append(f"{at} unknown platform_id {pid!r}")
    for field in ("metric", "period", "unit", "source_publisher"):
        if not rec[field].strip():
            errs.append(f"{at} {field} is empty")
    for field in TEXT_FIELDS + ("source_url",):
        # stripped, because the stored value is stripped: " =1+1" must not slip through as "=1+1"
        if rec[field].strip().startswith(FORMULA_PREFIXES):
            errs.append(f"{at} {field} starts with {rec[field].strip()[:1]!r}, "
                        "which a spreadsheet would run as a formula")
    return errs


def _check_period(rec: dict[str, str], at: str, errs: list[str]) -> tuple[date | None, date | None]:
    """period_start and period_end as dates, in order (None where a problem was recorded)."""
    start = _iso_date(rec["period_start"].strip())
    end = _iso_date(rec["period_end"].strip())
    if start is None:
        errs.append(f"{at} period_start {rec['period_start']!r} is not a date (YYYY-MM-DD)")
    if end is None:
        errs.append(f"{at} period_end {rec['period_end']!r} is not a date (YYYY-MM-DD)")
    if start and end and start > end:
        errs.append(f"{at} period_start {start} is after period_end {end}")
    return start, end


def _check_value(raw: str, unit: str, at: str, errs: list[str]) -> float | None:
    """The value as a finite number its unit allows (None where a problem was recorded)."""
    if not _NUMBER.fullmatch(raw):
        errs.append(f"{at} value {raw!r} is not a number")
        return None
    value = float(raw)
    if not math.isfinite(value) or abs(value) > 1e15:
        errs.append(f"{at} value {raw!r} is not a finite number of sensible size")
        return None
    if unit == "percent" and not 0 <= value <= 100:
        errs.append(f"{at} percent value {value:g} is outside 0..100")
    elif value < 0 and unit not in SIGNED_UNITS:
        errs.append(f"{at} value {value:g} is negative; {unit or 'this unit'} cannot be negative")
    return value


def _check_source(rec: dict[str, str], at: str, errs: list[str]) -> None:
    """Confidence from the allowed set, an http(s) source URL, a source date of a known shape."""
    conf = rec["confidence"].strip()
    if conf not in CONFIDENCE:
        errs.append(f"{at} confidence {conf!r} is not one of {', '.join(sorted(CONFIDENCE))}")
    url = rec["source_url"].strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errs.append(f"{at} source_url {url!r} must be an http(s) URL")
    if not _source_date_ok(rec["source_date"].strip()):
        errs.append(f"{at} source_date {rec['source_date']!r} must be empty, YYYY, YYYY-MM or YYYY-MM-DD")


def _check(rec: dict[str, str], platforms: set[str], name: str, line: int) -> tuple[MetricRow | None, list[str]]:
    """Validate one record (texts, period, value, source, in that order); return the row (or None) and problems."""
    at = f"{name}:{line}:"
    errs = _check_texts(rec, platforms, at)
    start, end = _check_period(rec, at, errs)
    unit = _text(rec["unit"])
    value = _check_value(rec["value"].strip(), unit, at, errs)
    _check_source(rec, at, errs)
    if errs or value is None or start is None or end is None:
        return None, errs
    pid, url, conf = rec["platform_id"].strip(), rec["source_url"].strip(), rec["confidence"].strip()
    return MetricRow(
        platform_id=pid, metric=_text(rec["metric"]), period=_text(rec["period"]),
        period_start=start, period_end=end, value=value, unit=unit,
        source_publisher=_text(rec["source_publisher"]), source_title=_text(rec["source_title"]),
        source_url=url, source_date=rec["source_date"].strip(), confidence=conf,
        note=_text(rec["note"]), source_file=name, source_line=line,
    ), errs
