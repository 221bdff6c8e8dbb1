"""Page switches in Chromium (a script, not part of `make test`): click a sidebar link and time until the new page's
script is idle, nothing is stale and its charts are drawn (two animation frames later).

Run: `.venv/bin/python -m paylens.perf.switches --db /tmp/h18/synth.duckdb --rounds 5` (Signals, Compare, Metrics,
Overview in turn, `rounds` times, in one tab: a returning analyst moving around). Localhost only; every wait has a
timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from paylens.perf.browser import CHROMIUM, CHROMIUM_ARGS, PAINTED_JS, VIEWPORT, Server, Tab, store_facts
from paylens.perf.stats import percentile

ROUTE = (("Signals", "/signals"), ("Compare", "/compare"), ("Metrics", "/metrics"), ("Overview", "/"))
DONE_JS = """(path) => location.pathname === path
  && !!document.querySelector("[data-test-script-state='notRunning']")
  && !document.querySelector("[data-stale='true']")
  && document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"""


async def _switches(base: str, names: dict[str, str], have: set[str], rounds: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ctx = await browser.new_context(viewport=VIEWPORT)
            tab = Tab(await ctx.new_page(), names, have)
            await tab.open(base, "/")
            times: dict[str, list[float]] = {path: [] for _, path in ROUTE}
            for _ in range(rounds):
                for label, path in ROUTE:
                    link = tab.page.locator("[data-testid='stSidebarNav'] a").filter(has_text=label).first
                    start = time.perf_counter()
                    await link.click()
                    await tab.page.wait_for_function(DONE_JS, arg=path, timeout=60_000)
                    await tab.page.evaluate(PAINTED_JS)
                    times[path].append(time.perf_counter() - start)
            every = [t for v in times.values() for t in v]
            return {"switches": len(every), "p50_ms": round(statistics.median(every) * 1000),
                    "p95_ms": round(percentile(every, 95) * 1000), "errors": await tab.errors(),
                    "per_page_p50_p95_ms": {p: [round(statistics.median(v) * 1000), round(percentile(v, 95) * 1000)]
                                            for p, v in times.items() if v}}
        finally:
            await browser.close()


def switch_report(db: Path, rounds: int = 5) -> dict:
    names, have = store_facts(db)
    server = Server(db, Path("/tmp") / f"paylens-switches-streamlit-{int(time.time())}.log")
    try:
        return asyncio.run(_switches(server.url, names, have, rounds))
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(switch_report(args.db, args.rounds)))


if __name__ == "__main__":
    main()
