"""The store on a DuckLake: PostgreSQL catalog, Parquet data files, one snapshot per build.

`PAYLENS_DB=ducklake:postgres:<libpq DSN>` with `PAYLENS_LAKE_DATA=<folder or s3://...>` puts the store in a
DuckLake instead of a file. A build still writes a complete temp DuckDB file exactly as for a file store; then
`publish` copies it into the lake in ONE transaction (every table and macro replaced), so DuckLake commits one
snapshot and readers see the previous snapshot until it commits, never half a build. Writers are serialised
across machines by a PostgreSQL advisory lock held for the whole write (`write_lock`).

Readers (`LakeHandle`, `open_lake_store`) serve in one of two ways (`PAYLENS_LAKE_SERVE`):
- `local` (default): materialise the newest snapshot into a local DuckDB file (`PAYLENS_LAKE_CACHE`), swapped
  in atomically, and serve it exactly like a file store; the lake is asked for its newest snapshot id at most
  every `CHECK_SECONDS`, never per query.
- `direct`: query a read-only attach of the lake pinned at the newest snapshot id.

The extensions come from the pip packages duckdb-extension-ducklake and duckdb-extension-postgres-scanner and
are loaded by file path; nothing is downloaded at run time (autoinstall and autoload are off).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
from filelock import FileLock

from paylens.errors import InputError, StoreError
from paylens.store.connection import (
    STORE_ALIAS,
    USE_STORE,
    StoreConnection,
    _literal,
    build_id,
    open_file_store,
    store_error,
)
from paylens.store.swap import TEMP_MARK, clean_temp_files, replacing

LAKE_PREFIX = "ducklake:"  # the same as store.reader's (which dispatches on it without importing this module)
CATALOG_PREFIX = "ducklake:postgres:"
SERVE_MODES = ("local", "direct")
DEFAULT_SERVE = "local"  # measured: see BENCHMARKS.md (DuckLake section)
CHECK_SECONDS = 2.0  # how often a reader asks the catalog for the newest snapshot id
LOCK_TIMEOUT = 600.0  # seconds a writer waits for another writer (same as the file store's lock)
_EXTENSIONS = (("duckdb_extension_postgres_scanner", "postgres_scanner"), ("duckdb_extension_ducklake", "ducklake"))
SNAPSHOT_TABLE = "lake_snapshot"  # one row in a materialised copy: the DuckLake snapshot it holds
SQL_FILES = (Path(__file__).with_name("schema.sql"), Path(__file__).with_name("aggregates.sql"))
COMMIT_AUTHOR = "paylens"
_MACRO = re.compile(r"\s*create\s+(or\s+replace\s+)?macro\b", re.IGNORECASE)


def is_lake(db: str | Path | None) -> bool:
    """Whether a store setting (PAYLENS_DB / --db) names a DuckLake rather than a file."""
    return db is not None and str(db).startswith(LAKE_PREFIX)


@dataclass(frozen=True)
class LakeSpec:
    """Where a DuckLake store lives and how this process serves it."""

    dsn: str  # libpq DSN of the PostgreSQL catalog database
    data_path: str  # PAYLENS_LAKE_DATA: absolute local folder (ends in '/') or an object-store URL
    serve: str = DEFAULT_SERVE
    cache_dir: Path = Path("data/build/lake-cache")

    @property
    def spec(self) -> str:
        """The PAYLENS_DB value."""
        return CATALOG_PREFIX + self.dsn

    @property
    def key(self) -> str:
        """A short name for this lake (catalog + data path), for cache and lock file names."""
        return hashlib.sha256(f"{self.dsn}\n{self.data_path}".encode()).hexdigest()[:12]

    @property
    def cache_file(self) -> Path:
        """The local materialised copy (serve mode local)."""
        return self.cache_dir / f"lake-{self.key}.duckdb"

    @property
    def build_file(self) -> Path:
        """Base name of the temp DuckDB file a build writes before publishing it (never live itself)."""
        return self.cache_dir / f"lake-{self.key}-build.duckdb"

    @property
    def local_data(self) -> bool:
        """Whether the data files are in a local folder (not object storage)."""
        return "://" not in self.data_path


def parse_spec(db: str | Path, env: dict[str, str] | None = None) -> LakeSpec:
    """A LakeSpec from a `ducklake:postgres:<dsn>` setting and the PAYLENS_LAKE_* variables; InputError if bad.

    The cache folder defaults to `<PAYLENS_DATA or ./data>/build/lake-cache` (not --data: every command of
    one deployment must find the same cache and lock files whatever folder it reads sources from).
    """
    env = dict(os.environ if env is None else env)
    text = str(db)
    problems = []
    if not text.startswith(CATALOG_PREFIX) or not text[len(CATALOG_PREFIX):].strip():
        problems.append(f"PAYLENS_DB:1: {text!r} is not a DuckLake spec: expected "
                        f"'ducklake:postgres:dbname=... host=... user=...' (a PostgreSQL catalog)")
    data = env.get("PAYLENS_LAKE_DATA", "").strip()
    if not data:
        problems.append("PAYLENS_LAKE_DATA:1: not set: a DuckLake store needs the folder (or s3://bucket/prefix/) "
                        "for its data files in PAYLENS_LAKE_DATA")
    serve = env.get("PAYLENS_LAKE_SERVE", "").strip() or DEFAULT_SERVE
    if serve not in SERVE_MODES:
        problems.append(f"PAYLENS_LAKE_SERVE:1: {serve!r}: expected one of {', '.join(SERVE_MODES)}")
    if problems:
        raise InputError(problems)
    if "://" not in data:
        data = str(Path(data).resolve()) + "/"  # DuckLake stores the data path: make it the same from any cwd
    elif not data.endswith("/"):
        data += "/"
    root = Path(env.get("PAYLENS_DATA") or Path(__file__).resolve().parents[2] / "data")
    cache = Path(env.get("PAYLENS_LAKE_CACHE") or Path(root) / "build" / "lake-cache").resolve()
    return LakeSpec(dsn=text[len(CATALOG_PREFIX):].strip(), data_path=data, serve=serve, cache_dir=cache)


def extension_paths() -> list[Path]:
    """The postgres_scanner and ducklake extension files shipped in their pip packages, for this DuckDB."""
    import importlib.util

    paths = []
    for package, name in _EXTENSIONS:
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            raise StoreError(f"the Python package {package.replace('_', '-')} is missing: it ships the {name} "
                             f"DuckDB extension a DuckLake store needs (pip install it, version {duckdb.__version__})")
        path = Path(list(found.submodule_search_locations)[0]) / "extensions" / f"v{duckdb.__version__}"
        path = path / f"{name}.duckdb_extension"
        if not path.is_file():
            raise StoreError(f"{path} not found: install {package.replace('_', '-')}=={duckdb.__version__}")
        paths.append(path)
    return paths


def lake_duckdb(database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the two extensions loaded from their files (nothing fetched, nothing autoloaded)."""
    con = duckdb.connect(database, config={"autoinstall_known_extensions": False,
                                           "autoload_known_extensions": False})
    try:
        for path in extension_paths():
            con.execute(f"load {_literal(str(path))}")
    except BaseException:
        con.close()
        raise
    return con


