"""paylens.charts.time_axis: short spans get a padded, readable date axis; long ones are left to Plotly."""

from __future__ import annotations

import pandas as pd

from paylens.charts.time_axis import date_axis, month_axis


def test_date_axis_pads_a_short_span_and_leaves_a_long_one():
    short = date_axis(pd.Series(pd.to_datetime(["2026-02-01", "2026-03-01"])))
    low, high = (pd.Timestamp(v) for v in short["range"])
    assert (low, high) == (pd.Timestamp("2025-07-16"), pd.Timestamp("2026-09-17"))
    assert date_axis(pd.Series(pd.to_datetime(["2025-01-01", "2026-01-01"]))) == {"type": "date"}


def test_month_axis_is_monthly_up_to_a_year_apart():
    axis = month_axis(pd.Series(pd.to_datetime(["2025-02-01", "2026-02-01"])))
    assert axis["dtick"] == "M1" and axis["range"] == [pd.Timestamp("2025-01-01"), pd.Timestamp("2026-04-01")]
    assert month_axis(pd.Series(pd.to_datetime(["2025-01-01", "2026-02-01"]))) == {}
