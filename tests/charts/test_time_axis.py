"""paylens.charts.time_axis: short spans get a padded, readable date axis; long ones are left to Plotly."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from paylens.charts.time_axis import DAY_MS, date_axis, month_axis, widen_lone_bars


def test_date_axis_pads_a_short_span_and_leaves_a_long_one():
    short = date_axis(pd.Series(pd.to_datetime(["2026-02-01", "2026-03-01"])))
    low, high = (pd.Timestamp(v) for v in short["range"])
    assert (low, high) == (pd.Timestamp("2025-07-16"), pd.Timestamp("2026-09-17"))
    assert date_axis(pd.Series(pd.to_datetime(["2025-01-01", "2026-01-01"]))) == {"type": "date"}


def test_month_axis_is_monthly_up_to_a_year_apart():
    axis = month_axis(pd.Series(pd.to_datetime(["2025-02-01", "2026-02-01"])))
    assert axis["dtick"] == "M1" and axis["range"] == [pd.Timestamp("2025-01-01"), pd.Timestamp("2026-04-01")]
    assert month_axis(pd.Series(pd.to_datetime(["2025-01-01", "2026-02-01"]))) == {}


def _bars(n: int, x: str) -> go.Figure:
    return go.Figure([go.Bar(x=[pd.Timestamp(x)], y=[1]) for _ in range(n)])


def test_lone_bars_get_most_of_their_period_side_by_side():
    month = 30.4 * DAY_MS
    grouped = _bars(2, "2026-02-01")
    widen_lone_bars(grouped, month)
    assert [t.width for t in grouped.data] == [0.4 * month, 0.4 * month]
    assert [t.offset for t in grouped.data] == [-0.4 * month, 0.0]
    stacked = _bars(3, "2026-02-01")
    widen_lone_bars(stacked, month, stacked=True)
    assert {t.width for t in stacked.data} == {0.8 * month} and {t.offset for t in stacked.data} == {None}


def test_bars_over_several_periods_keep_plotlys_widths():
    fig = go.Figure([go.Bar(x=[pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")], y=[1, 2])])
    widen_lone_bars(fig, 30.4 * DAY_MS)
    assert fig.data[0].width is None
