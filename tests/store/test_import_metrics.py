"""`paylens import-metrics`: validate every row, report all errors, change nothing on error, idempotent."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.store.build import build
from paylens.store.metrics_csv import COLUMNS
from paylens.store.sources import digest
from tests.conftest import snapshot_tree

PAYLENS = Path(sys.executable).with_name("paylens")
HEADER = ",".join(COLUMNS)
ROW = {
    "platform_id": "alipay", "metric": "monthly_active_users", "period": "2031-01", "period_start": "2031-01-01",
    "period_end": "2031-01-31", "value": "1001", "unit": "million_users", "source_publisher": "PayLens test",
    "source_title": "Import test", "source_url": "https://example.test/import", "source_date": "2031-02",
    "confidence": "approximate", "note": "test row",
}


def csv_bytes(*rows: dict, header: tuple[str, ...] = COLUMNS, newline: str = "\n") -> bytes:
    """A metrics CSV with one line per row (rows are ROW with overrides)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([{**ROW, **row}.get(c, "") for c in header])
    return buf.getvalue().encode("utf-8")


@pytest.fixture
def live(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A data folder and a store built from it (store outside data/)."""
    db = tmp_path / "store" / "paylens.duckdb"
    build(settings(data_copy, db))
    return data_copy, db


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def store_rows(db: Path, where: str = "source_url like 'https://example.test/%'") -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select platform_id, metric, period_start::varchar, value, note, source_file, source_line "
                           f"from metric_values where {where} order by source_line").fetchall()
    finally:
        con.close()


def count_rows(db: Path, table: str = "metric_values") -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def build_id_of(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select build_id from build_info").fetchone()[0]
    finally:
        con.close()


def test_valid_file_is_saved_under_imports_and_the_store_rebuilt(live, tmp_path):
    data, db = live
    before = count_rows(db)
    src = tmp_path / "new metrics.csv"
    src.write_bytes(csv_bytes({}, {"period": "2031-02", "period_start": "2031-02-01", "period_end": "2031-02-28",
                                   "value": "1002.5"}))
    result = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    saved = sorted((data / "imports").iterdir())
    assert len(saved) == 1
    assert saved[0].read_bytes() == src.read_bytes()
    assert saved[0].name.endswith("-new_metrics.csv")  # the space became "_": names end up in FILE:LINE messages
    assert result.stdout == f"added 2 rows (0 already present); saved {saved[0]}\n"
    assert count_rows(db) == before + 2
    rel = f"data/imports/{saved[0].name}"
    assert store_rows(db) == [("alipay", "monthly_active_users", "2031-01-01", 1001.0, "test row", rel, 2),
                              ("alipay", "monthly_active_users", "2031-02-01", 1002.5, "test row", rel, 3)]
    assert build_id_of(db) == digest(data)


def test_importing_the_same_file_twice_adds_nothing(live, tmp_path):
    data, db = live
    src = tmp_path / "m.csv"
    src.write_bytes(csv_bytes({}))
    assert run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db)).exit_code == 0
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    again = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert again.exit_code == 0
    assert again.stdout == "0 new rows (1 already in the store); nothing changed\n"
    assert snapshot_tree(data) == data_before
    assert db.read_bytes() == db_before


def test_same_rows_in_another_file_with_crlf_add_nothing(live, tmp_path):
    data, db = live
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(csv_bytes({}))
    second.write_bytes(csv_bytes({"note": "same natural key, other note"}, newline="\r\n"))
    assert run_cli("import-metrics", str(first), "--data", str(data), "--db", str(db)).exit_code == 0
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    again = run_cli("import-metrics", str(second), "--data", str(data), "--db", str(db))
    assert (again.exit_code, again.stdout) == (0, "0 new rows (1 already in the store); nothing changed\n")
    assert (snapshot_tree(data), db.read_bytes()) == (data_before, db_before)


def test_rows_already_in_metrics_csv_are_counted_not_added(live, tmp_path):
    data, db = live
    with (data / "metrics.csv").open(encoding="utf-8", newline="") as fh:
        existing = next(csv.DictReader(fh))
    src = tmp_path / "mixed.csv"
    src.write_bytes(csv_bytes(existing, {}))
    before = count_rows(db)
    result = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert result.exit_code == 0
    assert result.stdout.startswith("added 1 row (1 already present); saved ")
    assert count_rows(db) == before + 1


def test_every_error_is_reported_with_file_and_line_and_nothing_changes(live, tmp_path):
    data, db = live
    src = tmp_path / "bad.csv"
    src.write_bytes(csv_bytes(
        {"platform_id": "nowhere_pay"},                                                  # line 2
        {"period": "2031-02", "period_start": "2031-02-01", "period_end": "2031-02-28"},  # line 3: fine
        {"period_start": "2031-03-01", "period_end": "2031-03-31", "unit": "percent", "value": "120"},  # line 4
        {"period_start": "2031-04-01", "period_end": "2031-04-30", "confidence": "rumour",
         "source_url": "ftp://x"},                                                        # line 5
        {"period_start": "2031-05-01", "period_end": "2031-04-30"},                      # line 6
    ))
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    result = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{src}:2: unknown platform_id 'nowhere_pay'",
        f"{src}:4: percent value 120 is outside 0..100",
        f"{src}:5: confidence 'rumour' is not one of approximate, reported, secondary",
        f"{src}:5: source_url 'ftp://x' must be an http(s) URL",
        f"{src}:6: period_start 2031-05-01 is after period_end 2031-04-30",
    ]
    assert snapshot_tree(data) == data_before
    assert db.read_bytes() == db_before


def test_errors_are_capped_at_fifty_then_counted(live, tmp_path):
    data, db = live
    src = tmp_path / "many.csv"
    src.write_bytes(csv_bytes(*({"platform_id": f"p{i}", "period_start": f"2031-01-{i % 28 + 1:02d}"}
                                for i in range(60))))  # every row is bad, so no duplicate is reported
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    result = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:50] == [f"{src}:{i + 2}: unknown platform_id 'p{i}'" for i in range(50)]
    assert lines[50:] == ["... and 10 more problems"]
    assert (snapshot_tree(data), db.read_bytes()) == (data_before, db_before)


def test_bad_file_leaves_data_untouched_when_the_store_lives_in_data_build(data_copy, tmp_path):
    build(settings(data_copy))  # default store path: data/build/paylens.duckdb (with its lock file)
    src = tmp_path / "bad.csv"
    src.write_bytes(csv_bytes({"value": "lots"}))
    before = snapshot_tree(data_copy)
    result = run_cli("import-metrics", str(src), "--data", str(data_copy))
    assert (result.exit_code, result.stderr) == (2, f"{src}:2: value 'lots' is not a number\n")
    assert snapshot_tree(data_copy) == before


def test_failed_rebuild_removes_the_saved_import(live, tmp_path):
    data, db = live
    with (data / "events.csv").open("a", encoding="utf-8") as fh:
        fh.write("2020-02-30,alipay,product,Bad date,,https://example.test/e,Example\n")
    n_events = len((data / "events.csv").read_text(encoding="utf-8").splitlines())
    src = tmp_path / "good.csv"
    src.write_bytes(csv_bytes({}))
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    result = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr == f"data/events.csv:{n_events}: date '2020-02-30' is not YYYY-MM-DD\n"
    assert snapshot_tree(data) == data_before  # the import was saved, the build failed, so it was taken back
    assert db.read_bytes() == db_before


def test_oversized_file_is_refused_before_reading_it(live, tmp_path):
    data, db = live
    src = tmp_path / "huge.csv"
    with src.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes
    data_before, db_before = snapshot_tree(data), db.read_bytes()
    result = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert (result.exit_code, result.stderr) == (2, f"{src}:1: file is 52,428,800 bytes; the limit is 20,000,000\n")
    assert (snapshot_tree(data), db.read_bytes()) == (data_before, db_before)


def test_the_installed_command_end_to_end(live, tmp_path):
    """The real console script: bad file -> 2, good file -> 0 and saved, same file again -> 0 new rows."""
    data, db = live
    env = {**os.environ, "PAYLENS_DATA": str(data), "PAYLENS_DB": str(db)}
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes(csv_bytes({}, {"period_end": "2031/01/31"}))
    good.write_bytes(csv_bytes({}))

    def paylens(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run([str(PAYLENS), "import-metrics", str(path)], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    data_before, db_before = snapshot_tree(data), db.read_bytes()
    failed = paylens(bad)
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr == f"{bad}:3: period_end '2031/01/31' is not a date (YYYY-MM-DD)\n"
    assert (snapshot_tree(data), db.read_bytes()) == (data_before, db_before)

    added = paylens(good)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added 1 row (0 already present); saved ")
    assert [p.read_bytes() for p in (data / "imports").iterdir()] == [good.read_bytes()]
    assert build_id_of(db) == digest(data)

    data_after = snapshot_tree(data)
    again = paylens(good)
    assert (again.returncode, again.stdout) == (0, "0 new rows (1 already in the store); nothing changed\n")
    assert snapshot_tree(data) == data_after
