"""Overview: latest headline numbers per platform, with their age, and a coverage map of where data exists."""

from datetime import date

import streamlit as st

from paylens.charts.coverage import coverage_figure
from paylens.charts.tables import latest_table, share_cards
from paylens.ui.digest import what_changed
from paylens.ui.filters import sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.intake import freshness
from paylens.ui.store import chart_rows, figure, run
from paylens.ui.widgets import chart, download_csv, empty_state, sources

f = page_filters()
today = date.today()
st.title("PayLens · Alipay and its rivals")
st.caption("Sourced numbers on China's payment platforms. Every figure links to where it was published; "
           "market shares are kept per research firm and never spliced together.")

freshness()
changed = what_changed(f)

st.subheader("Latest headline figures")
view = f.url_params()
latest = chart_rows("latest_values", view)
if latest.empty:
    empty_state("No headline metric has a value for these platforms in this date range. "
                "Widen the dates or add platforms.")
else:
    st.caption("Each card is the newest value of its series, newest first. A series is **stale** once two of its "
               "periods have passed without a value; the change is shown only against the period right before.")
    cards = share_cards(latest, today)
    for start in range(0, len(cards), 3):
        for col, card in zip(st.columns(3), cards[start:start + 3], strict=False):
            with col.container(border=True):
                st.metric(card["label"], card["value"], card["delta"], help=card["help"], delta_color="off",
                          delta_arrow=card["arrow"])
                if card["stale"]:
                    st.badge("stale", icon=":material/history:", color="orange",
                             help="Two or more of this series' periods have passed without a new value.")
                st.caption(card["as_of"])
    st.dataframe(latest_table(latest, today), hide_index=True, width="stretch",
                 column_config={"Source": st.column_config.LinkColumn("Source", display_text="open")})
    download_csv(latest, "latest_values", f)

st.subheader("Coverage: which platform has data in which year")
families = ["", *sorted(run("metric_catalogue", f.params())["family"].unique())]
family = url_choice("Metric family", "family", families, "", format_func=lambda v: v or "All families")
coverage = chart_rows("coverage", {**view, "family": family})
chart(figure(coverage_figure, coverage, "Distinct metrics per platform and year (blank = no data)"), "coverage")
st.caption("Hover a cell for the metrics behind it. Blank cells are real gaps: nothing is filled in.")
download_csv(coverage, "coverage", f, family)
sources(latest, "latest_sources")
sync_url(f, {"family": family or "", **changed})
