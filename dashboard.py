"""PayLens: the frame. Page config, shared sidebar filters and navigation; pages do the rest."""

import streamlit as st

from paylens.errors import PaylensError
from paylens.ui.filters import show_notices, sidebar_filters
from paylens.ui.frame import mark_frame_ran
from paylens.ui.widgets import show_error

st.set_page_config(page_title="PayLens · China payments", page_icon="💳", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="", default=True),
    st.Page("pages/metrics.py", title="Metrics", icon=":material/monitoring:", url_path="metrics"),
    st.Page("pages/signals.py", title="Signals", icon=":material/campaign:", url_path="signals"),
    st.Page("pages/articles.py", title="Articles", icon=":material/article:", url_path="articles"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/impact.py", title="Story vs numbers", icon=":material/insights:", url_path="impact"),
    st.Page("pages/snapshots.py", title="Snapshots", icon=":material/folder_zip:", url_path="snapshots"),
]
nav = st.navigation(pages)
notices = st.container()
try:
    mark_frame_ran(sidebar_filters())
    nav.run()
except PaylensError as exc:
    show_error(exc)
finally:  # also after a page's st.stop(): notices about the link are never lost
    with notices:
        show_notices()
