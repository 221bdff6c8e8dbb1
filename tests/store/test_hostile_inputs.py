"""Hostile input table: every nasty CSV or article ends in an exact, named outcome.

Either the command exits 2 with exactly the listed `FILE:LINE: message` lines and writes nothing
(data/ and the store byte-for-byte unchanged), or it accepts the file and the stored value is checked.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.store.build import build
from paylens.store.metrics_csv import COLUMNS
from tests.conftest import snapshot_tree

HEADER = ",".join(COLUMNS)
ROW = {
    "platform_id": "alipay", "metric": "monthly_active_users", "period": "2031-01", "period_start": "2031-01-01",
    "period_end": "2031-01-31", "value": "1001", "unit": "million_users", "source_publisher": "PayLens test",
    "source_title": "Hostile test", "source_url": "https://example.test/hostile", "source_date": "2031-02",
    "confidence": "approximate", "note": "plain note",
}
SQL_TEXT = "'); drop table metric_values; --"


def line(**over: str) -> str:
    """One CSV record (with its line end) of ROW with overrides."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([{**ROW, **over}[c] for c in COLUMNS])
    return buf.getvalue()


def text_csv(*records: str, header: str = HEADER) -> bytes:
    return (header + "\n" + "".join(records)).encode("utf-8")


@dataclass(frozen=True)
class Rejected:
    """Exit 2, exactly these messages (each prefixed with the file name), nothing written."""

    messages: tuple[str, ...]


@dataclass(frozen=True)
class Accepted:
    """Exit 0; `check(con)` proves the stored value."""

    check: Callable[[duckdb.DuckDBPyConnection], None]


def note_is(expected: str):
    def check(con):
        got = con.execute("select note from metric_values where source_url = 'https://example.test/hostile'").fetchall()
        assert got == [(expected,)]
    return check


def value_is(expected: float):
    def check(con):
        got = con.execute("select value from metric_values where source_url = 'https://example.test/hostile'").fetchall()
        assert got == [(expected,)]
    return check


def sql_text_is_plain(con):
    note_is(SQL_TEXT)(con)
    assert con.execute("select count(*) from metric_values").fetchone()[0] > 1  # the table is intact


def two_line_note(con):
    note_is("first line\nsecond line")(con)


def rows_are(n: int):
    def check(con):
        assert con.execute("select count(*) from metric_values "
                           "where source_url = 'https://example.test/hostile'").fetchone()[0] == n
    return check


