"""PayLens: the frame. Page config, shared sidebar filters and navigation; pages do the rest."""

import streamlit as st

from paylens.errors import PaylensError
from paylens.ui.filters import show_notices, sidebar_filters
from paylens.ui.frame import app_pages, mark_frame_ran
from paylens.ui.widgets import show_error

st.set_page_config(page_title="PayLens · China payments", page_icon="💳", layout="wide")

nav = st.navigation(app_pages())
notices = st.container()
try:
    mark_frame_ran(sidebar_filters())
    nav.run()
except PaylensError as exc:
    show_error(exc)
finally:  # also after a page's st.stop(): notices about the link are never lost
    with notices:
        show_notices()
