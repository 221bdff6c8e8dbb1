"""Compare charts: small multiples of shared metric series and a shared event timeline."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from paylens.charts.layout import empty_figure, finish
from paylens.charts.metrics import KIND_DASH, KIND_WORDS, series_props
from paylens.charts.palette import colour
from paylens.charts.text import esc, wrap
from paylens.units import axis_title

MAX_PANELS = 12
TITLE_CHARS = 24


def charted_metrics(df: pd.DataFrame) -> list[str]:
    """The metrics that get a panel: the first MAX_PANELS in the query's order (headline first)."""
    return list(df["metric"].unique()[:MAX_PANELS])


def _axis(n: int) -> str:
    """Plotly's suffix for the n-th subplot's axes ("" for the first, "2", "3", ...)."""
    return "" if n == 1 else str(n)


def shared_metrics_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """One panel per shared metric (headline first), both platforms in their colours.

    Only the charted metrics' rows are touched: the query may return many more series (all of them go
    to the CSV), but the figure slices out its MAX_PANELS metrics once and builds nothing for the rest.
    """
    if df.empty:
        return empty_figure("No metric series has values for both platforms in these dates.")
    metrics = charted_metrics(df)
    charted = df[df["metric"].isin(metrics)]
    parts = dict(tuple(charted.groupby("metric", sort=False)))
    labels = {m: parts[m]["metric_label"].iloc[0] for m in metrics}
    cols = 2 if len(metrics) > 1 else 1
    rows = math.ceil(len(metrics) / cols)
    # Titles wrapped short: two panels side by side on a 390 px phone leave each about 170 px.
    titles = ["<br>".join(esc(line) for line in textwrap.wrap(labels[m], TITLE_CHARS)) for m in metrics]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles,
                        vertical_spacing=min(0.12, 0.5 / rows), horizontal_spacing=0.08)
    traces: list[dict] = []
    axes: dict[str, dict] = {}
    seen: set[str] = set()
    for i, metric in enumerate(metrics):
        # Panel i sits at row i // cols, column i % cols; make_subplots numbers its axes row by row.
        n = _axis(i + 1)
        part = parts[metric]
        joined = part["research_firm"].notna().all()
        kinds = part["period_kind"] if "period_kind" in part.columns else pd.Series("", index=part.index)
        several_kinds = kinds.nunique() > 1
        for (pid, kind), series in part.assign(period_kind=kinds.fillna("")).groupby(["platform_id", "period_kind"],
                                                                                      sort=True):
            # yearly and quarterly values of one series are separate lines, never one zig-zag
            props = series_props(series.sort_values("period_end"), joined, pid not in seen, size=7)
            if several_kinds:
                props["line"] = {**props["line"], "dash": KIND_DASH.get(kind, "solid")}
                props["name"] = f"{props['name']} · {KIND_WORDS.get(kind, kind)}"
                props["showlegend"] = True
                props["legendgroup"] = f"{pid}|{kind}"
            traces.append({**props, "xaxis": f"x{n}", "yaxis": f"y{n}"})
            seen.add(pid)
        axes[f"yaxis{n}"] = {"title": {"text": axis_title(part["unit"].iloc[0]), "font": {"size": 11}},
                             "rangemode": "tozero"}
        ends = part["period_end"]
        first, last = pd.Timestamp(ends.min()), pd.Timestamp(ends.max())
        if last - first < pd.Timedelta(days=120):
            # One date only: give the axis a year around it instead of millisecond ticks.
            axes[f"xaxis{n}"] = {"range": [first - pd.Timedelta(days=200), last + pd.Timedelta(days=200)]}
    fig.add_traces(traces)  # one validation pass for all traces, not one per add_trace
    fig.update_layout(axes, height=max(360, 300 * rows))
    fig.update_annotations(font={"size": 11})
    finish(fig, title)
    # Subplot titles sit where a top legend would: the shared legend goes below the panels.
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -40 / fig.layout.height,
                              "yanchor": "top"}, margin={"t": 110, "b": 60})
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
