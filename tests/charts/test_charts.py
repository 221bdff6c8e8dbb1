"""Pure chart functions: DataFrame in, Figure out; honest lines, escaped text, empty states."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from paylens.charts.compare import shared_metrics_figure, timeline_figure
from paylens.charts.coverage import coverage_figure
from paylens.charts.events import add_event_markers, events_in_span
from paylens.charts.metrics import gap_breaks, metric_figure
from paylens.charts.palette import colour
from paylens.charts.signals import absent_note, heatmap_figure, profile_figure, trend_figure


def series(rows, firm="Analysys (易观)"):
    base = {"platform": "Alipay", "platform_zh": "支付宝", "metric": "m", "metric_label": "M",
            "research_firm": firm, "source_publisher": "P", "source_title": "T", "source_url": "https://x.test",
            "source_date": "2020", "confidence": "reported", "note": "", "unit": "percent"}
    out = []
    for pid, end, value, *unit in rows:
        d = pd.Timestamp(end)
        out.append({**base, "platform_id": pid, "period": str(d.date()), "period_start": d, "period_end": d,
                    "value": value, "unit": unit[0] if unit else "percent"})
    return pd.DataFrame(out)


QUARTERS = ["2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31", "2017-12-31", "2018-03-31"]


def test_gap_breaks_flags_the_point_after_a_missing_period():
    assert gap_breaks(pd.Series(pd.to_datetime(QUARTERS))) == [False, False, False, False, True, False]


def test_line_never_bridges_a_missing_quarter():
    fig = metric_figure(series([("alipay", q, 50 + i) for i, q in enumerate(QUARTERS)]))
    trace = fig.data[0]
    assert trace.mode == "lines+markers"
    assert list(trace.y).count(None) == 1 and trace.connectgaps is False
    assert [v for v in trace.y if v is not None] == [50, 51, 52, 53, 54, 55]


def test_points_from_different_publishers_are_not_joined():
    fig = metric_figure(series([("alipay", q, 10) for q in QUARTERS[:3]], firm=None))
    assert fig.data[0].mode == "markers"


def test_one_trace_per_platform_in_its_colour_and_one_panel_per_unit():
    df = series([("alipay", "2020-01-01", 1, "billion_cny"), ("alipay", "2021-01-01", 2, "billion_usd"),
                 ("wechat_pay", "2021-01-01", 3, "billion_cny")])
    fig = metric_figure(df)
    data = [t for t in fig.data if t.showlegend is False]
    names = [(t.name, t.line.color, t.yaxis) for t in data]
    assert ("Alipay", colour("alipay"), "y") in names and ("Alipay", colour("alipay"), "y2") in names
    assert len(data) == 3
    legend = [t for t in fig.data if t.showlegend is not False]
    assert sorted(t.legendgroup for t in legend) == ["alipay", "wechat_pay"]
    assert {t.marker.symbol for t in legend} == {"circle"}  # not the first point's confidence shape


def test_hover_text_is_escaped():
    df = series([("alipay", "2020-01-01", 1)])
    df["source_publisher"] = "<script>x</script>"
    fig = metric_figure(df)
    assert "&lt;script&gt;" in fig.data[0].customdata[0][2]
    assert "<script>" not in str(fig.to_plotly_json()["data"])


def test_empty_frames_say_what_is_missing():
    for fig in (metric_figure(series([])), coverage_figure(pd.DataFrame()), heatmap_figure(pd.DataFrame()),
                trend_figure(pd.DataFrame()), profile_figure(pd.DataFrame()),
                shared_metrics_figure(pd.DataFrame()), timeline_figure(pd.DataFrame())):
        assert fig.data == ()
        assert fig.layout.annotations and " no " in f" {fig.layout.annotations[0].text.lower()}"


def events_frame():
    return pd.DataFrame({"date": [date(2015, 1, 1), date(2016, 6, 1), date(2030, 1, 1)],
                         "platform_id": ["alipay"] * 3, "platform": ["Alipay"] * 3,
                         "category": ["regulation", "subsidy", "ai_assistant"],
                         "title": ["A <b>", "B", "C"], "source_publisher": ["X", None, "Z"]})


def test_events_limited_to_the_charted_span_and_drawn_in_their_own_lane():
    ev = events_in_span(events_frame(), "2016-01-01", "2017-01-01")
    assert list(ev["title"]) == ["B"]
    fig = metric_figure(series([("alipay", q, 1) for q in QUARTERS]), events_frame())
    lane = [t for t in fig.data if t.legendgroup == "events"]
    assert [t.name for t in lane] == ["event: subsidy"]
    assert lane[0].yaxis == "y99" and len(lane[0].x) == 1


def test_event_titles_are_escaped():
    fig = add_event_markers(pd.DataFrame().pipe(lambda _: metric_figure(series([("alipay", "2015-01-01", 1)]))),
                            events_frame())
    titles = [cd[0] for t in fig.data if t.legendgroup == "events" for cd in t.customdata]
    assert "A &lt;b&gt;" in titles and not any("<b>" in t for t in titles)


def heat_rows():
    return pd.DataFrame({
        "platform_id": ["alipay", "alipay", "jd_pay"], "platform": ["Alipay", "Alipay", "JD Pay"],
        "platform_zh": ["支付宝", "支付宝", "京东支付"], "signal": ["traffic_focus", "ai_assistant", "traffic_focus"],
        "articles": [3, 1, 2], "platform_articles": [4, 4, 2], "share": [0.75, 0.25, 1.0], "hits": [5, 1, 2],
        "positive": [1, 0, 2], "negative": [3, 1, 0], "neutral": [1, 0, 0], "net_stance": [-0.4, -1.0, 1.0]})


def test_heatmap_modes_and_row_labels_carry_the_denominator():
    share = heatmap_figure(heat_rows(), "share")
    net = heatmap_figure(heat_rows(), "net")
    assert list(share.data[0].x) == ["Alipay<br>4 art.", "JD Pay<br>2 art."]
    assert share.data[0].zmin == 0 and net.data[0].zmin == -1
    assert list(share.data[0].y) == ["AI assistant<br>push", "Traffic chasing"]  # taxonomy order, long names wrap
    assert share.data[0].z[1][1] == 1.0 and pd.isna(share.data[0].z[0][1])  # JD Pay: traffic only
    cells = share.data[-1]  # the clickable cell markers carry the hover text and the ids a click selects
    assert cells.type == "scatter" and "京东支付" in str(cells.customdata)
    assert [list(c[:2]) for c in cells.customdata] == [["ai_assistant", "alipay"], ["ai_assistant", "jd_pay"],
                                                       ["traffic_focus", "alipay"], ["traffic_focus", "jd_pay"]]


def test_heatmap_labels_every_row_and_column():
    fig = heatmap_figure(heat_rows(), "share")
    assert list(fig.layout.xaxis.ticktext) == list(fig.data[0].x)
    assert list(fig.layout.yaxis.ticktext) == list(fig.data[0].y)


def test_net_stance_is_colour_blind_safe_and_pale_on_few_articles():
    fig = heatmap_figure(heat_rows(), "net")
    assert fig.data[0].colorscale[0][1] != fig.data[0].colorscale[-1][1]
    assert "RdYlGn" not in str(fig.data[0].colorscale)
    veil = fig.data[1]
    assert veil.type == "heatmap" and veil.showscale is False
    # Alipay's traffic cell rests on 3 articles, JD Pay's on 2: both washed out, JD Pay's more
    assert 0 < veil.z[1][0] < veil.z[1][1] <= 1


def test_coverage_blank_cells_are_gaps():
    df = pd.DataFrame({"platform_id": ["alipay", "jd_pay"], "platform": ["Alipay", "JD Pay"], "year": [2016, 2019],
                       "n_metrics": [3, 1], "n_values": [5, 1], "metrics": ["a, b, c", "d"]})
    fig = coverage_figure(df)
    assert list(fig.data[0].x) == ["2016", "2017", "2018", "2019"]
    z = fig.data[0].z
    assert z[0][0] == 3 and pd.isna(z[0][1]) and z[1][3] == 1


def test_compare_panels_also_break_lines_at_missing_periods():
    df = series([("alipay", q, 50) for q in QUARTERS] + [("wechat_pay", q, 30) for q in QUARTERS])
    df["platform"] = df["platform_id"]
    df["headline"] = True
    fig = shared_metrics_figure(df)
    assert [list(t.y).count(None) for t in fig.data] == [1, 1]


def shared_frame(n_metrics: int) -> pd.DataFrame:
    """n shared metrics for alipay and wechat_pay, in the query's order (metric, platform, period_end)."""
    parts = []
    for k in range(n_metrics):
        part = series([(pid, q, 10 * k + i) for pid in ("alipay", "wechat_pay") for i, q in enumerate(QUARTERS)])
        part["metric"], part["metric_label"], part["headline"] = f"m{k:02d}", f"M{k}", k == 0
        part["platform"] = part["platform_id"]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def test_compare_builds_traces_only_for_the_charted_metrics(monkeypatch):
    import paylens.charts.compare as compare

    built, real = [], compare.series_props
    monkeypatch.setattr(compare, "series_props",
                        lambda s, *a, **k: built.append(s["metric"].iloc[0]) or real(s, *a, **k))
    fig = compare.shared_metrics_figure(shared_frame(compare.MAX_PANELS + 3))
    charted = [f"m{k:02d}" for k in range(compare.MAX_PANELS)]
    assert compare.charted_metrics(shared_frame(compare.MAX_PANELS + 3)) == charted
    assert sorted(set(built)) == charted and len(built) == 2 * compare.MAX_PANELS
    assert [a.text for a in fig.layout.annotations] == [f"M{k}" for k in range(compare.MAX_PANELS)]
    # Panel k holds metric k's two series, on its own axes, each platform in the legend once.
    assert [(t.xaxis, t.yaxis) for t in fig.data[:4]] == [("x", "y"), ("x", "y"), ("x2", "y2"), ("x2", "y2")]
    assert [t.name for t in fig.data if t.showlegend] == ["alipay", "wechat_pay"]


