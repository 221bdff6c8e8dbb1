"""A team deployment on one machine: the catalog, N read-only dashboard replicas and an editor behind HAProxy.

`make run-team REPLICAS=3` runs `python -m paylens.deploy.team --replicas 3`:

1. PostgreSQL (Debian's, a throwaway cluster under `<root>/pg` run as a non-root user: paylens.deploy.postgres)
   holds the DuckLake catalog; `paylens build` publishes data/ into it, data files under `<root>/lake`.
   `--store file` skips PostgreSQL and serves one DuckDB file instead (the replicas are the same either way).
2. N viewer replicas, `streamlit run dashboard.py` on 127.0.0.1 with PAYLENS_READ_ONLY=1 (no upload, add or
   correct), and one editor replica without it (unless `--no-editor`), all over the same store.
3. HAProxy in the foreground: viewers on `--port` (sticky cookie SERVERID, websocket tunnel, health checks on
   /_stcore/health, a dead replica's users redispatched to a live one), the editor on `--editor-port`.

It waits until the proxy serves, prints the addresses, writes `<root>/team.json` (ports, pids, logs) and runs
until Ctrl-C or SIGTERM, or until HAProxy or PostgreSQL exits; then it stops everything it started. Every
child also gets SIGTERM from the kernel if this process dies without cleaning up (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from paylens.config import PROJECT_ROOT
from paylens.errors import PaylensError

if TYPE_CHECKING:
    from paylens.deploy.postgres import TempCluster

TEMPLATE = Path(__file__).with_name("haproxy.cfg")
DEFAULT_ROOT = PROJECT_ROOT / "data" / "build" / "team"
HEALTH = "/_stcore/health"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0
PR_SET_PDEATHSIG = 1


class DeployError(PaylensError):
    """A part of the deployment could not start (missing binary, port taken, a child exited)."""


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent dies, so a killed supervisor leaves no orphans."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """One process the deployment started, with its log."""

    name: str
    proc: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after STOP_TIMEOUT_S; the child runs in its own session, so its group goes too."""
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT_S)


def spawn(name: str, cmd: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Child:
    """Start `cmd` in the repo root in its own session (Ctrl-C reaches only the supervisor), output to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(list(cmd), cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=_die_with_parent)  # noqa: PLW1509 - only sets prctl, no locks taken
    return Child(name, proc, log)


@dataclass(frozen=True)
class Layout:
    """Where everything listens: the proxy's two addresses and one port per replica."""

    port: int = 8501
    editor_port: int | None = 8502
    replica_ports: tuple[int, ...] = (8511, 8512, 8513)
    editor_replica_port: int | None = 8510
    host: str = "127.0.0.1"                 # where viewers connect
    editor_host: str = "127.0.0.1"          # where the editor listens: this machine only unless asked

    @classmethod
    def plan(cls, replicas: int, port: int, editor: bool = True, editor_port: int | None = None,
             first_replica_port: int | None = None, host: str = "127.0.0.1",
             editor_host: str = "127.0.0.1") -> Layout:
        """Ports next to `port`: editor on port+1, the editor replica on first-1, viewers from first (port+10)."""
        if replicas < 1:
            raise DeployError(f"--replicas {replicas}: at least one replica")
        first = first_replica_port or port + 10
        return cls(port=port, editor_port=(editor_port or port + 1) if editor else None,
                   replica_ports=tuple(range(first, first + replicas)),
                   editor_replica_port=first - 1 if editor else None, host=host, editor_host=editor_host)

    def replica_names(self) -> list[str]:
        return [f"r{i + 1}" for i in range(len(self.replica_ports))]


def haproxy_config(layout: Layout) -> str:
    """The HAProxy configuration for `layout` (template paylens/deploy/haproxy.cfg)."""
    servers = "\n".join(f"    server {name} 127.0.0.1:{p} check cookie {name}"
                        for name, p in zip(layout.replica_names(), layout.replica_ports, strict=True))
    editor = ""
    if layout.editor_port is not None and layout.editor_replica_port is not None:
        editor = (f"frontend editor\n    bind {layout.editor_host}:{layout.editor_port}\n    default_backend editor\n\n"
                  "backend editor\n    option httpchk GET /_stcore/health\n    http-check expect status 200\n"
                  "    http-response set-header X-PayLens-Replica %[srv_name]\n"
                  f"    server editor 127.0.0.1:{layout.editor_replica_port} check inter 2s\n")
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        host=layout.host, port=layout.port, servers=servers, editor=editor)


def healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether GET `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def replica_cmd(port: int) -> list[str]:
    """`streamlit run dashboard.py` on 127.0.0.1:port; XSRF and CORS protection stay on behind the proxy."""
    return [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--server.enableXsrfProtection", "true",
            "--server.enableCORS", "true"]


def paylens_cli() -> str:
    """The `paylens` console script of this interpreter's environment (the venv's)."""
    return str(Path(sys.executable).with_name("paylens"))


def haproxy_binary() -> str:
    """Debian's haproxy (`make system-deps` installs it)."""
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if not found:
        raise DeployError("haproxy not found: install Debian's package (`make system-deps` or "
                          "`apt-get install haproxy`)")
    return found


@dataclass
class Team:
    """One running deployment: start() brings it up, stop() takes it down (in reverse order)."""

    layout: Layout
    root: Path
    data_dir: Path
    store: str = "lake"                     # "lake" (PostgreSQL catalog + DuckLake) or "file" (one DuckDB file)
    lake_serve: str | None = None           # PAYLENS_LAKE_SERVE for the replicas (None: the store's default)
    catalog_port: int | None = None         # PostgreSQL's port (None: a free one in 55400-55499)
    children: dict[str, Child] = field(default_factory=dict)
    db_spec: str = ""
    env: dict[str, str] = field(default_factory=dict)
    _catalog: TempCluster | None = None

    @property
    def url(self) -> str:
        return f"http://{_client_host(self.layout.host)}:{self.layout.port}"

    @property
    def editor_url(self) -> str | None:
        if self.layout.editor_port is None:
            return None
        return f"http://{_client_host(self.layout.editor_host)}:{self.layout.editor_port}"

    def start(self, out=sys.stdout) -> None:
        """Catalog, store, replicas, proxy; returns once the proxy serves a healthy replica. Stops all on failure."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            self._store(out)
            self._replicas(out)
            self._proxy(out)
            self.write_state()
        except BaseException:
            self.stop()
            raise

    def _store(self, out) -> None:
        env = {**os.environ, "PAYLENS_DATA": str(self.data_dir)}
        if self.store == "file":
            self.db_spec = str(self.root / "paylens.duckdb")
        else:
            from paylens.deploy.postgres import TempCluster, postgres_available

            reason = postgres_available()
            if reason:
                raise DeployError(f"cannot start the catalog: {reason}")
            self._catalog = TempCluster(self.root / "pg", self.catalog_port)
            try:
                self.db_spec = self._catalog.start()
            except RuntimeError as exc:
                raise DeployError(str(exc)) from exc
            print(f"catalog: PostgreSQL on 127.0.0.1:{self._catalog.port} (log {self._catalog.log_path})", file=out,
                  flush=True)
            lake = self.root / "lake"
            # the lake's files and the replicas' copies belong to the catalog just created: a previous run's are orphans
            for old in (lake, self.root / "cache"):
                shutil.rmtree(old, ignore_errors=True)
            lake.mkdir(parents=True)
            env["PAYLENS_LAKE_DATA"] = str(lake)
            if self.lake_serve:
                env["PAYLENS_LAKE_SERVE"] = self.lake_serve
        env["PAYLENS_DB"] = self.db_spec
        self.env = env
        print(f"building the store from {self.data_dir} into {self.db_spec}", file=out, flush=True)
        build = subprocess.run([paylens_cli(), "build", "--data", str(self.data_dir), "--db", self.db_spec],
                               cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1800)
        if build.returncode != 0:
            raise DeployError(f"paylens build failed ({build.returncode}):\n{build.stderr[-2000:]}")
        print(build.stdout.strip(), file=out, flush=True)

    def _replicas(self, out) -> None:
        viewer = {**self.env, "PAYLENS_READ_ONLY": "1"}
        editor = {k: v for k, v in self.env.items() if k != "PAYLENS_READ_ONLY"}
        plan = [(name, port, viewer) for name, port in zip(self.layout.replica_names(), self.layout.replica_ports,
                                                             strict=True)]
        if self.layout.editor_replica_port is not None:
            plan.append(("editor", self.layout.editor_replica_port, editor))
        for name, port, env in plan:
            _port_free(port)
            # each replica keeps its own local copy of the lake snapshot, as it would on its own machine
            env = {**env, "PAYLENS_LAKE_CACHE": str(self.root / "cache" / name)} if self.store == "lake" else env
            self.children[name] = spawn(name, replica_cmd(port), self.root / "logs" / f"{name}.log", env)
        deadline = time.monotonic() + START_TIMEOUT_S
        for name, port, _env in plan:
            child = self.children[name]
            while not healthy(f"http://127.0.0.1:{port}{HEALTH}"):
                if not child.alive():
                    raise DeployError(f"replica {name} exited ({child.proc.returncode}):\n{child.tail()}")
                if time.monotonic() > deadline:
                    raise DeployError(f"replica {name} not healthy after {START_TIMEOUT_S:.0f} s:\n{child.tail()}")
                time.sleep(0.3)
            print(f"replica {name} on 127.0.0.1:{port} (pid {child.pid})", file=out, flush=True)

    def _proxy(self, out) -> None:
        cfg = self.root / "haproxy.cfg"
        cfg.write_text(haproxy_config(self.layout), encoding="utf-8")
        binary = haproxy_binary()
        check = subprocess.run([binary, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise DeployError(f"haproxy rejects {cfg}:\n{check.stdout}{check.stderr}")
        _port_free(self.layout.port)
        if self.layout.editor_port is not None:
            _port_free(self.layout.editor_port)
        # -db: stay in the foreground (no daemon, no system service); logs to stderr, i.e. the log file
        self.children["haproxy"] = spawn("haproxy", [binary, "-db", "-f", str(cfg)], self.root / "logs" / "haproxy.log")
        deadline = time.monotonic() + 30
        urls = [self.url] + ([self.editor_url] if self.editor_url else [])
        while not all(healthy(u + HEALTH) for u in urls):
            if not self.children["haproxy"].alive() or time.monotonic() > deadline:
                raise DeployError(f"haproxy does not serve {self.url}:\n{self.children['haproxy'].tail()}")
            time.sleep(0.2)

    def state(self) -> dict:
        """Ports, pids and logs of the running deployment (written to <root>/team.json)."""
        return {"url": self.url, "editor_url": self.editor_url, "db": self.db_spec, "data": str(self.data_dir),
                "lake_data": self.env.get("PAYLENS_LAKE_DATA"),
                "catalog_log": str(self._catalog.log_path) if self._catalog else None,
                "catalog_data": str(self._catalog.data_dir) if self._catalog else None, "supervisor_pid": os.getpid(),
                "replicas": {n: {"port": p, "pid": self.children[n].pid, "log": str(self.children[n].log)}
                             for n, p in zip(self.layout.replica_names(), self.layout.replica_ports, strict=True)},
                "editor": ({"port": self.layout.editor_replica_port, "pid": self.children["editor"].pid}
                           if "editor" in self.children else None),
                "haproxy": {"pid": self.children["haproxy"].pid, "config": str(self.root / "haproxy.cfg"),
                            "log": str(self.children["haproxy"].log)}}

    def write_state(self) -> None:
        (self.root / "team.json").write_text(json.dumps(self.state(), indent=2), encoding="utf-8")

    def stop(self) -> None:
        """Proxy first (no new requests), then the replicas, then the catalog."""
        for name in ["haproxy", *[n for n in self.children if n != "haproxy"]]:
            if name in self.children:
                self.children[name].stop()
        if self._catalog is not None:
            self._catalog.stop()
            self._catalog = None
        with contextlib.suppress(OSError):
            (self.root / "team.json").unlink()

    def watch(self, stop: threading.Event, out=sys.stderr) -> int:
        """Until `stop` is set or the proxy exits: report replicas that exit (their users move to the others)."""
        reported: set[str] = set()
        while not stop.wait(1.0):
            if not self.children["haproxy"].alive():
                print(f"haproxy exited:\n{self.children['haproxy'].tail()}", file=out, flush=True)
                return 1
            for name, child in self.children.items():
                if name != "haproxy" and not child.alive() and name not in reported:
                    reported.add(name)
                    print(f"replica {name} exited ({child.proc.returncode}); the proxy sends its users to the "
                          f"others. Log: {child.log}", file=out, flush=True)
            if len(reported) == len(self.children) - 1:
                print("every replica has exited", file=out, flush=True)
                return 1
        return 0


def _client_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def _port_free(port: int) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as the servers do: a port whose old connections linger in TIME_WAIT is still free to listen on
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise DeployError(f"port {port} is taken; pick others with --port / --first-replica-port") from None


@contextlib.contextmanager
def running(team: Team, out=sys.stdout) -> Iterator[Team]:
    """`team` started for the block, stopped after it (also on an error)."""
    team.start(out)
    try:
        yield team
    finally:
        team.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3, help="viewer replicas behind the proxy")
    parser.add_argument("--port", type=int, default=8501, help="the viewers' address (HAProxy)")
    parser.add_argument("--editor-port", type=int, default=None, help="the editor's address (default port+1)")
    parser.add_argument("--no-editor", action="store_true", help="viewers only: writes go through the CLI")
    parser.add_argument("--first-replica-port", type=int, default=None, help="replicas listen from here (port+10)")
    parser.add_argument("--host", default="127.0.0.1", help="where HAProxy listens (replicas stay on 127.0.0.1)")
    parser.add_argument("--editor-host", default="127.0.0.1",
                        help="where the editor listens (this machine only by default: it can write)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="catalog, lake files, config and logs")
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "data", help="the source data folder")
    parser.add_argument("--store", choices=("lake", "file"), default="lake",
                        help="lake: PostgreSQL catalog + DuckLake files (default); file: one DuckDB file")
    parser.add_argument("--catalog-port", type=int, default=None, help="PostgreSQL's port (default: a free one)")
    parser.add_argument("--lake-serve", choices=("local", "direct"), default=None,
                        help="PAYLENS_LAKE_SERVE for the replicas")
    args = parser.parse_args(argv)
    layout = Layout.plan(args.replicas, args.port, not args.no_editor, args.editor_port, args.first_replica_port,
                         args.host, args.editor_host)
    team = Team(layout, args.root.resolve(), args.data.resolve(), args.store, args.lake_serve, args.catalog_port)
    def interrupt(*_) -> None:
        raise KeyboardInterrupt

    # while starting, a signal interrupts the start (which stops what it had started); once up, it ends watch()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    try:
        team.start()
    except PaylensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted while starting; stopped", file=sys.stderr)
        return 130
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    try:
        print(f"\nPayLens for the team: {team.url} ({len(layout.replica_ports)} read-only replicas behind HAProxy)",
              flush=True)
        if team.editor_url:
            print(f"Editor (uploads, add from URL, corrections): {team.editor_url}", flush=True)
        print(f"Logs and config: {args.root}. Ctrl-C stops everything.", flush=True)
        code = team.watch(stop)
    finally:
        print("stopping…", flush=True)
        team.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
