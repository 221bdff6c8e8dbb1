"""Load test of the dashboard server alone: N sessions that speak Streamlit's websocket protocol.

A browser costs a renderer per tab; this client costs almost nothing. Each session opens
`/_stcore/stream` on the server, sends the BackMsg a browser sends (`rerun_script` with the page, the
query string, the widget states and the hashes of the large messages it already holds), reads the
ForwardMsgs (protobuf, `streamlit.proto`) until `script_finished`, and records how long that took.
A filter change is the sidebar's Competitors multiselect set to another list of platforms, sent as
that widget's state, the way the frontend sends it after a click.

Reported: server CPU per filter change (the server process's CPU time over the changes / the number
of changes), changes per second, p50/p95/max latency per page, errors (exceptions and error boxes
the page showed, protocol errors, timeouts) and the server's RSS, sampled every second.

Run: `.venv/bin/python -m paylens.perf.load --db /tmp/h18/synth.duckdb --sessions 10 --seconds 60
--think-seconds 5` (a script, never part of `make test`). The server listens on 127.0.0.1 only; every
loop is bounded by a deadline and a count, every wait by a timeout.
Through the team proxy: `python -m paylens.perf.load --team 3 --loads 20,50 --seconds 60 --think-seconds 5`
starts the deployment (paylens.deploy.team) and opens every session as a browser does: GET the page first (the
proxy sets its stickiness cookie), then the websocket with that cookie.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from paylens.config import PROJECT_ROOT
from paylens.perf.browser import Server, cpu_seconds, rss_mb, store_facts
from paylens.perf.stats import COMPETITOR_SETS, percentile
from paylens.url_state import DEFAULT_COMPETITORS

PAGES = ("metrics", "signals", "compare", "")   # url paths; "" is the Overview
COMPETITORS_LABEL = "Competitors"
RUN_TIMEOUT_S = 60.0
MAX_CACHED_AGE = 2          # the frontend's global.maxCachedMessageAge: runs a cached message is kept
FINISHED = ForwardMsg.ScriptFinishedStatus


@dataclass
class Session:
    """What one browser tab knows about its session: page, URL, the Competitors widget, cached messages."""

    page: str
    query_string: str = ""
    page_hash: str = ""
    competitors_id: str = ""
    options: list[str] = field(default_factory=list)
    cached: dict[str, int] = field(default_factory=dict)   # message hash -> run it was last seen in
    runs: int = 0
    errors: list[str] = field(default_factory=list)
    bytes_in: int = 0
    replicas: dict[str, int] = field(default_factory=dict)   # sessions per replica (behind a proxy)

    def rerun(self, competitors: Sequence[str] | None = None) -> bytes:
        """The BackMsg a browser sends to run the page (with the Competitors widget set, for a filter change)."""
        state = ClientState(query_string=self.query_string, page_script_hash=self.page_hash,
                            page_name="" if self.page_hash else self.page,
                            context_info=ContextInfo(timezone="UTC", timezone_offset=0, locale="en-US",
                                                     url=f"http://127.0.0.1/{self.page}", is_embedded=False,
                                                     color_scheme="light"))
        state.cached_message_hashes.extend(sorted(self.cached))
        if competitors is not None:
            if not self.competitors_id:
                raise RuntimeError("the page has not drawn the Competitors filter yet")
            widget = state.widget_states.widgets.add()
            widget.id = self.competitors_id
            widget.string_array_value.data.extend(competitors)
        return BackMsg(rerun_script=state).SerializeToString()

    def absorb(self, data: bytes) -> int | None:
        """Take one ForwardMsg from the server; the script_finished status when it ends a run, else None."""
        self.bytes_in += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if msg.hash and msg.metadata.cacheable:
            self.cached[msg.hash] = self.runs
        if kind == "ref_hash":
            if msg.ref_hash not in self.cached:
                self.errors.append(f"reference to a message this client never got ({msg.ref_hash[:12]})")
            else:
                self.cached[msg.ref_hash] = self.runs
        elif kind == "new_session":
            if msg.new_session.page_script_hash:
                self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            if msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {self.page!r}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element)
        elif kind == "script_finished":
            self.runs += 1
            self.cached = {h: run for h, run in self.cached.items() if self.runs - run <= MAX_CACHED_AGE}
            if msg.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                self.errors.append("script finished with a compile error")
            return msg.script_finished
        return None

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "multiselect" and element.multiselect.label == COMPETITORS_LABEL:
            self.competitors_id = element.multiselect.id
            self.options = list(element.multiselect.options)
        elif kind == "exception":
            self.errors.append(f"exception: {element.exception.type}: {element.exception.message[:160]}")
        elif kind == "alert" and element.alert.format == Alert.Format.ERROR:
            self.errors.append(f"error box: {element.alert.body[:160]}")


def competitor_sets(names: dict[str, str], seed: int, mode: str) -> Iterable[list[str]]:
    """Endless competitor lists: `cycle` = the bench's 12 sets (cache hits after a round), `miss` = random
    subsets of 2-6 platforms (almost every change a new cache key: the server's worst case)."""
    ids = sorted(names)
    rng = random.Random(seed)
    i = seed
    while True:
        if mode == "cycle":
            yield list(COMPETITOR_SETS[i % len(COMPETITOR_SETS)])
            i += 1
        else:
            yield rng.sample(ids, rng.randint(2, 6))


class Client:
    """One websocket session on the server."""

    def __init__(self, base: str, page: str) -> None:
        self.base = base
        self.session = Session(page)
        self.ws = None
        self.replica = ""

    async def open(self, timeout: float = RUN_TIMEOUT_S) -> float:
        """Load the page, then connect and run it as a first visit does; seconds until the script finished.

        The page load is what a browser does first: behind the team proxy it returns the stickiness cookie
        (SERVERID), which the websocket then carries, so the session lives on the replica that served the page.
        """
        from websockets.asyncio.client import connect

        cookie = await asyncio.to_thread(self._load_page, timeout)
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(url, subprotocols=["streamlit"], origin=self.base, max_size=None,
                                open_timeout=timeout, compression=None,
                                additional_headers={"Cookie": cookie} if cookie else None)
        return await self._run(self.session.rerun(), timeout)

    def _load_page(self, timeout: float) -> str:
        """GET the page; the cookies it set (as one Cookie header) and which replica answered (if a proxy says)."""
        with urllib.request.urlopen(f"{self.base}/{self.session.page}", timeout=timeout) as resp:
            resp.read()
            self.replica = resp.headers.get("X-PayLens-Replica", "")
            cookies = [c.split(";", 1)[0].strip() for c in resp.headers.get_all("Set-Cookie") or []]
        return "; ".join(c for c in cookies if c)

    async def change(self, competitors: Sequence[str], names: dict[str, str], timeout: float = RUN_TIMEOUT_S) -> float:
        """Set Competitors (by the names the widget shows) and wait for the rerun; seconds taken."""
        return await self._run(self.session.rerun([names.get(p, p) for p in competitors]), timeout)

    async def _run(self, message: bytes, timeout: float) -> float:
        start = time.perf_counter()
        await self.ws.send(message)
        deadline = start + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {timeout:.0f} s")
            data = await asyncio.wait_for(self.ws.recv(), left)
            status = self.session.absorb(data)
            # a run that ends early for a rerun (st.rerun, or the frame's deep-link rerun) is followed by another
            if status is not None and status != FINISHED.FINISHED_EARLY_FOR_RERUN:
                return time.perf_counter() - start

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=dict)
    opens: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes_in: int = 0
    replicas: dict[str, int] = field(default_factory=dict)   # sessions per replica (behind a proxy)


