"""Open the store read-only, with file access from SQL switched off."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paylens.errors import StoreMissingError

STORE_ALIAS = "store"


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


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def open_store(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the store file as it is now; never writes, never reads other files.

    `duckdb.connect(path)` shares one database instance per path across the process, so after
    a rebuild swapped a new file in it would keep answering from the replaced file for as long as
    any old connection lives (and refuses a second connection with another config). Instead every
    call gets a private in-memory instance with the file attached read-only and each stored table
    exposed under its own name as a view, which cursors of the connection see too. Then file access
    is switched off and the configuration locked.
    """
    generation(db_path)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach {_literal(str(db_path))} as {STORE_ALIAS} (read_only)")
        tables = con.execute("select table_name from information_schema.tables "
                             "where table_catalog = $c and table_schema = 'main' order by table_name",
                             {"c": STORE_ALIAS}).fetchall()
        for (table,) in tables:
            con.execute(f"create view main.{_ident(table)} as "  # noqa: S608 (names come from the store's catalog)
                        f"select * from {STORE_ALIAS}.main.{_ident(table)}")
        con.execute("set enable_external_access = false")  # no file or network access from SQL
        con.execute("set lock_configuration = true")  # and no way to switch it back on
    except BaseException:
        con.close()
        raise
    return con


def build_id(con: duckdb.DuckDBPyConnection) -> str:
    """The build id (sha256 of data/) stored in the file."""
    row = con.execute("select build_id from build_info").fetchone()
    return row[0] if row else ""


class StoreHandle:
    """Holds one open read-only connection; reopens when a rebuild swapped a new file in."""

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
                # Queries still running on the old connection keep the old inode alive;
                # it is closed by GC once nothing refers to it, so no reader sees an error.
                self._con = open_store(self.db_path)
                self._build_id = build_id(self._con)
                self._gen = gen
            return self._con, self._build_id
