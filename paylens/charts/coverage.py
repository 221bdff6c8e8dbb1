"""Coverage heatmap: how many metrics each platform has per year, so gaps show at a glance."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from paylens.charts.layout import empty_figure, finish
from paylens.charts.text import esc, wrap


def coverage_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """Platform x year grid; colour = distinct metrics; hover lists them; blank cells are gaps."""
    if df.empty:
        return empty_figure("No metric values for the selected platforms and dates.")
    years = list(range(int(df["year"].min()), int(df["year"].max()) + 1))
    names = list(dict.fromkeys(df["platform"]))
    grid = df.pivot_table(index="platform", columns="year", values="n_metrics", aggfunc="sum")
    grid = grid.reindex(index=names, columns=years)
    listing = df.assign(text=df["metrics"].map(lambda m: wrap(m, 70))).pivot_table(
        index="platform", columns="year", values="text", aggfunc="first").reindex(index=names, columns=years)
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=[str(y) for y in years], y=[esc(n) for n in names],
        # Any data at all must read as coloured: a blank cell is the only "no data".
        colorscale=[[0, "#c6dbf7"], [1, "#08306b"]], xgap=2, ygap=2, colorbar={"title": "metrics"},
        customdata=listing.astype(object).where(listing.notna(), "no data").values,
        hovertemplate="<b>%{y}</b> · %{x}<br>%{z} metrics<br>%{customdata}<extra></extra>",
    ))
    fig.update_layout(height=max(260, 60 + 38 * len(names)), yaxis={"autorange": "reversed"})
    return finish(fig, title)