async def drive(base: str, pid: int | Sequence[int], names: dict[str, str], sessions: int, seconds: float, think: float,
                mode: str = "miss", max_changes: int = 10_000, pages: Sequence[str] = PAGES,
                ramp_seconds: float = 10.0) -> dict:
    """Open `sessions` sessions (spread over `ramp_seconds`), then change filters for `seconds`; the report.

    `pid` is the server, or every replica behind a proxy: CPU and RSS are then their sums.
    """
    pids = [pid] if isinstance(pid, int) else list(pid)
    tally = Tally()
    samples: list[float] = []
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            samples.append(_rss(pids)[0])
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass

    sampler = asyncio.create_task(sample())
    opened = asyncio.Barrier(sessions + 1)
    now = time.monotonic()
    rss_before = _rss(pids)[0]
    start_ats = [now + ramp_seconds * i / max(1, sessions) for i in range(sessions)]
    state: dict[str, float] = {}     # the deadline, set once every session has opened
    go = asyncio.Event()
    tasks = [asyncio.create_task(_session(i, base, pages[i % len(pages)], names, mode, think, start_ats[i], state,
                                          go, max_changes, opened, tally)) for i in range(sessions)]
    try:
        await asyncio.wait_for(opened.wait(), ramp_seconds + RUN_TIMEOUT_S * 2)
    except TimeoutError:
        tally.errors.append("not every session opened in time")
        await opened.abort()
    cpu0, wall0 = _cpu(pids), time.monotonic()
    state["deadline"] = wall0 + seconds
    go.set()
    rss_open = _rss(pids)[0]
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + RUN_TIMEOUT_S + 60)
    cpu, wall = _cpu(pids) - cpu0, time.monotonic() - wall0
    stop.set()
    await sampler
    every = [t for v in tally.times.values() for t in v]
    now_rss, hwm = _rss(pids)
    return {
        "sessions": sessions, "seconds": seconds, "think_seconds": think, "mode": mode,
        "changes": len(every), "changes_per_s": round(len(every) / wall, 2) if wall else None,
        "p50_ms": _ms(statistics.median(every)) if every else None,
        "p95_ms": _ms(percentile(every, 95)) if every else None,
        "max_ms": _ms(max(every)) if every else None,
        "per_page": {f"/{p}": {"changes": len(v), "p50_ms": _ms(statistics.median(v)),
                               "p95_ms": _ms(percentile(v, 95))} for p, v in sorted(tally.times.items()) if v},
        "open_p50_ms": _ms(statistics.median(tally.opens)) if tally.opens else None,
        "server_cpu_s": round(cpu, 1), "server_cpu_share_of_one_core": round(cpu / wall, 2) if wall else None,
        "server_cpu_ms_per_change": round(cpu * 1000 / len(every)) if every else None,
        "client_mb_received": round(tally.bytes_in / 2**20, 1),
        "sessions_per_replica": dict(sorted(tally.replicas.items())),
        "errors": len(tally.errors), "error_samples": sorted(set(tally.errors))[:8],
        "server_rss_mb": {"before": rss_before, "sessions_open": rss_open, "peak_sampled": max(samples, default=0),
                          "end": now_rss, "vm_hwm": hwm,
                          # one sample every 30 s from the start: a soak shows whether memory levels off
                          "every_30s": samples[::30]},
    }


