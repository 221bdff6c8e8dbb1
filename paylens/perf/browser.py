"""Browser timings of the live dashboard in Debian's Chromium (a script, not part of `make test`).

Starts `streamlit run dashboard.py` on a free localhost port against a store, then measures:

- first page: `/` and `/metrics` opened until the script has run to the end and the charts are drawn:
  the very first open (empty server caches), new browser contexts (empty HTTP cache, a first visit) and
  new tabs of one context (cached Streamlit and Plotly JavaScript, a returning user; new session each);
- filter change: in one tab, remove or add a competitor in the sidebar (keyboard, like a user) and time
  until the address bar carries the new filters, the script is idle, nothing is stale and the metric chart
  shows exactly the new platforms (two animation frames later, so it is painted);
- load: `sessions` tabs (separate contexts, so separate Streamlit sessions) changing filters in a loop on
  the Metrics, Overview and Signals pages for `load_seconds` (back to back, or `think_seconds` apart), then
  stop; p50/p95 and errors (timeouts, exceptions shown on the page, JavaScript errors). All tabs share this
  machine's cores with the server, so the figure includes 10 Chromium renderers' CPU;
- the Streamlit server's RSS (peak VmHWM and current VmRSS from /proc), sampled throughout.

Run: `.venv/bin/python -m paylens.perf.browser --db data/build/synth.duckdb` or `paylens bench --browser`.
Localhost only; every loop is bounded by time and every wait by a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from paylens.config import PROJECT_ROOT
from paylens.perf.stats import COMPETITOR_SETS, DEFAULT_METRIC, percentile
from paylens.store.reader import open_store
from paylens.url_state import DEFAULT_COMPETITORS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
NOT_RUNNING = "[data-test-script-state='notRunning']"
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
SETTLE_MS = 60_000
CHANGE_MS = 30_000
LOAD_PAGES = ("/metrics", "/", "/signals")

# The filter change is done when the URL has the new competitors, the script is idle, nothing is stale
# and (when the page has the metric chart) the chart's platforms are exactly the expected ones.
DONE_JS = """([want, plotted]) => {
  const q = new URLSearchParams(location.search).get('competitors');
  if (q !== want) return false;
  if (!document.querySelector("[data-test-script-state='notRunning']")) return false;
  if (document.querySelector("[data-stale='true']")) return false;
  if (plotted === null) return true;
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd.data) return false;
  const got = new Set(gd.data.map(t => t.legendgroup).filter(g => g && g !== 'events'));
  return got.size === plotted.length && plotted.every(p => got.has(p));
}"""
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def rss_mb(pid: int) -> tuple[float, float]:
    """(current VmRSS, peak VmHWM) of a process in MB."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return round(fields.get("VmRSS", 0.0), 1), round(fields.get("VmHWM", 0.0), 1)


class Server:
    """`streamlit run dashboard.py` on a free localhost port with PAYLENS_DB set; stopped on exit."""

    def __init__(self, db: Path, log: Path, cpus: set[int] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PAYLENS_DB": str(db.resolve())}
        cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(self.port),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        self.log = log
        with log.open("wb") as out:
            # cpus: pin the server (and DuckDB's threads) to these cores, as if the browser ran elsewhere
            pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
            self.proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         preexec_fn=pin)  # noqa: PLW1509 - sets affinity only, no threads yet
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited ({self.proc.returncode}); see {log}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit not healthy after 60 s; see {log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)


def store_facts(db: Path) -> tuple[dict[str, str], set[str]]:
    """Platform short names (what the multiselect shows) and the platforms with the default metric."""
    con = open_store(db)
    try:
        names = dict(con.execute("select platform_id, short_name from platforms").fetchall())
        have = {r[0] for r in con.execute("select distinct platform_id from metric_values where metric = $m",
                                          {"m": DEFAULT_METRIC}).fetchall()}
    finally:
        con.close()
    return names, have