_tools: duckdb.DuckDBPyConnection | None = None
_tools_guard = threading.Lock()


def _tool_cursor() -> duckdb.DuckDBPyConnection:
    """A new connection on this process's one DuckDB instance for catalog work (locks, publishing, snapshot ids).

    Loading and verifying the two extensions costs ~0.4 s per DuckDB instance, so the writer's and the checker's
    work shares one instance (never handed to query code); each reader gets a private, locked-down instance.
    """
    global _tools
    with _tools_guard:
        if _tools is None:
            _tools = lake_duckdb()
        return _tools.cursor()


def _lake_alias(cur: duckdb.DuckDBPyConnection, spec: LakeSpec) -> str:
    """The tool instance's (writable, unpinned) attach of this lake, made on first use."""
    alias = f"lake_{spec.key}"
    _attach(cur, spec, alias, read_only=False, if_missing=True)
    return alias


def _forget(spec: LakeSpec) -> None:
    """Drop the tool instance's attach of the lake after an error (its catalog connection may be broken)."""
    cur = _tool_cursor()
    try:
        cur.execute(f"detach database if exists lake_{spec.key}")
    except duckdb.Error:
        pass  # a failed detach leaves an attach the next call will fail on and report
    finally:
        cur.close()


def _attach(con: duckdb.DuckDBPyConnection, spec: LakeSpec, alias: str, read_only: bool,
            snapshot: int | None = None, if_missing: bool = False) -> None:
    """Attach the lake under alias (read-only and pinned at a snapshot for readers)."""
    options = [f"data_path {_literal(spec.data_path)}"]
    if read_only:
        options.append("read_only")
    if snapshot is not None:
        options.append(f"snapshot_version {int(snapshot)}")
    try:
        con.execute(f"attach {'if not exists ' if if_missing else ''}{_literal(spec.spec)} as {alias} "
                    f"({', '.join(options)})")
    except duckdb.Error as exc:
        raise _lake_error(exc, spec, writing=not read_only) from exc


