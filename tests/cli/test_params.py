"""`paylens export` and `snapshot` parameters: bad integers, unknown names and thinning are said plainly (exit 2)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.store.build import build
from paylens.store.metrics_csv import COLUMNS

METRIC = "market_share_third_party_mobile_payment_analysys"
LONG = 420  # rows in one generated series: more than the dashboard's max_points default (300)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "0", "ten"])
def test_export_bad_limit_exits_2_with_a_message(runner, fixture_store, value):
    result = runner.invoke(cli, ["export", "signal_evidence", "--param", "signal=x", "--param", f"limit={value}",
                                 "--db", str(fixture_store)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "limit=" in result.stderr and ("out of range" in result.stderr or "not an integer" in result.stderr)
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("param", ["limit=99999999999999999999", "limit=-1", "from=2020-02-30"])
def test_snapshot_bad_value_exits_2_and_writes_nothing(runner, fixture_store, fixture_data, tmp_path, param):
    out = tmp_path / "snap.zip"
    result = runner.invoke(cli, ["snapshot", "--param", param, "--out", str(out),
                                 "--data", str(fixture_data), "--db", str(fixture_store)])
    assert result.exit_code == 2, result.output
    assert param.split("=")[0] in result.stderr
    assert not out.exists()


def test_snapshot_refuses_names_no_query_takes(runner, fixture_store, fixture_data, tmp_path):
    out = tmp_path / "snap.zip"
    result = runner.invoke(cli, ["snapshot", "--param", "competitors=alipay", "--param", "competitor=jd_pay",
                                 "--param", "frm=2020-01-01", "--out", str(out),
                                 "--data", str(fixture_data), "--db", str(fixture_store)])
    assert result.exit_code == 2, result.output
    assert "competitor, frm" in result.stderr and "no snapshot query takes" in result.stderr
    assert "competitors" in result.stderr  # the names it does take are listed
    assert not out.exists()


def test_export_unknown_param_is_an_error(runner, fixture_store):
    result = runner.invoke(cli, ["export", "metric_series", "--param", f"metric={METRIC}", "--param", "limt=5",
                                 "--db", str(fixture_store)])
    assert result.exit_code == 2
    assert "does not take limt" in result.stderr


@pytest.fixture(scope="module")
def long_store(tmp_path_factory, fixture_data) -> Path:
    """The fixture data plus one series of LONG daily rows, built into its own store."""
    import shutil

    root = tmp_path_factory.mktemp("long")
    data = root / "data"
    shutil.copytree(fixture_data, data)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    start = date(2020, 1, 1)
    for i in range(LONG):
        day = (start + timedelta(days=i)).isoformat()
        writer.writerow(["alipay", "monthly_active_users", day, day, day, 900 + i, "million_users", "PayLens test",
                         "Long series", f"https://example.test/long/{i}", "", "approximate", ""])
    (data / "imports").mkdir(exist_ok=True)
    (data / "imports" / "long.csv").write_text(buf.getvalue(), encoding="utf-8")
    db = root / "store" / "paylens.duckdb"
    build(settings(data, db))
    return db


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_metric_series_gives_every_row_by_default(runner, long_store):
    result = runner.invoke(cli, ["export", "metric_series", "--param", "metric=monthly_active_users",
                                 "--param", "competitors=alipay", "--param", "from=2019-12-01",
                                 "--param", "to=2021-12-31", "--db", str(long_store)])
    assert result.exit_code == 0, result.output
    rows = [r for r in _rows(result.stdout) if r["source_publisher"] == "PayLens test"]
    assert len(rows) == LONG
    assert "thinned" not in result.stderr


def test_export_metric_series_thins_only_when_asked_and_says_so(runner, long_store):
    args = ["export", "metric_series", "--param", "metric=monthly_active_users", "--param", "competitors=alipay",
            "--param", "from=2019-12-01", "--param", "to=2021-12-31", "--db", str(long_store)]
    every = _rows(runner.invoke(cli, args).stdout)
    result = runner.invoke(cli, [*args, "--param", "max_points=50"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert len(rows) < LONG
    assert f"thinned to {len(rows):,} of {len(every):,} rows (max_points=50)" in result.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_export_writes_excel_and_parquet_with_the_csvs_rows(runner, fixture_store, tmp_path, fmt):
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    args = ["export", "metric_series", "--param", f"metric={METRIC}", "--db", str(fixture_store)]
    as_csv = runner.invoke(cli, args)
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    out = tmp_path / f"series.{fmt}"
    result = runner.invoke(cli, [*args, "--out", str(out)])  # the format follows the suffix
    assert result.exit_code == 0, result.output
    if fmt == "parquet":
        table = pq.read_table(out)
        assert table.num_rows == len(rows)
        assert table.column("platform_id").to_pylist() == [r["platform_id"] for r in rows]
    else:
        book = load_workbook(out)
        sheet = book["metric_series"]
        assert sheet.max_row - 1 == len(rows)
        about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
        assert about["query"] == "metric_series" and f"metric={METRIC}" in about["parameters"]


def test_binary_formats_need_an_output_file(runner, fixture_store):
    result = runner.invoke(cli, ["export", "metric_series", "--param", f"metric={METRIC}", "--format", "xlsx",
                                 "--db", str(fixture_store)])
    assert result.exit_code == 2 and "--out" in result.stderr and result.stdout == ""
