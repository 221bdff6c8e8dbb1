"""Replace a store file atomically: write a temp file beside it, then os.replace it onto the live name.

Used by `paylens build` and `paylens synth` alike. A crash at any point leaves the old store intact; readers
keep the old inode until they reopen. Call these while holding the store's lock (store.build.lock_for).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_MARK = ".tmp-"


def clean_temp_files(db_path: Path) -> list[Path]:
    """Remove temp stores left by a killed build (call only while holding the lock)."""
    removed = []
    for leftover in db_path.parent.glob(db_path.name + TEMP_MARK + "*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)  # DuckDB's spill folder "<temp store>.tmp"
        else:
            leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def swap_in(tmp: Path, live: Path) -> None:
    """Atomically replace the live store; readers keep the old inode until they reopen."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, live)
    dir_fd = os.open(live.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def replacing(live: Path) -> Iterator[Path]:
    """A fresh temp path beside `live` for the body to write (checkpointed and closed) a whole new store into.

    When the body returns, the temp file is synced and swapped onto `live`; whatever happens, the temp file and
    its WAL are gone afterwards, so a failed write leaves the live store and no debris.
    """
    tmp = live.with_name(f"{live.name}{TEMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        yield tmp
        swap_in(tmp, live)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
