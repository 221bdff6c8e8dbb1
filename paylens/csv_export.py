"""CSV writing that spreadsheets cannot turn into formulas."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: object) -> object:
    """Prefix a text cell that a spreadsheet would evaluate with a quote; leave others alone."""
    if isinstance(text, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of df with text cells and header names neutralised; numeric and date columns untouched."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    # Headers can come from data too (a pivot by metric or platform), so they get the same treatment.
    out.columns = [neutralise(c) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM so Excel shows Chinese) of the safe frame."""
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8-sig")


def deferred_csv(df: pd.DataFrame) -> Callable[[], bytes]:
    """A zero-argument function returning `to_csv_bytes(df)` for the rows df holds now.

    For `st.download_button(data=...)`, which calls it only when the button is clicked. The frame is
    a shallow copy: with pandas' copy-on-write a later change to df by the caller does not reach it.
    """
    frame = df.copy(deep=False)
    return lambda: to_csv_bytes(frame)