class Tab:
    """One browser tab (its own context, so its own Streamlit session) on the dashboard."""

    def __init__(self, page, names: dict[str, str], have: set[str]) -> None:
        self.page = page
        self.names = names
        self.have = have
        self.competitors = list(DEFAULT_COMPETITORS)
        self.js_errors: list[str] = []
        self.frames: list[tuple[float, int, bool]] = []   # (arrival, bytes, ends a script run) per ForwardMsg
        self.splits: list[dict] = []                      # per change: where its time went
        page.on("pageerror", lambda exc: self.js_errors.append(str(exc)[:200]))
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        """Record each ForwardMsg's arrival, size and whether it says the script finished."""
        def received(payload) -> None:
            data = payload if isinstance(payload, bytes) else payload.encode()
            msg = ForwardMsg()
            try:
                msg.ParseFromString(data)
            except Exception:  # noqa: BLE001 - not a ForwardMsg: still counted as bytes
                msg = None
            done = msg is not None and msg.WhichOneof("type") == "script_finished"
            self.frames.append((time.perf_counter(), len(data), done))
        ws.on("framereceived", received)

    async def open(self, base: str, path: str) -> float:
        """Open a page and wait until it has settled; seconds taken."""
        page = self.page
        start = time.perf_counter()
        await page.goto(base + path, timeout=SETTLE_MS)
        await page.wait_for_selector(CONNECTED, timeout=SETTLE_MS)
        await page.wait_for_selector(f"h1, {ERRORS}", timeout=SETTLE_MS)
        await page.wait_for_selector(NOT_RUNNING, timeout=SETTLE_MS)
        if path in ("/", "/metrics", "/signals"):
            await page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0",
                                         timeout=SETTLE_MS)
        await page.wait_for_selector(NOT_RUNNING, timeout=SETTLE_MS)
        await page.evaluate(PAINTED_JS)
        self.competitors = [c for c in (await self.url_competitors()) or DEFAULT_COMPETITORS]
        return time.perf_counter() - start

    async def url_competitors(self) -> list[str]:
        value = await self.page.evaluate("() => new URLSearchParams(location.search).get('competitors')")
        return [c for c in (value or "").split(",") if c]

    async def change(self, wanted: list[str], metric_chart: bool) -> float:
        """Edit the Competitors multiselect towards `wanted` with one keyboard action; seconds to redraw."""
        page = self.page
        box = page.get_by_role("combobox", name="Competitors")
        removing = [c for c in self.competitors if c not in wanted]
        adding = [c for c in wanted if c not in self.competitors]
        await box.click()
        if removing and (len(self.competitors) > 1 or not adding):
            expected = self.competitors[:-1]            # Backspace drops the last chip
            start = time.perf_counter()
            await page.keyboard.press("Backspace")
        else:
            pid = adding[0] if adding else next(p for p in self.names if p not in self.competitors)
            expected = [*self.competitors, pid]
            await box.fill(self.names[pid])
            await page.wait_for_selector("[role='option']", timeout=CHANGE_MS)
            start = time.perf_counter()
            await page.keyboard.press("Enter")
        plotted = [p for p in expected if p in self.have] if metric_chart else None
        await page.wait_for_function(DONE_JS, arg=[",".join(expected), plotted], timeout=CHANGE_MS)
        await page.evaluate(PAINTED_JS)
        end = time.perf_counter()
        took = end - start
        self.splits.append(_split(self.frames, start, end))
        await page.keyboard.press("Escape")
        self.competitors = expected
        return took

    async def errors(self) -> list[str]:
        texts = await self.page.locator(ERRORS).all_inner_texts()
        return [t.strip()[:200] for t in texts if t.strip()] + self.js_errors


def _split(frames: list[tuple[float, int, bool]], start: float, end: float) -> dict:
    """One change's time by part: until the first message, until the script-finished message, then the browser.

    The arrival times are when Chromium's renderer hands each frame to DevTools, on its main thread: while the
    renderer is busy drawing the first deltas, later frames (script_finished included) are reported late. So
    `finished_ms` is not the server's time; `server_cpu_ms` (from /proc) is the server's side.
    """
    mine = [f for f in frames if start <= f[0] <= end]
    finished = next((t for t, _, done in reversed(mine) if done), end)
    first = mine[0][0] if mine else end
    return {"first_msg_ms": (first - start) * 1000, "finished_ms": (finished - start) * 1000,
            "after_finished_ms": (end - finished) * 1000, "bytes": sum(b for _, b, _ in mine),
            "runs": sum(done for _, _, done in mine)}


def _target(i: int, current: list[str]) -> list[str]:
    """The next competitor set: alternately one fewer and one more, cycling through COMPETITOR_SETS."""
    wanted = COMPETITOR_SETS[i % len(COMPETITOR_SETS)]
    return wanted if wanted != current else COMPETITOR_SETS[(i + 1) % len(COMPETITOR_SETS)]


