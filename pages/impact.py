"""Story vs numbers: did the press story move the numbers? A metric and signal shares on one time axis."""

import streamlit as st

from paylens.charts.impact import impact_figure
from paylens.charts.signals import SIGNAL_LABELS, signal_label
from paylens.charts.tables import metric_option_label
from paylens.impact import aligned_table
from paylens.snapshot import DEFAULT_SERIES
from paylens.ui.filters import platform_names, set_choice, sync_url, url_choice, url_multichoice
from paylens.ui.frame import page_filters
from paylens.ui.impact import lead_lag, period_sentences
from paylens.ui.store import chart_rows, run
from paylens.ui.widgets import chart, chart_selection, download_csv, empty_state, events_for
from paylens.url_state import DEFAULT_VIEW

f = page_filters()
names = platform_names()
st.title("Story vs numbers")
st.caption("One platform's metric as a line and the share of its articles showing a signal as bars, period by "
           "period. A period without a value stays empty; nothing is interpolated. Click a bar for its sentences.")

left, mid = st.columns([1, 2])
subject = url_choice("Platform", "subject", f.competitors, f.competitors[0], format_func=names.get, where=left)
catalogue = run("metric_catalogue", {**f.params(), "competitors": [subject]})
if catalogue.empty:
    empty_state(f"{names[subject]} has no metric values in these dates.")
    sync_url(f, {"subject": subject})
    st.stop()
labels = {row["metric"]: metric_option_label(row) for _, row in catalogue.iterrows()}
fallback = DEFAULT_SERIES if DEFAULT_SERIES in labels else catalogue.sort_values("n_values")["metric"].iloc[-1]
series = url_choice("Metric series", "series", list(labels), fallback, format_func=labels.get, where=mid)
themes = url_multichoice("Signals", "themes", list(SIGNAL_LABELS), format_func=signal_label,
                         default=DEFAULT_VIEW["themes"].split(","),
                         help="The share of the platform's articles showing each, per period.")
themes = themes or DEFAULT_VIEW["themes"].split(",")
view = {**f.url_params(), "subject": subject, "series": series, "themes": ",".join(themes)}

rows = chart_rows("impact_periods", view)
clicked = chart_selection("impact")
if clicked and clicked != st.session_state.get("_last_bar"):  # a new click, not the selection of an older one
    st.session_state["_last_bar"] = clicked
    set_choice("at", clicked[1])
chart(impact_figure(rows, events_for(f), f"{names[subject]}: {labels[series].split(' · ')[1]} and the story"),
      "impact", selectable=True)
download_csv(rows, "impact_periods", f, f"{subject}_{series}")
if rows.empty:
    st.stop()

st.subheader("Aligned periods")
st.dataframe(aligned_table(rows, SIGNAL_LABELS), hide_index=True, width="stretch")

lead_lag(rows, themes)
at = period_sentences(rows, subject, themes, names)
sync_url(f, {"subject": subject, "series": series, "themes": ",".join(themes), "at": at or ""})
