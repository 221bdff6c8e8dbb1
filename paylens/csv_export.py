"""CSV writing that spreadsheets cannot turn into formulas (OWASP's CSV-injection guidance).

- A text cell that starts with = + - @ TAB or CR, or that holds a separator (, ; TAB CR LF |) followed by one
  of = + - @ (`x;=cmd|' /C calc'!A0`), gets a leading `'`, which spreadsheets read as "this is text".
- A text cell holding a separator the CSV writer would not quote on its own (; TAB |) is written in double
  quotes, so a spreadsheet that splits on that separator keeps it one cell.
- Numbers stay numbers: numeric columns are never touched, and a text cell that is a plain number ("-3.5")
  is left as it is (a spreadsheet reads it as that number, nothing else).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A separator, then blanks or quotes, then a character that opens a formula in the cell it starts.
_FORMULA_AFTER_SEPARATOR = re.compile(r"[,;\t\r\n|][\s\"']*[=+\-@]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Separators pandas' writer leaves unquoted (it quotes , " CR LF itself).
_NEEDS_QUOTES = re.compile(r"[;\t|]")
# Put before a cell to force quotes: its comma makes the writer quote the cell; the pair is removed afterwards.
# NUL never reaches a CSV from the store (sources refuse it), and any NUL in a cell is replaced below.
_FORCE_QUOTES = "\x00,"


def neutralise(text: object) -> object:
    """Prefix a text cell that a spreadsheet would evaluate with a quote; leave others alone."""
    if not isinstance(text, str) or not text or _PLAIN_NUMBER.fullmatch(text):
        return text
    if text.startswith(FORMULA_START) or _FORMULA_AFTER_SEPARATOR.search(text):
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


def _mark_for_quotes(cell: object) -> object:
    if not isinstance(cell, str):
        return cell
    cell = cell.replace("\x00", "\ufffd")
    return _FORCE_QUOTES + cell if _NEEDS_QUOTES.search(cell) else cell


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM so Excel shows Chinese) of the safe frame."""
    frame = safe_frame(df)
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(_mark_for_quotes)
    frame.columns = [_mark_for_quotes(c) for c in frame.columns]
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().replace(_FORCE_QUOTES, "").encode("utf-8-sig")


def deferred_csv(df: pd.DataFrame) -> Callable[[], bytes]:
    """A zero-argument function returning `to_csv_bytes(df)` for the rows df holds now.

    For `st.download_button(data=...)`, which calls it only when the button is clicked. The frame is
    a shallow copy: with pandas' copy-on-write a later change to df by the caller does not reach it.
    """
    frame = df.copy(deep=False)
    return lambda: to_csv_bytes(frame)