def test_compare_traces_carry_exactly_the_real_rows():
    df = shared_frame(3)
    df.loc[1, "confidence"] = "approximate"
    df.loc[2, "confidence"] = "secondary"
    fig = shared_metrics_figure(df)
    for trace in fig.data:
        metric = f"m{int(trace.xaxis[1:] or 1) - 1:02d}"
        rows = df[(df["metric"] == metric) & (df["platform_id"] == trace.legendgroup)].sort_values("period_end")
        points = [(x, y) for x, y in zip(trace.x, trace.y, strict=True) if y is not None]
        assert [pd.Timestamp(x) for x, _ in points] == list(rows["period_end"])  # no invented or averaged point
        assert [y for _, y in points] == list(rows["value"])
        assert [x is None for x in trace.x] == [y is None for y in trace.y]  # gaps in x, y and hover alike
        assert [cd is None for cd in trace.customdata] == [y is None for y in trace.y]
    first = fig.data[0]
    assert list(first.marker.symbol[:3]) == ["circle", "circle-open", "diamond"]  # shape shows confidence


def test_compare_hover_is_escaped_and_other_publishers_stay_unjoined():
    df = shared_frame(1)
    df["source_publisher"] = "<img src=x onerror=alert(1)>"
    df["metric_label"] = "<b>M</b>"
    df["research_firm"] = None
    fig = shared_metrics_figure(df)
    assert {t.mode for t in fig.data} == {"markers"}
    assert fig.data[0].customdata[0][2] == "&lt;img src=x onerror=alert(1)&gt;"
    assert fig.layout.annotations[0].text == "&lt;b&gt;M&lt;/b&gt;"
    assert "<img" not in str(fig.to_plotly_json())


