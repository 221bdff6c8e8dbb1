"""Overview: latest headline numbers per platform and a coverage map of where data exists."""

import streamlit as st

from paylens.charts.coverage import coverage_figure
from paylens.charts.tables import latest_table, share_cards
from paylens.ui.filters import sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.store import run
from paylens.ui.widgets import chart, download_csv, empty_state, sources

f = page_filters()
st.title("PayLens · Alipay and its rivals")
st.caption("Sourced numbers on China's payment platforms. Every figure links to where it was published; "
           "market shares are kept per research firm and never spliced together.")

if not f.competitors:
    empty_state("Pick at least one competitor in the sidebar.")
    st.stop()

st.subheader("Latest headline figures")
latest = run("latest_values", f.params())
if latest.empty:
    empty_state("No headline metric has a value for these platforms in this date range. "
                "Widen the dates or add platforms.")
else:
    cards = share_cards(latest)
    for start in range(0, len(cards), 3):
        for col, card in zip(st.columns(3), cards[start:start + 3], strict=False):
            col.metric(card["label"], card["value"], card["delta"], help=card["help"], delta_color="off", border=True)
    st.dataframe(latest_table(latest), hide_index=True, width="stretch",
                 column_config={"Source": st.column_config.LinkColumn("Source", display_text="open")})
    download_csv(latest, "latest_values", f)

st.subheader("Coverage: which platform has data in which year")
families = ["", *sorted(run("metric_catalogue", f.params())["family"].unique())]
family = url_choice("Metric family", "family", families, "", format_func=lambda v: v or "All families")
coverage = run("coverage", {**f.params(), "family": family})
chart(coverage_figure(coverage, "Distinct metrics per platform and year (blank = no data)"), "coverage")
st.caption("Hover a cell for the metrics behind it. Blank cells are real gaps: nothing is filled in.")
download_csv(coverage, "coverage", f, family)
sources(latest, "latest_sources")
sync_url(f, {"family": family or ""})
