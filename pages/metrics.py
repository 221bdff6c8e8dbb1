"""Metrics: one metric over time per platform, with provenance on hover and in the table."""

from datetime import date

import streamlit as st

from paylens.article_view import escape_markdown
from paylens.charts.metrics import metric_figure
from paylens.charts.tables import metric_option_label, metric_rows_table, pivot_table, series_age_lines
from paylens.freshness import series_ages
from paylens.ui.filters import platform_names, sync_url, url_choice, url_multichoice
from paylens.ui.frame import page_filters
from paylens.ui.store import chart_rows, figure, run
from paylens.ui.widgets import chart, download_csv, empty_state, events_for, sources
from paylens.url_state import DEFAULT_VIEW

f = page_filters()
names = platform_names()
st.title("Metrics")

catalogue = run("metric_catalogue", f.params())
if catalogue.empty:
    empty_state("No metric has values for the selected competitors and dates.")
    sync_url(f)
    st.stop()

labels = {row["metric"]: metric_option_label(row) for _, row in catalogue.iterrows()}
default = DEFAULT_VIEW["metric"]
metric = url_choice("Metric", "metric", list(catalogue["metric"]), default if default in labels else None,
                    format_func=lambda m: labels.get(m, m),
                    help="Grouped by family, research firm in brackets, then the years covered and the number of "
                         "values. Type to search.")
info = catalogue.set_index("metric").loc[metric]
family = catalogue[(catalogue["family"] == info["family"]) & (catalogue["metric"] != metric)]["metric"].tolist()
extra = url_multichoice("Beside it: more series of the same family", "with", family,
                        format_func=lambda m: labels.get(m, m), disabled=not family,
                        help="Each stays its own line (e.g. Analysys and iResearch shares side by side), "
                             "never spliced into one.")
st.caption(f"{info['description']} Unit: {info['unit']}. {info['n_values']} values.")

view = {**f.url_params(), "metric": metric, "with": ",".join(extra)}
series = chart_rows("metric_series", view)
title = info["label"] if not extra else f"{info['family']}: {len(extra) + 1} series"
chart(figure(metric_figure, series, events_for(f), title), "metric_chart")
if series["research_firm"].isna().any():
    st.caption("Points come from different publishers, so they are not joined into a line.")
missing = [names[p] for p in f.competitors if p not in set(series["platform_id"])]
if missing:
    st.caption(f"No values in this series for: {', '.join(missing)}.")
st.caption("Marker: ● reported · ◆ secondary · ○ approximate. Lines of different period lengths (yearly, quarterly, "
           "...) are drawn apart. Hover for source and confidence.")
ages = series_ages(series, date.today())
if not ages.empty:
    with st.expander(f"How current: {int(ages['stale'].sum())} of {len(ages)} series stale", expanded=False):
        st.markdown("\n".join(f"- {escape_markdown(line)}" + (" :orange-badge[stale]" if stale else "")
                              for line, stale in series_age_lines(ages)))
download_csv(series, "metric_series", f, metric)

st.subheader("Rows behind the chart")
if series.empty:
    empty_state("No values for this metric and these platforms.")
else:
    rows_tab, pivot_tab = st.tabs(["Rows with sources", "Pivot: period x platform"])
    with rows_tab:
        st.caption("Change is against the calendar period right before and the same period a year earlier, of the "
                   "same series only; when that period has no value it is named, never replaced by an older one.")
        st.dataframe(metric_rows_table(series), hide_index=True, width="stretch",
                     column_config={"Source": st.column_config.LinkColumn("Source", display_text="open")})
    with pivot_tab:
        pivot = pivot_table(series)
        st.dataframe(pivot, hide_index=True, width="stretch")
        st.caption("Values as published; blank = no value. The sources are in the other tab and below.")
        download_csv(pivot, "metric_pivot", f, metric, key="dl_pivot")
sources(series, "metric_sources")
sync_url(f, {"metric": metric, "with": ",".join(extra)})