async def _measure(base: str, names: dict[str, str], have: set[str], changes: int, sessions: int,
                   load_seconds: float, think_seconds: float, server: Server,
                   filter_pages: tuple[str, ...] = ("/metrics",)) -> dict:
    from playwright.async_api import async_playwright

    rss_peak = [0.0]

    async def sample_rss(stop: asyncio.Event) -> None:
        while not stop.is_set():
            rss_peak[0] = max(rss_peak[0], rss_mb(server.proc.pid)[0])
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass

    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(stop))
    out: dict = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # first page: the very first open (empty server caches), then new browser contexts (empty HTTP
            # cache: a first visit), then new tabs in one context (HTTP cache warm: a returning analyst)
            out["first_page"] = {}
            warm_ctx = await browser.new_context(viewport=VIEWPORT)
            for path in ("/", "/metrics"):
                first, cold_cache, warm_cache = None, [], []
                for i in range(4):
                    ctx = await browser.new_context(viewport=VIEWPORT)
                    took = await Tab(await ctx.new_page(), names, have).open(base, path)
                    await ctx.close()
                    if i == 0:
                        first = took
                    else:
                        cold_cache.append(took)
                for _ in range(3):
                    page = await warm_ctx.new_page()
                    warm_cache.append(await Tab(page, names, have).open(base, path))
                    await page.close()
                out["first_page"][path] = {
                    "server_cold_ms": round(first * 1000),
                    "new_browser_p50_ms": round(statistics.median(cold_cache) * 1000),
                    "new_browser_p95_ms": round(percentile(cold_cache, 95) * 1000),
                    "cached_browser_p50_ms": round(statistics.median(warm_cache) * 1000),
                    "cached_browser_p95_ms": round(percentile(warm_cache, 95) * 1000)}
            await warm_ctx.close()
            # filter changes in one tab on the metric chart (and, when asked, on other pages)
            for path in ("/metrics", *[p for p in filter_pages if p != "/metrics"]):
                result = await _filter_changes(browser, base, names, have, path, changes, server.proc.pid)
                if path == "/metrics":
                    out["filter_change"] = result
                else:
                    out.setdefault("filter_change_pages", {})[path] = result
            if not sessions:
                out["load"] = {"sessions": 0}
            else:
                cpu_before, wall_before = cpu_seconds(server.proc.pid), time.monotonic()
                out["load"] = await _load(browser, base, names, have, sessions, load_seconds, think_seconds)
                server_cpu = cpu_seconds(server.proc.pid) - cpu_before
                out["load"]["server_cpu_s"] = round(server_cpu, 1)
                out["load"]["server_cpu_share_of_one_core"] = round(server_cpu / (time.monotonic() - wall_before), 2)
                if out["load"]["changes"]:
                    out["load"]["server_cpu_ms_per_change"] = round(server_cpu * 1000 / out["load"]["changes"])
        finally:
            await browser.close()
            stop.set()
            await sampler
    now, hwm = rss_mb(server.proc.pid)
    out["server_rss_mb"] = {"peak_sampled": rss_peak[0], "vm_hwm": hwm, "now": now}
    return out


async def _filter_changes(browser, base: str, names: dict[str, str], have: set[str], path: str,
                          changes: int, server_pid: int) -> dict:
    """`changes` Competitors edits in one tab of `path`, each timed until redrawn (the metric chart's traces
    checked on /metrics; elsewhere the script idle and nothing stale, two frames later), with the server's CPU
    time per change (what the frame times cannot tell: see `_split`)."""
    ctx = await browser.new_context(viewport=VIEWPORT)
    tab = Tab(await ctx.new_page(), names, have)
    await tab.open(base, path)
    redraws, failures, server_cpu = [], [], []
    for i in range(changes):
        cpu_before = cpu_seconds(server_pid)
        try:
            redraws.append(await tab.change(_target(i, tab.competitors), metric_chart=path == "/metrics"))
            server_cpu.append(cpu_seconds(server_pid) - cpu_before)
        except Exception as exc:  # noqa: BLE001 - a failed change is a measured error, not a crash
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
            await tab.open(base, path)
    errors = await tab.errors()
    await ctx.close()
    parts = {k: round(statistics.median(s[k] for s in tab.splits)) for k in tab.splits[0]} if tab.splits else {}
    if server_cpu:
        parts["server_cpu_ms"] = round(statistics.median(server_cpu) * 1000)
    return {"page": path, "changes": len(redraws), "median_split": parts,
            "p50_ms": round(statistics.median(redraws) * 1000) if redraws else None,
            "p95_ms": round(percentile(redraws, 95) * 1000) if redraws else None,
            "max_ms": round(max(redraws) * 1000) if redraws else None,
            "errors": failures + errors}


