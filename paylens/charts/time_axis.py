"""Date axes that stay readable when a chart holds one point or a few bars (Plotly zooms to milliseconds)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


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


PERIOD_DAYS = {"month": 30.4, "quarter": 91.3, "year": 365.2}  # a bucket's length, for bar widths
DAY_MS = 86_400_000  # Plotly measures widths on a date axis in milliseconds


def widen_lone_bars(fig: go.Figure, period_ms: float, stacked: bool = False) -> None:
    """Give the bars of a single period their width: Plotly sizes date bars from the gap between x values, and
    with one x it draws a sliver a millisecond wide. Grouped bars are laid side by side by hand, 80% of the period.
    """
    bars = [t for t in fig.data if t.type == "bar"]
    xs = {pd.Timestamp(x) for t in bars for x in (t.x if t.x is not None else ())}
    if len(xs) != 1:
        return
    span = 0.8 * period_ms
    if stacked:
        for t in bars:
            t.update(width=span)
        return
    width = span / len(bars)
    for i, t in enumerate(bars):
        t.update(width=width, offset=-span / 2 + i * width)


def fit_bucket_axis(fig: go.Figure, label: str, buckets: pd.Series, stacked: bool = False) -> None:
    """The date axis of bars bucketed by month, quarter or year: months ticked over a year or less, and lone bars
    given their bucket's width."""
    if label == "month":
        fig.update_xaxes(**month_axis(buckets))
    widen_lone_bars(fig, PERIOD_DAYS[label] * DAY_MS, stacked=stacked)
