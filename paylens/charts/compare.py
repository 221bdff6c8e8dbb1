"""Compare charts: small multiples of shared metric series and a shared event timeline."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from paylens.charts.layout import empty_figure, finish
from paylens.charts.metrics import series_trace
from paylens.charts.palette import colour
from paylens.charts.text import esc, wrap
from paylens.units import axis_title

MAX_PANELS = 12


def shared_metrics_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """One panel per shared metric (headline first), both platforms in their colours."""
    if df.empty:
        return empty_figure("No metric series has values for both platforms in these dates.")
    metrics = list(dict.fromkeys(df["metric"]))[:MAX_PANELS]
    labels = df.drop_duplicates("metric").set_index("metric")["metric_label"]
    cols = 2 if len(metrics) > 1 else 1
    rows = math.ceil(len(metrics) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[esc(labels[m]) for m in metrics],
                        vertical_spacing=min(0.12, 0.5 / rows), horizontal_spacing=0.08)
    seen: set[str] = set()
    for i, metric in enumerate(metrics):
        r, c = i // cols + 1, i % cols + 1
        part = df[df["metric"] == metric]
        joined = part["research_firm"].notna().all()
        for pid, series in part.groupby("platform_id", sort=True):
            fig.add_trace(series_trace(series.sort_values("period_end"), joined, pid not in seen, size=7),
                          row=r, col=c)
            seen.add(pid)
        fig.update_yaxes(title_text=axis_title(part["unit"].iloc[0]), row=r, col=c, rangemode="tozero",
                         title_font={"size": 11})
        first, last = pd.to_datetime(part["period_end"]).min(), pd.to_datetime(part["period_end"]).max()
        if last - first < pd.Timedelta(days=120):
            # One date only: give the axis a year around it instead of millisecond ticks.
            fig.update_xaxes(range=[first - pd.Timedelta(days=200), last + pd.Timedelta(days=200)],
                             row=r, col=c)
    fig.update_layout(height=max(360, 300 * rows))
    finish(fig, title)
    # Subplot titles sit where the shared legend would: move the legend above them.
    fig.update_layout(legend={"x": 1.0, "xanchor": "right", "y": 1.0 + 70 / fig.layout.height,
                              "yanchor": "bottom"}, margin={"t": 110})
    return fig


def timeline_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """Events of both platforms (and the market) on one time axis, one lane per platform."""
    if df.empty:
        return empty_figure("No events for either platform in these dates.")
    fig = go.Figure()
    for pid, part in df.groupby("platform_id", sort=True):
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(part["date"]), y=[esc(part["platform"].iloc[0])] * len(part), mode="markers",
            name=esc(part["platform"].iloc[0]), marker={"size": 13, "color": colour(pid), "symbol": "diamond"},
            customdata=list(zip(part["title"].map(lambda t: wrap(str(t), 60)), part["date"].astype(str),
                                part["category"], part["source_publisher"].fillna("").map(esc), strict=True)),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<br>"
                          "Source: %{customdata[3]}<extra></extra>",
        ))
    fig.update_layout(height=140 + 60 * df["platform_id"].nunique(), showlegend=False)
    return finish(fig, title)
