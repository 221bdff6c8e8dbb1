"""The team deployment, real components: `python -m paylens.deploy.team` (what `make run-team` runs) starts the
PostgreSQL catalog, two read-only replicas and an editor behind HAProxy; Debian's chromium drives them.

One deployment for the module (over a temp copy of tests/fixture_data), its ports in 8600-8699. The tests run
in file order: pages and stickiness, read-only viewers, an ingest while both replicas serve, one replica
killed, and last the supervisor's stop, which must leave no process behind. Skipped only where HAProxy or
PostgreSQL is not installed (`make system-deps` installs both).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from paylens.config import PROJECT_ROOT
from paylens.deploy.postgres import postgres_available
from paylens.signals.articles import parse_article_bytes
from tests.conftest import make_fixture_data
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, App

STORE = "lake"              # a DuckLake whose catalog is in PostgreSQL, as `make run-team` serves
PORTS = range(8600, 8700)   # this module's ports
START_TIMEOUT_S = 240
STOP_TIMEOUT_S = 60
FRESH_TIMEOUT_S = 60        # how long after a write a replica may still serve the snapshot before it
REPLICAS = ("r1", "r2")
EVIDENCE_CARD = "[class*='st-key-'][class*='_card_0']"   # keyed evidence cards (paylens/ui/evidence.py)
PAGES = ("", "metrics", "signals", "articles", "compare", "impact", "snapshots")


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _port_block(size: int, after: int = PORTS.start) -> int:
    """The first port of `size` consecutive free ports in PORTS at or after `after`."""
    for start in range(after, PORTS.stop - size + 1):
        if all(_free(p) for p in range(start, start + size)):
            return start
    pytest.fail(f"no {size} consecutive free ports in {PORTS.start}-{PORTS.stop - 1}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has exited; it only waits to be reaped
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@dataclass
class Deployment:
    """The running supervisor, what it wrote to team.json, and the environment the CLI needs to write to it."""

    proc: subprocess.Popen
    root: Path
    log: Path
    state: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.state["url"]

    def url(self, path: str) -> str:
        return self.base_url + path

    def status(self) -> str:
        code = self.proc.poll()
        return "deployment running" if code is None else f"supervisor EXITED with code {code}"

    def cli_env(self) -> dict[str, str]:
        """The environment of a `paylens` command that writes to the store the replicas serve."""
        env = {**os.environ, "PAYLENS_DATA": self.state["data"], "PAYLENS_DB": self.state["db"],
               "PAYLENS_LAKE_CACHE": str(self.root / "cache" / "cli")}
        if self.state.get("lake_data"):
            env["PAYLENS_LAKE_DATA"] = self.state["lake_data"]
        return env

    def pids(self) -> dict[str, int]:
        """Every process the deployment started, by name (the catalog's postmaster included when there is one)."""
        out = {name: r["pid"] for name, r in self.state["replicas"].items()}
        out["haproxy"] = self.state["haproxy"]["pid"]
        if self.state.get("editor"):
            out["editor"] = self.state["editor"]["pid"]
        pg_pid = Path(self.state.get("catalog_data") or "/nonexistent") / "postmaster.pid"
        if pg_pid.exists():
            out["postgres"] = int(pg_pid.read_text().split()[0])
        return out

    @property
    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop(self) -> int | None:
        """SIGTERM the supervisor (it stops its children) and wait; its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        return self.proc.returncode


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Iterator[Deployment]:
    """Two read-only replicas and an editor behind HAProxy over a temp copy of the fixture data."""
    if not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        pytest.skip("haproxy is not installed (`make system-deps` installs Debian's package)")
    reason = postgres_available() if STORE == "lake" else None
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("team")
    data = make_fixture_data(tmp / "data")
    first = _port_block(5)          # proxy, editor, editor replica, r1, r2
    catalog = _port_block(1, first + 5)
    root = tmp / "root"
    log = tmp / "team.log"
    cmd = [sys.executable, "-m", "paylens.deploy.team", "--replicas", str(len(REPLICAS)), "--port", str(first),
           "--editor-port", str(first + 1), "--first-replica-port", str(first + 3), "--root", str(root),
           "--data", str(data), "--store", STORE, "--catalog-port", str(catalog)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deployment = Deployment(proc, root, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (root / "team.json").exists():
            if proc.poll() is not None:
                pytest.fail(f"the team deployment exited with {proc.returncode}:\n{deployment.log_text}")
            if time.monotonic() > deadline:
                pytest.fail(f"the team deployment did not come up in {START_TIMEOUT_S} s:\n{deployment.log_text}")
            time.sleep(0.5)
        deployment.state = json.loads((root / "team.json").read_text(encoding="utf-8"))
        yield deployment
    finally:
        deployment.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: `make system-deps` installs Debian's chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visitor:
    """One browser (its own context: cookies, so its own replica) on one address of the deployment."""

    def __init__(self, browser, team: Deployment, base_url: str | None = None, replica: str | None = None):
        self.team = team
        self.base_url = base_url or team.base_url
        self.context = browser.new_context(viewport=dict(VIEWPORT), accept_downloads=True)
        if replica:  # pinned, as the proxy's cookie would pin it after a first visit
            self.context.add_cookies([{"name": "SERVERID", "value": replica, "url": self.base_url}])
        self.page = self.context.new_page()
        self.js_errors: list[str] = []
        self.served_by: list[str] = []
        self.page.on("pageerror", lambda exc: self.js_errors.append(str(exc)))
        self.page.on("response", self._response)
        self.app = App(self.page, _Front(self.base_url, team), self.js_errors)

    def _response(self, response) -> None:
        # the page and its API calls; scripts and styles may come from the browser's cache with old headers
        replica = response.headers.get("x-paylens-replica")
        if replica and response.request.resource_type in ("document", "fetch", "xhr"):
            self.served_by.append(replica)

    def open(self, path: str, charts: int = 0) -> App:
        self.served_by.clear()
        return self.app.open(path, charts)

    def cookie(self) -> str | None:
        """The proxy's stickiness cookie (which replica holds this browser's session)."""
        return next((c["value"] for c in self.context.cookies() if c["name"] == "SERVERID"), None)

    def close(self) -> None:
        self.context.close()


@dataclass(frozen=True)
class _Front:
    """What tests.e2e.conftest.App needs of a server: its URLs, its state and a log for failure messages."""

    base_url: str
    team: Deployment

    def url(self, path: str) -> str:
        return self.base_url + path

    def status(self) -> str:
        return self.team.status()

    @property
    def log(self) -> Path:
        return self.team.log


def test_two_replicas_serve_every_page_through_the_proxy(team, browser):
    """Every page renders through HAProxy with no error; the sticky cookie names the replica that answered."""
    visitor = Visitor(browser, team)
    try:
        for path in PAGES:
            app = visitor.open("/" + path)
            assert app.errors() == [], (path, app.errors())
            assert visitor.js_errors == [], (path, visitor.js_errors)
        replica = visitor.cookie()
        assert replica in REPLICAS, visitor.context.cookies()
        assert visitor.served_by and set(visitor.served_by) == {replica}, visitor.served_by
    finally:
        visitor.close()


def test_new_visitors_are_spread_over_both_replicas(team, browser):
    """Round robin for a first visit: consecutive new browsers land on both replicas, each kept by its cookie."""
    visitors = [Visitor(browser, team) for _ in range(4)]
    try:
        for v in visitors:
            v.open("/")
        cookies = [v.cookie() for v in visitors]
        assert set(cookies) == set(REPLICAS), cookies
        for v, cookie in zip(visitors, cookies, strict=True):
            assert set(v.served_by) == {cookie}, (cookie, v.served_by)
    finally:
        for v in visitors:
            v.close()


def test_viewers_cannot_write_and_the_editor_can(team, browser):
    """Viewers: no Add from URL, an upload (through the proxy, XSRF on) previews but cannot be added, no Correct;
    the editor behind the same proxy offers all three."""
    article = next((Path(team.state["data"]) / "articles").glob("*.txt"))
    viewer = Visitor(browser, team)
    editor = Visitor(browser, team, team.state["editor_url"])
    try:
        app = viewer.open("/articles")
        page = viewer.page
        page.get_by_text("adding from a URL is off").wait_for(timeout=30_000)
        assert page.get_by_role("textbox", name="Add from URL").count() == 0
        page.get_by_role("tab", name="Upload files").click()
        page.locator("input[type='file']").set_input_files(str(article))
        page.get_by_text("signal hits").first.wait_for(timeout=60_000)
        app.settle()
        assert page.get_by_text("the preview is all it does").count() == 1
        assert page.get_by_role("button", name="to corpus").count() == 0
        assert app.errors() == []

        viewer.open("/signals")
        viewer.page.locator(EVIDENCE_CARD).first.wait_for(timeout=30_000)
        assert viewer.page.get_by_role("button", name="Correct").count() == 0

        eapp = editor.open("/articles")
        editor.page.get_by_role("textbox", name="Add from URL").wait_for(timeout=30_000)
        editor.page.get_by_role("tab", name="Upload files").click()
        editor.page.locator("input[type='file']").set_input_files(str(article))
        editor.page.get_by_role("button", name="to corpus").wait_for(timeout=60_000)
        assert eapp.errors() == []
        editor.open("/signals")
        editor.page.get_by_role("button", name="Correct").first.wait_for(timeout=30_000)
        assert set(editor.served_by) == {"editor"}, editor.served_by
    finally:
        viewer.close()
        editor.close()


def _new_article(data: Path) -> Path:
    """A real article from data/ that the fixture corpus lacks (about Alipay, dated)."""
    have = {p.name for p in (data / "articles").iterdir()}
    for path in sorted((PROJECT_ROOT / "data" / "articles").glob("*.txt")):
        if path.name in have:
            continue
        art = parse_article_bytes(path.read_bytes(), path.name)
        if art.title and art.date and "alipay" in (art.title + art.body).lower():
            return path
    pytest.fail("data/articles has no dated Alipay article outside the fixture corpus")


def test_an_ingest_shows_on_both_replicas_after_a_refresh(team, browser, tmp_path):
    """`paylens ingest` (the CLI, the way writes reach a team) while both replicas serve: a refresh shows it."""
    visitors = {r: Visitor(browser, team, replica=r) for r in REPLICAS}
    try:
        for v in visitors.values():
            v.open("/articles")
        source = _new_article(Path(team.state["data"]))
        upload = tmp_path / source.name
        shutil.copy(source, upload)
        title = parse_article_bytes(upload.read_bytes(), upload.name).title
        done = subprocess.run([str(Path(sys.executable).with_name("paylens")), "ingest", str(upload)],
                              env=team.cli_env(), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        listed = subprocess.run([str(Path(sys.executable).with_name("paylens")), "export", "articles_list"],
                                env=team.cli_env(), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
        assert listed.returncode == 0, listed.stderr
        ids = [line.split(",")[0] for line in listed.stdout.splitlines() if upload.name in line]
        assert len(ids) == 1, listed.stdout[-2000:]
        for replica, v in visitors.items():
            # a replica asks the catalog for a new snapshot every few seconds and copies it in the background,
            # serving the previous one meanwhile: refresh, as an analyst would, until it shows (bounded)
            deadline = time.monotonic() + FRESH_TIMEOUT_S
            while True:
                app = v.open(f"/articles?article={ids[0]}")
                assert app.errors() == [], (replica, app.errors())
                assert set(v.served_by) == {replica}, (replica, v.served_by)
                if v.page.locator("h4").filter(has_text=title[:40]).count() == 1:
                    break
                assert time.monotonic() < deadline, f"{replica} does not show {title!r} {FRESH_TIMEOUT_S} s on"
                time.sleep(1)
    finally:
        for v in visitors.values():
            v.close()


def test_killing_a_replica_leaves_the_other_serving(team, browser):
    """SIGKILL the replica holding a browser's session: a reload goes to the live one and the pages still work."""
    victim, survivor = REPLICAS
    visitor = Visitor(browser, team, replica=victim)
    try:
        visitor.open("/")
        assert set(visitor.served_by) == {victim}
        os.kill(team.state["replicas"][victim]["pid"], signal.SIGKILL)
        app = visitor.open("/")
        assert app.errors() == [], app.errors()
        assert set(visitor.served_by) == {survivor}, visitor.served_by
        assert visitor.cookie() == survivor
        visitor.page.get_by_role("link", name="Metrics").first.click()
        app.settle(charts=1)
        assert app.errors() == [], app.errors()
        newcomer = Visitor(browser, team)
        try:
            assert newcomer.open("/signals").errors() == []
            assert newcomer.cookie() == survivor
        finally:
            newcomer.close()
    finally:
        visitor.close()


def test_stopping_the_supervisor_leaves_no_process(team):
    """SIGTERM to `python -m paylens.deploy.team` stops the proxy, the replicas and the catalog, then exits 0."""
    pids = team.pids()
    assert {"haproxy", "editor", *REPLICAS} <= set(pids)
    if STORE == "lake":
        assert "postgres" in pids
    assert team.stop() == 0, team.log_text
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert {n: p for n, p in pids.items() if _alive(p)} == {}
    assert not (team.root / "team.json").exists()