async def _session(n: int, base: str, page: str, names: dict[str, str], mode: str, think: float, start_at: float,
                   state: dict, go: asyncio.Event, max_changes: int, opened: asyncio.Barrier,
                   tally: Tally) -> None:
    """One session: open its page, then change Competitors until `state['deadline']` (set once all opened)."""
    client = Client(base, page)
    sets = competitor_sets(names, n, mode)
    current = list(DEFAULT_COMPETITORS)
    try:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        try:
            tally.opens.append(await client.open())
            if client.replica:
                tally.replicas[client.replica] = tally.replicas.get(client.replica, 0) + 1
        except Exception as exc:  # noqa: BLE001 - a failed open is a measured error
            tally.errors.append(f"/{page} open: {type(exc).__name__}: {str(exc)[:160]}")
            return
        finally:
            try:
                await opened.wait()
            except asyncio.BrokenBarrierError:
                pass
        await go.wait()             # drive() sets the deadline once every session has opened
        deadline = state["deadline"]
        await asyncio.sleep(min(think, max(0.0, deadline - time.monotonic())) * (n % 10) / 10)
        changes = 0
        while time.monotonic() < deadline and changes < max_changes:
            wanted = next(sets)
            while wanted == current:
                wanted = next(sets)
            try:
                took = await client.change(wanted, names)
                tally.times.setdefault(page, []).append(took)
                current = wanted
            except Exception as exc:  # noqa: BLE001 - counted, then this session stops
                tally.errors.append(f"/{page}: {type(exc).__name__}: {str(exc)[:160]}")
                return
            changes += 1
            if think:
                await asyncio.sleep(min(think, max(0.0, deadline - time.monotonic())))
    finally:
        tally.errors += [f"/{page}: {e}" for e in client.session.errors]
        tally.bytes_in += client.session.bytes_in
        await client.close()


