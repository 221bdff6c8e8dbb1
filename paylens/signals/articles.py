"""Article files: an optional `key: value` header, a blank line, then the body."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from paylens.errors import InputError

ARTICLE_MAX_BYTES = 2_000_000
HEADER_KEYS = ("title", "url", "publisher", "date", "lang", "fetched_at")  # fetched_at: set by `ingest URL`
LANGS = ("en", "zh")
CJK_SHARE_FOR_ZH = 0.20

_BOM = b"\xef\xbb\xbf"
# A header line longer than this is refused (a title or URL is far shorter); parsing is linear anyway.
HEADER_LINE_MAX_CHARS = 4_096
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


@dataclass(frozen=True)
class Article:
    """One parsed article: header fields, body text and the body's hash."""

    name: str
    title: str | None
    url: str | None
    publisher: str | None
    date: str | None
    lang: str
    body: str
    body_line: int
    sha256: str
    fetched_at: str | None = None  # ISO 8601 UTC, when the article was fetched from its URL


def parse_article(path: str | Path, name: str | None = None) -> Article:
    """Read and parse an article file; `name` (default: the path) prefixes errors."""
    label = str(path) if name is None else name
    try:
        with open(path, "rb") as fh:
            data = fh.read(ARTICLE_MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{label}:1: cannot read file: {exc.strerror or exc}") from exc
    return parse_article_bytes(data, label)


def parse_article_bytes(data: bytes, name: str) -> Article:
    """Parse raw article bytes; raise InputError listing every problem found."""
    text = _decode(data, name)
    lines = text.split("\n")
    problems: list[str] = []
    fields, body_start = _parse_header(lines, name, problems)
    body_line, body = _body(lines, body_start)
    if not body:
        if fields:
            problems.append(f"{name}:{len(lines)}: header but no body (add the article text after a blank line)")
        else:
            problems.append(f"{name}:1: file is empty")
    lang = _lang(fields, body)
    if problems:
        raise InputError(problems)
    return Article(
        name=name,
        title=_value(fields, "title"),
        url=_value(fields, "url"),
        publisher=_value(fields, "publisher"),
        date=_value(fields, "date"),
        lang=lang,
        body=body,
        body_line=body_line,
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        fetched_at=_value(fields, "fetched_at"),
    )


def detect_lang(text: str) -> str:
    """Return "zh" when CJK characters are more than 20% of the letters, else "en"."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return "en"
    return "zh" if len(_CJK.findall(text)) / letters > CJK_SHARE_FOR_ZH else "en"


def _decode(data: bytes, name: str) -> str:
    """Check size, binary content and encoding; return text with LF line ends."""
    if len(data) > ARTICLE_MAX_BYTES:
        raise InputError(f"{name}:1: file is larger than {ARTICLE_MAX_BYTES} bytes")
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(f"{name}:{line}: binary file (NUL byte), expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{name}:{line}: invalid UTF-8 (byte 0x{data[exc.start]:02x})") from exc
    if not text.strip():
        raise InputError(f"{name}:1: file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_header(lines: list[str], name: str, problems: list[str]) -> tuple[dict[str, tuple[str, int]], int]:
    """Read header lines into {key: (value, line)}; return them and the body's first line index."""
    first = header_field(lines[0])
    if not first or first[0].lower() not in HEADER_KEYS:
        return {}, 0
    fields: dict[str, tuple[str, int]] = {}
    for idx, line in enumerate(lines):
        if not line.strip():
            return fields, idx + 1
        lineno = idx + 1
        if len(line) > HEADER_LINE_MAX_CHARS:
            problems.append(f"{name}:{lineno}: header line is {len(line):,} characters; "
                            f"the limit is {HEADER_LINE_MAX_CHARS:,}")
            continue
        match = header_field(line)
        if not match:
            problems.append(f"{name}:{lineno}: header line is not `key: value` (end the header with a blank line)")
            continue
        key, value = match[0].lower(), match[1]
        if key not in HEADER_KEYS:
            problems.append(f"{name}:{lineno}: unknown header key {key!r} (allowed: {', '.join(HEADER_KEYS)})")
        elif key in fields:
            problems.append(f"{name}:{lineno}: duplicate header key {key!r}")
        elif not value:
            problems.append(f"{name}:{lineno}: header key {key!r} has no value")
        else:
            fields[key] = (value, lineno)
            problem = _check_value(key, value)
            if problem:
                problems.append(f"{name}:{lineno}: {problem}")
    return fields, len(lines)


def header_field(line: str) -> tuple[str, str] | None:
    """(key, value) of a `key: value` header line, or None; blanks and tabs around both are dropped.

    Split at the first ':' and strip, in time linear in the line (a regex such as
    `[ \t]*(.*?)[ \t]*$` backtracks quadratically on a long run of spaces). The key is letters and '_'.
    """
    key, sep, value = line.partition(":")
    key = key.rstrip(" \t")
    if not sep or not key or not _KEY_CHARS.issuperset(key):
        return None
    return key, value.strip(" \t")


def _check_value(key: str, value: str) -> str | None:
    """What is wrong with a date, url or lang value, or None."""
    if key == "date" and not _is_date(value):
        return f"date {value!r} is not a real date in YYYY-MM-DD form"
    if key == "url":
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return f"url {value!r} must be an http:// or https:// address"
    if key == "fetched_at" and not _is_timestamp(value):
        return f"fetched_at {value!r} is not an ISO 8601 time such as 2025-01-31T08:00:00Z"
    if key == "lang" and value.lower() not in LANGS:
        return f"unknown lang {value!r} (allowed: {', '.join(LANGS)})"
    return None


def _is_timestamp(value: str) -> bool:
    """True for an ISO 8601 date-time with a UTC offset or Z."""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _is_date(value: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _body(lines: list[str], start: int) -> tuple[int, str]:
    """Return (1-based first body line, body) skipping leading blank lines and trailing whitespace."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start + 1, "\n".join(lines[start:]).rstrip()


def _lang(fields: dict[str, tuple[str, int]], body: str) -> str:
    """The header's lang, else the language detected from the body."""
    if "lang" in fields:
        return fields["lang"][0].lower()
    return detect_lang(body)


def _value(fields: dict[str, tuple[str, int]], key: str) -> str | None:
    """A header value or None."""
    return fields[key][0] if key in fields else None
