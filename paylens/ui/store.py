"""One cached read-only connection per store file generation, and cached named queries."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from paylens import queries
from paylens.config import settings
from paylens.store.reader import StoreHandle


@st.cache_resource(show_spinner=False)
def handle(db_path: str) -> StoreHandle:
    """The process-wide handle for a store path."""
    return StoreHandle(Path(db_path))


def db_path() -> str:
    """The store path from env/defaults, read once per call (cheap)."""
    return str(settings().db_path)


@st.cache_data(show_spinner=False, max_entries=512, ttl=6 * 3600)
def _cached(name: str, items: tuple, build: str, path: str) -> pd.DataFrame:
    """One query's rows; `build` (the store's build id) is only part of the cache key: a rebuild misses."""
    con, _ = handle(path).current()
    return queries.run(con, name, dict(items))


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def run(name: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run a named query through the cache keyed by name, parameters and build id."""
    path = db_path()
    _, build = handle(path).current()
    bound = queries.bind(queries.get(name), params)
    items = tuple(sorted((k, _key(v)) for k, v in bound.items()))
    return _cached(name, items, build, path)


def current_build_id() -> str:
    """Build id of the store the app is reading."""
    return handle(db_path()).current()[1]


@st.cache_resource(show_spinner=False)
def extractor(lexicon_dir: str):
    """The signal extractor, built once per lexicon folder."""
    from paylens.signals.extract import Extractor

    return Extractor.from_dir(Path(lexicon_dir))



def chart_rows(name: str, view: Mapping[str, object]) -> pd.DataFrame:
    """The rows behind one chart for a view, through the snapshot's own translation (so page and zip agree)."""
    from paylens.snapshot import chart_frame

    return chart_frame(run, name, view)


@st.cache_resource(show_spinner=False)
def lexicon(lexicon_dir: str):
    """The lexicon, loaded once per folder (for attribution reasons beside evidence)."""
    from paylens.signals.lexicon import load_lexicon

    return load_lexicon(Path(lexicon_dir))
