"""paylens.exports: Excel keeps types and never evaluates text; Parquet round-trips the CSV's rows."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from paylens.csv_export import to_csv_bytes
from paylens.exports import export_bytes, sheet_name, to_parquet_bytes, to_xlsx_bytes


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "platform_id": ["alipay", "wechat_pay", "jd_pay"],
        "platform_zh": ["支付宝", "微信支付", "京东支付"],
        "period_end": pd.to_datetime(["2020-06-30", "2020-06-30", None]),
        "value": [55.39, 38.8, None],
        "n": pd.array([3, 2, None], dtype="Int64"),
        "note": ['=HYPERLINK("http://evil.example","x")', "+1 call", "@sum(A1)"],
    })


def test_xlsx_keeps_types_chinese_and_text_that_looks_like_formulas():
    data = to_xlsx_bytes({"metric_series": frame()}, {"competitors": "alipay, wechat_pay", "build id": "abc"})
    book = load_workbook(io.BytesIO(data))  # formulas would load as "=..." strings with data_type "f"
    rows = book["metric_series"]
    assert [c.value for c in rows[1]] == ["platform_id", "platform_zh", "period_end", "value", "n", "note"]
    assert rows["B2"].value == "支付宝"
    assert isinstance(rows["C2"].value, datetime) and rows["C2"].value.date().isoformat() == "2020-06-30"
    assert rows["D2"].value == pytest.approx(55.39) and rows["D2"].data_type == "n"
    assert rows["C4"].value is None and rows["D4"].value is None
    for cell in ("F2", "F3", "F4"):
        assert rows[cell].data_type == "s", f"{cell} became {rows[cell].data_type}"
    assert rows["F2"].value.startswith("=HYPERLINK(")
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about == {"competitors": "alipay, wechat_pay", "build id": "abc"}


def test_parquet_round_trips_the_csv_rows():
    df = frame().drop(columns=["note"])
    back = pq.read_table(io.BytesIO(to_parquet_bytes(df))).to_pandas()
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    from_csv = list(csv.DictReader(io.StringIO(to_csv_bytes(df).decode("utf-8-sig"))))
    assert [r["platform_id"] for r in from_csv] == list(back["platform_id"])


def test_sheet_names_are_valid_and_unique():
    taken = {"rows"}
    assert sheet_name("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert sheet_name("Rows", taken) == "Rows_2"
    assert len(sheet_name("x" * 40)) == 31


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="csv, xlsx, parquet"):
        export_bytes(frame(), "ods")
