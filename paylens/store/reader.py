"""Open the store read-only, with file access from SQL switched off: a file, or a DuckLake (store.lake).

The file-level pieces live in store.connection (store.lake builds on them too) and are re-exported here.
"""

from __future__ import annotations

import threading
from pathlib import Path

from paylens.store.connection import (  # noqa: F401 - re-exported: callers import them from here
    REBUILD,
    STORE_ALIAS,
    USE_STORE,
    Generation,
    StoreConnection,
    _literal,
    build_id,
    generation,
    lake_snapshot,
    open_file_store,
    store_error,
)

LAKE_PREFIX = "ducklake:"  # a store setting naming a DuckLake (store.lake), not a file


def open_store(db_path: Path) -> StoreConnection:
    """A read-only connection to the store as it is now; never writes, never reads other files.

    A file store: see connection.open_file_store. A `ducklake:postgres:...` setting opens the lake's newest
    snapshot instead (store.lake.open_lake_store).
    """
    if str(db_path).startswith(LAKE_PREFIX):
        from paylens.store.lake import open_lake_store, parse_spec

        return open_lake_store(parse_spec(db_path))
    return open_file_store(db_path)


class StoreHandle:
    """Holds one open read-only connection; reopens when a rebuild swapped a new file in.

    For a `ducklake:postgres:...` setting it serves the lake's newest snapshot instead (store.lake.LakeHandle).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._lock = threading.Lock()
        self._gen: Generation | None = None
        self._con: StoreConnection | None = None
        self._build_id = ""
        self._lake = None
        if str(db_path).startswith(LAKE_PREFIX):
            from paylens.store.lake import LakeHandle, parse_spec

            self._lake = LakeHandle(parse_spec(db_path))

    def current(self) -> tuple[StoreConnection, str]:
        """The connection for the newest store file (or lake snapshot) and its build id."""
        if self._lake is not None:
            return self._lake.current()
        gen = generation(self.db_path)
        with self._lock:
            if gen != self._gen or self._con is None:
                # Queries still running on the old connection keep the old inode alive;
                # it is closed by GC once nothing refers to it, so no reader sees an error.
                self._con = open_file_store(self.db_path)
                self._build_id = build_id(self._con)
                self._gen = gen
            return self._con, self._build_id
