"""A damaged store file, a read-only store folder and a full disk: a clear message with the way back
(`paylens build`), exit 1, no traceback, and the store and data/ as they were (issue 20)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import duckdb
import filelock
import pytest
from click.testing import CliRunner

import paylens.store.build as build_module
from paylens.cli.main import cli
from paylens.config import settings
from paylens.errors import StoreError
from paylens.store.build import build
from paylens.store.reader import open_store, store_error
from paylens.store.swap import TEMP_MARK
from tests.conftest import snapshot_tree
from tests.store.test_import_metrics import csv_bytes


@pytest.fixture
def live(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "store" / "paylens.duckdb"
    build(settings(data_copy, db))
    return data_copy, db


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert isinstance(result.exception, SystemExit | None), result.exception  # never an uncaught traceback
    assert "Traceback" not in result.output
    return result


def state(data: Path, db: Path) -> tuple[dict, bytes, list[str]]:
    """data/ files, the live store's bytes, and what else is in the store folder (temp files)."""
    return snapshot_tree(data), db.read_bytes(), sorted(p.name for p in db.parent.iterdir())


# ---- a damaged store -------------------------------------------------------------------------------------

def damage(db: Path, how: str) -> None:
    if how == "garbage":
        db.write_bytes(os.urandom(64_000))
    elif how == "truncated":
        with db.open("r+b") as fh:
            fh.truncate(db.stat().st_size // 3)
    elif how == "text":
        db.write_text("not a database\n")
    elif how == "foreign":
        db.unlink()
        con = duckdb.connect(str(db))
        con.execute("create table something_else (a int)")
        con.close()


@pytest.mark.parametrize("how", ["garbage", "truncated", "text", "foreign"])
def test_a_damaged_store_says_how_to_recover(live, tmp_path, how):
    data, db = live
    damage(db, how)
    before = state(data, db)
    for args in (["export", "latest_values"], ["snapshot", "--out", str(tmp_path / "s.zip"), "--data", str(data)]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 1, result.output
        assert "run `paylens build`" in result.stderr, result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "s.zip").exists()
    assert state(data, db) == before
    rebuilt = run("build", "--data", str(data), "--db", str(db))  # the recovery the message names works
    assert rebuilt.exit_code == 0, rebuilt.output
    assert run("export", "platforms", "--db", str(db)).exit_code == 0


def test_open_store_raises_store_error_for_a_damaged_file(tmp_path):
    db = tmp_path / "bad.duckdb"
    db.write_text("not a database\n")
    with pytest.raises(StoreError, match=r"damaged or not a PayLens store .*run `paylens build`"):
        open_store(db)


# ---- a full disk -----------------------------------------------------------------------------------------

def test_a_full_disk_during_a_build_keeps_the_live_store(live, monkeypatch):
    data, db = live
    before = state(data, db)

    def full(path, *args, **kwargs):
        Path(path).write_bytes(b"half a store")  # some of it got written, then the disk filled up
        raise duckdb.IOException(f'IO Error: Could not write file "{path}": No space left on device')

    monkeypatch.setattr(build_module, "write_store", full)
    result = run("build", "--data", str(data), "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"no space left on the disk holding {db.parent} (")
    assert "the store and data/ were not changed" in result.stderr and "run `paylens build`" in result.stderr
    assert state(data, db) == before  # no temp store left behind either


def test_a_full_disk_while_saving_an_import_changes_nothing(live, tmp_path, monkeypatch):
    data, db = live
    src = tmp_path / "m.csv"
    src.write_bytes(csv_bytes({}))
    before = state(data, db)
    real_write = Path.write_bytes

    def full(self, payload):
        if ".partial" in self.name:
            real_write(self, payload[:10])
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, payload)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = run("import-metrics", str(src), "--data", str(data), "--db", str(db))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"no space left on the disk holding {data / 'imports'} (")
    assert not list((data / "imports").glob("*")) and state(data, db) == before


# ---- a read-only store folder ----------------------------------------------------------------------------

def test_a_store_folder_that_refuses_the_lock_file(live, monkeypatch):
    data, db = live
    before = state(data, db)

    def refuse(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", self.lock_file)

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    result = run("build", "--data", str(data), "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"cannot write in {db.parent} ([Errno 30] Read-only file system")
    assert "--db or PAYLENS_DB" in result.stderr and "run `paylens build`" in result.stderr
    assert state(data, db) == before


def test_a_store_folder_where_duckdb_may_not_create_the_new_store(live, monkeypatch):
    data, db = live
    before = state(data, db)

    def denied(path, *args, **kwargs):
        raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Permission denied')

    monkeypatch.setattr(build_module.duckdb, "connect", denied)
    result = run("build", "--data", str(data), "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"cannot write in {db.parent} (IO Error: Cannot open file")
    assert state(data, db) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_really_read_only_store_folder(live):
    data, db = live
    before = state(data, db)
    db.parent.chmod(0o555)
    try:
        result = run("build", "--data", str(data), "--db", str(db))
        assert result.exit_code == 1
        assert result.stderr.startswith(f"cannot write in {db.parent}")
        assert run("export", "platforms", "--db", str(db)).exit_code == 0  # reading still works
    finally:
        db.parent.chmod(0o755)
    assert state(data, db) == before


@pytest.mark.parametrize("exc, writing, start", [
    (OSError(errno.ENOSPC, "No space left on device"), True, "no space left on the disk holding /s ("),
    (duckdb.IOException("IO Error: Could not write: No space left on device"), True, "no space left on the disk"),
    (OSError(errno.EACCES, "Permission denied"), True, "cannot write in /s ("),
    (duckdb.IOException('IO Error: Cannot open file "x": Read-only file system'), True, "cannot write in /s ("),
    (duckdb.IOException('IO Error: Cannot open file "x": Permission denied'), False, "cannot read the store /s/p.db"),
    (duckdb.IOException("IO Error: not a valid DuckDB database file!"), False,
     "cannot read the store /s/p.db: it is damaged"),
    (duckdb.InternalException("INTERNAL Error: boom"), True, "could not write /s/p.db (INTERNAL Error: boom)"),
])
def test_store_error_messages(exc, writing, start):
    message = str(store_error(exc, Path("/s/p.db"), writing=writing))
    assert message.startswith(start), message
    assert "paylens build" in message


def test_no_temp_store_is_left_when_a_build_fails(live, monkeypatch):
    data, db = live

    def fail(path, *args, **kwargs):
        shutil.copy(db, path)
        raise duckdb.IOException("IO Error: Could not write file: No space left on device")

    monkeypatch.setattr(build_module, "write_store", fail)
    assert run("build", "--data", str(data), "--db", str(db)).exit_code == 1
    assert [p.name for p in db.parent.iterdir() if TEMP_MARK in p.name] == []
