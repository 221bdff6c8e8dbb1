"""Metrics: one metric over time per platform, with provenance on hover and in the table."""

import streamlit as st

from paylens.charts.metrics import metric_figure
from paylens.charts.tables import metric_rows_table
from paylens.ui.filters import platform_names, sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.store import run
from paylens.ui.widgets import chart, download_csv, empty_state, events_for, sources

f = page_filters()
names = platform_names()
st.title("Metrics")

catalogue = run("metric_catalogue", f.params())
if catalogue.empty:
    empty_state("No metric has values for the selected competitors and dates.")
    sync_url(f)
    st.stop()

labels = dict(zip(catalogue["metric"], catalogue["family"] + " · " + catalogue["label"], strict=True))
default = "market_share_third_party_mobile_payment_analysys"
metric = url_choice("Metric", "metric", list(catalogue["metric"]), default if default in labels else None,
                    format_func=lambda m: labels.get(m, m), help="Grouped by family; firm in brackets.")
info = catalogue.set_index("metric").loc[metric]
st.caption(f"{info['description']} Unit: {info['unit']}. {info['n_values']} values.")

series = run("metric_series", {**f.params(), "metric": metric})
chart(metric_figure(series, events_for(f), info["label"]), "metric_chart")
if info["research_firm"] is None or str(info["research_firm"]) in ("nan", "None"):
    st.caption("Points come from different publishers, so they are not joined into a line.")
missing = [names[p] for p in f.competitors if p not in set(series["platform_id"])]
if missing:
    st.caption(f"No values in this series for: {', '.join(missing)}.")
st.caption("Marker: ● reported · ◆ secondary · ○ approximate. Hover for source and confidence.")
download_csv(series, "metric_series", f, metric)

st.subheader("Rows behind the chart")
if series.empty:
    empty_state("No values for this metric and these platforms.")
else:
    st.dataframe(metric_rows_table(series), hide_index=True, width="stretch",
                 column_config={"Source": st.column_config.LinkColumn("Source", display_text="open")})
sources(series, "metric_sources")
sync_url(f, {"metric": metric})
