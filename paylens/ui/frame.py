"""The frame's pages and the hand-off between dashboard.py (the frame) and a page: the filters it set in this run."""

from __future__ import annotations

import streamlit as st

from paylens.ui.filters import Filters

FRAME_RAN = "_frame_ran"

# (file, title, icon, url path): the one list of pages, read by dashboard.py and by the cold-start hand-back below.
PAGES = (
    ("pages/overview.py", "Overview", ":material/dashboard:", ""),
    ("pages/metrics.py", "Metrics", ":material/monitoring:", "metrics"),
    ("pages/signals.py", "Signals", ":material/campaign:", "signals"),
    ("pages/articles.py", "Articles", ":material/article:", "articles"),
    ("pages/compare.py", "Compare", ":material/compare_arrows:", "compare"),
    ("pages/impact.py", "Story vs numbers", ":material/insights:", "impact"),
    ("pages/snapshots.py", "Snapshots", ":material/folder_zip:", "snapshots"),
)


def app_pages() -> list[st.Page]:
    """The dashboard's pages for st.navigation; the first is the default (served at /)."""
    return [st.Page(file, title=title, icon=icon, url_path=path, default=not path)
            for file, title, icon, path in PAGES]


def mark_frame_ran(filters: Filters) -> None:
    """Called by dashboard.py right before the page runs."""
    st.session_state["filters"] = filters
    st.session_state[FRAME_RAN] = True


def page_filters(require_competitors: bool = True) -> Filters:
    """The sidebar filters for this run; with no competitor chosen, a page that needs one says so and stops.

    Streamlit sees the top-level pages/ folder and, until the first st.navigation call in the process,
    runs a deep-linked page (say /signals on a cold server) on its own, without dashboard.py. The page
    then declares the app's pages itself (st.navigation is what switches Streamlit out of its legacy
    pages/ mode) and reruns, so the frame draws the page.
    """
    if not st.session_state.pop(FRAME_RAN, False):
        st.navigation(app_pages(), position="hidden")
        st.rerun()
    filters = st.session_state["filters"]
    if not filters.competitors and require_competitors:
        # Every page treats an empty choice alike (the queries would read it as "all platforms").
        st.info("Pick at least one competitor in the sidebar.", icon=":material/info:")
        st.stop()
    return filters
