"""The store on a DuckLake (store.lake): same query results as the file store, one snapshot per build, crash safety.

Needs PostgreSQL for the catalog (one throwaway cluster per session, tests/deploy/conftest.py); the spec checks
at the bottom need none.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from paylens import queries
from paylens.cli.main import cli
from paylens.config import settings
from paylens.errors import InputError, StoreError
from paylens.snapshot import build_bundle
from paylens.store import lake
from paylens.store.build import build
from paylens.store.reader import StoreHandle, build_id, open_store
from tests.conftest import make_fixture_data
from tests.deploy.conftest import lake_database, pg_cluster  # noqa: F401 - the session's PostgreSQL fixture
from tests.test_queries import SAMPLES  # the contract test's parameters: every query returns rows where it can

EXTRA_ROW = ("alipay,market_share_third_party_mobile_payment_analysys,2031-Q1,2031-01-01,2031-03-31,50,percent,"
             "Test,Test title,https://example.org/lake-test,2031-04-30,secondary,lake test row\n")


@pytest.fixture(scope="module")
def lake_place(pg_cluster, tmp_path_factory) -> dict[str, str]:  # noqa: F811 - the imported fixture
    """One lake (its own catalog database and data folder) for this module, as PAYLENS_* variables."""
    root = tmp_path_factory.mktemp("lake")
    return {"PAYLENS_DB": lake_database(pg_cluster, "store"), "PAYLENS_LAKE_DATA": str(root / "data_files"),
            "PAYLENS_LAKE_CACHE": str(root / "cache")}


def _spec(place: dict[str, str], **env: str) -> lake.LakeSpec:
    return lake.parse_spec(place["PAYLENS_DB"], env={**place, **env})


@pytest.fixture(scope="module")
def published(lake_place, fixture_data) -> int:
    """The fixture data built into the lake with `paylens build` code; the snapshot id it published."""
    saved = {k: os.environ.get(k) for k in lake_place}
    os.environ.update(lake_place)
    try:
        result = build(settings(fixture_data, lake_place["PAYLENS_DB"]))
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    assert result.lake_snapshot is not None
    return result.lake_snapshot


@pytest.fixture(scope="module")
def other_store(fixture_data, tmp_path_factory) -> Path:
    """A file store of the fixture data plus one metric row: a build that differs from the first."""
    data = make_fixture_data(tmp_path_factory.mktemp("other") / "data")
    with (data / "metrics.csv").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_ROW)
    db = data.parent / "other.duckdb"
    build(settings(data, db))
    return db


def _params(con, name: str) -> dict[str, str]:
    q = queries.get(name)
    params = {p: SAMPLES[p] for p in q.params if p in SAMPLES}
    if "article_id" in q.params:
        params["article_id"] = con.execute("select min(article_id) from articles").fetchone()[0]
    return params


def _all_frames(con) -> dict[str, pd.DataFrame]:
    return {name: queries.run(con, name, _params(con, name)) for name in sorted(queries.load_all())}


def _other_than_lake(spec: lake.LakeSpec, *stores: Path) -> Path:
    """One of the store files whose build is not the lake's newest (so publishing it would change the lake)."""
    current = build_id(lake.open_lake_store(spec))
    return next(s for s in stores if build_id(open_store(s)) != current)


def _fingerprint(con) -> dict[str, tuple]:
    """Every table's row count and a hash over all its rows: equal fingerprints, equal stores."""
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = 'store'")
              .fetchall()]
    assert "metric_values" in tables and "build_info" in tables
    return {t: con.execute(f'select count(*), sum(hash(t)) from "{t}" t').fetchone() for t in sorted(tables)}


@pytest.mark.parametrize("serve", ["direct", "local"])
def test_every_named_query_gives_the_file_stores_result(published, lake_place, fixture_store, serve, tmp_path):
    spec = dataclasses.replace(_spec(lake_place, PAYLENS_LAKE_SERVE=serve), cache_dir=tmp_path / "cache")
    handle = lake.LakeHandle(spec)
    con, build = handle.current()
    file_con = open_store(fixture_store)
    try:
        assert build == build_id(file_con)
        assert con.lake_snapshot == published
        assert (spec.cache_file.exists()) is (serve == "local")  # local serves a copy; direct reads the lake
        mine, theirs = _all_frames(con.cursor()), _all_frames(file_con)
    finally:
        file_con.close()
    assert sum(len(f) for f in theirs.values()) > 100  # the comparison is over real rows, not empty frames
    for name in theirs:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)


