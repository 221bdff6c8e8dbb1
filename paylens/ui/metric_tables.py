"""The Metrics page's tables: how current each series is, and the rows behind the chart (with sources, pivoted)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.charts.tables import metric_rows_table, pivot_table, series_age_lines
from paylens.freshness import series_ages
from paylens.ui.filters import Filters
from paylens.ui.widgets import download_csv, empty_state


def how_current(series: pd.DataFrame) -> None:
    """An expander naming each series' newest period and whether it is stale (age shown, never hidden)."""
    ages = series_ages(series, date.today())
    if ages.empty:
        return
    with st.expander(f"How current: {int(ages['stale'].sum())} of {len(ages)} series stale", expanded=False):
        st.markdown("\n".join(f"- {escape_markdown(line)}" + (" :orange-badge[stale]" if stale else "")
                              for line, stale in series_age_lines(ages)))


def rows_behind(series: pd.DataFrame, f: Filters, metric: str) -> None:
    """The chart's rows with their sources and changes, and a period x platform pivot with its own download."""
    st.subheader("Rows behind the chart")
    if series.empty:
        empty_state("No values for this metric and these platforms.")
        return
    # Only the open tab is built and sent (on_change="rerun" makes the tabs report which one is open): the
    # pivot and its download cost nothing until an analyst asks for them.
    rows_tab, pivot_tab = st.tabs(["Rows with sources", "Pivot: period x platform"], key="metric_tables",
                                  on_change="rerun")
    if rows_tab.open is not False:
        with rows_tab:
            st.caption("Change is against the calendar period right before and the same period a year earlier, of "
                       "the same series only; when that period has no value it is named, never replaced by an older "
                       "one.")
            st.dataframe(metric_rows_table(series), hide_index=True, width="stretch",
                         column_config={"Source": st.column_config.LinkColumn("Source", display_text="open")})
    if pivot_tab.open:
        with pivot_tab:
            pivot = pivot_table(series)
            st.dataframe(pivot, hide_index=True, width="stretch")
            st.caption("Values as published; blank = no value. The sources are in the other tab and below.")
            download_csv(pivot, "metric_pivot", f, metric, key="dl_pivot")
