"""Event markers shared by every time-series chart: a thin lane under the plot, never over the data."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from paylens.charts.text import esc, wrap

CATEGORY_SYMBOLS = {
    "regulation": "triangle-down", "touchless_payment": "star", "subsidy": "star-diamond",
    "ai_assistant": "hexagram", "feature_launch": "triangle-up", "social_content": "square",
    "market_structure": "cross", "partnership": "diamond-wide", "cross_border": "hourglass",
}
LANE = "y99"  # a dedicated y axis so event markers never sit on top of values


def events_in_span(events: pd.DataFrame | None, start: object, end: object) -> pd.DataFrame | None:
    """Only the events inside the charted time span (so events do not stretch the x axis)."""
    if events is None or events.empty:
        return events
    day = pd.to_datetime(events["date"])
    return events[(day >= pd.to_datetime(start)) & (day <= pd.to_datetime(end))]


def add_event_markers(fig: go.Figure, events: pd.DataFrame | None) -> go.Figure:
    """Draw events in a lane below the plot with title, date, platform and source on hover."""
    if events is None or events.empty:
        return fig
    traces = []
    for category, ev in events.sort_values("date").groupby("category", sort=True):
        custom = list(zip(
            ev["title"].map(lambda t: wrap(str(t), 60)), ev["date"].astype(str).str[:10], ev["category"],
            ev["platform"].map(esc), ev["source_publisher"].fillna("").map(esc), strict=True,
        ))
        # One trace per category so the legend says what each marker shape means.
        traces.append(dict(
            type="scatter", x=pd.to_datetime(ev["date"]), y=[0] * len(ev), mode="markers", yaxis=LANE,
            name=f"event: {category.replace('_', ' ')}", legendgroup="events",
            marker={"symbol": CATEGORY_SYMBOLS.get(category, "circle"), "size": 10, "opacity": 0.8,
                    "color": "rgba(250,140,22,0.85)", "line": {"width": 1, "color": "#ad4e00"}},
            customdata=custom,
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]} · "
                          "%{customdata[3]}<br>Source: %{customdata[4]}<extra>event</extra>",
        ))
    fig.add_traces(traces)  # one validation pass, not one per category
    fig.update_layout(
        yaxis={"domain": [0.12, 1.0]},
        xaxis={"anchor": "free", "position": 0.0},
        yaxis99={"domain": [0.0, 0.06], "visible": False, "range": [-1, 1], "fixedrange": True},
    )
    return fig
