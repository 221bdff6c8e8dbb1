"""Snapshot bundle for the app, built only when its download button is clicked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from paylens.snapshot import build_bundle
from paylens.ui.store import db_path, handle


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
