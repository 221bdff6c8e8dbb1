"""One cached read-only connection per store file generation, and cached named queries."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from paylens import queries
from paylens.config import settings
from paylens.store.reader import Generation, build_id, generation, open_store


class StoreHandle:
    """Holds the open connection; reopens when a rebuild swapped a new file in."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._lock = threading.Lock()
        self._gen: Generation | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._build_id = ""

    def current(self) -> tuple[duckdb.DuckDBPyConnection, str]:
        """The connection for the newest store file and its build id."""
        gen = generation(self.db_path)
        with self._lock:
            if gen != self._gen or self._con is None:
                # The old connection keeps the old inode alive for queries still running on it;
                # it is dropped (and closed by GC) once nothing refers to it.
                self._con = open_store(self.db_path)
                self._build_id = build_id(self._con)
                self._gen = gen
            return self._con, self._build_id


@st.cache_resource(show_spinner=False)
def handle(db_path: str) -> StoreHandle:
    """The process-wide handle for a store path."""
    return StoreHandle(Path(db_path))


def db_path() -> str:
    """The store path from env/defaults, read once per call (cheap)."""
    return str(settings().db_path)


@st.cache_data(show_spinner=False, max_entries=512, ttl=6 * 3600)
def _cached(name: str, items: tuple, build: str, path: str) -> pd.DataFrame:
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
