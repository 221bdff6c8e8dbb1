"""A read-only connection to one store file, with file access from SQL switched off (reader and lake build on it).

store.reader (which serves files and lakes alike) re-exports these names; store.lake uses them directly.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paylens.errors import StoreError, StoreMissingError

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


REBUILD = "run `paylens build` to rebuild it from data/ (nothing in data/ is lost)"
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
_NO_WRITE = (errno.EACCES, errno.EPERM, errno.EROFS)


def store_error(exc: BaseException, db_path: Path, writing: bool = False) -> StoreError:
    """A StoreError saying, in plain words, why the store could not be opened, read or written, and how to recover.

    For any OSError or duckdb.Error met on the store: a full disk, a read-only folder, a damaged file. The CLI
    prints it (exit 1); the dashboard shows `str(store_error(exc, path))` in `st.error`, never a traceback.
    `writing` is True while a build writes a new store beside the live one (which is then still intact), or
    an import saves a file into data/ (`db_path` is then that file; the import is undone).
    """
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    code = exc.errno if isinstance(exc, OSError) else None
    folder = db_path.parent
    if code in _NO_SPACE or "no space left" in detail.lower() or "disk quota" in detail.lower():
        return StoreError(f"no space left on the disk holding {folder} ({detail}); the store and data/ were not "
                          f"changed. Free some space, then run `paylens build`.")
    if code in _NO_WRITE or any(m in detail.lower() for m in ("permission denied", "read-only file system")):
        if writing or code is not None:
            return StoreError(f"cannot write in {folder} ({detail}); the store and data/ were not changed. Make the "
                              f"folder writable, or pick another store path with --db or PAYLENS_DB, then run "
                              f"`paylens build`.")
        return StoreError(f"cannot read the store {db_path} ({detail}); check its permissions, or {REBUILD}.")
    if writing:
        return StoreError(f"could not write {db_path} ({detail}); the live store and data/ were not changed. "
                          f"Fix the cause, then run `paylens build`.")
    return StoreError(f"cannot read the store {db_path}: it is damaged or not a PayLens store ({detail}); {REBUILD}.")


def _literal(text: str) -> str:
    """A SQL string literal (ATTACH takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


class StoreConnection:
    """A read-only connection to one store file; its cursors read that store too.

    Behaves like the DuckDB connection it wraps (execute, sql, df, close, ... are passed through);
    only `cursor()` differs: a DuckDB cursor starts in the in-memory default catalog, so each new
    cursor is pointed at the store (and wrapped the same way) before it is handed out.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, lake_snapshot: int | None = None) -> None:
        self._con = con
        self.lake_snapshot = lake_snapshot  # the DuckLake snapshot id served (None for a file store)

    def cursor(self) -> StoreConnection:
        cur = self._con.cursor()
        cur.execute(USE_STORE)
        return StoreConnection(cur, self.lake_snapshot)

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def open_file_store(db_path: Path) -> StoreConnection:
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
        try:
            con.execute(f"attach {_literal(str(db_path))} as {STORE_ALIAS} (read_only)")
        except (duckdb.Error, OSError) as exc:  # a damaged or foreign file, or one we may not read
            raise store_error(exc, db_path) from exc
        con.execute(USE_STORE)
        con.execute("set enable_external_access = false")  # no file or network access from SQL
        con.execute("set lock_configuration = true")  # and no way to switch it back on
    except BaseException:
        con.close()
        raise
    return StoreConnection(con)


def lake_snapshot(con: StoreConnection | duckdb.DuckDBPyConnection) -> int | None:
    """The DuckLake snapshot id a connection serves (None for a file store)."""
    return getattr(con, "lake_snapshot", None) if isinstance(con, StoreConnection) else None


def build_id(con: StoreConnection | duckdb.DuckDBPyConnection) -> str:
    """The build id (sha256 of data/) stored in the file; StoreError when the file has no build_info."""
    try:
        row = con.execute("select build_id from build_info").fetchone()
    except duckdb.CatalogException as exc:
        raise StoreError(f"the store has no build_info table: it is not a PayLens store or from an old "
                         f"version; {REBUILD}") from exc
    return row[0] if row else ""
