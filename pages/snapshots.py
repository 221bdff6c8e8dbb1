"""Snapshots: one zip with the CSV behind every chart for the current filters, and a manifest."""

import streamlit as st

from paylens.config import settings
from paylens.snapshot import CHARTS
from paylens.ui.filters import sync_url
from paylens.ui.frame import page_filters
from paylens.ui.snapshot import snapshot_data
from paylens.ui.widgets import file_name

f = page_filters()
st.title("Snapshots")
st.caption("Download every chart's rows for the current filters in one zip, with a manifest.json that records "
           "the filters, a link that restores them, each query and its parameters, row counts, SHA-256 hashes "
           "of every CSV and of every file in data/, the store's build id and the creation time.")

choices = {k: st.session_state.get(f"v_{k}") for k in ("metric", "signal", "platform", "rival")}
params = {**f.params(), "categories": list(f.event_categories), **{k: v for k, v in choices.items() if v}}
st.dataframe({"file": [c[0] for c in CHARTS], "page": [c[1] for c in CHARTS], "query": [c[2] for c in CHARTS]},
             hide_index=True, width="stretch", height=38 + 35 * len(CHARTS))
st.download_button("Download snapshot (.zip)", data=snapshot_data(params, str(settings().data_dir)),
                   file_name=file_name("snapshot", f)[:-4] + ".zip", mime="application/zip", type="primary",
                   icon=":material/folder_zip:", key="dl_snapshot", on_click="ignore")
cli = " ".join(f"--param {k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items()
               if v not in ("", []))
st.caption(f"{len(CHARTS)} CSV files and manifest.json, built when you click (a few seconds on a large store). "
           "The same bundle from the command line:")
st.code(f"paylens snapshot {cli} --out snapshot.zip", language="bash")
sync_url(f)