def _cpu(pids: Sequence[int]) -> float:
    return sum(cpu_seconds(p) for p in pids)


def _rss(pids: Sequence[int]) -> tuple[float, float]:
    """Summed (RSS, peak RSS) in MB of the server processes."""
    pairs = [rss_mb(p) for p in pids]
    return round(sum(a for a, _ in pairs), 1), round(sum(b for _, b in pairs), 1)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def load_report(db: Path, sessions: int, seconds: float, think: float, mode: str = "miss",
                pages: Sequence[str] = PAGES, max_changes: int = 10_000) -> dict:
    """Start the server on 127.0.0.1, drive it, stop it."""
    names, _ = store_facts(db)
    log = Path("/tmp") / f"paylens-load-streamlit-{int(time.time())}.log"
    server = Server(db, log)
    try:
        result = asyncio.run(drive(server.url, server.proc.pid, names, sessions, seconds, think, mode,
                                   max_changes, pages))
    finally:
        server.stop()
    result["server_log"] = str(log)
    return result


def team_report(replicas: int, loads: Sequence[int], seconds: float, think: float, mode: str = "miss",
                pages: Sequence[str] = PAGES, max_changes: int = 10_000, data: Path | None = None,
                port: int = 8620, root: Path | None = None) -> list[dict]:
    """Start a team deployment (`replicas` read-only replicas behind HAProxy, DuckLake + PostgreSQL catalog built
    from `data`), drive it through the proxy with each session count in `loads` in turn, stop it."""
    import os
    import tempfile

    from paylens.deploy.team import Layout, Team, running

    data = (data or PROJECT_ROOT / "data").resolve()
    with tempfile.TemporaryDirectory(prefix="paylens-team-bench-") as tmp:
        team = Team(Layout.plan(replicas, port, editor=False, first_replica_port=port + 10),
                    (root or Path(tmp)).resolve(), data, catalog_port=port + 5)
        with running(team, out=sys.stderr):
            saved = dict(os.environ)
            os.environ.update(team.env)      # store_facts reads the lake the replicas serve
            try:
                names, _ = store_facts(Path(team.db_spec))
            finally:
                os.environ.clear()
                os.environ.update(saved)
            pids = [c.pid for name, c in team.children.items() if name != "haproxy"]
            results = []
            for sessions in loads:
                result = asyncio.run(drive(team.url, pids, names, sessions, seconds, think, mode, max_changes, pages))
                result.update(replicas=replicas, proxy="haproxy", store=team.db_spec.split(":", 2)[0],
                              haproxy_cpu_s=round(cpu_seconds(team.children["haproxy"].pid), 1))
                results.append(result)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-seconds", type=float, default=5.0,
                        help="pause after each filter change (0: back to back, to find the most one process takes)")
    parser.add_argument("--mode", choices=("miss", "cycle"), default="miss",
                        help="miss: random competitor sets, almost every change a cache miss; cycle: the bench's 12")
    parser.add_argument("--pages", default=",".join(PAGES),
                        help="url paths the sessions cycle through ('' is the Overview)")
    parser.add_argument("--max-changes", type=int, default=10_000, help="per session")
    parser.add_argument("--team", type=int, default=0,
                        help="N: serve a team deployment (N replicas behind HAProxy, DuckLake built from --data) "
                             "and drive it through the proxy; --db is then not used")
    parser.add_argument("--loads", default="20,50", help="with --team: session counts, run in turn")
    parser.add_argument("--data", type=Path, default=None, help="with --team: the source data (default data/)")
    parser.add_argument("--port", type=int, default=8620, help="with --team: the proxy's port (replicas from +10)")
    args = parser.parse_args(argv)
    if args.team:
        for result in team_report(args.team, [int(n) for n in args.loads.split(",")], args.seconds,
                                  args.think_seconds, args.mode, tuple(args.pages.split(",")), args.max_changes,
                                  args.data, args.port):
            print(json.dumps(result, ensure_ascii=False), flush=True)
        return
    if args.db is None:
        parser.error("--db is required (or --team N)")
    print(json.dumps(load_report(args.db, args.sessions, args.seconds, args.think_seconds, args.mode,
                                 tuple(args.pages.split(",")), args.max_changes), ensure_ascii=False))


if __name__ == "__main__":
    main()