def big_csv(path: Path) -> None:
    """A 50 MB file of valid-looking rows."""
    rec = line(note="x" * 400).encode()
    with path.open("wb") as fh:
        fh.write((HEADER + "\n").encode())
        fh.write(rec * (50 * 1024 * 1024 // len(rec) + 1))


BAD_HEADER = f"; expected {HEADER}"
FORMULA_NOTE = "2: note starts with '=', which a spreadsheet would run as a formula"
CSV_CASES: dict[str, tuple[bytes | Callable[[Path], None], Rejected | Accepted]] = {
    "empty file": (b"", Rejected((f"1: file is empty; expected a header: {HEADER}",))),
    "blank lines only": (b"\n\r\n  \n", Rejected((f"1: file is empty; expected a header: {HEADER}",))),
    "header only": (text_csv(), Rejected(("2: no data rows after the header",))),
    "missing column": (text_csv(header=HEADER.replace(",confidence", "")),
                       Rejected((f"1: bad header (missing confidence){BAD_HEADER}",))),
    "extra column": (text_csv(header=HEADER + ",comment"),
                     Rejected((f"1: bad header (unexpected 'comment'){BAD_HEADER}",))),
    "duplicate column": (text_csv(header=HEADER + ",note"),
                         Rejected((f"1: bad header (duplicate column names){BAD_HEADER}",))),
    "short row": (text_csv(line().replace(",plain note", "")), Rejected(("2: expected 13 fields, found 12",))),
    "BOM": (b"\xef\xbb\xbf" + text_csv(line()), Accepted(value_is(1001.0))),
    "CRLF": (text_csv(line()).replace(b"\n", b"\r\n"), Accepted(value_is(1001.0))),
    "CRLF with a quoted two-line note": (
        text_csv(line(note="first line\nsecond line")).replace(b"\n", b"\r\n"), Accepted(two_line_note)),
    "Latin-1 bytes": (text_csv(line(), line(period_start="2031-01-02", note="café")).replace("é".encode(), b"\xe9"),
                      Rejected(("3: not valid UTF-8 (byte 0xe9); save as UTF-8",))),
    "NUL bytes": (text_csv(line(note="a\x00b")), Rejected(("2: contains NUL bytes; this is not a text CSV",))),
    "quoted newline in note": (text_csv(line(note="first line\nsecond line")), Accepted(two_line_note)),
    "line numbers count the lines of a multi-line note": (
        text_csv(line(note="first\nsecond\nthird"), line(period_start="2031-01-02", platform_id="nowhere_pay")),
        Rejected(("5: unknown platform_id 'nowhere_pay'",))),
    "duplicate rows": (text_csv(line(), line(note="again")),
                       Rejected(("3: duplicate of line 2 (same platform_id, metric, period_start, period_end, "
                                 "source_url)",))),
    "unknown platform": (text_csv(line(platform_id="nowhere_pay")),
                         Rejected(("2: unknown platform_id 'nowhere_pay'",))),
    "percent above 100": (text_csv(line(unit="percent", value="100.5")),
                          Rejected(("2: percent value 100.5 is outside 0..100",))),
    "negative count": (text_csv(line(value="-5")),
                       Rejected(("2: value -5 is negative; million_users cannot be negative",))),
    "negative growth rate is fine": (text_csv(line(unit="percent_growth", value="-3.5")), Accepted(value_is(-3.5))),
    "period_start after period_end": (text_csv(line(period_start="2031-02-01")),
                                      Rejected(("2: period_start 2031-02-01 is after period_end 2031-01-31",))),
    "date 2020/01/01": (text_csv(line(period_start="2020/01/01")),
                        Rejected(("2: period_start '2020/01/01' is not a date (YYYY-MM-DD)",))),
    "date 01-02-2020": (text_csv(line(period_end="01-02-2020")),
                        Rejected(("2: period_end '01-02-2020' is not a date (YYYY-MM-DD)",))),
    "ISO week date 2031-W01-1": (text_csv(line(period_start="2031-W01-1")),
                                 Rejected(("2: period_start '2031-W01-1' is not a date (YYYY-MM-DD)",))),
    "impossible date 2031-02-30": (text_csv(line(period_end="2031-02-30")),
                                   Rejected(("2: period_end '2031-02-30' is not a date (YYYY-MM-DD)",))),
    "source_date 2031-2": (text_csv(line(source_date="2031-2")),
                           Rejected(("2: source_date '2031-2' must be empty, YYYY, YYYY-MM or YYYY-MM-DD",))),
    "NaN": (text_csv(line(value="NaN")), Rejected(("2: value 'NaN' is not a number",))),
    "inf": (text_csv(line(value="inf")), Rejected(("2: value 'inf' is not a number",))),
    "1e308": (text_csv(line(value="1e308")), Rejected(("2: value '1e308' is not a finite number of sensible size",))),
    "digits with underscores 1_000": (text_csv(line(value="1_000")), Rejected(("2: value '1_000' is not a number",))),
    "Arabic-Indic digits": (text_csv(line(value="١٢")), Rejected(("2: value '١٢' is not a number",))),
    "exponent 1.5e3": (text_csv(line(value="1.5e3")), Accepted(value_is(1500.0))),
    "formula in note": (text_csv(line(note='=HYPERLINK("http://x","y")')), Rejected((FORMULA_NOTE,))),
    "formula after blanks in note": (text_csv(line(note=' \t=HYPERLINK("http://x","y")')), Rejected((FORMULA_NOTE,))),
    "formula in source_title": (text_csv(line(source_title="@SUM(A1:A9)")),
                                Rejected(("2: source_title starts with '@', which a spreadsheet would run as a "
                                          "formula",))),
    "+12% yoy note": (text_csv(line(note="+12% yoy")), Accepted(note_is("+12% yoy"))),
    "-3 pts note": (text_csv(line(note="-3 pts")), Accepted(note_is("-3 pts"))),
    "SQL-looking note": (text_csv(line(note=SQL_TEXT)), Accepted(sql_text_is_plain)),
    "javascript: url": (text_csv(line(source_url="javascript:alert(1)")),
                        Rejected(("2: source_url 'javascript:alert(1)' must be an http(s) URL",))),
    "unknown confidence": (text_csv(line(confidence="rumour")),
                           Rejected(("2: confidence 'rumour' is not one of approximate, reported, secondary",))),
    "one line, several problems": (
        text_csv(line(platform_id="x", value="", period_start="soon")),
        Rejected(("2: unknown platform_id 'x'", "2: period_start 'soon' is not a date (YYYY-MM-DD)",
                  "2: value '' is not a number"))),
    "200 KB note (beyond the csv field limit)": (
        text_csv(line(), line(period_start="2031-01-02", note="y" * 200_000)),
        Rejected(("3: unreadable CSV record (field larger than field limit (131072)); nothing after it was checked",))),
    "blank rows between records are skipped": (text_csv(line(), "\n", ",,,,,,,,,,,,\n",
                                                        line(period_start="2031-01-02")), Accepted(rows_are(2))),
    "50 MB file": (big_csv, Rejected(("1: file is {size:,} bytes; the limit is 20,000,000",))),
}


@pytest.fixture(scope="module")
def built(fixture_data, tmp_path_factory) -> tuple[Path, Path]:
    """One data folder and store built for the module; each test gets its own copy."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(fixture_data, root / "data")
    build(settings(root / "data", root / "store" / "paylens.duckdb"))
    return root / "data", root / "store" / "paylens.duckdb"


@pytest.fixture
def live(built, tmp_path) -> tuple[Path, Path]:
    data, db = built
    shutil.copytree(data, tmp_path / "data")
    (tmp_path / "store").mkdir()
    shutil.copy(db, tmp_path / "store" / db.name)
    return tmp_path / "data", tmp_path / "store" / db.name


def _run(command: str, paths: list[Path], data: Path, db: Path, expected: Rejected | Accepted) -> None:
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    result = CliRunner().invoke(cli, [command, *map(str, paths), "--data", str(data), "--db", str(db)])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    if isinstance(expected, Rejected):
        size = paths[0].stat().st_size
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines() == [f"{paths[0]}:{m.format(size=size)}" for m in expected.messages]
        assert snapshot_tree(data) == data_before
        assert db.read_bytes() == db_before
    else:
        assert result.exit_code == 0, result.stderr
        con = duckdb.connect(str(db), read_only=True)
        try:
            expected.check(con)
        finally:
            con.close()


@pytest.mark.parametrize("case", list(CSV_CASES), ids=list(CSV_CASES))
def test_hostile_metrics_csv(case, live, tmp_path):
    data, db = live
    content, expected = CSV_CASES[case]
    path = tmp_path / "hostile.csv"
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    _run("import-metrics", [path], data, db, expected)


def test_plus_and_minus_notes_are_neutralised_on_export(live, tmp_path):
    data, db = live
    path = tmp_path / "notes.csv"
    path.write_bytes(text_csv(line(note="+12% yoy"), line(period_start="2031-01-02", note="-3 pts"),
                              line(period_start="2031-01-03", unit="percent_growth", value="-7.25", note=SQL_TEXT)))
    assert CliRunner().invoke(cli, ["import-metrics", str(path), "--data", str(data), "--db", str(db)]).exit_code == 0
    out = CliRunner().invoke(cli, ["export", "metric_series", "--param", "metric=monthly_active_users",
                                   "--param", "competitors=alipay", "--db", str(db)])
    assert out.exit_code == 0, out.stderr
    rows = [r for r in csv.DictReader(io.StringIO(out.stdout)) if r["source_url"] == "https://example.test/hostile"]
    assert [(r["platform_id"], r["note"], r["value"]) for r in rows] == [
        ("alipay", "'+12% yoy", "1001.0"), ("alipay", "'-3 pts", "1001.0"),
        # "; --" inside: a separator then a formula character, so it gets the quote too (OWASP)
        ("alipay", "'" + SQL_TEXT, "-7.25"),
    ]
    assert ",-7.25," in out.stdout  # a negative number stays an unquoted number


# ---- articles through `paylens ingest` ----------------------------------------------------------------

XSS_TITLE = "<script>alert(1)</script>"
XSS_BODY = "Alipay said <img src=x onerror=alert(1)> and <script>alert(1)</script> were fine.\nSecond line."


def xss_stored(con):
    rows = con.execute("select title, body from articles where title like '%<script>%'").fetchall()
    assert rows == [(XSS_TITLE, XSS_BODY)]


def _big_article(path: Path) -> None:
    path.write_bytes(b"title: Big\n\n" + b"Alipay grew. " * (10 * 1024 * 1024 // 13))


ARTICLE_CASES: dict[str, tuple[str, bytes | Callable[[Path], None], Rejected | Accepted]] = {
    "empty": ("a.txt", b"", Rejected(("1: file is empty",))),
    "blank lines only": ("a.txt", b"\n \n\t\n", Rejected(("1: file is empty",))),
    "header only": ("a.txt", b"title: Only a title\ndate: 2025-01-02\n",
                    Rejected(("3: header but no body (add the article text after a blank line)",))),
    "binary": ("a.txt", bytes(range(256)) * 4, Rejected(("1: binary file (NUL byte), expected UTF-8 text",))),
    "invalid UTF-8": ("a.txt", b"title: T\n\nAlipay.\n\xff\xfe broken",
                      Rejected(("4: invalid UTF-8 (byte 0xff)",))),
    "Latin-1 title": ("a.txt", "title: Café\n\nbody".encode("latin-1"), Rejected(("1: invalid UTF-8 (byte 0xe9)",))),
    "10 MB": ("a.txt", _big_article, Rejected(("1: file is larger than 2000000 bytes",))),
    "bad date in header": ("a.txt", b"title: T\ndate: 2025-02-30\n\nAlipay grew.",
                           Rejected(("2: date '2025-02-30' is not a real date in YYYY-MM-DD form",))),
    "date in another format": ("a.txt", b"title: T\nurl: https://x.test/a\ndate: 17/02/2025\n\nAlipay grew.",
                               Rejected(("3: date '17/02/2025' is not a real date in YYYY-MM-DD form",))),
    "javascript: url": ("a.txt", b"title: T\nurl: javascript:alert(1)\n\nAlipay grew.",
                        Rejected(("2: url 'javascript:alert(1)' must be an http:// or https:// address",))),
    "not a text suffix": ("a.html", b"<p>Alipay</p>", Rejected(("1: articles must be .txt or .md files",))),
    "script and img tags in title and body": (
        "xss.txt", f"title: {XSS_TITLE}\ndate: 2025-01-02\n\n{XSS_BODY}\n".encode(), Accepted(xss_stored)),
    "CRLF and BOM": ("crlf.txt", b"\xef\xbb\xbftitle: CRLF piece\r\n\r\nAlipay grew.\r\nWeChat Pay too.\r\n",
                     Accepted(lambda con: _body_is(con, "CRLF piece", "Alipay grew.\nWeChat Pay too."))),
    "SQL-looking body": ("sql.txt", f"title: SQL\n\n{SQL_TEXT}\n".encode(),
                         Accepted(lambda con: _body_is(con, "SQL", SQL_TEXT))),
}


def _body_is(con, title: str, body: str) -> None:
    assert con.execute("select body from articles where title = $t", {"t": title}).fetchall() == [(body,)]
    assert con.execute("select count(*) from metric_values").fetchone()[0] > 0


@pytest.mark.parametrize("case", list(ARTICLE_CASES), ids=list(ARTICLE_CASES))
def test_hostile_article(case, live, tmp_path):
    data, db = live
    name, content, expected = ARTICLE_CASES[case]
    path = tmp_path / "in" / name
    path.parent.mkdir()
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    _run("ingest", [path], data, db, expected)


def test_one_bad_article_rejects_the_whole_batch(live, tmp_path):
    data, db = live
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("title: Fine\n\nAlipay grew.\n", encoding="utf-8")
    bad.write_bytes(b"title: T\ndate: tomorrow\n\nbody")
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    result = CliRunner().invoke(cli, ["ingest", str(good), str(bad), "--data", str(data), "--db", str(db)])
    assert (result.exit_code, result.stderr) == (2, f"{bad}:2: date 'tomorrow' is not a real date in YYYY-MM-DD form\n")
    assert (snapshot_tree(data), db.read_bytes()) == (data_before, db_before)
