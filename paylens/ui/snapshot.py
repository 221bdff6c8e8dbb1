"""Snapshot bundle for the app, cached per filters and build."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from paylens.snapshot import build_bundle
from paylens.ui.store import db_path, handle


@st.cache_data(show_spinner="Building snapshot…", max_entries=16, ttl=600)
def _bundle(items: tuple, data_dir: str, build: str, base_url: str) -> bytes:
    con, _ = handle(db_path()).current()
    return build_bundle(con, dict(items), Path(data_dir), base_url)


def snapshot_bytes(params: dict[str, object], data_dir: str) -> bytes:
    """The zip for these parameters (rebuilt when the store's build id changes)."""
    _, build = handle(db_path()).current()
    base = st.context.url.split("?")[0].rsplit("/", 1)[0] if st.context.url else "http://localhost:8501"
    items = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _bundle(items, data_dir, build, base)
