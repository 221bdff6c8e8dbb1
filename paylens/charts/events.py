"""Event markers shared by every time-series chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from paylens.charts.text import esc, wrap

CATEGORY_SYMBOLS = {
    "regulation": "triangle-down", "touchless_payment": "star", "subsidy": "star-diamond",
    "ai_assistant": "hexagram", "feature_launch": "triangle-up", "social_content": "square",
    "market_structure": "cross", "partnership": "diamond-wide", "cross_border": "hourglass",
}


def add_event_markers(fig: go.Figure, events: pd.DataFrame | None) -> go.Figure:
    """Draw events as markers along the x axis with title, date and source on hover."""
    if events is None or events.empty:
        return fig
    ev = events.sort_values("date")
    custom = list(zip(
        ev["title"].map(lambda t: wrap(str(t), 60)), ev["date"].astype(str), ev["category"],
        ev["platform"].map(esc), ev["source_publisher"].fillna("").map(esc), strict=True,
    ))
    fig.add_trace(go.Scatter(
        x=pd.to_datetime(ev["date"]), y=[0] * len(ev), mode="markers", name="Events",
        legendgroup="events", cliponaxis=False,
        marker={"symbol": [CATEGORY_SYMBOLS.get(c, "circle") for c in ev["category"]],
                "size": 11, "color": "rgba(250,140,22,0.9)", "line": {"width": 1, "color": "#ad4e00"}},
        customdata=custom,
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]} · "
                      "%{customdata[3]}<br>Source: %{customdata[4]}<extra>event</extra>",
    ))
    return fig