async def _load(browser, base: str, names: dict[str, str], have: set[str], sessions: int,
                seconds: float, think: float) -> dict:
    """`sessions` tabs changing filters concurrently for `seconds` (pausing `think` s after each), then stop."""
    tabs = []
    for i in range(sessions):
        ctx = await browser.new_context(viewport=VIEWPORT)
        tabs.append((ctx, Tab(await ctx.new_page(), names, have), LOAD_PAGES[i % len(LOAD_PAGES)]))
    opened = await asyncio.gather(*(tab.open(base, path) for _, tab, path in tabs), return_exceptions=True)
    times: dict[str, list[float]] = {p: [] for p in LOAD_PAGES}
    errors: list[str] = [f"open: {e}" for e in opened if isinstance(e, BaseException)]
    deadline = time.monotonic() + seconds

    async def worker(n: int, tab: Tab, path: str) -> None:
        i = n * 5
        while time.monotonic() < deadline:
            try:
                times[path].append(await tab.change(_target(i, tab.competitors), metric_chart=path == "/metrics"))
            except Exception as exc:  # noqa: BLE001 - counted as an error, then the tab starts over
                errors.append(f"{path}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
                if time.monotonic() < deadline:
                    try:
                        await tab.open(base, path)
                    except Exception as again:  # noqa: BLE001
                        errors.append(f"{path}: reopen {type(again).__name__}")
            i += 1
            if think:
                await asyncio.sleep(min(think, max(0.0, deadline - time.monotonic())))

    await asyncio.gather(*(worker(n, tab, path) for n, (_, tab, path) in enumerate(tabs)))
    for _, tab, path in tabs:
        errors += [f"{path}: {e}" for e in await tab.errors()]
    for ctx, _, _ in tabs:
        await ctx.close()
    every = [t for v in times.values() for t in v]
    return {"sessions": sessions, "seconds": seconds, "think_seconds": think, "changes": len(every),
            "p50_ms": round(statistics.median(every) * 1000) if every else None,
            "p95_ms": round(percentile(every, 95) * 1000) if every else None,
            "per_page_p95_ms": {p: round(percentile(v, 95) * 1000) if v else None for p, v in times.items()},
            "errors": len(errors), "error_samples": sorted(set(errors))[:8]}


def browser_report(db: Path, sessions: int = 10, load_seconds: float = 120, changes: int = 24,
        think_seconds: float = 0.0, filter_pages: tuple[str, ...] = ("/metrics",), apart: bool = False) -> dict:
    """Start the server, measure, stop it; a dict for the bench report.

    apart: the server on core 0, this process and Chromium (which inherits it) on core 1, so the browser's
    rendering does not take the server's CPU (an analyst's browser runs on their own machine).
    """
    names, have = store_facts(db)
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"paylens-bench-streamlit-{os.getpid()}.log"
    cores = sorted(os.sched_getaffinity(0))
    if apart and len(cores) < 2:
        raise SystemExit("--apart needs two cores")
    server = Server(db, log, {cores[0]} if apart else None)
    if apart:
        os.sched_setaffinity(0, {cores[1]})
    try:
        result = asyncio.run(_measure(server.url, names, have, changes, sessions, load_seconds, think_seconds,
                                      server, filter_pages))
    finally:
        server.stop()
    result["server_log"] = str(log)
    result["apart"] = apart
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--load-seconds", type=float, default=120)
    parser.add_argument("--changes", type=int, default=24)
    parser.add_argument("--think-seconds", type=float, default=0.0,
                        help="pause after each filter change in the load test (0: back to back, a stress test)")
    parser.add_argument("--apart", action="store_true",
                        help="server on one core, Chromium on another (the browser's rendering off the server's CPU)")
    parser.add_argument("--filter-pages", default="/metrics",
                        help="pages whose filter change is timed, comma-separated (/metrics always)")
    args = parser.parse_args(argv)
    print(json.dumps(browser_report(args.db, args.sessions, args.load_seconds, args.changes, args.think_seconds,
                                    tuple(args.filter_pages.split(",")), args.apart),
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
