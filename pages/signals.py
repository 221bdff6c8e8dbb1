"""Signals: which themes the press attaches to each platform, their trend, and the evidence sentences."""

import streamlit as st

from paylens.charts.signals import (
    MODES,
    NET_STANCE_NOTE,
    SIGNAL_LABELS,
    heatmap_figure,
    platform_of_row,
    signal_label,
    trend_figure,
)
from paylens.charts.text import esc
from paylens.ui.filters import platform_names, set_choice, sync_url, url_choice
from paylens.ui.frame import page_filters
from paylens.ui.store import run
from paylens.ui.widgets import clicked_cell, download_csv, empty_state, events_for, sources

f = page_filters()
names = platform_names()
st.title("Signals")
st.caption("Themes found sentence by sentence in news and opinion articles (EN and ZH). Click a heatmap "
           "cell to see the sentences behind it.")

cell = clicked_cell("heatmap")
if cell and cell != st.session_state.get("_last_cell"):
    st.session_state["_last_cell"] = cell
    by_label = {v: k for k, v in SIGNAL_LABELS.items()}
    by_name = {esc(v): k for k, v in names.items()}
    if cell[0] in by_label and platform_of_row(cell[1]) in by_name:
        set_choice("signal", by_label[cell[0]])
        set_choice("focus", by_name[platform_of_row(cell[1])])

mode = url_choice("Colour by", "mode", list(MODES), "share", format_func=MODES.get)
heat = run("signal_heatmap", f.params())
st.plotly_chart(heatmap_figure(heat, mode, f"{MODES[mode]} per platform and signal"), width="stretch",
                key="heatmap", on_select="rerun", selection_mode="points", config={"displaylogo": False})
if mode == "net":
    st.caption(NET_STANCE_NOTE)
download_csv(heat, "signal_heatmap", f, key="dl_heat")

left, right = st.columns(2)
signal = url_choice("Signal", "signal", list(SIGNAL_LABELS), "traffic_focus", format_func=signal_label, where=left)
platform = url_choice("Platform for evidence", "focus", ["", *f.competitors], "", where=right,
                      format_func=lambda p: names.get(p, p) if p else "All selected platforms")

st.subheader(f"{signal_label(signal)} over time")
trend = run("signal_trend", {**f.params(), "signal": signal})
st.plotly_chart(trend_figure(trend, events_for(f), "Articles per {period} showing the signal"), width="stretch",
                key="trend", config={"displaylogo": False})
download_csv(trend, "signal_trend", f, signal, key="dl_trend")

st.subheader("Evidence")
evidence = run("signal_evidence", {**f.params(), "signal": signal, "platform": platform or "", "limit": 500})
if evidence.empty:
    empty_state("No sentence shows this signal for the chosen platforms and dates.")
else:
    st.dataframe(evidence[["date", "platform", "stance", "evidence", "title", "publisher", "url"]],
                 hide_index=True, width="stretch",
                 column_config={"url": st.column_config.LinkColumn("Article", display_text="open"),
                                "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                                "platform": "Platform", "stance": "Stance", "title": "Article title",
                                "publisher": "Publisher",
                                "evidence": st.column_config.TextColumn("Sentence", width="large")})
download_csv(evidence, "signal_evidence", f, f"{signal}_{platform or 'all'}", key="dl_evidence")
sources(evidence, "evidence_sources")
sync_url(f, {"mode": mode, "signal": signal, "focus": platform or ""})
