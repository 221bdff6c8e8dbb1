"""Signals: which themes the press attaches to each platform, their trend, and the evidence sentences."""

import streamlit as st

from paylens.charts.signals import SIGNAL_LABELS, signal_label, trend_figure
from paylens.ui.corrections import corrections_caption
from paylens.ui.evidence import evidence_list
from paylens.ui.filters import platform_names, sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.heatmap import heatmap_section
from paylens.ui.intake import freshness
from paylens.ui.search import search_box
from paylens.ui.store import chart_rows, figure
from paylens.ui.threats import threats_section
from paylens.ui.widgets import download_csv, events_for, open_expander, sources
from paylens.url_state import DEFAULT_VIEW

f = page_filters()
names = platform_names()
st.title("Signals")
st.caption("Themes found sentence by sentence in news and opinion articles (EN and ZH). Click a heatmap "
           "cell to see the sentences behind it.")
freshness()

mode = heatmap_section(f)
view = {**f.url_params(), "mode": mode}

left, right = st.columns(2)
signal = url_choice("Signal", "signal", list(SIGNAL_LABELS), DEFAULT_VIEW["signal"], format_func=signal_label,
                    where=left)
platform = url_choice("Platform for evidence", "focus", ["", *f.competitors], "", where=right,
                      format_func=lambda p: names.get(p, p) if p else "All selected platforms")
view.update(signal=signal, focus=platform or "")

st.subheader(f"{signal_label(signal)} over time")
trend = chart_rows("signal_trend", view)
st.plotly_chart(figure(trend_figure, trend, events_for(f), "Articles per {period} showing the signal"), width="stretch",
                key="trend", config={"displaylogo": False})
download_csv(trend, "signal_trend", f, signal, key="dl_trend")

who = names.get(platform, platform) if platform else "the selected platforms"
st.subheader(f"Evidence: {signal_label(signal)} · {who}")
evidence = chart_rows("signal_evidence", view)
evidence_list(evidence, names, "No sentence shows this signal for the chosen platforms and dates.", correctable=True)
corrections_caption(f.competitors)
download_csv(evidence, "signal_evidence", f, f"{signal}_{platform or 'all'}", key="dl_evidence")
sources(evidence, "evidence_sources")
with st.expander(f"Search the evidence of {signal_label(signal)}", expanded=bool(st.session_state.get("v_q"))):
    search = search_box(f, "signals", fixed={"signal": signal})

# Built only while open: the matrix, its trend and twenty cards were ~35% of the server's time on every filter
# change while they sat below the evidence. A link naming a threat cell opens it.
box = open_expander("Who threatens whom: threatened platform × rival, and the sentences behind each cell",
                    "threats_box", expanded=bool(st.query_params.get("threat")))
threat: dict[str, str] = {}
if box:
    with box:
        threat = threats_section(f)
sync_url(f, {"mode": mode, "signal": signal, "focus": platform or "", **search, **threat})