def test_finish_moves_a_long_legend_below_the_chart() -> None:
    from paylens.charts.layout import finish

    short = finish(go.Figure([go.Bar(name="Alipay", x=[1], y=[1]), go.Bar(name="WeChat Pay", x=[1], y=[2])]), "t")
    assert short.layout.legend.orientation == "h"
    names = [f"{p} · {s}" for p in ("Alipay", "WeChat Pay") for s in ("negative", "neutral", "positive")]
    long = finish(go.Figure([go.Bar(name=n, x=[1], y=[1]) for n in names]), "t")
    # below the plot, in rows: not over the title, and no column squeezing the plot on a phone
    assert long.layout.legend.orientation == "h" and long.layout.legend.y < 0


def _trend_rows(months: list[str]) -> pd.DataFrame:
    """A signal_trend-shaped frame with one article per month for alipay."""
    return pd.DataFrame({"month": months, "platform_id": "alipay", "platform": "Alipay", "articles": 1, "hits": 1,
                         "positive": 0, "negative": 1, "neutral": 0})


@pytest.mark.parametrize(("months", "period"), [
    (["2024-01-01", "2024-06-01"], "month"),
    (["2022-01-01", "2025-06-01"], "quarter"),
    (["2016-01-01", "2025-06-01"], "year"),
])
def test_trend_title_and_axis_name_the_bucket_drawn(months: list[str], period: str):
    fig = trend_figure(_trend_rows(months), title="Articles per {period} showing the signal")
    assert f"Articles per {period} showing the signal" in fig.layout.title.text
    assert fig.layout.yaxis.title.text == f"articles per {period}"