def test_a_build_publishes_one_snapshot_and_readers_see_the_previous_one_until_commit(
        published, lake_place, other_store):
    spec = _spec(lake_place, PAYLENS_LAKE_SERVE="direct")
    before = lake.newest_snapshot(spec)
    seen: dict[str, object] = {}

    def read_mid_publish() -> None:
        con = lake.open_lake_store(spec)
        seen["snapshot"], seen["build"] = con.lake_snapshot, build_id(con)
        seen["rows"] = con.execute("select count(*) from metric_values").fetchone()[0]

    other_build = build_id(open_store(other_store))
    with lake.write_lock(spec):
        after = lake.publish(spec, other_store, other_build, before_commit=read_mid_publish)
    assert seen["snapshot"] == before and seen["build"] != other_build  # everything uncommitted stays hidden
    assert after == before + 1  # one build, one snapshot
    con = lake.open_lake_store(spec)
    assert (con.lake_snapshot, build_id(con)) == (after, other_build)
    assert con.execute("select count(*) from metric_values").fetchone()[0] == seen["rows"] + 1
    old = lake.open_direct(spec, before)  # and the previous snapshot stays readable by its id
    assert build_id(old) == seen["build"]


def test_a_failed_publish_leaves_the_previous_snapshot_whole(published, lake_place, other_store, fixture_store):
    spec = _spec(lake_place, PAYLENS_LAKE_SERVE="direct")
    before = lake.newest_snapshot(spec)
    expected = _fingerprint(lake.open_direct(spec, before))
    new_file = _other_than_lake(spec, fixture_store, other_store)
    assert expected != _fingerprint(open_store(new_file))  # so a half-published store would show

    def fail() -> None:
        raise RuntimeError("disk gone")

    with lake.write_lock(spec), pytest.raises(RuntimeError, match="disk gone"):
        lake.publish(spec, new_file, "never-committed", before_commit=fail)
    assert lake.newest_snapshot(spec) == before
    assert _fingerprint(lake.open_lake_store(spec)) == expected


KILLED_WRITER = """
import sys, time
from pathlib import Path
from paylens.store import lake
spec = lake.parse_spec(sys.argv[1])
with lake.write_lock(spec):
    lake.publish(spec, Path(sys.argv[2]), "killed", before_commit=lambda: (print("ready", flush=True), time.sleep(60)))
"""


