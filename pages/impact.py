"""Story vs numbers: did the press story move the numbers? A metric and signal shares on one time axis."""

import streamlit as st

from paylens.charts.impact import impact_figure
from paylens.charts.signals import SIGNAL_LABELS, signal_label
from paylens.charts.tables import metric_option_label, readable_hits
from paylens.impact import aligned_table, lagged_correlations, verdict
from paylens.snapshot import DEFAULT_SERIES
from paylens.ui.evidence import evidence_cards
from paylens.ui.filters import platform_names, set_choice, sync_url, url_choice, url_multichoice
from paylens.ui.frame import page_filters
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

st.subheader("Does the share lead or follow the metric?")
for signal in themes:
    corr = lagged_correlations(rows, signal)
    st.markdown(f"**{signal_label(signal)}.** {verdict(corr)}")
    with st.expander(f"Rank correlation by lag for {signal_label(signal)} (lag +1: the share one period before "
                     "the value)"):
        st.dataframe(corr, hide_index=True, width="stretch",
                     column_config={"lag": "Lag (periods)", "n": "Periods paired", "rho": "Spearman rho"})

periods = rows.drop_duplicates("period_start")
starts = [d.strftime("%Y-%m-%d") for d in periods["period_start"]]
period_names = dict(zip(starts, periods["period"], strict=True))
st.subheader("Sentences of a period")
at = url_choice("Period", "at", ["", *starts], "", format_func=lambda d: period_names.get(d, "Choose a period"))
if at:
    end = periods.set_index(periods["period_start"].dt.strftime("%Y-%m-%d")).loc[at, "period_end"]
    evidence = run("signal_evidence", {"competitors": [subject], "platform": subject, "from": at,
                                       "to": end.date().isoformat(), "limit": 500})
    evidence = evidence[evidence["signal"].isin(themes)]
    if evidence.empty:
        empty_state(f"No sentence about {names[subject]} shows these signals in {period_names[at]}.")
    else:
        evidence_cards(readable_hits(evidence, names), key="impact_evidence")
sync_url(f, {"subject": subject, "series": series, "themes": ",".join(themes), "at": at or ""})
