"""Open the store read-only, with file access from SQL switched off."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paylens.errors import StoreMissingError

STORE_ALIAS = "store"
USE_STORE = "use store"  # the alias above as a fixed statement


@dataclass(frozen=True)
class Generation:
    """Identity of one built store file: a rebuild swaps in a new inode."""

    inode: int
    mtime_ns: int
    size: int


def generation(db_path: Path) -> Generation:
    """The current store file's generation (changes on every atomic swap)."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        raise StoreMissingError(f"no store at {db_path}; run `paylens build` (or `make run`) first") from None
    return Generation(st.st_ino, st.st_mtime_ns, st.st_size)


def _literal(text: str) -> str:
    """A SQL string literal (ATTACH takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


class StoreConnection:
    """A read-only connection to one store file; its cursors read that store too.

    Behaves like the DuckDB connection it wraps (execute, sql, df, close, ... are passed through);
    only `cursor()` differs: a DuckDB cursor starts in the in-memory default catalog, so each new
    cursor is pointed at the store (and wrapped the same way) before it is handed out.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def cursor(self) -> StoreConnection:
        cur = self._con.cursor()
        cur.execute(USE_STORE)
        return StoreConnection(cur)

    def __getattr__(self, name: str):
        return getattr(self._con, name)

    def __enter__(self) -> StoreConnection:
        return self

    def __exit__(self, *exc) -> None:
        self._con.close()


def open_store(db_path: Path) -> StoreConnection:
    """A read-only connection to the store file as it is now; never writes, never reads other files.

    `duckdb.connect(path)` hands out one shared database instance per (resolved) path for the whole
    process: after a rebuild swapped a new file in, it would keep answering from the replaced file for
    as long as any old connection or cursor lives, and it refuses a second connection with another
    config. So every call gets a private in-memory instance with the file attached read-only and made
    the default catalog (tables, views and macros all resolve in it); then file access from SQL is
    switched off and the configuration locked.
    """
    generation(db_path)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach {_literal(str(db_path))} as {STORE_ALIAS} (read_only)")
        con.execute(USE_STORE)
        con.execute("set enable_external_access = false")  # no file or network access from SQL
        con.execute("set lock_configuration = true")  # and no way to switch it back on
    except BaseException:
        con.close()
        raise
    return StoreConnection(con)


def build_id(con: StoreConnection | duckdb.DuckDBPyConnection) -> str:
    """The build id (sha256 of data/) stored in the file."""
    row = con.execute("select build_id from build_info").fetchone()
    return row[0] if row else ""


class StoreHandle:
    """Holds one open read-only connection; reopens when a rebuild swapped a new file in."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._lock = threading.Lock()
        self._gen: Generation | None = None
        self._con: StoreConnection | None = None
        self._build_id = ""

    def current(self) -> tuple[StoreConnection, str]:
        """The connection for the newest store file and its build id."""
        gen = generation(self.db_path)
        with self._lock:
            if gen != self._gen or self._con is None:
                # Queries still running on the old connection keep the old inode alive;
                # it is closed by GC once nothing refers to it, so no reader sees an error.
                self._con = open_store(self.db_path)
                self._build_id = build_id(self._con)
                self._gen = gen
            return self._con, self._build_id
