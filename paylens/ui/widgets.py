"""Widgets every chart shares: Download CSV, sources expander, safe error display."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.csv_export import deferred_csv
from paylens.ui.filters import Filters

SOURCE_COLUMNS = {"source_url": "url", "url": "url"}


def file_name(stem: str, f: Filters, extra: str = "") -> str:
    """`paylens_metric_series_alipay-jd_pay_2019-01-01_2025-12-31.csv`: the filters in the name."""
    name = f"paylens_{stem}_{extra + '_' if extra else ''}{f.slug()}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:180] + ".csv"


def download_csv(df: pd.DataFrame, stem: str, f: Filters, extra: str = "", key: str | None = None,
                 help: str | None = None) -> None:
    """A Download CSV button with exactly these rows (formula-safe), written only when it is clicked.

    The CSV is built by `deferred_csv` on click (not on every rerun); clicking does not rerun the page.
    """
    st.download_button("Download CSV", data=deferred_csv(df), file_name=file_name(stem, f, extra),
                       mime="text/csv", key=key or f"dl_{stem}_{extra}", icon=":material/download:",
                       on_click="ignore", disabled=df.empty,
                       help=help or f"{len(df):,} rows, the ones behind this chart")


def sources(df: pd.DataFrame, key: str) -> None:
    """An expander listing the distinct sources behind a chart as links."""
    url_col = "source_url" if "source_url" in df.columns else "url" if "url" in df.columns else None
    if url_col is None or df.empty:
        return
    pub_col = "source_publisher" if "source_publisher" in df.columns else "publisher"
    title_col = "source_title" if "source_title" in df.columns else "title"
    cols = [c for c in (pub_col, title_col, url_col) if c in df.columns]
    table = df[cols].dropna(subset=[url_col]).drop_duplicates().sort_values(cols[0])
    with st.expander(f"Sources ({len(table)})"):
        st.dataframe(table, hide_index=True, width="stretch", key=key,
                     column_config={url_col: st.column_config.LinkColumn("Link"),
                                    pub_col: "Publisher", title_col: "Title"})


def chart(fig: go.Figure, key: str) -> None:
    """Render a figure full width."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def show_error(exc: Exception | str) -> None:
    """An error box whose text is escaped: messages quote file names, URLs and uploads (alerts render Markdown)."""
    st.error(escape_markdown(str(exc)), icon=":material/error:")


def empty_state(message: str) -> None:
    """Say what is missing instead of drawing an empty chart."""
    st.info(message, icon=":material/info:")


def events_for(f: Filters) -> pd.DataFrame | None:
    """Events to mark on time-series charts, or None when the sidebar toggle is off."""
    from paylens.ui.store import run

    return run("events", f.event_params()) if f.show_events else None


def clicked_cell(key: str) -> tuple[str, str] | None:
    """(signal id, platform id) of the heatmap cell last clicked in the chart with this key, if any.

    The heatmap's invisible cell markers carry [signal, platform_id, ...] as customdata.
    """
    event = st.session_state.get(key)
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        points = getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple) and len(data) >= 2:
            return str(data[0]), str(data[1])
    return None