def kinds_frame() -> pd.DataFrame:
    """A PBoC-like metric: yearly totals and quarterly totals of the same market, one unit."""
    rows = [("2021-01-01", "2021-12-31", 355.46, "year"), ("2022-01-01", "2022-03-31", 84.41, "quarter"),
            ("2022-04-01", "2022-06-30", 78.53, "quarter"), ("2022-01-01", "2022-12-31", 337.87, "year")]
    df = series([("market", end, value) for _start, end, value, _kind in rows])
    return df.assign(period_start=[pd.Timestamp(r[0]) for r in rows], period_kind=[r[3] for r in rows],
                     platform="Market", unit="trillion_cny")


def test_yearly_and_quarterly_values_are_separate_lines():
    fig = metric_figure(kinds_frame())
    data = [t for t in fig.data if t.showlegend is False and t.legendgroup != "events"]
    assert sorted(t.name for t in data) == ["Market · quarterly", "Market · yearly"]
    by_name = {t.name: [v for v in t.y if v is not None] for t in data}
    assert by_name["Market · yearly"] == [355.46, 337.87] and by_name["Market · quarterly"] == [84.41, 78.53]


def test_one_point_gets_a_date_axis_not_milliseconds():
    fig = metric_figure(series([("alipay", "2020-06-29", 5)]))
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickformat == "%Y-%m"
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert high - low > pd.Timedelta(days=300)


def test_profile_is_a_share_of_each_platforms_articles_with_n():
    df = pd.DataFrame({"platform_id": ["alipay", "wechat_pay"], "platform": ["Alipay", "WeChat Pay"],
                       "signal": ["traffic_focus", "traffic_focus"], "articles": [12, 3],
                       "platform_articles": [48, 6], "share": [0.25, 0.5], "hits": [20, 4],
                       "positive": [5, 0], "negative": [10, 4], "neutral": [5, 0]})
    fig = profile_figure(df)
    total = {}
    for t in fig.data:
        total[t.legendgroup] = total.get(t.legendgroup, 0) + t.x[0]
    assert total["alipay"] == pytest.approx(0.25) and total["wechat_pay"] == pytest.approx(0.5)
    assert any("n = 48 articles" in t.name for t in fig.data)
    assert fig.layout.xaxis.tickformat == ".0%"


