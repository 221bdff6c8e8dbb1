"""Signals against a metric on one time axis: the metric as a line, each signal's share of articles as bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from paylens.charts.events import add_event_markers, events_in_span
from paylens.charts.layout import empty_figure, finish
from paylens.charts.palette import colour
from paylens.charts.signals import signal_label
from paylens.charts.text import esc
from paylens.charts.time_axis import DAY_MS, date_axis, widen_lone_bars
from paylens.units import axis_title

SIGNAL_COLOURS = ("#8c6bb1", "#e6550d", "#31a354", "#3182bd", "#de2d26")


def impact_figure(df: pd.DataFrame, events: pd.DataFrame | None = None, title: str = "") -> go.Figure:
    """Metric line (left axis, gaps where a period has no value) and signal shares as bars (right axis).

    Bars carry [signal, period_start, period_end] so a click selects that period's sentences.
    """
    if df.empty:
        return empty_figure("No calendar series (year, half, quarter or month) for this platform and metric.")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    metric = df.drop_duplicates("period_start").sort_values("period_start")
    middle = metric["period_start"] + (metric["period_end"] - metric["period_start"]) / 2
    for i, (signal, part) in enumerate(df.groupby("signal", sort=False)):
        part = part.sort_values("period_start")
        fig.add_trace(go.Bar(
            x=part["period_start"] + (part["period_end"] - part["period_start"]) / 2, y=part["share"],
            name=f"{esc(signal_label(signal))} (share of articles)",
            marker_color=SIGNAL_COLOURS[i % len(SIGNAL_COLOURS)], opacity=0.55,
            customdata=list(zip([signal] * len(part), part["period_start"].dt.strftime("%Y-%m-%d"),
                                part["period_end"].dt.strftime("%Y-%m-%d"), part["period"],
                                part["signal_articles"], part["platform_articles"], strict=True)),
            hovertemplate="%{customdata[3]}: %{y:.0%} of articles (%{customdata[4]} of %{customdata[5]})"
                          "<br><i>click for the sentences</i><extra>%{fullData.name}</extra>",
        ), secondary_y=True)
    pid = str(df["platform_id"].iloc[0])
    unit = metric["unit"].dropna()
    fig.add_trace(go.Scatter(
        x=middle, y=metric["value"], mode="lines+markers", connectgaps=False,
        name=esc(f"{metric['platform'].iloc[0]} · {metric['metric_label'].iloc[0]}"),
        line={"color": colour(pid), "width": 2.5}, marker={"size": 8, "color": colour(pid)},
        customdata=list(zip(metric["period"], metric["source_publisher"].fillna("").map(esc), strict=True)),
        hovertemplate="%{customdata[0]}: <b>%{y}</b><br>Source: %{customdata[1]}<extra></extra>",
    ), secondary_y=False)
    add_event_markers(fig, events_in_span(events, metric["period_start"].min(), metric["period_end"].max()))
    fig.update_yaxes(title_text=axis_title(unit.iloc[0]) if len(unit) else "value", secondary_y=False,
                     rangemode="tozero")
    fig.update_yaxes(title_text="share of the platform's articles", tickformat=".0%", range=[0, 1.05],
                     tickvals=[0, 0.25, 0.5, 0.75, 1], secondary_y=True, showgrid=False)
    fig.update_layout(height=480, barmode="group", bargap=0.2, clickmode="event+select")
    fig.update_xaxes(**date_axis(middle))
    one = metric.iloc[0]
    widen_lone_bars(fig, (one["period_end"] - one["period_start"]).total_seconds() * 1000 + DAY_MS)
    return finish(fig, title)
