"""paylens.impact: aligned periods, lagged rank correlations only between real periods, plain verdicts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from paylens.charts.impact import impact_figure
from paylens.impact import aligned_table, lagged_correlations, spearman, verdict


def periods(values: list[float | None], shares: list[float | None], signal: str = "touchless_subsidy"):
    starts = pd.date_range("2020-01-01", periods=len(values), freq="QS")
    return pd.DataFrame({
        "platform_id": "alipay", "platform": "Alipay", "metric": "m", "metric_label": "Share (iResearch)",
        "period": [f"{d.year}-Q{d.quarter}" for d in starts], "period_kind": "quarter", "period_start": starts,
        "period_end": starts + pd.offsets.QuarterEnd(0), "value": values, "unit": "percent",
        "source_publisher": "P", "source_url": "https://x.test", "confidence": "reported", "signal": signal,
        "signal_articles": [0 if s is None else round(s * 10) for s in shares],
        "platform_articles": [0 if s is None else 10 for s in shares], "share": shares})


def test_spearman_matches_hand_computed_ranks():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # ranks x 1,2,3,4 / y 2,1,4,3: d^2 = 1+1+1+1 = 4; rho = 1 - 6*4/(4*15) = 0.6
    assert spearman([1, 2, 3, 4], [2, 1, 4, 3]) == pytest.approx(0.6)
    assert math.isnan(spearman([1, 1, 1], [1, 2, 3]))


def test_lag_pairs_only_real_periods_and_reports_n():
    values = [50, 51, None, 53, 54, 55, 56, 57, 58, 59]
    shares = [0.1, None, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    corr = lagged_correlations(periods(values, shares), "touchless_subsidy", lags=range(0, 2), min_pairs=5)
    lag0 = corr.set_index("lag").loc[0]
    # t=1 has no share and t=2 no value: 8 of 10 periods pair at lag 0, never filled in
    assert lag0["n"] == 8 and lag0["rho"] == pytest.approx(1.0)
    lag1 = corr.set_index("lag").loc[1]
    # share at t with value at t+1: pairs (0,1) (3,4) ... (8,9); (2,3) pairs too; t=1 (no share) does not
    assert lag1["n"] == 8


def test_too_few_periods_are_said_plainly_and_no_number_is_given():
    corr = lagged_correlations(periods([50, 51, 52], [0.1, 0.2, 0.3]), "touchless_subsidy")
    assert corr["rho"].isna().all()
    assert verdict(corr).startswith("Too few periods to say anything")


def test_aligned_table_names_missing_periods():
    table = aligned_table(periods([50, None], [0.2, None]), {"touchless_subsidy": "Touchless"})
    assert list(table["Value"]) == ["50 percent", "no value for 2020-Q2"]
    assert list(table["Touchless"]) == ["20% (2 of 10)", "no articles"]


def test_figure_line_breaks_at_a_missing_value_and_bars_carry_the_period():
    fig = impact_figure(periods([50, None, 52], [0.2, 0.3, 0.4]))
    line = next(t for t in fig.data if t.type == "scatter" and t.mode == "lines+markers")
    assert pd.isna(list(line.y)[1]) and line.connectgaps is False  # NaN is drawn as a gap (null in JSON)
    bars = next(t for t in fig.data if t.type == "bar")
    assert [c[3] for c in bars.customdata] == ["2020-Q1", "2020-Q2", "2020-Q3"]
    assert bars.customdata[0][0] == "touchless_subsidy" and bars.customdata[0][1] == "2020-01-01"


def test_one_period_gets_a_date_axis_around_it_not_milliseconds():
    fig = impact_figure(periods([50], [0.2]))
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickformat == "%Y-%m"
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert low < pd.Timestamp("2020-01-01") and high > pd.Timestamp("2020-03-31")
    many = impact_figure(periods([50, 51, 52, 53], [0.2, 0.3, 0.4, 0.5]))
    assert many.layout.xaxis.type == "date" and many.layout.xaxis.range is None
