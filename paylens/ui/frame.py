"""The hand-off between dashboard.py (the frame) and a page: the filters the frame set in this run."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from paylens.ui.filters import Filters

FRAME_RAN = "_frame_ran"


def mark_frame_ran(filters: Filters) -> None:
    """Called by dashboard.py right before the page runs."""
    st.session_state["filters"] = filters
    st.session_state[FRAME_RAN] = True


def page_filters(require_competitors: bool = True) -> Filters:
    """The sidebar filters for this run; with no competitor chosen, a page that needs one says so and stops.

    Streamlit sees the top-level pages/ folder and, until the first st.navigation call in the process,
    runs a deep-linked page (say /signals on a cold server) on its own, without dashboard.py. Then we do
    what st.navigation does (leave the legacy pages/ mode) and rerun, so the frame draws the page.
    """
    if not st.session_state.pop(FRAME_RAN, False):
        PagesManager.uses_pages_directory = False
        st.rerun()
    filters = st.session_state["filters"]
    if not filters.competitors and require_competitors:
        # Every page treats an empty choice alike (the queries would read it as "all platforms").
        st.info("Pick at least one competitor in the sidebar.", icon=":material/info:")
        st.stop()
    return filters
