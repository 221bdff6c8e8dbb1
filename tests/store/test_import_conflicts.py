"""`paylens import-metrics`: a row with a saved natural key but another value is a conflict, not "nothing changed"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.store.build import build
from tests.conftest import snapshot_tree
from tests.store.test_import_metrics import ROW, csv_bytes


@pytest.fixture
def live(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "store" / "paylens.duckdb"
    build(settings(data_copy, db))
    return data_copy, db


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args))


def saved_import(data: Path) -> str:
    (only,) = sorted((data / "imports").glob("*.csv"))
    return "data/imports/" + only.name


def test_a_changed_value_for_a_saved_key_is_a_conflict_naming_both_lines(live, tmp_path):
    data, db = live
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(csv_bytes({}, {"period": "2031-02", "period_start": "2031-02-01", "period_end": "2031-02-28"}))
    assert run_cli("import-metrics", str(first), "--data", str(data), "--db", str(db)).exit_code == 0
    # line 2 repeats line 2 of the first file; line 3 changes the value; line 4 is new
    second.write_bytes(csv_bytes({}, {"period": "2031-02", "period_start": "2031-02-01", "period_end": "2031-02-28",
                                      "value": "1002.5"},
                                 {"period": "2031-03", "period_start": "2031-03-01", "period_end": "2031-03-31"}))
    before, db_before = snapshot_tree(data), db.read_bytes()
    result = run_cli("import-metrics", str(second), "--data", str(data), "--db", str(db))
    assert result.exit_code == 2, result.output
    saved = saved_import(data)
    assert result.stderr == (
        f"{second}:3: conflicts with {saved}:3, which has the same platform_id, metric, period_start, period_end, "
        f"source_url (value 1001 there, 1002.5 here); to replace it, change or remove line 3 of {saved} and "
        "import again (or give this row its own source_url)\n")
    assert result.stdout == ""
    assert (snapshot_tree(data), db.read_bytes()) == (before, db_before)  # the new row on line 4 is not added either


def test_a_conflict_with_the_reference_data_names_metrics_csv(live, tmp_path):
    data, db = live
    header, first = (data / "metrics.csv").read_text(encoding="utf-8").splitlines()[:2]
    cells = first.split(",")
    assert len(cells) == 13, "the first reference row has no quoted commas"
    changed = dict(zip(header.split(","), cells, strict=True))
    changed["value"] = str(float(changed["value"]) + 1)
    src = tmp_path / "c.csv"
    src.write_bytes(csv_bytes({**ROW, **changed}))
    result = run_cli("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{src}:2: conflicts with data/metrics.csv:2, which has the same ")
    assert "change or remove line 2 of data/metrics.csv" in result.stderr


def test_a_changed_unit_is_a_conflict_but_a_changed_note_is_not(live, tmp_path):
    data, db = live
    first, unit, note = tmp_path / "a.csv", tmp_path / "u.csv", tmp_path / "n.csv"
    first.write_bytes(csv_bytes({}))
    assert run_cli("import-metrics", str(first), "--data", str(data), "--db", str(db)).exit_code == 0
    unit.write_bytes(csv_bytes({"unit": "million_accounts"}))
    result = run_cli("import-metrics", str(unit), "--data", str(data), "--db", str(db))
    assert result.exit_code == 2 and "(unit 'million_users' there, 'million_accounts' here)" in result.stderr
    note.write_bytes(csv_bytes({"note": "reworded"}))
    result = run_cli("import-metrics", str(note), "--data", str(data), "--db", str(db))
    assert (result.exit_code, result.stdout) == (0, "0 new rows (1 already in the store); nothing changed\n")
