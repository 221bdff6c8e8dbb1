"""Property tests of the metrics CSV validator: parse to the same values or fail as InputError with FILE:LINE.

(The sentence splitter's properties -- offsets reproduce the text, only whitespace is lost -- are covered by
tests/signals/test_sentences.py, so they are not repeated here.)
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from paylens.errors import InputError
from paylens.store.metrics_csv import COLUMNS, CONFIDENCE, parse

NAME = "upload/metrics import.csv"
PLATFORMS = {"alipay", "wechat_pay", "jd_pay"}
SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
ascii_junk = st.text(st.sampled_from("0123456789-+.eE/ _xnaifNI,\"'=\n\r\t "), max_size=12)
days = st.dates(date(1990, 1, 1), date(2040, 12, 31))


TRICKY = {  # values that look right to a human but must be checked precisely (valid and invalid mixed)
    "platform_id": ["nowhere_pay", " alipay ", "ALIPAY", "=alipay"],
    "period_start": ["2020-W01-1", "20200101", "2020-01-01 ", "2020/01/01", "2020-02-30"],
    "period_end": ["01-02-2020", "2020-1-1", " 2041-01-01"],
    "value": ["1e308", "-0", "1_000", "١٢", "\u00a05", "0x10", "5.", ".5", "+5", "nan", "-inf", "1e15", "-3"],
    "unit": ["percent", "percent_growth", "", " "],
    "source_url": ["ftp://z.test", "x.test", "https://", "javascript:alert(1)", " https://x.test/a "],
    "source_date": ["2020-13", "2020-1", "0000", "2020-05-06", "20"],
    "confidence": ["rumour", " reported", "Reported"],
    "note": ["+12% yoy", "-3 pts", "=1+1", " =HYPERLINK(\"x\")", "\t@SUM(A1)", "a\r\nb", "a\rb",
             "x" * 131_073],  # one more than the csv module's field limit
}


@st.composite
def rows(draw):
    """A plausible row with a few fields swapped for tricky values or arbitrary text."""
    start = draw(days)
    row = {
        "platform_id": draw(st.sampled_from(sorted(PLATFORMS))), "metric": "monthly_active_users",
        "period": draw(st.sampled_from(["2020", "2020-Q1", "H1 2020"])), "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=draw(st.integers(-3, 400)))).isoformat(),
        "value": draw(st.one_of(st.floats(0, 100).map(repr), st.integers(0, 10**6).map(str))),
        "unit": draw(st.sampled_from(["percent", "million_users", "percent_growth"])),
        "source_publisher": "Publisher", "source_title": draw(any_text),
        "source_url": f"https://x.test/{draw(st.integers(0, 3))}",
        "source_date": draw(st.sampled_from(["", "2020", "2020-05", "2020-05-06"])),
        "confidence": draw(st.sampled_from(sorted(CONFIDENCE))), "note": draw(any_text),
    }
    clean = st.just([])  # half the rows stay plausible, the others get one or two odd fields
    for name in draw(st.one_of(clean, st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=2, unique=True))):
        tricky = [st.sampled_from(TRICKY[name])] * 2 if name in TRICKY else []
        row[name] = draw(st.one_of(*tricky, any_text, ascii_junk))
    return row


TEXT_FIELDS = ("metric", "period", "unit", "source_publisher", "source_title", "note")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _write(rows: list[list[str]], newline: str, quoting: int = csv.QUOTE_MINIMAL) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline, quoting=quoting)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buf.getvalue()


def _text(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _same_values(parsed, rows: list[list[str]]) -> None:
    """Accepted rows carry exactly the written values (text stripped, line ends as LF)."""
    written = [dict(zip(COLUMNS, r, strict=True)) for r in rows if any(c.strip() for c in r)]
    assert len(parsed) == len(written)
    for got, rec in zip(parsed, written, strict=True):
        assert got.platform_id == rec["platform_id"].strip() in PLATFORMS
        assert PLAIN_DATE.fullmatch(rec["period_start"].strip()) and PLAIN_DATE.fullmatch(rec["period_end"].strip())
        assert PLAIN_NUMBER.fullmatch(rec["value"].strip())
        assert not any(_text(rec[name]).startswith(("=", "@")) for name in TEXT_FIELDS)
        assert got.period_start == date.fromisoformat(rec["period_start"].strip())
        assert got.period_end == date.fromisoformat(rec["period_end"].strip())
        assert got.period_start <= got.period_end
        assert got.value == float(rec["value"])
        assert got.confidence == rec["confidence"].strip()
        assert got.source_url == rec["source_url"].strip()
        assert got.source_date == rec["source_date"].strip()
        for name in TEXT_FIELDS:
            assert getattr(got, name) == _text(rec[name])


def _check_problems(exc: InputError, text: str) -> None:
    """Every problem is `NAME:LINE: message` with LINE a real line of the file."""
    n_lines = len(re.split(r"\r\n|\r|\n", text))
    assert exc.problems
    for problem in exc.problems:
        match = re.match(rf"{re.escape(NAME)}:(\d+): \S", problem)
        assert match, problem
        assert 1 <= int(match.group(1)) <= n_lines, (problem, n_lines)


@SETTINGS
@given(st.lists(rows(), max_size=3), st.sampled_from(["\n", "\r\n"]))
def test_random_rows_parse_to_their_values_or_fail_with_file_and_line(records, newline):
    cells = [[r[c] for c in COLUMNS] for r in records]
    text = _write(cells, newline)
    try:
        parsed = parse(text.encode("utf-8"), NAME, PLATFORMS)
    except InputError as exc:  # any other exception fails the test
        event("rejected")
        _check_problems(exc, text)
        return
    event("accepted")
    _same_values(parsed, cells)


safe_text = any_text.filter(lambda s: "\x00" not in s and not s.strip().startswith(("=", "@")))
needed_text = safe_text.filter(lambda s: s.strip() != "")


@st.composite
def valid_rows(draw):
    n = draw(st.integers(1, 5))
    rows = []
    for i in range(n):
        start = draw(days)
        rows.append({
            "platform_id": draw(st.sampled_from(sorted(PLATFORMS))), "metric": draw(needed_text),
            "period": draw(needed_text), "period_start": start.isoformat(),
            "period_end": (start + timedelta(days=draw(st.integers(0, 400)))).isoformat(),
            "value": repr(draw(st.floats(0, 1e15))),
            "unit": draw(needed_text.filter(lambda u: _text(u) != "percent")),  # percent would cap the value
            "source_publisher": draw(needed_text), "source_title": draw(safe_text),
            "source_url": f"https://example.test/{i}", "source_date": draw(st.sampled_from(["", "2020", "2020-05"])),
            "confidence": draw(st.sampled_from(sorted(CONFIDENCE))), "note": draw(safe_text),
        })
    return rows


@SETTINGS
@given(valid_rows(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_valid_rows_are_always_accepted_unchanged(rows, newline, bom):
    cells = [[r[c] for c in COLUMNS] for r in rows]
    # Python 3.11's writer leaves a lone "\r" unquoted when lines end in "\n" (a malformed file, which the
    # first property covers); quote everything there so this file is well formed.
    data = _write(cells, newline, csv.QUOTE_ALL if newline == "\n" else csv.QUOTE_MINIMAL).encode("utf-8")
    parsed = parse(b"\xef\xbb\xbf" + data if bom else data, NAME, PLATFORMS)
    _same_values(parsed, cells)
    assert [r.source_line for r in parsed] == sorted(r.source_line for r in parsed)
