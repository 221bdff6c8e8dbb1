"""Metrics: one metric over time per platform, with provenance on hover and in the table."""

import streamlit as st

from paylens.charts.metrics import metric_figure
from paylens.charts.tables import metric_option_label
from paylens.ui.filters import platform_names, sync_url, url_choice, url_multichoice
from paylens.ui.frame import page_filters
from paylens.ui.metric_tables import how_current, rows_behind
from paylens.ui.store import chart_rows, figure, run
from paylens.ui.widgets import chart, download_csv, empty_state, events_for, sources
from paylens.url_state import DEFAULT_VIEW
from paylens.wording import counted

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
st.caption(f"{info['description']} Unit: {info['unit']}. {counted(int(info['n_values']), 'value')}.")

view = {**f.url_params(), "metric": metric, "with": ",".join(extra)}
series = chart_rows("metric_series", view)
title = info["label"] if not extra else f"{info['family']}: {len(extra) + 1} series"
chart(figure(metric_figure, series, events_for(f), title), "metric_chart")
if len(series) > 1 and series["research_firm"].isna().any():
    st.caption("Points come from different publishers, so they are not joined into a line.")
missing = [names[p] for p in f.competitors if p not in set(series["platform_id"])]
if missing:
    st.caption(f"No values in this series for: {', '.join(missing)}.")
st.caption("Marker: ● reported · ◆ secondary · ○ approximate. Lines of different period lengths (yearly, quarterly, "
           "...) are drawn apart. Hover for source and confidence.")
how_current(series)
download_csv(series, "metric_series", f, metric)

rows_behind(series, f, metric)
sources(series, "metric_sources")
sync_url(f, {"metric": metric, "with": ",".join(extra)})
