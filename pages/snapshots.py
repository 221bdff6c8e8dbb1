"""Snapshots: the whole view (filters and every page's choices) as one zip of the CSV behind each chart."""

import streamlit as st

from paylens.config import settings
from paylens.snapshot import CHARTS, query_params
from paylens.ui.filters import platform_names, sync_url
from paylens.ui.frame import page_filters
from paylens.ui.snapshot import snapshot_data, view_choices
from paylens.ui.widgets import file_name

f = page_filters()
names = platform_names()
st.title("Snapshots")
st.caption("One zip with the CSV behind every chart for this view, and a manifest.json that records the view, a "
           "link that reopens it, each query with its parameters, row counts, SHA-256 hashes of every CSV and of "
           "every file in data/, the store's build id and the creation time. The same link gives the same CSVs in "
           "any browser.")

choices = view_choices(f, names)
view = {**f.url_params(), **choices}
st.subheader("The files")
st.dataframe({"file": [c[0] for c in CHARTS], "page": [c[1] for c in CHARTS], "query": [c[2] for c in CHARTS],
              "parameters": [", ".join(f"{k}={','.join(v) if isinstance(v, list) else v}"
                                       for k, v in query_params(c[2], view).items()) for c in CHARTS]},
             hide_index=True, width="stretch", height=38 + 35 * len(CHARTS))
st.download_button("Download snapshot (.zip)", data=snapshot_data(view, str(settings().data_dir)),
                   file_name=file_name("snapshot", f)[:-4] + ".zip", mime="application/zip", type="primary",
                   icon=":material/folder_zip:", key="dl_snapshot", on_click="ignore")
cli = " ".join(f"--param {k}={v}" for k, v in view.items() if v not in ("", None))
st.caption(f"{len(CHARTS)} CSV files, the same rows as one workbook (snapshot.xlsx, a sheet per chart) and "
           "manifest.json, built when you click (a few seconds on a large store). "
           "The same bundle from the command line:")
st.code(f"paylens snapshot {cli} --out snapshot.zip", language="bash", wrap_lines=True)
sync_url(f, choices)
