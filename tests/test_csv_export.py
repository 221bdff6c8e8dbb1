"""paylens.csv_export and `paylens export`: no cell a spreadsheet would run, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.csv_export import deferred_csv, neutralise, safe_frame, to_csv_bytes
from paylens.store.build import build
from paylens.store.metrics_csv import COLUMNS


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+12% yoy", "'+12% yoy"),
    ("-3 pts", "'-3 pts"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
    ("Alipay", "Alipay"),
    ("支付宝 +12%", "支付宝 +12%"),
    ("'already quoted", "'already quoted"),
    # OWASP: a separator inside the cell followed by a formula character starts a formula in the next cell
    ("x;=cmd|' /C calc'!A0", "'x;=cmd|' /C calc'!A0"),
    ("x\t=1+1", "'x\t=1+1"),
    ("x\r@SUM(A1)", "'x\r@SUM(A1)"),
    ("x\n+1", "'x\n+1"),
    ("rounded, -3 pts", "'rounded, -3 pts"),
    ("a; \"=1+2", "'a; \"=1+2"),
    ("a|=1", "'a|=1"),
    ("2019-2020", "2019-2020"),
    ("a; b", "a; b"),
    ("-3.5", "-3.5"),
    ("+12", "+12"),
    ("-1e-3", "-1e-3"),
    ("-1+1", "'-1+1"),
    ("", ""),
    (-3.5, -3.5),
    (None, None),
    (date(2020, 1, 1), date(2020, 1, 1)),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "platform_id": ["alipay", "=cmd|' /C calc'!A0"],
        "note": pd.Series(["+12% yoy", None], dtype="string"),
        "kind": pd.Series(["@x", "plain"], dtype="category"),
        "mixed": ["-3 pts", 7.25],
        "value": [-3.5, 1e-7],
        "count": [-2, 3],
        "flag": [True, False],
        "day": [date(2020, 1, 1), date(2021, 2, 3)],
        "+header from a pivot": [1, 2],
    })


def test_safe_frame_touches_only_text():
    out = safe_frame(frame())
    assert list(out["platform_id"]) == ["alipay", "'=cmd|' /C calc'!A0"]
    assert out["note"].iloc[0] == "'+12% yoy" and pd.isna(out["note"].iloc[1])
    assert list(out["kind"]) == ["'@x", "plain"]
    assert list(out["mixed"]) == ["'-3 pts", 7.25]
    assert out["value"].dtype == "float64" and list(out["value"]) == [-3.5, 1e-7]
    assert out["count"].dtype == "int64" and list(out["count"]) == [-2, 3]
    assert list(out.columns)[-1] == "'+header from a pivot"
    assert list(frame()["platform_id"]) == ["alipay", "=cmd|' /C calc'!A0"]  # the input is not modified


def test_csv_bytes_quote_formulas_and_leave_numbers_bare():
    data = to_csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "platform_id,note,kind,mixed,value,count,flag,day,'+header from a pivot"
    assert lines[1] == "alipay,'+12% yoy,'@x,'-3 pts,-3.5,-2,True,2020-01-01,1"
    assert lines[2] == "\"'=cmd|' /C calc'!A0\",,plain,7.25,1e-07,3,False,2021-02-03,2"  # quoted: it holds a |
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not _is_number(cell) for cell in row)


def test_deferred_csv_builds_the_same_bytes_on_call_from_the_rows_as_they_were():
    df = frame()
    make = deferred_csv(df)
    assert callable(make)
    df["platform_id"] = "changed later by the page"  # must not reach the download
    df.loc[0, "value"] = 99.0
    assert make() == to_csv_bytes(frame())
    assert make() == make()  # clicking twice gives the same file


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _import_rows(data: Path, db: Path, tmp_path: Path) -> None:
    rows = [
        {"note": "+12% yoy", "value": "12", "unit": "percent_growth", "period_start": "2031-01-01"},
        {"note": "-3 pts", "value": "-3.25", "unit": "percent_growth", "period_start": "2031-02-01"},
        {"note": "home", "value": "-0.5", "unit": "percent_growth", "period_start": "2031-03-01"},
    ]
    base = {"platform_id": "alipay", "metric": "monthly_active_users", "period": "2031", "period_end": "2031-12-31",
            "source_publisher": "PayLens test", "source_title": "-title", "source_url": "https://example.test/export",
            "source_date": "", "confidence": "approximate"}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({**base, **r} for r in rows)
    src = tmp_path / "export-rows.csv"
    src.write_text(buf.getvalue(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-metrics", str(src), "--data", str(data), "--db", str(db)])
    assert result.exit_code == 0, result.stderr


def test_cli_export_neutralises_text_and_keeps_negative_numbers(data_copy, tmp_path):
    db = tmp_path / "store.duckdb"
    build(settings(data_copy, db))
    _import_rows(data_copy, db, tmp_path)
    args = ["export", "metric_series", "--param", "metric=monthly_active_users", "--param", "competitors=alipay",
            "--param", "from=2031-01-01", "--db", str(db)]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.stderr
    assert not out.stdout.startswith("\ufeff")  # stdout has no BOM
    lines = out.stdout.splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["platform_id", "platform", "platform_zh"]
    got = [dict(zip(header, r, strict=True)) for r in csv.reader(io.StringIO("\n".join(lines[1:])))]
    assert sorted((r["note"], r["value"], r["source_title"]) for r in got) == [
        ("'+12% yoy", "12.0", "'-title"), ("'-3 pts", "-3.25", "'-title"), ("home", "-0.5", "'-title")]
    assert ",-3.25,percent_growth," in out.stdout  # the negative number is bare, not quoted or prefixed

    target = tmp_path / "out.csv"
    to_file = CliRunner().invoke(cli, [*args, "--out", str(target)])
    assert (to_file.exit_code, to_file.stderr) == (0, f"wrote {target}\n")
    assert target.read_bytes() == b"\xef\xbb\xbf" + out.stdout.encode("utf-8")


def test_cli_export_bad_parameter_is_bad_input(fixture_store):
    out = CliRunner().invoke(cli, ["export", "metric_series", "--param", "from=yesterday", "--param", "metric=x",
                                   "--db", str(fixture_store)])
    assert (out.exit_code, out.stdout) == (2, "")
    assert out.stderr == "parameter from='yesterday' is not a date (YYYY-MM-DD)\n"


def _cells(data: bytes, delimiter: str) -> list[str]:
    """Every cell as a quote-aware spreadsheet that splits on `delimiter` would read the file."""
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter) for c in row]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_no_cell_starts_a_formula_whatever_the_separator(delimiter):
    df = pd.DataFrame({"note": ["x;=cmd|' /C calc'!A0", "y\t=HYPERLINK(\"http://evil.example\")", "a|@SUM(1)",
                                "plain; words", "-3.5", "b,-2+3"]})
    for cell in _cells(to_csv_bytes(df), delimiter):
        assert not cell.lstrip(" \"").startswith(("=", "+", "@", "\t", "\r")) or _is_number(cell), cell
        assert not cell.startswith("-") or _is_number(cell), cell


def test_cells_with_semicolons_tabs_or_pipes_are_quoted_and_read_back_unchanged():
    df = pd.DataFrame({"note": ["x;=cmd|' /C calc'!A0", "a\tb", "plain", 'say "hi"; ok', "nul\x00here"],
                       "n": [1, 2, 3, 4, 5]})
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines()[1:4] == ['"\'x;=cmd|\' /C calc\'!A0",1', '"a\tb",2', "plain,3"]
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(back["note"]) == ["'x;=cmd|' /C calc'!A0", "a\tb", "plain", 'say "hi"; ok', "nul\ufffdhere"]
    assert list(back["n"]) == ["1", "2", "3", "4", "5"]
