"""Real-browser fixtures: a live `streamlit run` over a temp copy of data/, and Debian's chromium via Playwright.

The server is started once per session from the repo root with PAYLENS_DATA / PAYLENS_DB pointing at a copy
of the real data/ folder (so pages look real) plus one hostile article ingested through the normal intake path
before the server starts. Nothing here downloads a browser: chromium must be at /usr/bin/chromium
(`make test` installs it); without it the tests fail with a message saying so.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import duckdb
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from paylens.config import PROJECT_ROOT, settings
from paylens.store.intake import ingest_articles

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
HEALTH_TIMEOUT_S = 60
SETTLE_TIMEOUT_MS = 90_000  # first script run imports pandas/plotly; generous but bounded

CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
NOT_RUNNING = "[data-test-script-state='notRunning']"
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"

# Untrusted text: markup in the title, publisher and body must show as text and never run.
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_ARTICLE = f"""title: {SCRIPT} {IMG} Alipay e2e
publisher: <b>E2E</b> fixture
date: 2024-06-01
lang: en

Alipay {SCRIPT} keeps pushing tap-to-pay subsidies to merchants.
{IMG} WeChat Pay answers with [a link](javascript:window.__pwned=1) and **bold** text.
A plain closing sentence with no markup at all.
"""


@dataclass(frozen=True)
class Server:
    """The live dashboard under test and the files behind it."""

    base_url: str
    data_dir: Path
    db_path: Path
    log: Path
    proc: subprocess.Popen

    def status(self) -> str:
        """Whether the server process is still running (for failure messages)."""
        code = self.proc.poll()
        return "server running" if code is None else f"server EXITED with code {code}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        """Read the store the server is serving (read-only, like the app)."""
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            return con.execute(query, params or []).fetchall()
        finally:
            con.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_healthy(proc: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with code {proc.returncode} before serving:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit not healthy at {base_url} after {HEALTH_TIMEOUT_S}s:\n{_tail(log)}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def serve_copy_of_data(root: Path, env_extra: dict[str, str] | None = None) -> Iterator[Server]:
    """`streamlit run dashboard.py` on a free port over a copy of data/ in `root` (+ one hostile article)."""
    data = root / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("build"))
    db = root / "store" / "paylens.duckdb"
    db.parent.mkdir()
    hostile = root / "upload" / "e2e-hostile-markup.txt"
    hostile.parent.mkdir()
    hostile.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    result = ingest_articles(settings(data, db), [hostile])  # saves into data/articles/ and builds the store
    assert result.added == 1 and db.exists(), result

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = root / "streamlit.log"
    env = {**os.environ, "PAYLENS_DATA": str(data), "PAYLENS_DB": str(db), **(env_extra or {})}
    cmd = [str(PROJECT_ROOT / ".venv" / "bin" / "streamlit"), "run", "dashboard.py",
           "--server.port", str(port), "--server.headless", "true", "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_healthy(proc, base_url, log)
        yield Server(base_url, data, db, log, proc)
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory) -> Iterator[Server]:
    """The live dashboard the e2e tests share (they read, never add to, its corpus)."""
    with serve_copy_of_data(tmp_path_factory.mktemp("e2e")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: the e2e tests need Debian's chromium and fonts-noto-cjk "
                    "(`make test` installs them: apt-get install chromium fonts-noto-cjk). "
                    "Do not run `playwright install`.")

    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - turn any launch problem into a clear failure
            pytest.fail(f"cannot launch {CHROMIUM}: {exc}")
        yield b
        b.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors seen by the page fixture."""
    return []


@pytest.fixture(scope="session")
def browser_context(browser):
    """One context for the session (shares the HTTP cache of Streamlit's JS bundle between tests)."""
    context = browser.new_context(viewport=dict(VIEWPORT), accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, page_errors):
    """A fresh tab at 1400x1000 that accepts downloads; each tab is a new Streamlit session."""
    tab = browser_context.new_page()
    tab.on("pageerror", lambda exc: page_errors.append(str(exc)))
    yield tab
    tab.close()


class App:
    """One browser tab on the live dashboard, with the waits and checks every e2e test needs."""

    def __init__(self, page, server: Server, js_errors: list[str]):
        self.page = page
        self.server = server
        self.js_errors = js_errors

    def open(self, path: str, charts: int = 0) -> App:
        """Go to a dashboard path and wait for it to settle."""
        self.page.goto(self.server.url(path), timeout=SETTLE_TIMEOUT_MS)
        self.settle(charts)
        return self

    def settle(self, charts: int = 0, timeout: int = SETTLE_TIMEOUT_MS) -> None:
        """Wait until the app is connected, the script has run to the end and `charts` plots are drawn.

        On a timeout, fail with what the page shows, a screenshot and the server log instead of a bare timeout.
        """
        page = self.page
        try:
            page.wait_for_selector(CONNECTED, timeout=timeout)
            page.wait_for_selector(f"h1, {ERRORS}", timeout=timeout)  # the script has produced output
            page.wait_for_selector(NOT_RUNNING, timeout=timeout)
            if charts and not self.errors():
                # plots, not SVG layers: each Plotly chart draws three .main-svg elements
                page.wait_for_function("n => [...document.querySelectorAll('.js-plotly-plot')]"
                                       ".filter(g => g.querySelector('.main-svg')).length >= n",
                                       arg=charts, timeout=timeout)
            page.wait_for_selector(NOT_RUNNING, timeout=timeout)
        except PlaywrightTimeout as exc:
            shot = SCREENSHOTS / "FAILED-settle.png"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(shot), full_page=True, timeout=10_000)
                text = page.locator("body").inner_text(timeout=5000)[:1500]
            except PlaywrightError as again:
                text = f"(page unreadable: {again})"
            pytest.fail(f"{page.url} did not settle: {str(exc).splitlines()[0]}\n{self.server.status()}; "
                        f"screenshot: {shot}\npage text:\n{text}\nserver log:\n{_tail(self.server.log)}")

    def errors(self) -> list[str]:
        """Text of every exception or error box on the page."""
        return [t.strip() for t in self.page.locator(ERRORS).all_inner_texts() if t.strip()]

    def query(self) -> dict[str, str]:
        """The address bar's query parameters (last value wins)."""
        return dict(parse_qsl(urlsplit(self.page.url).query, keep_blank_values=True))

    def screenshot(self, name: str) -> Path:
        """Full-height PNG: Streamlit scrolls inside stMain, so grow the viewport to fit it first."""
        page = self.page
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        measure = """() => { const m = document.querySelector("[data-testid='stMain']");
                             return Math.max(m ? m.scrollHeight : 0, document.documentElement.scrollHeight); }"""
        height = VIEWPORT["height"]
        for _ in range(3):  # plots re-lay out after a resize, which can change the height again
            wanted = min(max(page.evaluate(measure), VIEWPORT["height"]), 9000)
            if wanted == height:
                break
            height = wanted
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            page.wait_for_timeout(600)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(dict(VIEWPORT))
        return path


@pytest.fixture
def app(page, e2e_server, page_errors) -> App:
    """A fresh tab on the live dashboard."""
    return App(page, e2e_server, page_errors)


@pytest.fixture(scope="session")
def hostile() -> dict[str, str]:
    """The markup planted in the hostile article (ingested before the server starts)."""
    return {"script": SCRIPT, "img": IMG, "title_marker": "Alipay e2e"}
