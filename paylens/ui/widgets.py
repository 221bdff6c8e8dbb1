"""Widgets every chart shares: Download CSV, sources expander, safe error display."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.csv_export import to_csv_bytes
from paylens.errors import PaylensError
from paylens.exports import MIME, export_bytes, to_xlsx_bytes
from paylens.ui.filters import Filters
from paylens.ui.store import deferred_run


def file_name(stem: str, f: Filters, extra: str = "", ext: str = "csv") -> str:
    """`paylens_metric_series_alipay-jd_pay_2019-01-01_2025-12-31.csv`: the filters in the name."""
    name = f"paylens_{stem}_{extra + '_' if extra else ''}{f.slug()}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:180] + "." + ext


def about(stem: str, f: Filters, extra: str = "") -> dict[str, object]:
    """What an exported workbook's About sheet records: what the rows are, for which view, from which store."""
    from paylens.ui.store import current_build_id

    try:
        build = current_build_id()
    except PaylensError:
        build = "unknown (no store)"
    return {"rows of": stem + (f" ({extra})" if extra else ""), "competitors": ", ".join(f.competitors) or "all",
            "from": f.date_from.isoformat(), "to": f.date_to.isoformat(),
            "event categories": ", ".join(f.event_categories) or "all",
            "restore link": st.context.url or "", "build id": build}


def _stamped(info: dict[str, object]) -> dict[str, object]:
    return {**info, "created at (UTC)": datetime.now(UTC).isoformat(timespec="seconds")}


def download_csv(df: pd.DataFrame, stem: str, f: Filters, extra: str = "", key: str | None = None,
                 help: str | None = None) -> None:
    """Download CSV, Excel and Parquet buttons with exactly these rows, each file written only when clicked.

    The CSV is formula-safe (`to_csv_bytes`); the workbook writes text as text and adds an About sheet; clicking
    does not rerun the page.
    """
    frame = df.copy(deep=False)
    _download_buttons(lambda: frame, len(df), stem, f, extra, key, help)


def download_query(name: str, params: Mapping[str, object], rows: int, stem: str, f: Filters, extra: str = "",
                   key: str | None = None, help: str | None = None) -> None:
    """`download_csv` for rows the page does not hold (every page of a paged list): the named query runs when a
    button is clicked, not on every rerun; `rows` is how many it gives (for the tooltip)."""
    _download_buttons(deferred_run(name, params), rows, stem, f, extra, key, help)


def _download_buttons(rows_of: Callable[[], pd.DataFrame], rows: int, stem: str, f: Filters, extra: str,
                      key: str | None, help: str | None) -> None:
    key = key or f"dl_{stem}_{extra}"
    tip = help or f"{rows:,} rows, the ones behind this chart"
    info = about(stem, f, extra)
    with st.container(horizontal=True, gap="small"):
        st.download_button("Download CSV", data=lambda: to_csv_bytes(rows_of()), file_name=file_name(stem, f, extra),
                           mime="text/csv", key=key, icon=":material/download:", on_click="ignore",
                           disabled=not rows, help=tip)
        st.download_button("Excel", data=lambda: to_xlsx_bytes({stem: rows_of()}, _stamped(info)),
                           file_name=file_name(stem, f, extra, "xlsx"), mime=MIME["xlsx"], key=f"{key}_xlsx",
                           on_click="ignore", disabled=not rows, type="tertiary",
                           help=tip + "; with an About sheet (filters, link, build)")
        st.download_button("Parquet", data=lambda: export_bytes(rows_of(), "parquet"),
                           file_name=file_name(stem, f, extra, "parquet"), mime=MIME["parquet"],
                           key=f"{key}_parquet", on_click="ignore", disabled=not rows, type="tertiary", help=tip)


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


def chart(fig: go.Figure, key: str, selectable: bool = False) -> None:
    """Render a figure full width; a selectable one reruns the page when a point is clicked."""
    if selectable:
        st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False}, on_select="rerun",
                        selection_mode="points")
    else:
        st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def open_expander(label: str, key: str, expanded: bool = False):
    """An expander whose content is built only while it is open: the container when open, else None.

    on_change="rerun" makes Streamlit report `.open`; opening it reruns the page once. Closed, nothing inside
    is computed or sent (no work for hidden content).
    """
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    return box if box.open else None


def chart_selection(key: str) -> list | None:
    """The customdata of the point last clicked in the selectable chart with this key (None if none)."""
    event = st.session_state.get(key)
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        points = getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple) and data:
            return list(data)
    return None


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
    data = chart_selection(key)
    return (str(data[0]), str(data[1])) if data and len(data) >= 2 else None
