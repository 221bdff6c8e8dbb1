"""Compare: one platform against one rival on shared metric series, signal profile and events."""

import streamlit as st

from paylens.charts.compare import shared_metrics_figure, timeline_figure
from paylens.charts.signals import STANCE_CAVEAT, profile_figure
from paylens.ui.filters import platform_names, sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.store import run
from paylens.ui.widgets import chart, download_csv, empty_state, sources

f = page_filters()
names = platform_names()
st.title("Compare")
left, right = st.columns(2)
platform = url_choice("Platform", "platform", list(names), "alipay", format_func=names.get, where=left)
rivals = [p for p in names if p != platform]
rival = url_choice("Rival", "rival", rivals, "wechat_pay", format_func=names.get, where=right)
pair = {"platform": platform, "rival": rival, "from": f.date_from, "to": f.date_to}
a, b = names[platform], names[rival]

st.subheader("Metric series both report")
cover = run("compare_coverage", pair)
for side, col in ((a, "platform_values"), (b, "rival_values")):
    if cover.empty or cover[col].sum() == 0:
        empty_state(f"{side} has no metric values in this date range, so there is nothing to set side by side.")
shared = run("compare_metrics", pair)
chart(shared_metrics_figure(shared, f"{a} vs {b}: same series, same research firm"), "compare_metrics")
download_csv(shared, "compare_metrics", f, f"{platform}-vs-{rival}", key="dl_cmp_metrics")
only = cover[(cover["platform_values"] == 0) | (cover["rival_values"] == 0)]
if not only.empty:
    with st.expander(f"{len(only)} metrics only one side reports"):
        st.dataframe(only.rename(columns={"platform_values": a, "rival_values": b}), hide_index=True,
                     width="stretch")
sources(shared, "compare_metric_sources")

st.subheader("Signal profile")
profile = run("compare_signals", pair)
for side, pid in ((a, platform), (b, rival)):
    if pid not in set(profile["platform_id"]):
        empty_state(f"No article in the corpus shows a signal for {side} in these dates.")
chart(profile_figure(profile, f"Hits per signal by stance (outlined: {a} first, then {b})"), "compare_profile")
st.caption(STANCE_CAVEAT)
download_csv(profile, "compare_signals", f, f"{platform}-vs-{rival}", key="dl_cmp_signals")

st.subheader("Shared timeline")
events = run("compare_events", {**pair, "categories": list(f.event_categories)})
chart(timeline_figure(events, f"Events: {a}, {b} and market-wide"), "compare_events")
download_csv(events, "compare_events", f, f"{platform}-vs-{rival}", key="dl_cmp_events")
sources(events, "compare_event_sources")
sync_url(f, {"platform": platform, "rival": rival})