def test_a_writer_killed_mid_publish_leaves_the_previous_snapshot_and_frees_the_lock(
        published, lake_place, fixture_store, other_store, tmp_path):
    spec = _spec(lake_place, PAYLENS_LAKE_SERVE="direct")
    before = lake.newest_snapshot(spec)
    expected = _fingerprint(lake.open_direct(spec, before))
    env = {**os.environ, **lake_place, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    new_file = _other_than_lake(spec, fixture_store, other_store)
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, lake_place["PAYLENS_DB"], str(new_file)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = writer.stdout.readline()  # the writer dropped and re-created every table, uncommitted
        assert line.strip() == "ready", writer.stderr.read()
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(10)
    assert lake.newest_snapshot(spec) == before
    assert _fingerprint(lake.open_lake_store(spec)) == expected
    # PostgreSQL dropped the dead writer's advisory lock with its connection: the next writer gets in at once.
    with lake.LakeWriteLock(dataclasses.replace(spec, cache_dir=tmp_path), timeout=5):
        pass


def test_writers_on_two_machines_take_turns(published, lake_place, tmp_path):
    spec = _spec(lake_place)
    here = lake.LakeWriteLock(dataclasses.replace(spec, cache_dir=tmp_path / "a"), timeout=0.5)
    there = lake.LakeWriteLock(dataclasses.replace(spec, cache_dir=tmp_path / "b"), timeout=0.5)  # no shared file
    with here, pytest.raises(StoreError, match="another writer"):
        there.acquire()
    with there:  # free again once the first writer is done
        pass


def test_threads_of_one_process_take_turns_and_one_thread_may_re_enter(published, lake_place, tmp_path):
    lock = lake.LakeWriteLock(dataclasses.replace(_spec(lake_place), cache_dir=tmp_path), timeout=0.5)
    failures: list[BaseException] = []

    def other_thread() -> None:
        try:
            lock.acquire()
            lock.release()
        except StoreError as exc:
            failures.append(exc)

    with lock, lock:  # re-entered by its own thread
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join(10)
    assert len(failures) == 1 and "another writer" in str(failures[0])
    worker = threading.Thread(target=other_thread)  # released twice over: free for the other thread now
    worker.start()
    worker.join(10)
    assert len(failures) == 1


def test_local_mode_swaps_in_a_copy_when_the_snapshot_changes(published, lake_place, other_store, fixture_store,
                                                               tmp_path):
    spec = dataclasses.replace(_spec(lake_place, PAYLENS_LAKE_SERVE="local"), cache_dir=tmp_path / "cache")
    handle = lake.LakeHandle(spec, check_seconds=0)
    con1, build1 = handle.current()
    first = handle.snapshot
    assert lake.materialised_snapshot(spec.cache_file) == first
    assert handle.current() == (con1, build1)  # nothing new: the same connection, no copy
    new_file = _other_than_lake(spec, fixture_store, other_store)
    new_build = build_id(open_store(new_file))
    with lake.write_lock(spec):
        second = lake.publish(spec, new_file, new_build)
    handle.current()  # notices the new id and copies it in the background
    handle.wait(60)
    con2, build2 = handle.current()
    assert (handle.snapshot, build2, con2.lake_snapshot) == (second, new_build, second)
    assert lake.materialised_snapshot(spec.cache_file) == second
    assert con1.execute("select build_id from build_info").fetchone()[0] == build1  # old readers finish on the old copy
    assert not list(spec.cache_dir.glob("*.tmp-*"))


def test_store_handle_and_snapshot_manifest_name_the_lake_snapshot(published, lake_place, fixture_data, monkeypatch):
    for key, value in {**lake_place, "PAYLENS_LAKE_SERVE": "direct"}.items():
        monkeypatch.setenv(key, value)
    handle = StoreHandle(Path(lake_place["PAYLENS_DB"]))
    con, _ = handle.current()
    with zipfile.ZipFile(__import__("io").BytesIO(build_bundle(con.cursor(), {}, fixture_data))) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["lake_snapshot"] == con.lake_snapshot == lake.newest_snapshot(_spec(lake_place))
    assert manifest["build_id"] == build_id(con)


@pytest.mark.parametrize("serve", ["direct", "local"])
def test_bench_times_every_query_on_the_lake_as_a_replica_serves_it(published, lake_place, serve, tmp_path,
                                                                     monkeypatch):
    for key, value in {**lake_place, "PAYLENS_LAKE_SERVE": serve, "PAYLENS_LAKE_CACHE": str(tmp_path)}.items():
        monkeypatch.setenv(key, value)
    args = ["bench", "--db", lake_place["PAYLENS_DB"], "--json", "--repeat", "1", "--min-sample-seconds", "0",
            "--no-pages", "--no-naive", "--signals-seconds", "0.1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {q["name"] for q in report["queries"]} >= set(queries.load_all())
    assert report["lake"]["serve"] == serve
    assert report["lake"]["snapshot"] == lake.newest_snapshot(_spec(lake_place))
    spec = _spec(lake_place, PAYLENS_LAKE_SERVE=serve, PAYLENS_LAKE_CACHE=str(tmp_path))
    # local: the queries ran on the copy a replica would serve (made first, timed); direct: no copy at all
    assert (lake.materialised_snapshot(spec.cache_file) == report["lake"]["snapshot"]) is (serve == "local")
    assert ("materialise_s" in report["lake"]) is (serve == "local")
    refused = CliRunner().invoke(cli, [*args[:3], "--build-rows", "10"])
    assert refused.exit_code == 2 and "--build-rows" in refused.output


def test_import_metrics_writes_the_lake_and_a_repeat_adds_nothing(published, lake_place, data_copy, tmp_path,
                                                                 monkeypatch):
    for key, value in lake_place.items():
        monkeypatch.setenv(key, value)
    spec = _spec(lake_place)
    before = lake.newest_snapshot(spec)
    csv = tmp_path / "more.csv"
    csv.write_text((data_copy / "metrics.csv").read_text(encoding="utf-8").splitlines()[0] + "\n" + EXTRA_ROW,
                   encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(cli, ["import-metrics", str(csv), "--data", str(data_copy)])
    assert first.exit_code == 0, first.output
    assert lake.newest_snapshot(spec) == before + 1
    again = runner.invoke(cli, ["import-metrics", str(csv), "--data", str(data_copy)])
    assert again.exit_code == 0 and "nothing changed" in again.output, again.output
    assert lake.newest_snapshot(spec) == before + 1


def test_prune_keeps_the_newest_snapshot_and_deletes_files_only_old_ones_used(published, lake_place, fixture_store,
                                                                               other_store):
    spec = _spec(lake_place, PAYLENS_LAKE_SERVE="direct")
    new_file = _other_than_lake(spec, fixture_store, other_store)
    with lake.write_lock(spec):
        newest = lake.publish(spec, new_file, build_id(open_store(new_file)))  # so there is an older snapshot
    expected = _fingerprint(lake.open_direct(spec, newest))
    files = set(Path(lake_place["PAYLENS_LAKE_DATA"]).rglob("*.parquet"))
    expired, deleted = lake.prune(spec, timedelta(0))
    left = set(Path(lake_place["PAYLENS_LAKE_DATA"]).rglob("*.parquet"))
    assert expired >= 1 and deleted == len(files - left) > 0 and left < files
    assert lake.newest_snapshot(spec) == newest
    assert _fingerprint(lake.open_lake_store(spec)) == expected


# ---- the spec (no PostgreSQL needed) ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec, env, message", [
    ("ducklake:postgres:dbname=x host=127.0.0.1", {}, "PAYLENS_LAKE_DATA:1: not set"),
    ("ducklake:postgres:", {"PAYLENS_LAKE_DATA": "/tmp/x"}, "is not a DuckLake spec"),
    ("ducklake:sqlite:x.db", {"PAYLENS_LAKE_DATA": "/tmp/x"}, "PostgreSQL catalog"),
    ("ducklake:postgres:dbname=x", {"PAYLENS_LAKE_DATA": "/tmp/x", "PAYLENS_LAKE_SERVE": "fast"},
     "PAYLENS_LAKE_SERVE:1: 'fast'"),
])
@pytest.mark.parametrize("command", [["build"], ["export", "platforms"], ["import-metrics", "{csv}"]])
def test_a_bad_lake_setting_exits_2_with_the_reason(spec, env, message, command, monkeypatch, data_copy, tmp_path):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    csv = tmp_path / "m.csv"
    csv.write_text((data_copy / "metrics.csv").read_text(encoding="utf-8"), encoding="utf-8")
    args = [a.replace("{csv}", str(csv)) for a in command]
    result = CliRunner().invoke(cli, [*args, "--db", spec] + (["--data", str(data_copy)] if command[0] != "export"
                                                               else []))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (data_copy / "imports").exists() and not (data_copy / "build").exists()  # nothing written


def test_the_spec_resolves_the_data_folder_and_cache(tmp_path):
    spec = lake.parse_spec("ducklake:postgres:dbname=x host=h", env={
        "PAYLENS_LAKE_DATA": str(tmp_path / "files"), "PAYLENS_DATA": str(tmp_path / "d")})
    assert spec.dsn == "dbname=x host=h" and spec.data_path == str(tmp_path / "files") + "/"
    assert spec.serve == lake.DEFAULT_SERVE and spec.cache_dir == tmp_path / "d" / "build" / "lake-cache"
    s3 = lake.parse_spec("ducklake:postgres:dbname=x", env={"PAYLENS_LAKE_DATA": "s3://bucket/pay",
                                                            "PAYLENS_LAKE_CACHE": str(tmp_path / "c")})
    assert (s3.data_path, s3.local_data, s3.cache_dir) == ("s3://bucket/pay/", False, tmp_path / "c")
    with pytest.raises(InputError):
        settings(db_path="ducklake:postgres:dbname=x")  # checked as soon as the settings are read


def test_extensions_load_from_the_packages_without_the_network():
    paths = lake.extension_paths()
    assert [p.name for p in paths] == ["postgres_scanner.duckdb_extension", "ducklake.duckdb_extension"]
    con = lake.lake_duckdb()
    try:
        loaded = {r[0] for r in con.execute("select extension_name from duckdb_extensions() where loaded")
                  .fetchall()}
        assert {"ducklake", "postgres_scanner"} <= loaded
        assert con.execute("select current_setting('autoinstall_known_extensions')").fetchone()[0] is False
    finally:
        con.close()
