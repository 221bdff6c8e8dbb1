"""Date axes that stay readable when a chart holds one point or a few bars (Plotly zooms to milliseconds)."""

from __future__ import annotations

import pandas as pd


def date_axis(ends: pd.Series) -> dict:
    """A date axis; a year around the data when it spans under four months (no millisecond ticks for one point)."""
    first, last = pd.Timestamp(ends.min()), pd.Timestamp(ends.max())
    if last - first < pd.Timedelta(days=120):
        return {"type": "date", "range": [first - pd.Timedelta(days=200), last + pd.Timedelta(days=200)],
                "tickformat": "%Y-%m"}
    return {"type": "date"}


def month_axis(months: pd.Series) -> dict:
    """Monthly bars over a year or less: one tick per month and a month of margin either side.

    Left to itself, Plotly zooms onto a single bar and labels its edges in fractions of a second.
    """
    first, last = pd.Timestamp(months.min()), pd.Timestamp(months.max())
    if (last.year - first.year) * 12 + last.month - first.month > 12:
        return {}
    return {"type": "date", "range": [first - pd.DateOffset(months=1), last + pd.DateOffset(months=2)],
            "dtick": "M1", "tickformat": "%b %Y"}
