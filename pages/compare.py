"""Compare: one platform against one rival on shared metric series, signal profile and events."""

import streamlit as st

from paylens.charts.compare import shared_metrics_figure, timeline_figure
from paylens.charts.signals import STANCE_CAVEAT, profile_figure
from paylens.charts.tables import one_side_table, readable_hits
from paylens.ui.evidence import evidence_cards
from paylens.ui.filters import pair_choice, platform_names, sync_url
from paylens.ui.frame import page_filters
from paylens.ui.store import chart_rows, figure
from paylens.ui.widgets import chart, download_csv, empty_state, open_expander, sources
from paylens.wording import counted

f = page_filters()
names = platform_names()
st.title("Compare")
platform, rival = pair_choice(names, f.competitors)
view = {**f.url_params(), "platform": platform, "rival": rival}
a, b = names[platform], names[rival]

st.subheader("Metric series both report")
cover = chart_rows("compare_coverage", view)
for side, col in ((a, "platform_values"), (b, "rival_values")):
    if cover.empty or cover[col].sum() == 0:
        empty_state(f"{side} has no metric values in this date range, so there is nothing to set side by side.")
shared = chart_rows("compare_metrics", view)
chart(figure(shared_metrics_figure, shared, f"{a} vs {b}: same series, same research firm"), "compare_metrics")
download_csv(shared, "compare_metrics", f, f"{platform}-vs-{rival}", key="dl_cmp_metrics")
only = one_side_table(cover, a, b)
if not only.empty:
    with st.expander(f"{counted(len(only), 'metric')} only one side reports"):
        st.dataframe(only, hide_index=True, width="stretch")
sources(shared, "compare_metric_sources")

st.subheader("Signal profile")
profile = chart_rows("compare_signals", view)
for side, pid in ((a, platform), (b, rival)):
    if pid not in set(profile["platform_id"]):
        empty_state(f"No article in the corpus shows a signal for {side} in these dates.")
chart(figure(profile_figure, profile, f"Share of each platform's articles showing a signal, by stance ({a} first)"),
      "compare_profile")
st.caption("Shares of each platform's own articles (n in the legend), so a platform covered by 48 articles and one "
           "covered by 6 compare fairly. " + STANCE_CAVEAT)
download_csv(profile, "compare_signals", f, f"{platform}-vs-{rival}", key="dl_cmp_signals")

st.subheader("Threats between them")
for mover, target in ((rival, platform), (platform, rival)):
    # the pair, whichever competitors the sidebar holds
    said = chart_rows("threat_evidence", {**view, "competitors": "", "platform": target, "rival": mover})
    box = open_expander(f"{names[mover]} threatening {names[target]}: {counted(len(said), 'sentence')}",
                        f"threat_box_{mover}_{target}")
    if box:
        with box:
            if said.empty:
                st.caption("No sentence in these dates says so.")
            else:
                evidence_cards(readable_hits(said, names), key=f"threat_{mover}_{target}")

st.subheader("Shared timeline")
events = chart_rows("compare_events", view)
chart(figure(timeline_figure, events, f"Events: {a}, {b} and market-wide"), "compare_events")
download_csv(events, "compare_events", f, f"{platform}-vs-{rival}", key="dl_cmp_events")
sources(events, "compare_event_sources")
sync_url(f, {"platform": platform, "rival": rival})
