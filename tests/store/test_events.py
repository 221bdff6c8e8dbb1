"""data/events.csv is validated like metrics.csv: every bad row named as FILE:LINE, exit 2, store untouched."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.errors import InputError
from paylens.store.build import build
from paylens.store.sources import EVENT_COLUMNS, read_events
from tests.conftest import snapshot_tree

PLATFORMS = {"alipay", "wechat_pay", "market"}
GOOD = ("2024-05-01,alipay,subsidy,Tap push,Alipay pays merchants to install tap devices,https://example.test/e,"
        "PayLens test")


@pytest.fixture
def live(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "store" / "paylens.duckdb"
    build(settings(data_copy, db))
    return data_copy, db


def with_events(data: Path, *lines: str) -> None:
    (data / "events.csv").write_text("\n".join([",".join(EVENT_COLUMNS), *lines]) + "\n", encoding="utf-8")


BAD = [
    ("2024-05-01,alipay,subsidy,Click me,desc,javascript:alert(1),PayLens test",
     "source_url 'javascript:alert(1)' must be an http(s) URL"),
    ("2024-05-01,alipay,subsidy,Click me,desc,data:text/html;base64;x,PayLens test",
     "source_url 'data:text/html;base64;x' must be an http(s) URL"),
    ("2024-05-01,alipay,subsidy,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",desc,https://example.test/e,P",
     "title starts with '=', which a spreadsheet would run as a formula"),
    ("2024-05-01,alipay,subsidy,Title,@SUM(A1:A9),https://example.test/e,P",
     "description starts with '@', which a spreadsheet would run as a formula"),
    ("2024-05-01,alipay,subsidy,Title,desc,https://example.test/e, =cmd|' /C calc'!A0",
     "source_publisher starts with '=', which a spreadsheet would run as a formula"),
    ("2020-02-30,alipay,subsidy,Title,desc,https://example.test/e,P", "date '2020-02-30' is not YYYY-MM-DD"),
    ("2020-W01-1,alipay,subsidy,Title,desc,https://example.test/e,P", "date '2020-W01-1' is not YYYY-MM-DD"),
    ("2024-05-01,nobody_pay,subsidy,Title,desc,https://example.test/e,P", "unknown platform_id 'nobody_pay'"),
    ("2024-05-01,alipay,Sub sidy,Title,desc,https://example.test/e,P",
     "category 'Sub sidy' must be a lowercase id (letters, digits, _)"),
    ("2024-05-01,alipay,subsidy,,desc,https://example.test/e,P", "title is empty"),
    ("2024-05-01,alipay,subsidy,Title,desc,https://example.test/e,P,extra", "expected 7 fields, found more"),
    ("2024-05-01,alipay,subsidy,Title", "expected 7 fields, found fewer"),
]


@pytest.mark.parametrize("row, message", BAD, ids=[m for _, m in BAD])
def test_a_bad_event_row_is_named_by_its_line(data_copy, row, message):
    with_events(data_copy, GOOD, row)
    with pytest.raises(InputError) as info:
        read_events(data_copy, PLATFORMS)
    assert info.value.problems == [f"data/events.csv:3: {message}"]
    assert info.value.exit_code == 2


def test_a_bad_event_fails_the_build_and_keeps_the_store(live):
    data, db = live
    with_events(data, GOOD, BAD[0][0])
    before = db.read_bytes()
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--db", str(db)])
    assert (result.exit_code, result.stderr) == (2, f"data/events.csv:3: {BAD[0][1]}\n")
    assert db.read_bytes() == before


def test_every_bad_event_row_is_listed(live):
    data, db = live
    with_events(data, *(row for row, _ in BAD[:4]), GOOD)
    before = snapshot_tree(data.parent / "store")
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--db", str(db)])
    assert result.exit_code == 2
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines()] == [
        f"data/events.csv:{n}" for n in (2, 3, 4, 5)]
    assert snapshot_tree(data.parent / "store") == before


def test_good_events_build(live):
    data, db = live
    with_events(data, GOOD, "", "2024-06-01,market,regulation,Rules,\"A, quoted\",http://example.test/r,PBoC")
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select platform_id, description, source_line from events order by date").fetchall()
    finally:
        con.close()
    assert rows == [("alipay", "Alipay pays merchants to install tap devices", 2), ("market", "A, quoted", 4)]
