"""Snapshots: the whole view (filters and every page's choices) as one zip of the CSV behind each chart."""

import streamlit as st

from paylens.charts.signals import MODES, SIGNAL_LABELS, signal_label
from paylens.charts.tables import metric_option_label
from paylens.config import settings
from paylens.snapshot import CHARTS, DEFAULT_SERIES, query_params
from paylens.ui.filters import pair_choice, platform_names, sync_url, url_choice, url_multichoice
from paylens.ui.frame import page_filters
from paylens.ui.snapshot import snapshot_data
from paylens.ui.store import run
from paylens.ui.widgets import file_name
from paylens.url_state import DEFAULT_VIEW

f = page_filters()
names = platform_names()
st.title("Snapshots")
st.caption("One zip with the CSV behind every chart for this view, and a manifest.json that records the view, a "
           "link that reopens it, each query with its parameters, row counts, SHA-256 hashes of every CSV and of "
           "every file in data/, the store's build id and the creation time. The same link gives the same CSVs in "
           "any browser.")

catalogue = run("metric_catalogue", f.params())
labels = {row["metric"]: metric_option_label(row) for _, row in catalogue.iterrows()}
metrics = list(labels) or [DEFAULT_VIEW["metric"]]
families = ["", *sorted(catalogue["family"].unique())]

st.subheader("The view")
c1, c2 = st.columns(2)
with c1:
    metric = url_choice("Metrics: metric", "metric", metrics, DEFAULT_VIEW["metric"] if DEFAULT_VIEW["metric"] in
                        metrics else metrics[0], format_func=lambda m: labels.get(m, m), scope="snap")
    same_family = [m for m in metrics if m != metric and labels.get(m, "").split(" · ")[0] ==
                   labels.get(metric, "").split(" · ")[0]]
    extra = url_multichoice("Metrics: series beside it", "with", same_family, format_func=lambda m: labels.get(m, m),
                            scope="snap")
    family = url_choice("Overview: coverage family", "family", families, "", format_func=lambda v: v or "All families",
                        scope="snap")
with c2:
    signal = url_choice("Signals: signal", "signal", list(SIGNAL_LABELS), DEFAULT_VIEW["signal"],
                        format_func=signal_label, scope="snap")
    focus = url_choice("Signals: evidence platform", "focus", ["", *f.competitors], "",
                       format_func=lambda p: names.get(p, p) if p else "All selected platforms", scope="snap")
    mode = url_choice("Signals: heatmap colour", "mode", list(MODES), DEFAULT_VIEW["mode"], format_func=MODES.get,
                      scope="snap")
platform, rival = pair_choice(names, f.competitors, ("Compare: platform", "Compare: rival"), scope="snap")
s1, s2, s3 = st.columns(3)
subject = url_choice("Story vs numbers: platform", "subject", f.competitors, f.competitors[0], format_func=names.get,
                     where=s1, scope="snap")
series = url_choice("Story vs numbers: series", "series", metrics,
                    DEFAULT_SERIES if DEFAULT_SERIES in metrics else metrics[0], format_func=lambda m: labels.get(m, m),
                    where=s2, scope="snap")
with s3:
    themes = url_multichoice("Story vs numbers: signals", "themes", list(SIGNAL_LABELS), format_func=signal_label,
                             default=DEFAULT_VIEW["themes"].split(","), scope="snap")

choices = {"metric": metric, "with": ",".join(extra), "family": family, "signal": signal, "focus": focus or "",
           "mode": mode, "platform": platform, "rival": rival, "subject": subject, "series": series,
           "themes": ",".join(themes)}
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