def test_trend_counts_tick_on_whole_numbers():
    fig = trend_figure(_trend_rows(["2024-01-01", "2024-02-01"]))
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.yaxis.dtick == 1


def test_calendar_series_break_at_every_missing_quarter():
    ends = ["2023-12-31", "2024-03-31", "2025-06-30", "2025-09-30"]
    starts = ["2023-10-01", "2024-01-01", "2025-04-01", "2025-07-01"]
    df = series([("market", e, float(i)) for i, e in enumerate(ends)])
    df = df.assign(period_start=pd.to_datetime(starts), period_kind="quarter")
    trace = metric_figure(df).data[0]
    # 2024-Q2 .. 2025-Q1 are missing: the line stops after 2024-Q1 even though that gap is the series' usual one
    assert list(trace.y) == [0.0, 1.0, None, 2.0, 3.0]


def test_metric_hover_names_the_platform_once_per_trace_escaped():
    df = series([("alipay", "2020-01-01", 1.0), ("alipay", "2021-01-01", 2.0)])
    df["platform"] = "Ali<b>pay</b> %{customdata[0]}"
    df["platform_zh"] = "支付宝"
    fig = metric_figure(df)
    data = next(t for t in fig.data if t.customdata is not None and len(t.customdata) == 2)
    assert data.hovertemplate.startswith("<b>Ali&lt;b&gt;pay&lt;/b&gt; &#37;&#123;customdata[0]&#125;</b> 支付宝<br>")
    assert data.hovertemplate.count("%{customdata[") == 5  # period, value, publisher, date, confidence per point
    assert [cd[0] for cd in data.customdata] == ["2020-01-01", "2021-01-01"]
    assert all("Ali" not in str(cd) for cd in data.customdata)


def test_metric_marker_symbol_is_one_value_when_confidence_is_uniform():
    df = series([("alipay", "2020-01-01", 1.0), ("alipay", "2021-01-01", 2.0), ("alipay", "2022-01-01", 3.0)])
    uniform = next(t for t in metric_figure(df).data if len(t.x) == 3)
    assert uniform.marker.symbol == "circle"
    df.loc[1, "confidence"] = "approximate"
    mixed = next(t for t in metric_figure(df).data if len(t.x) == 3)
    assert list(mixed.marker.symbol) == ["circle", "circle-open", "circle"]


def test_absent_note_names_chosen_platforms_without_a_column():

    heat = pd.DataFrame({"platform_id": ["alipay", "alipay", "wechat_pay"]})
    names = {"alipay": "Alipay", "wechat_pay": "WeChat Pay", "meituan_pay": "Meituan Pay", "jd_pay": "JD Pay"}
    assert absent_note(heat, ["alipay", "wechat_pay"], names) == ""
    one = absent_note(heat, ["alipay", "meituan_pay"], names)
    assert one.startswith("No column for Meituan Pay:") and "gives it a signal" in one
    two = absent_note(heat, ["jd_pay", "alipay", "meituan_pay"], names)
    assert two.startswith("No column for JD Pay and Meituan Pay:") and "gives them" in two
    # nothing at all: the empty chart says so itself, no second message
    assert absent_note(heat.iloc[0:0], ["jd_pay"], names) == ""


@pytest.mark.parametrize("months", [["2026-02-01"], ["2025-03-01", "2026-02-01"]])
def test_monthly_trend_ticks_months_around_few_bars(months: list[str]):
    fig = trend_figure(_trend_rows(months))
    assert fig.layout.xaxis.dtick == "M1" and fig.layout.xaxis.tickformat == "%b %Y"
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert low < pd.Timestamp(months[0]) and high > pd.Timestamp(months[-1]) + pd.offsets.MonthEnd(1)


def test_monthly_trend_over_two_years_keeps_plotlys_axis():
    fig = trend_figure(_trend_rows(["2023-01-01", "2024-12-01"]))
    assert fig.layout.xaxis.range is None and fig.layout.xaxis.dtick is None
