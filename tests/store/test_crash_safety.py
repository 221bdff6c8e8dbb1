"""A build killed with SIGKILL leaves the previous store answering; leftovers and stale locks never block."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest
from filelock import FileLock

from paylens import queries
from paylens.config import settings
from paylens.store.build import build, lock_for
from paylens.store.reader import build_id, open_store
from paylens.store.sources import digest
from paylens.store.swap import TEMP_MARK

PAYLENS = Path(sys.executable).with_name("paylens")
NEW_ROW = ("alipay,monthly_active_users,2031-01,2031-01-01,2031-01-31,1001,million_users,PayLens test,Crash test,"
           "https://example.test/crash,2031-02,approximate,written before the killed builds\n")


def temp_files(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if TEMP_MARK in p.name)


def answer(db: Path) -> tuple[str, int]:
    """Open the store as the dashboard does and run a named query: (build id, platforms)."""
    con = open_store(db)
    try:
        return build_id(con), len(queries.run(con, "platforms"))
    finally:
        con.close()


def start_build(data: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([str(PAYLENS), "build", "--data", str(data), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the build; True when it was still running (so it really died mid-way)."""
    running = proc.poll() is None
    if running:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    return running and proc.returncode == -signal.SIGKILL


def lock_is_free(db: Path) -> bool:
    """The store's lock can be taken at once (a dead holder's flock died with it)."""
    lock = FileLock(str(db) + ".lock", timeout=5)
    with lock:
        return True


@pytest.fixture
def live(data_copy: Path, tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A built store (old id); then data/ changes so a finished rebuild would carry the new id."""
    db = tmp_path / "store" / "paylens.duckdb"
    old = build(settings(data_copy, db)).build_id
    with (data_copy / "metrics.csv").open("a", encoding="utf-8") as fh:
        fh.write(NEW_ROW)
    return data_copy, db, old, digest(data_copy)


def test_builds_killed_at_random_moments_leave_a_working_store(live):
    data, db, old, new = live
    expected_platforms = answer(db)[1]
    rng = random.Random(20250217)
    killed = 0
    for _ in range(8):
        proc = start_build(data, db)
        time.sleep(rng.uniform(0.05, 1.5))
        killed += kill(proc)
        bid, n = answer(db)
        # Killed before the swap: the previous store; killed after it: the complete new one. Never anything else.
        assert bid in (old, new)
        assert n == expected_platforms
        assert lock_is_free(db)
    assert killed >= 1  # the delays above are shorter than a build, so at least one really died mid-way
    finished = subprocess.run([str(PAYLENS), "build", "--data", str(data), "--db", str(db)],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert answer(db)[0] == new
    assert temp_files(db) == []


def test_build_killed_while_writing_the_temp_store(live):
    """Kill the moment the temp store appears: the live file is untouched and the next build cleans up."""
    data, db, old, new = live
    before = db.read_bytes()
    for _ in range(2):
        proc = start_build(data, db)
        deadline = time.monotonic() + 60
        while not temp_files(db) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        assert kill(proc), "the build finished before its temp store was seen"
        assert db.read_bytes() == before
        assert answer(db)[0] == old
        assert temp_files(db) != []  # SIGKILL skipped the clean-up ...
        assert lock_is_free(db)      # ... but not the release of the flock
    result = build(settings(data, db))  # ... which the next build does first
    assert result.build_id == new
    assert answer(db)[0] == new
    assert temp_files(db) == []


def test_the_store_lock_is_an_flock(tmp_path):
    """fcntl.flock dies with its process, so a killed writer can never leave the lock held."""
    assert filelock.has_fcntl
    lock = lock_for(tmp_path / "s.duckdb")
    assert isinstance(lock, filelock.UnixFileLock)
    with lock:
        assert not (tmp_path / "s.duckdb.lock").read_bytes()  # no pid marker: not the soft-lock fallback


def test_import_killed_before_the_swap_is_finished_by_the_next_run(live, tmp_path):
    """The import's file was saved, then SIGKILL hit the rebuild: re-running it brings the store up to date."""
    data, db, old, _ = live
    src = tmp_path / "crash.csv"
    src.write_text("platform_id,metric,period,period_start,period_end,value,unit,source_publisher,source_title,"
                   "source_url,source_date,confidence,note\n" + NEW_ROW.replace("2031-01", "2032-01")
                   .replace("crash,", "crash-import,"), encoding="utf-8")
    proc = subprocess.Popen([str(PAYLENS), "import-metrics", str(src), "--data", str(data), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list((data / "imports").glob("*.csv")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert kill(proc), "the import finished before its file was seen"
    saved = list((data / "imports").glob("*.csv"))
    assert [p.read_bytes() for p in saved] == [src.read_bytes()]  # saved whole (written to a temp name first)
    assert answer(db)[0] == old  # the store is the previous one
    again = subprocess.run([str(PAYLENS), "import-metrics", str(src), "--data", str(data), "--db", str(db)],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("0 new rows (1 already saved in data/); the store lagged behind data/ and was "
                                   "rebuilt (build ")
    assert answer(db)[0] == digest(data)
    con = open_store(db)
    try:
        assert con.execute("select count(*) from metric_values "
                           "where source_url = 'https://example.test/crash-import'").fetchone() == (1,)
    finally:
        con.close()
    assert list((data / "imports").iterdir()) == saved  # no half-written leftovers either


def test_stale_lock_file_and_leftovers_do_not_block_the_next_build(live):
    data, db, old, new = live
    Path(str(db) + ".lock").write_text("pid 999999 was here\n")  # a stale lock file with junk in it
    dead = db.name + TEMP_MARK + "4242-deadbeef"
    for path in (db.with_name(dead), db.with_name(dead + ".wal")):
        path.write_bytes(b"half a store")
    spill = db.with_name(dead + ".tmp")  # DuckDB's spill folder of the dead build
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"\0" * 1024)
    finished = subprocess.run([str(PAYLENS), "build", "--data", str(data), "--db", str(db)],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert answer(db)[0] == new
    assert temp_files(db) == []
