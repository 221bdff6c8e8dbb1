"""threat_figure: threatened platform x rival, share with counts, escaped text, one clickable marker per cell."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from paylens.charts.threats import UNNAMED, cell_id, parse_cell, threat_figure


def matrix(rows=None) -> pd.DataFrame:
    rows = rows or [
        ("alipay", "Alipay", "wechat_pay", "WeChat Pay", 7, 32, 10, "2016-11-30", "2026-02-01"),
        ("alipay", "Alipay", "douyin_pay", "Douyin Pay", 1, 32, 1, "2025-02-17", "2025-02-17"),
        ("alipay", "Alipay", "", UNNAMED, 14, 32, 37, "2016-09-27", "2026-02-03"),
        ("wechat_pay", "WeChat Pay", "alipay", "Alipay", 4, 19, 7, "2017-08-02", "2025-09-18"),
    ]
    df = pd.DataFrame(rows, columns=["platform_id", "platform", "rival_id", "rival", "articles", "platform_articles",
                                     "hits", "first_date", "last_date"])
    return df.assign(share=(df["articles"] / df["platform_articles"]).round(4), platform_zh="",
                     first_date=pd.to_datetime(df["first_date"]), last_date=pd.to_datetime(df["last_date"]))


def test_rows_are_threatened_platforms_and_columns_rivals_unnamed_last():
    fig = threat_figure(matrix())
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert [y.split("<br>")[0] for y in heat.y] == ["Alipay", "WeChat Pay"]  # most threatened first
    assert list(heat.x) == ["WeChat Pay", "Alipay", "Douyin Pay", f"<i>{UNNAMED}</i>"]
    assert heat.y[0].endswith("32 art.")
    z = [list(row) for row in heat.z]
    assert z[0][0] == pytest.approx(7 / 32, abs=1e-4) and z[0][1] is None and z[1][1] == pytest.approx(4 / 19,
                                                                                                     abs=1e-4)
    assert heat.text[0][0] == "22%<br>7/32"  # the share with the counts behind it


def test_every_cell_has_a_clickable_marker_carrying_platform_and_rival():
    fig = threat_figure(matrix())
    marks = fig.data[1]
    assert marks.type == "scatter" and marks.marker.opacity == 0
    pairs = [(c[0], c[1]) for c in marks.customdata]
    assert sorted(pairs) == sorted([("alipay", "wechat_pay"), ("alipay", "douyin_pay"), ("alipay", ""),
                                    ("wechat_pay", "alipay")])
    first = dict(zip(pairs, marks.customdata, strict=True))[("alipay", "wechat_pay")]
    assert "7 of 32 articles (22%)" in first[2] and "10 sentences" in first[2] and "2016-11 – 2026-02" in first[2]
    assert fig.layout.clickmode == "event+select"


def test_names_are_escaped():
    rows = [("x", "<b>X</b>", "y", "<script>alert(1)</script>", 1, 2, 1, "2020-01-01", "2020-01-01")]
    fig = threat_figure(matrix(rows))
    blob = fig.to_json()
    assert "<script>" not in blob and "<b>X</b>" not in blob
    assert "&lt;script&gt;" in fig.data[0].x[0]


def test_empty_frame_says_so():
    fig = threat_figure(pd.DataFrame())
    assert isinstance(fig, go.Figure)
    assert "No competitive threats" in fig.layout.annotations[0].text


@pytest.mark.parametrize(("platform", "rival"), [("alipay", "wechat_pay"), ("alipay", "")])
def test_cell_ids_round_trip(platform, rival):
    assert parse_cell(cell_id(platform, rival)) == (platform, rival)


@pytest.mark.parametrize("value", [None, "", "alipay", "alipay:", ":x", "a:b:c"])
def test_bad_cell_values_are_none(value):
    assert parse_cell(value) is None


def trend(rows):
    return pd.DataFrame(rows, columns=["month", "platform_id", "platform", "rival_id", "rival", "articles", "hits"])


def test_trend_stacks_one_bar_per_rival_unnamed_last_and_buckets_long_spans():
    from paylens.charts.threats import threat_trend_figure

    short = trend([("2025-01-01", "alipay", "Alipay", "", UNNAMED, 3, 4),
                   ("2025-01-01", "alipay", "Alipay", "wechat_pay", "WeChat Pay", 1, 1),
                   ("2025-03-01", "alipay", "Alipay", "douyin_pay", "Douyin <Pay>", 2, 5),
                   ("2025-04-01", "alipay", "Alipay", "douyin_pay", "Douyin <Pay>", 1, 1)])
    fig = threat_trend_figure(short, "Who threatens Alipay, per {period}")
    assert [t.name for t in fig.data] == ["Douyin &lt;Pay&gt;", "WeChat Pay", f"{UNNAMED} rival"]
    assert fig.layout.barmode == "stack" and fig.layout.title.text == "Who threatens Alipay, per month"
    assert list(fig.data[0].y) == [2, 1]
    long = trend([("2016-11-01", "alipay", "Alipay", "wechat_pay", "WeChat Pay", 1, 2),
                  ("2016-12-01", "alipay", "Alipay", "wechat_pay", "WeChat Pay", 2, 2),
                  ("2025-09-01", "alipay", "Alipay", "wechat_pay", "WeChat Pay", 3, 3)])
    yearly = threat_trend_figure(long, "{period}")
    assert yearly.layout.title.text == "year" and list(yearly.data[0].y) == [3, 3]


def test_trend_empty_says_so():
    from paylens.charts.threats import threat_trend_figure

    assert "No competitive threats" in threat_trend_figure(trend([])).layout.annotations[0].text


def test_trend_of_one_month_ticks_months_around_its_bar():
    from paylens.charts.threats import threat_trend_figure

    fig = threat_trend_figure(trend([("2026-02-01", "alipay", "Alipay", "wechat_pay", "WeChat Pay", 1, 1)]))
    assert fig.layout.xaxis.dtick == "M1" and fig.layout.xaxis.tickformat == "%b %Y"
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert low < pd.Timestamp("2026-02-01") and high > pd.Timestamp("2026-03-01")
