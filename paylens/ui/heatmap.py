"""The Signals heatmap: platform x signal, coloured by the chosen measure; a click picks the evidence shown below."""

from __future__ import annotations

import streamlit as st

from paylens.charts.signals import MODES, NET_STANCE_NOTE, SIGNAL_LABELS, absent_note, heatmap_figure
from paylens.ui.filters import Filters, platform_names, set_choice, url_choice
from paylens.ui.store import chart_rows, figure
from paylens.ui.widgets import clicked_cell, download_csv
from paylens.url_state import DEFAULT_VIEW


def follow_click(f: Filters) -> None:
    """A new click on a cell sets the evidence's signal and platform (before their widgets are drawn)."""
    cell = clicked_cell("heatmap")
    if cell and cell != st.session_state.get("_last_cell"):  # a new click, not the selection of an older one
        st.session_state["_last_cell"] = cell
        if cell[0] in SIGNAL_LABELS and cell[1] in f.competitors:
            set_choice("signal", cell[0])
            set_choice("focus", cell[1])


def heatmap_section(f: Filters) -> str:
    """The colour choice, the clickable heatmap and its download; returns the colour mode."""
    follow_click(f)
    mode = url_choice("Colour by", "mode", list(MODES), DEFAULT_VIEW["mode"], format_func=MODES.get)
    heat = chart_rows("signal_heatmap", {**f.url_params(), "mode": mode})
    st.plotly_chart(figure(heatmap_figure, heat, mode, f"{MODES[mode]} per platform and signal"), width="stretch",
                    key="heatmap", on_select="rerun", selection_mode="points", config={"displaylogo": False})
    if note := absent_note(heat, f.competitors, platform_names()):
        st.caption(note)
    if mode == "net":
        st.caption(NET_STANCE_NOTE + " Pale cells rest on fewer than 10 articles.")
    download_csv(heat, "signal_heatmap", f, key="dl_heat")
    return mode