def _lake_error(exc: BaseException, spec: LakeSpec, writing: bool = False) -> StoreError:
    """A StoreError naming the lake (never its DSN's password) and what to do."""
    dsn = " ".join(p for p in spec.dsn.split() if not p.lower().startswith("password"))
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if writing:
        return StoreError(f"could not publish to the DuckLake ({dsn}; data {spec.data_path}): {detail}; the lake "
                          f"still holds its previous snapshot. Fix the cause, then run `paylens build`.")
    return StoreError(f"cannot read the DuckLake ({dsn}; data {spec.data_path}): {detail}; check that its "
                      f"PostgreSQL catalog is reachable, or run `paylens build` to publish a first snapshot.")


# ---- writing ---------------------------------------------------------------------------------------------------


def _lock_key(spec: LakeSpec) -> int:
    """The advisory lock id of this lake's writers (a signed 64-bit number from its data path)."""
    return int.from_bytes(hashlib.sha256(f"paylens-lake\n{spec.data_path}".encode()).digest()[:8], "big",
                          signed=True)


class LakeWriteLock:
    """One writer at a time on a lake, across machines: a PostgreSQL advisory lock, plus the local file lock.

    The advisory lock is transaction-scoped and held by a dedicated connection until release (or until the
    process dies: PostgreSQL drops the lock with the connection, so a killed writer never blocks the next).
    Re-entrant within one process, like the file store's lock.
    """

    def __init__(self, spec: LakeSpec, timeout: float = LOCK_TIMEOUT) -> None:
        self.spec = spec
        self.timeout = timeout
        self._depth = 0  # re-entry count of the owning thread (other threads wait on _owner)
        self._owner = threading.RLock()
        self._cur: duckdb.DuckDBPyConnection | None = None
        spec.cache_dir.mkdir(parents=True, exist_ok=True)
        self._local = FileLock(str(spec.cache_dir / f"lake-{spec.key}.write.lock"), timeout=timeout)

    def acquire(self) -> None:
        """Wait (up to the timeout) until no other writer holds this lake."""
        if not self._owner.acquire(timeout=self.timeout):  # another thread of this process is writing
            raise StoreError(f"another writer has held the DuckLake for over {self.timeout:.0f} s; "
                             f"try again when its build is done")
        if self._depth:
            self._depth += 1
            return
        try:
            self._local.acquire()
        except BaseException:
            self._owner.release()
            raise
        try:
            cur = _tool_cursor()
            pg = f"catalog_{self.spec.key}"
            try:
                cur.execute(f"attach if not exists {_literal(self.spec.dsn)} as {pg} (type postgres)")
                cur.execute("begin")  # one PostgreSQL transaction (one connection) holds the lock until release
                deadline = time.monotonic() + self.timeout
                while not cur.execute("select * from postgres_query($db, $sql)",
                                      {"db": pg, "sql": f"select pg_try_advisory_xact_lock({_lock_key(self.spec)})"}
                                      ).fetchone()[0]:
                    if time.monotonic() > deadline:
                        raise StoreError(f"another writer has held the DuckLake for over {self.timeout:.0f} s; "
                                         f"try again when its build is done")
                    time.sleep(0.2)
            except BaseException:
                _end(cur)
                raise
        except duckdb.Error as exc:
            self._local.release()
            self._owner.release()
            raise _lake_error(exc, self.spec, writing=True) from exc
        except BaseException:
            self._local.release()
            self._owner.release()
            raise
        self._cur = cur
        self._depth = 1

    def release(self) -> None:
        """Let the next writer in."""
        self._depth -= 1
        if self._depth:
            self._owner.release()
            return
        cur, self._cur = self._cur, None
        try:
            if cur is not None:
                _end(cur)  # ends the PostgreSQL transaction: the advisory lock goes with it
        finally:
            self._local.release()
            self._owner.release()

    def __enter__(self) -> LakeWriteLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _end(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back a tool connection's open transaction (if any) and close it."""
    try:
        cur.rollback()
    except duckdb.Error:
        pass  # no transaction open
    finally:
        cur.close()


_locks: dict[LakeSpec, LakeWriteLock] = {}
_locks_guard = threading.Lock()


def write_lock(spec: LakeSpec) -> LakeWriteLock:
    """The process's write lock for this lake (one object per lake, so nested use re-enters it)."""
    with _locks_guard:
        if spec not in _locks:
            _locks[spec] = LakeWriteLock(spec)
        return _locks[spec]


def _macro_statements() -> list[str]:
    """The CREATE MACRO statements of the store's SQL files (DuckLake keeps macros, not constraints)."""
    con = duckdb.connect()
    try:
        out = []
        for path in SQL_FILES:
            for stmt in con.extract_statements(path.read_text(encoding="utf-8")):
                code = "\n".join(line for line in stmt.query.splitlines() if not line.lstrip().startswith("--"))
                if stmt.type == duckdb.StatementType.CREATE and _MACRO.match(code):
                    out.append(stmt.query)
        return out
    finally:
        con.close()


def _names(con: duckdb.DuckDBPyConnection, database: str, kind: str) -> list[str]:
    """Tables or macros (scalar and table) in a database's main schema."""
    if kind == "table":
        sql = "select table_name from duckdb_tables() where database_name = $db and schema_name = 'main'"
    else:
        sql = ("select distinct function_name from duckdb_functions() where database_name = $db "
               "and schema_name = 'main' and function_type in ('macro', 'table_macro') and not internal")
    return sorted(r[0] for r in con.execute(sql, {"db": database}).fetchall())


def _ident(name: str) -> str:
    """A quoted identifier (table names come from the store file's own catalog)."""
    return '"' + name.replace('"', '""') + '"'


def publish(spec: LakeSpec, store_file: Path, build: str, before_commit: Callable[[], None] | None = None) -> int:
    """Copy a complete store file into the lake as ONE snapshot (caller holds write_lock); return its id.

    Every table of the lake is replaced by the file's (tables the file lacks are dropped) and the macros are
    created afresh, all in one transaction: a failure or a kill at any point leaves the previous snapshot.
    `before_commit` is called just before COMMIT (tests read, raise or get killed there to prove that claim).
    """
    con = _tool_cursor()
    src = f"src_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        lake = _lake_alias(con, spec)
        con.execute(f"attach {_literal(str(store_file))} as {src} (read_only)")
        con.execute("begin")
        for name in _names(con, lake, "macro"):
            kind = "macro table" if con.execute(
                "select count(*) from duckdb_functions() where database_name = $db and function_name = $n "
                "and function_type = 'table_macro'", {"db": lake, "n": name}).fetchone()[0] else "macro"
            con.execute(f"drop {kind} {lake}.main.{_ident(name)}")
        for name in _names(con, lake, "table"):
            con.execute(f"drop table {lake}.main.{_ident(name)}")
        for name in _names(con, src, "table"):
            # Constraints (primary keys) stay behind: DuckLake has none. The rows are the file's, but not their order:
            # the copy is written by parallel threads (measured: the 10M store's tables come back reordered). No named
            # query relies on stored order; each sorts what it returns (tests/deploy compares them all with the file's).
            con.execute(f"create table {lake}.main.{_ident(name)} as select * from {src}.main.{_ident(name)}")  # noqa: S608
        con.execute(f"use {lake}")
        for statement in _macro_statements():
            con.execute(statement)
        con.execute(f"call {lake}.set_commit_message($author, $message)",
                    {"author": COMMIT_AUTHOR, "message": f"paylens build {build}"})
        if before_commit is not None:
            before_commit()
        con.execute("commit")
        return newest_snapshot_on(con, lake)
    except duckdb.Error as exc:
        _end(con)
        _forget(spec)
        raise _lake_error(exc, spec, writing=True) from exc
    finally:
        _end(con)
        _detach(src)


@contextmanager
def publishing(spec: LakeSpec, build: str) -> Iterator[tuple[Path, list[int]]]:
    """A temp file path for the body to write a whole store into; on return it is published as one snapshot.

    Yields (path, box): after the block, box[0] is the new snapshot id. The temp file is removed either way.
    Call while holding write_lock(spec).
    """
    spec.cache_dir.mkdir(parents=True, exist_ok=True)
    clean_temp_files(spec.build_file)
    tmp = spec.build_file.with_name(f"{spec.build_file.name}{TEMP_MARK}{os.getpid()}")
    box: list[int] = []
    try:
        yield tmp, box
        box.append(publish(spec, tmp, build))
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def load_file(spec: LakeSpec, store_file: Path) -> tuple[str, int]:
    """Publish an existing store file (a synthetic one, a file store) as the lake's next snapshot.

    Returns (build id, snapshot id). The file is read, never changed; the lake's writers are locked out meanwhile.
    """
    if not store_file.is_file():
        raise InputError(f"{store_file}:1: no such store file")
    src = open_file_store(store_file)
    try:
        build = build_id(src)
    finally:
        src.close()
    with write_lock(spec):
        return build, publish(spec, store_file, build)


def prune(spec: LakeSpec, keep: timedelta) -> tuple[int, int]:
    """Expire snapshots older than `keep` (never the newest) and delete the data files only they used.

    Every build writes a full set of Parquet files and old snapshots keep theirs, so a lake grows by one store
    per build until pruned. Keep more than a replica needs to copy a snapshot (minutes): a reader pinned to an
    expired snapshot loses its files. Returns (snapshots expired, files deleted); runs under the write lock.
    """
    with write_lock(spec):
        con = _tool_cursor()
        try:
            lake = _lake_alias(con, spec)
            cutoff = datetime.now(UTC) - keep
            expired = con.execute("call ducklake_expire_snapshots($lake, older_than => $cutoff)",
                                  {"lake": lake, "cutoff": cutoff}).fetchall()
            deleted = con.execute("call ducklake_cleanup_old_files($lake, cleanup_all => true)",
                                  {"lake": lake}).fetchall()
            return len(expired), len(deleted)
        except duckdb.Error as exc:
            _forget(spec)
            raise _lake_error(exc, spec, writing=True) from exc
        finally:
            con.close()


# ---- reading ---------------------------------------------------------------------------------------------------


def newest_snapshot_on(con: duckdb.DuckDBPyConnection, alias: str) -> int:
    """The newest snapshot id of a lake attached as alias (one catalog round trip)."""
    return int(con.execute(f"select max(snapshot_id) from {alias}.snapshots()").fetchone()[0])  # noqa: S608


def newest_snapshot(spec: LakeSpec) -> int:
    """The newest snapshot id in the lake's catalog (one round trip once the tool instance has attached it)."""
    con = _tool_cursor()
    try:
        return newest_snapshot_on(con, _lake_alias(con, spec))
    except duckdb.Error as exc:
        _forget(spec)
        raise _lake_error(exc, spec) from exc
    finally:
        con.close()


def _detach(alias: str) -> None:
    """Detach a temporary attach from the tool instance."""
    cur = _tool_cursor()
    try:
        cur.execute(f"detach database if exists {alias}")
    finally:
        cur.close()


def _published(con: duckdb.DuckDBPyConnection, spec: LakeSpec) -> None:
    """StoreMissing-style error when the lake has no PayLens build yet (only DuckLake's empty first snapshot)."""
    if "build_info" not in _names(con, STORE_ALIAS, "table"):
        raise StoreError(f"the DuckLake ({spec.data_path}) holds no PayLens store yet; run `paylens build` "
                         f"with PAYLENS_DB set to it")


def open_direct(spec: LakeSpec, snapshot: int | None = None) -> StoreConnection:
    """A read-only connection to the lake pinned at a snapshot (the newest when None); SQL file access off.

    Like open_store: a private in-memory instance, the lake attached read-only as the default catalog, file
    access limited to the lake's data folder, configuration locked.
    """
    if snapshot is None:
        snapshot = newest_snapshot(spec)
    con = lake_duckdb()
    try:
        _attach(con, spec, STORE_ALIAS, read_only=True, snapshot=snapshot)
        con.execute(USE_STORE)
        _published(con, spec)
        if spec.local_data:
            con.execute("set allowed_directories = $dirs", {"dirs": [spec.data_path]})
            con.execute("set enable_external_access = false")  # only the lake's own data files can be read
        con.execute("set lock_configuration = true")
    except duckdb.Error as exc:
        con.close()
        raise _lake_error(exc, spec) from exc
    except BaseException:
        con.close()
        raise
    return StoreConnection(con, lake_snapshot=snapshot)


def materialised_snapshot(path: Path) -> int | None:
    """The lake snapshot a materialised copy holds, or None (no copy, or not one)."""
    if not path.is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(f"select snapshot_id from {SNAPSHOT_TABLE}").fetchone()  # noqa: S608
        return int(row[0]) if row else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def _copy_snapshot(con: duckdb.DuckDBPyConnection, lake: str, copy: str) -> None:
    """Copy every table and macro of an attached lake snapshot into an empty attached DuckDB file.

    The tables schema.sql declares are created from it first, so the copy has the file store's primary keys
    and column types (DuckLake keeps no keys) and plans as the file store does; the rows are the lake's, in its
    order.
    """
    con.execute(f"use {copy}")
    con.execute(SQL_FILES[0].read_text(encoding="utf-8"))  # schema.sql: the source tables and scalar macros
    declared = set(_names(con, copy, "table"))
    for name in _names(con, lake, "table"):
        if name in declared:
            con.execute(f"insert into {copy}.main.{_ident(name)} by name select * from {lake}.main.{_ident(name)}")  # noqa: S608
        else:
            con.execute(f"create table {copy}.main.{_ident(name)} as select * from {lake}.main.{_ident(name)}")  # noqa: S608
    for name in declared - set(_names(con, lake, "table")):
        con.execute(f"drop table {copy}.main.{_ident(name)}")  # the lake's build had no such table: neither do we
    existing = set(_names(con, copy, "macro"))
    for statement in _macro_statements():
        if not any(re.search(rf"\bmacro\s+{re.escape(m)}\s*\(", statement) for m in existing):
            con.execute(statement)


def materialise(spec: LakeSpec, snapshot: int) -> Path:
    """Copy one lake snapshot into the local cache file (temp file + atomic swap); return the file's path.

    Replicas sharing a cache folder take turns (a file lock); one that finds the copy already current skips it.
    """
    target = spec.cache_file
    spec.cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock", timeout=LOCK_TIMEOUT):
        held = materialised_snapshot(target)
        if held is not None and held >= snapshot:
            return target
        clean_temp_files(target)
        try:
            with replacing(target) as tmp:
                con = _tool_cursor()
                tag = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
                try:
                    _attach(con, spec, f"snap_{tag}", read_only=True, snapshot=snapshot)
                    con.execute(f"attach {_literal(str(tmp))} as copy_{tag}")
                    _copy_snapshot(con, f"snap_{tag}", f"copy_{tag}")
                    con.execute(f"create table copy_{tag}.{SNAPSHOT_TABLE} as select $id::bigint as snapshot_id, "  # noqa: S608
                                f"$data as data_path, now() as materialised_at", {"id": snapshot,
                                                                                   "data": spec.data_path})
                    con.execute(f"checkpoint copy_{tag}")
                finally:
                    con.close()
                    _detach(f"snap_{tag}")
                    _detach(f"copy_{tag}")
        except duckdb.Error as exc:
            raise _lake_error(exc, spec) from exc
        except OSError as exc:
            raise store_error(exc, target, writing=True) from exc
    return target


def open_local(spec: LakeSpec, snapshot: int) -> StoreConnection:
    """A read-only connection to the local copy of a snapshot (materialising it first if needed).

    The copy may be newer than asked for (another replica sharing the cache folder got there first): the
    connection is labelled with the snapshot the file it opened holds.
    """
    con = open_file_store(materialise(spec, snapshot))
    try:
        con.lake_snapshot = int(con.execute(f"select snapshot_id from {SNAPSHOT_TABLE}").fetchone()[0])  # noqa: S608
    except (duckdb.Error, TypeError) as exc:
        con.close()
        raise store_error(exc, spec.cache_file) from exc
    return con


def open_lake_store(spec: LakeSpec) -> StoreConnection:
    """A one-off read-only connection to the lake's newest snapshot (CLI commands, imports' checks).

    In local mode a current local copy is used when there is one; otherwise the lake is read directly: a
    one-off query never pays for copying the whole store.
    """
    snapshot = newest_snapshot(spec)
    if spec.serve == "local" and materialised_snapshot(spec.cache_file) == snapshot:
        return open_local(spec, snapshot)
    return open_direct(spec, snapshot)


class LakeHandle:
    """StoreHandle for a lake: one open connection, replaced when the lake's newest snapshot id changes.

    Requests never wait on the catalog once a first snapshot is open: at most every CHECK_SECONDS a background
    thread asks for the newest snapshot id and, when it changed, opens it (local mode: copies it first) and
    swaps it in, while the previous connection keeps serving. A failed check or copy is retried after
    RETRY_SECONDS (kept in `last_error`); an unreachable catalog leaves the last snapshot serving.
    """

    RETRY_SECONDS = 30.0

    def __init__(self, spec: LakeSpec, check_seconds: float = CHECK_SECONDS) -> None:
        self.spec = spec
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._con: StoreConnection | None = None
        self._build_id = ""
        self._snapshot: int | None = None
        self._due = 0.0  # monotonic time of the next check
        self._pending: threading.Thread | None = None
        self.last_error: BaseException | None = None

    @property
    def snapshot(self) -> int | None:
        """The snapshot id being served."""
        return self._snapshot

    def _open(self, snapshot: int) -> StoreConnection:
        return open_local(self.spec, snapshot) if self.spec.serve == "local" else open_direct(self.spec, snapshot)

    def _swap(self, con: StoreConnection) -> None:
        # Queries still running on the old connection finish on it; GC closes it once nothing refers to it.
        self._build_id = build_id(con)
        self._con, self._snapshot = con, con.lake_snapshot

    def _refresh(self) -> None:
        """Check the newest snapshot id and swap a connection to it in, off the request path."""
        try:
            newest = newest_snapshot(self.spec)
            if newest != self._snapshot:
                con = self._open(newest)
                with self._lock:
                    self._swap(con)
            self.last_error = None
        except BaseException as exc:  # noqa: BLE001 - kept and retried later; the old snapshot keeps serving
            self.last_error = exc
            self._due = time.monotonic() + self.RETRY_SECONDS
        finally:
            self._pending = None

    def current(self) -> tuple[StoreConnection, str]:
        """The connection for the newest snapshot seen (the previous one while a new one is opened) and its build id."""
        with self._lock:
            now = time.monotonic()
            if self._con is None:  # the first request opens the newest snapshot itself (errors reach the caller)
                newest = newest_snapshot(self.spec)
                self._swap(self._open(newest))
                self._due = now + self.check_seconds
            elif now >= self._due and self._pending is None:
                self._due = now + self.check_seconds
                self._pending = threading.Thread(target=self._refresh, daemon=True, name="paylens-lake-check")
                self._pending.start()
            return self._con, self._build_id

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a check (and copy) in progress: tests and scripts."""
        pending = self._pending
        if pending is not None:
            pending.join(timeout)
