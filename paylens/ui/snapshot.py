"""The Snapshots page's parts: every page's choices as one form, and the bundle, built only when clicked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from paylens.charts.signals import MODES, SIGNAL_LABELS, signal_label
from paylens.charts.tables import metric_option_label
from paylens.snapshot import DEFAULT_SERIES, build_bundle
from paylens.ui.filters import Filters, pair_choice, url_choice, url_multichoice
from paylens.ui.store import db_path, handle, run
from paylens.url_state import DEFAULT_VIEW


def snapshot_data(params: dict[str, object], data_dir: str) -> Callable[[], bytes]:
    """A zero-argument function returning the zip for these parameters, for `st.download_button(data=...)`.

    Streamlit calls it on click, in a worker thread without the script's context, so everything that needs
    the script (the page address, the cached store handle) is resolved here; the bundle is built from the
    store as it is at click time (`StoreHandle.current()` reopens after a rebuild, thread-safely).
    """
    store = handle(db_path())
    base = st.context.url.split("?")[0].rsplit("/", 1)[0] if st.context.url else "http://localhost:8501"
    filters = {k: list(v) if isinstance(v, list | tuple) else v for k, v in params.items()}

    def bundle() -> bytes:
        con, _ = store.current()
        return build_bundle(con, filters, Path(data_dir), base)

    return bundle


def view_choices(f: Filters, names: dict[str, str]) -> dict[str, str]:
    """Every page's choices, as widgets scoped to this page (read from and kept in the URL), by URL key."""
    catalogue = run("metric_catalogue", f.params())
    labels = {row["metric"]: metric_option_label(row) for _, row in catalogue.iterrows()}
    metrics = list(labels) or [DEFAULT_VIEW["metric"]]

    def label(metric_id: str) -> str:
        return labels.get(metric_id, metric_id)

    st.subheader("The view")
    c1, c2 = st.columns(2)
    with c1:
        metric = url_choice("Metrics: metric", "metric", metrics, _first(DEFAULT_VIEW["metric"], metrics),
                            format_func=label, scope="snap")
        family_of = {m: labels.get(m, "").split(" · ")[0] for m in metrics}
        extra = url_multichoice("Metrics: series beside it", "with",
                                [m for m in metrics if m != metric and family_of[m] == family_of[metric]],
                                format_func=label, scope="snap")
        family = url_choice("Overview: coverage family", "family", ["", *sorted(catalogue["family"].unique())], "",
                            format_func=lambda v: v or "All families", scope="snap")
    with c2:
        signal = url_choice("Signals: signal", "signal", list(SIGNAL_LABELS), DEFAULT_VIEW["signal"],
                            format_func=signal_label, scope="snap")
        focus = url_choice("Signals: evidence platform", "focus", ["", *f.competitors], "", scope="snap",
                           format_func=lambda p: names.get(p, p) if p else "All selected platforms")
        mode = url_choice("Signals: heatmap colour", "mode", list(MODES), DEFAULT_VIEW["mode"], format_func=MODES.get,
                          scope="snap")
    platform, rival = pair_choice(names, f.competitors, ("Compare: platform", "Compare: rival"), scope="snap")
    s1, s2, s3 = st.columns(3)
    subject = url_choice("Story vs numbers: platform", "subject", f.competitors, f.competitors[0],
                         format_func=names.get, where=s1, scope="snap")
    series = url_choice("Story vs numbers: series", "series", metrics, _first(DEFAULT_SERIES, metrics),
                        format_func=label, where=s2, scope="snap")
    with s3:
        themes = url_multichoice("Story vs numbers: signals", "themes", list(SIGNAL_LABELS), format_func=signal_label,
                                 default=DEFAULT_VIEW["themes"].split(","), scope="snap")
    return {"metric": metric, "with": ",".join(extra), "family": family, "signal": signal, "focus": focus or "",
            "mode": mode, "platform": platform, "rival": rival, "subject": subject, "series": series,
            "themes": ",".join(themes)}


def _first(preferred: str, options: list[str]) -> str:
    """The preferred option when it is offered, else the first one."""
    return preferred if preferred in options else options[0]
