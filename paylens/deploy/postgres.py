"""A throwaway PostgreSQL cluster in a folder, for a DuckLake catalog in tests and local team runs.

    with TempCluster(tmp / "pg") as pg:        # or: pg = TempCluster(folder); spec = pg.start(); ...; pg.stop()
        os.environ["PAYLENS_DB"] = pg.spec     # "ducklake:postgres:dbname=paylens host=127.0.0.1 port=..."
        ...                                     # pg.dsn is the libpq DSN alone (what `psql "$DSN"` takes)

The cluster listens on 127.0.0.1 only (no unix socket), on a free port in 55400-55499 unless one is given, with
`trust` authentication: fit for a test or a single-machine demo, never for a shared server. PostgreSQL refuses to
run as root, so as root the cluster runs as the `postgres` user (created by Debian's package) in a folder owned
by it. `postgres_available()` says why a cluster cannot be started here (None when it can).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

PORTS = range(55400, 55500)
DEFAULT_DB = "paylens"
SUPERUSER = "postgres"
_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")
_TOOLS = ("initdb", "pg_ctl", "createdb")


def pg_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and createdb (Debian's versioned folder, else PATH), or None."""
    for folder in _BIN_DIRS:
        if all((Path(folder) / tool).is_file() for tool in _TOOLS):
            return Path(folder)
    found = shutil.which("initdb")
    if found and all(shutil.which(tool) for tool in _TOOLS):
        return Path(found).parent
    return None


def postgres_available() -> str | None:
    """None when a throwaway cluster can be started here, else the reason it cannot (for a test skip)."""
    if pg_bin_dir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl, createdb) not found; `make system-deps` installs them"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return f"running as root and there is no `{SUPERUSER}` user to run PostgreSQL as"
        if not shutil.which("runuser"):
            return "running as root and `runuser` is missing (needed to run PostgreSQL as a non-root user)"
    return None


def free_port(ports: range = PORTS, taken: set[int] | None = None) -> int:
    """A port in `ports` nobody listens on at 127.0.0.1 right now (another process may still take it: retry)."""
    for port in ports:
        if taken and port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1} on 127.0.0.1")


def _open_to_others(path: Path) -> bool:
    """Whether a non-root user can reach `path` (every ancestor searchable by others)."""
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents] if p.exists())


class TempCluster:
    """One PostgreSQL cluster in a folder: `start()` returns the DuckLake spec, `stop()` ends it and frees the folder.

    `folder` is created if needed; the cluster's files go in `folder/pgdata` (as root, if the postgres user
    cannot reach `folder`, in a private folder under the system temp folder instead: see `data_dir`). The
    server log is `log_path`. `port=None` picks a free port in 55400-55499 (and retries on a race).
    """

    def __init__(self, folder: Path | str, port: int | None = None, dbname: str = DEFAULT_DB) -> None:
        self.folder = Path(folder)
        self.port = port
        self.dbname = dbname
        self.data_dir: Path | None = None
        self._own_dir: Path | None = None  # a folder we made outside `folder` (removed on stop)
        self._running = False

    @property
    def dsn(self) -> str:
        """The libpq DSN of the cluster's database (valid once started)."""
        return f"dbname={self.dbname} host=127.0.0.1 port={self.port} user={SUPERUSER}"

    @property
    def spec(self) -> str:
        """The PAYLENS_DB value for a DuckLake whose catalog is this database."""
        return f"ducklake:postgres:{self.dsn}"

    @property
    def log_path(self) -> Path:
        """The server's log file (beside pgdata)."""
        return (self.data_dir.parent if self.data_dir is not None else self.folder) / "postgres.log"

    def _run(self, *args: str) -> None:
        """Run a PostgreSQL tool, as the postgres user when we are root; RuntimeError with its output on failure."""
        as_user = ["runuser", "-u", SUPERUSER, "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")

    def _prepare(self) -> Path:
        """Create the (empty) cluster folder, owned by the user PostgreSQL runs as."""
        self.folder.mkdir(parents=True, exist_ok=True)
        root = os.geteuid() == 0
        if root and not _open_to_others(self.folder):
            self._own_dir = Path(tempfile.mkdtemp(prefix="paylens-pg-"))
            base = self._own_dir
        else:
            base = self.folder
        data = base / "pgdata"
        if data.exists():
            shutil.rmtree(data)
        data.mkdir(mode=0o700)
        log = base / "postgres.log"
        log.touch()
        if root:
            user = pwd.getpwnam(SUPERUSER)
            for path in {base, data, log} if base != self.folder else {data, log}:
                os.chown(path, user.pw_uid, user.pw_gid)
            if self._own_dir is None:
                os.chmod(self.folder, os.stat(self.folder).st_mode | 0o001)  # let postgres reach pgdata
        return data

    def start(self) -> str:
        """initdb, start the server (waiting until it accepts connections), create the database; return `spec`."""
        reason = postgres_available()
        if reason:
            raise RuntimeError(reason)
        bin_dir = pg_bin_dir()
        assert bin_dir is not None  # postgres_available checked it
        self.data_dir = self._prepare()
        self._run(str(bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        tried: set[int] = set()
        fixed = self.port is not None
        while True:
            self.port = self.port if fixed else free_port(taken=tried)
            tried.add(self.port)
            # Loopback only, no unix socket; durability settings off: the cluster is thrown away.
            options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                       f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            try:
                self._run(str(bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path), "-w",
                          "-t", "60", "-o", options, "start")
                break
            except RuntimeError as exc:
                if fixed or len(tried) >= 10:
                    raise RuntimeError(f"PostgreSQL did not start ({exc}); see {self.log_path}:\n"
                                       f"{self.log_path.read_text(errors='replace')[-2000:]}") from None
        self._running = True
        self._run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, self.dbname)
        return self.spec

    def create_database(self, dbname: str) -> str:
        """Create another database in the running cluster (a separate DuckLake catalog); return its spec."""
        bin_dir = pg_bin_dir()
        assert bin_dir is not None and self._running, "start the cluster first"
        self._run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, dbname)
        return f"ducklake:postgres:dbname={dbname} host=127.0.0.1 port={self.port} user={SUPERUSER}"

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and remove its files."""
        bin_dir = pg_bin_dir()
        if self._running and self.data_dir is not None and bin_dir is not None:
            try:
                self._run(str(bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
            finally:
                self._running = False
        if self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    def __enter__(self) -> TempCluster:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def start_cluster(folder: Path | str, port: int | None = None, dbname: str = DEFAULT_DB) -> TempCluster:
    """Start a cluster in folder and return it (call `.stop()` when done); `.spec` / `.dsn` say how to reach it."""
    cluster = TempCluster(folder, port, dbname)
    cluster.start()
    return cluster
