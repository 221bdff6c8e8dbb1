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
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

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

    async def open(self, timeout: float = RUN_TIMEOUT_S) -> float:
        """Connect and run the page as a first visit does; seconds until the script finished."""
        from websockets.asyncio.client import connect

        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(url, subprotocols=["streamlit"], origin=self.base, max_size=None,
                                open_timeout=timeout, compression=None)
        return await self._run(self.session.rerun(), timeout)

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


async def drive(base: str, pid: int, names: dict[str, str], sessions: int, seconds: float, think: float,
                mode: str = "miss", max_changes: int = 10_000, pages: Sequence[str] = PAGES,
                ramp_seconds: float = 10.0) -> dict:
    """Open `sessions` sessions (spread over `ramp_seconds`), then change filters for `seconds`; the report."""
    tally = Tally()
    samples: list[float] = []
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            samples.append(rss_mb(pid)[0])
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass

    sampler = asyncio.create_task(sample())
    opened = asyncio.Barrier(sessions + 1)
    now = time.monotonic()
    rss_before = rss_mb(pid)[0]
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
    cpu0, wall0 = cpu_seconds(pid), time.monotonic()
    state["deadline"] = wall0 + seconds
    go.set()
    rss_open = rss_mb(pid)[0]
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + RUN_TIMEOUT_S + 60)
    cpu, wall = cpu_seconds(pid) - cpu0, time.monotonic() - wall0
    stop.set()
    await sampler
    every = [t for v in tally.times.values() for t in v]
    now_rss, hwm = rss_mb(pid)
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-seconds", type=float, default=5.0,
                        help="pause after each filter change (0: back to back, to find the most one process takes)")
    parser.add_argument("--mode", choices=("miss", "cycle"), default="miss",
                        help="miss: random competitor sets, almost every change a cache miss; cycle: the bench's 12")
    parser.add_argument("--pages", default=",".join(PAGES),
                        help="url paths the sessions cycle through ('' is the Overview)")
    parser.add_argument("--max-changes", type=int, default=10_000, help="per session")
    args = parser.parse_args(argv)
    print(json.dumps(load_report(args.db, args.sessions, args.seconds, args.think_seconds, args.mode,
                                 tuple(args.pages.split(",")), args.max_changes), ensure_ascii=False))


if __name__ == "__main__":
    main()
