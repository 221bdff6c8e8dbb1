"""Open the store read-only, with file access from SQL switched off."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paylens.errors import StoreMissingError

READ_CONFIG = {"enable_external_access": False}


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


def open_store(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the store; never writes, never reads other files."""
    generation(db_path)
    return duckdb.connect(str(db_path), read_only=True, config=READ_CONFIG)


def build_id(con: duckdb.DuckDBPyConnection) -> str:
    """The build id (sha256 of data/) stored in the file."""
    row = con.execute("select build_id from build_info").fetchone()
    return row[0] if row else ""
