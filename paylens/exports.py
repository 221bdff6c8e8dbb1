"""Excel and Parquet exports of a chart's rows: the same rows as its CSV, typed, with an About sheet for Excel."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from paylens.csv_export import to_csv_bytes

FORMATS = ("csv", "xlsx", "parquet")
MIME = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SHEET_MAX_ROWS = 1_048_575  # Excel's row limit less the header
_SHEET_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name (31 characters, none of []:*?/\\)."""
    base = (name.translate(_SHEET_BAD) or "rows")[:31]
    out, n = base, 2
    while taken is not None and out.lower() in {t.lower() for t in taken}:
        out = f"{base[:27]}_{n}"
        n += 1
    return out


def _write_rows(workbook, sheet, df: pd.DataFrame) -> None:
    """Header and rows: numbers as numbers, dates as dates, every text cell written as text (never a formula)."""
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for c, name in enumerate(df.columns):
        sheet.write_string(0, c, str(name), bold)
    for c, name in enumerate(df.columns):
        col = df[name]
        is_date = pd.api.types.is_datetime64_any_dtype(col)
        timed = is_date and (col.dropna().dt.normalize() != col.dropna()).any()
        for r, value in enumerate(col.tolist(), start=1):
            if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
                continue
            if is_date:
                sheet.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), stamp if timed else day)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, float(value))
            else:
                sheet.write_string(r, c, str(value))  # "=HYPERLINK(...)" stays text
        sheet.set_column(c, c, min(60, max(10, len(str(name)) + 2)), None)


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame], about: Mapping[str, object]) -> bytes:
    """A workbook with one sheet per frame (in order) and an About sheet (filters, query, link, build, time)."""
    import xlsxwriter

    buf = io.BytesIO()
    # No string is ever turned into a formula, a number or a link: text from articles and sources stays text.
    workbook = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    taken: set[str] = set()
    for name, df in sheets.items():
        title = sheet_name(name, taken)
        taken.add(title)
        frame = df.head(SHEET_MAX_ROWS)
        _write_rows(workbook, workbook.add_worksheet(title), frame)
    info = workbook.add_worksheet(sheet_name("About", taken))
    bold = workbook.add_format({"bold": True})
    info.set_column(0, 0, 18)
    info.set_column(1, 1, 100)
    for r, (key, value) in enumerate(about.items()):
        info.write_string(r, 0, str(key), bold)
        info.write_string(r, 1, "" if value is None else str(value))
    workbook.close()
    return buf.getvalue()


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """The rows as Parquet (types kept; zstd-compressed)."""
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), buf, compression="zstd")
    return buf.getvalue()


def export_bytes(df: pd.DataFrame, fmt: str, about: Mapping[str, object] | None = None,
                 sheet: str = "rows") -> bytes:
    """The rows in one of FORMATS."""
    if fmt == "csv":
        return to_csv_bytes(df)
    if fmt == "xlsx":
        return to_xlsx_bytes({sheet: df}, about or {})
    if fmt == "parquet":
        return to_parquet_bytes(df)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def deferred(df: pd.DataFrame, fmt: str, about: Mapping[str, object] | None = None) -> Callable[[], bytes]:
    """A zero-argument function building the file only when called (a download button's click)."""
    frame = df.copy(deep=False)
    info = dict(about or {})
    return lambda: export_bytes(frame, fmt, info)
