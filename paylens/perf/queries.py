"""`paylens bench`: query, page, extractor and naive-baseline timings on a (synthetic) store, as one JSON object.

What is timed and how:

- queries: every file in queries/ with representative parameters (the dashboard's default competitors and
  dates, its default metric, ...), through paylens.queries.run on the app's read-only connection, and the
  same SQL text with the same bound parameters run directly on a second such connection (open_store's
  read-only sandbox, no query layer) fetched with `.df()`. Runs alternate between the two so machine load
  hits both alike; ratio = p95 / raw_p95.
- pages: streamlit.testing AppTest on dashboard.py with PAYLENS_DB set: the first render of each page with
  empty caches (cold), then reruns after changing the Competitors filter to a set not seen before (warm
  process, cold query cache: the realistic filter change).
- signals: paylens.perf.signals over ~2 KB pieces of the real article bodies in data/articles.
- naive: the Metrics page's chart data computed the quick-script way (read every metric row into pandas,
  filter, join, sort) on every rerun, in a child process so its memory does not inflate ours.
- build_s: measured here when `--build-rows` is given (synthesised into --db first), else the synth time
  recorded in the store's build_info.counts (`synth_build_ms`).
- a DuckLake --db (`ducklake:postgres:<dsn>`): queries run on what a replica serves (PAYLENS_LAKE_SERVE): in
  `local` mode the newest snapshot is first copied into the local cache file as a replica's first request does
  (timed: `lake.materialise_s`; ~0 when a current copy was already there), in `direct` mode on the lake itself.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from paylens import queries
from paylens.charts.tables import ARTICLES_PER_PAGE
from paylens.config import PROJECT_ROOT
from paylens.perf.stats import COMPETITOR_SETS, DEFAULT_METRIC, machine, peak_rss_mb, percentile
from paylens.store.reader import open_store
from paylens.url_state import DEFAULT_COMPETITORS, DEFAULT_FROM, DEFAULT_TO, DEFAULT_VIEW

MIN_SAMPLE_S = 1.0   # per path, for queries fast enough to run many times
MAX_ROUNDS = 400
# The Overview's "What changed" windows: its default and its longest (paylens/ui/digest.py's WINDOWS). The plain
# digest_* runs take the sidebar's whole range (2010-2026), a window the panel never asks for.
DIGEST_WINDOW_DAYS = (30, 365)
DIGEST_QUERIES = ("digest_articles", "digest_metrics", "digest_signal_shift")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@contextmanager
def stdout_to_stderr():
    """Keep stdout for the one JSON object: anything else written to fd 1 meanwhile goes to stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


# ---------------------------------------------------------------------------------------------- queries

def representative_params(con) -> dict[str, object]:
    """Values a user would have on screen: default competitors and dates, default metric, newest article."""
    metric = DEFAULT_METRIC
    if not con.execute("select 1 from metric_catalogue where metric = $m", {"m": metric}).fetchone():
        row = con.execute("select metric from metric_values group by metric order by count(*) desc limit 1").fetchone()
        metric = row[0] if row else ""
    article = con.execute("select article_id from articles order by date desc nulls last, article_id limit 1"
                          ).fetchone()
    return {
        "competitors": list(DEFAULT_COMPETITORS), "from": DEFAULT_FROM, "to": DEFAULT_TO, "metric": metric,
        "family": "", "categories": [], "signal": DEFAULT_VIEW["signal"], "signals": [],
        "platform": DEFAULT_COMPETITORS[0], "rival": DEFAULT_COMPETITORS[1],  # Compare's default pair
        "stance": "", "limit": 500, "max_points": queries.DEFAULTS["max_points"],
        "article_id": article[0] if article else "",
        "terms": ["alipay", "支付", "付宝", "支付宝"], "publisher": "", "depth": 8,  # search "Alipay 支付宝"
        "page_size": ARTICLES_PER_PAGE, "offset": 0,  # the Articles page's first page
    }


# What a query's page passes unlike the others: the article list is a page of the whole list, not one article.
OVERRIDES: dict[str, dict[str, object]] = {"articles_list": {"article_id": ""}}


def _params_for(query: queries.Query, sample: dict[str, object]) -> dict[str, object]:
    return {p: OVERRIDES.get(query.name, {}).get(p, sample[p]) for p in query.params if p in sample}


def variants(con, sample: dict[str, object]) -> list[tuple[str, str, dict[str, object]]]:
    """Further timed runs of a query, named `query:variant`: the article list's last page (the deepest offset)
    and every row (what the Download CSV, `paylens export` and snapshots read); the digest over the Overview's
    windows, ending on the newest day an article was added."""
    listed = _params_for(queries.get("articles_list"), sample)
    total = int(queries.run(con, "articles_count", _params_for(queries.get("articles_count"), sample)).iloc[0, 0])
    last = (max(total - 1, 0) // ARTICLES_PER_PAGE) * ARTICLES_PER_PAGE
    out = [("articles_list:last_page", "articles_list", {**listed, "offset": last}),
           ("articles_list:every_row", "articles_list", {**listed, "page_size": 0})]
    newest = con.execute("select max(coalesce(fetched_at::date, date)) from articles").fetchone()[0] or DEFAULT_TO
    for days in DIGEST_WINDOW_DAYS:
        window = {"from": newest - timedelta(days=days - 1), "to": newest}
        out += [(f"{name}:{days}_days", name, {**_params_for(queries.get(name), sample), **window})
                for name in DIGEST_QUERIES]
    return out


def bench_queries(db: Path, repeat: int, min_sample_s: float = MIN_SAMPLE_S) -> list[dict]:
    """p50/p95 per query through the query layer and raw, alternating."""
    app = open_store(db)
    raw = open_store(db)
    try:
        sample = representative_params(app)
        out = []
        runs = [(name, name, _params_for(query, sample)) for name, query in queries.load_all().items()]
        for label, name, params in runs + variants(app, sample):
            query = queries.get(name)
            bound = queries.bind(query, params)
            layer_t, raw_t, rows = [], [], 0
            i = 0
            # round 0 warms both paths (not counted); then at least `repeat` rounds and, for fast queries, more
            # (up to MIN_SAMPLE_S per path or MAX_ROUNDS) so a p95 of a few milliseconds is not just noise
            while i <= repeat or (sum(layer_t) < min_sample_s and i <= MAX_ROUNDS):
                for which in (("layer", "raw") if i % 2 == 0 else ("raw", "layer")):
                    start = time.perf_counter()
                    if which == "layer":
                        rows = len(queries.run(app, name, params))
                    else:  # on the connection itself: a cursor of it would pay an extra `use store`
                        raw.execute(query.sql, bound).df()
                    if i:
                        (layer_t if which == "layer" else raw_t).append(time.perf_counter() - start)
                i += 1
            p95, raw_p95 = percentile(layer_t, 95), percentile(raw_t, 95)
            out.append({"name": label, "rows": rows,
                        "p50_ms": _ms(statistics.median(layer_t)), "p95_ms": _ms(p95),
                        "raw_p50_ms": _ms(statistics.median(raw_t)), "raw_p95_ms": _ms(raw_p95),
                        "ratio": round(p95 / raw_p95, 3) if raw_p95 else None})
        return out
    finally:
        raw.close()
        app.close()


def prepare_lake(db: Path) -> dict:
    """Before timing a DuckLake store: its serve mode and newest snapshot; in local mode, copy it (timed) first.

    Without the copy, open_store would read a local-mode lake directly (a one-off command never copies).
    """
    from paylens.store.lake import materialise, materialised_snapshot, newest_snapshot, parse_spec

    spec = parse_spec(db)
    snapshot = newest_snapshot(spec)
    out: dict = {"serve": spec.serve, "snapshot": snapshot}
    if spec.serve == "local":
        out["copy_was_current"] = materialised_snapshot(spec.cache_file) == snapshot
        start = time.perf_counter()
        path = materialise(spec, snapshot)
        out["materialise_s"] = round(time.perf_counter() - start, 2)
        out["copy_bytes"] = path.stat().st_size
    return out


# ------------------------------------------------------------------------------------------------ pages

def page_files() -> list[str]:
    """Every page file, as the dashboard's st.navigation names it (pages/x.py)."""
    return sorted(f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py"))


def bench_pages(db: Path, warm_runs: int, timeout: float = 120.0) -> list[dict]:
    """Cold first render and warm filter-change reruns of every page via AppTest (paylens.perf.pages)."""
    from paylens.perf.pages import time_page

    saved = os.environ.get("PAYLENS_DB")
    os.environ["PAYLENS_DB"] = str(db)
    out = []
    try:
        for page in page_files():
            cold, warm, problems = time_page(PROJECT_ROOT / "dashboard.py", page,
                                             [COMPETITOR_SETS[i % len(COMPETITOR_SETS)] for i in range(warm_runs)],
                                             timeout)
            entry = {"page": page, "cold_ms": _ms(cold), "warm_p95_ms": _ms(percentile(warm, 95)),
                     "warm_p50_ms": _ms(statistics.median(warm)) if warm else None}
            if problems:
                entry["errors"] = sorted(set(problems))[:5]
            out.append(entry)
    finally:
        if saved is None:
            os.environ.pop("PAYLENS_DB", None)
        else:
            os.environ["PAYLENS_DB"] = saved
    return out


# ---------------------------------------------------------------------------------------------- signals

def bench_signals(data_dir: Path, seconds: float = 3.0) -> dict:
    """Extractor throughput over >= 2 KB pieces of the real article bodies (paylens.perf.signals)."""
    from paylens.perf.signals import TARGET_ARTICLE_BYTES, chunk_bodies, measure
    from paylens.signals.articles import parse_article
    from paylens.signals.extract import Extractor

    texts = [parse_article(path).body for path in sorted((data_dir / "articles").glob("*"))
             if path.suffix in (".txt", ".md")]
    # One stream cut into pieces of at least 2 KB: per-article cuts would leave short tails and flatter the rate.
    bodies = chunk_bodies("\n".join(texts))
    if len(bodies) > 1 and len(bodies[-1].encode("utf-8")) < TARGET_ARTICLE_BYTES:
        bodies.pop()
    if not bodies:
        return {"articles_per_s": None}
    return measure(Extractor.from_dir(data_dir / "lexicon"), bodies, seconds)


# ------------------------------------------------------------------------------------------------ naive

NAIVE_CODE = """
import json, resource, sys, time
import duckdb
db, metric, comps, d_from, d_to = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4], sys.argv[5]
repeat = int(sys.argv[6])
import pandas as pd
times, rows = [], 0
for _ in range(repeat):
    start = time.perf_counter()
    con = duckdb.connect(db, read_only=True)                     # a quick script: every rerun reads it all
    con.execute("set enable_progress_bar = false")
    values = con.execute("select * from metric_values").df()
    platforms = con.execute("select * from platforms").df()
    catalogue = con.execute("select * from metric_catalogue").df()
    con.close()
    chosen = values[(values["metric"] == metric) & values["platform_id"].isin(comps)
                    & (values["period_end"] >= pd.Timestamp(d_from)) & (values["period_start"] <= pd.Timestamp(d_to))]
    out = (chosen.merge(platforms[["platform_id", "short_name", "name_zh"]], on="platform_id")
                 .merge(catalogue[["metric", "label", "research_firm"]], on="metric")
                 .sort_values(["platform_id", "unit", "period_end", "period_start", "source_url"]))
    rows = len(out)
    del values, chosen, out
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times, "rows": rows,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def bench_naive(db: Path, metric: str, repeat: int) -> dict:
    """The same chart data the quick-script way, in a child process (its peak RSS is its own)."""
    args = [sys.executable, "-c", NAIVE_CODE, str(db), metric, ",".join(DEFAULT_COMPETITORS),
            DEFAULT_FROM.isoformat(), DEFAULT_TO.isoformat(), str(repeat)]
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=3600)
    if done.returncode != 0:
        return {"p95_ms": None, "peak_rss_mb": None, "error": done.stderr.strip().splitlines()[-1:]}
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return {"p95_ms": _ms(percentile(got["times"], 95)), "p50_ms": _ms(statistics.median(got["times"])),
            "runs": len(got["times"]), "rows": got["rows"], "peak_rss_mb": got["peak_rss_mb"]}


# ------------------------------------------------------------------------------------------------ build

def synth_in_child(db: Path, rows: int, articles: int | None, seed: int, data_dir: Path) -> float:
    """Build the synthetic store in a child process (its memory is not ours); wall seconds.

    A target synth refuses is bad input (exit 2), found here before the child starts; a child that fails
    anyway (out of memory, killed, a bug) is not the user's input: PaylensError, exit 1.
    """
    from paylens.errors import PaylensError
    from paylens.perf.synth import DEFAULT_ARTICLES, check_target

    check_target(db)
    code = ("import sys; from pathlib import Path; from paylens.perf.synth import synthesize; "
            "synthesize(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(db), str(rows),
                           str(DEFAULT_ARTICLES if articles is None else articles), str(seed), str(data_dir)],
                          capture_output=True, text=True, check=False, timeout=3600)
    took = time.perf_counter() - start
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit code {done.returncode}"
        raise PaylensError(f"synth failed in its child process: {last}")
    return round(took, 2)


def recorded_build(db: Path) -> tuple[float | None, dict]:
    """The synth build time and row counts recorded in the store."""
    con = open_store(db)
    try:
        row = con.execute("select counts from build_info").fetchone()
    finally:
        con.close()
    counts = json.loads(row[0]) if row else {}
    ms = counts.get("synth_build_ms")
    return (round(ms / 1000, 2) if ms is not None else None), counts


def bench_report(db: Path, repeat: int = 20, warm_runs: int | None = None, build_rows: int | None = None,
        build_articles: int | None = None, seed: int = 0, pages: bool = True, naive: bool = True,
        naive_runs: int = 3, signals_seconds: float = 3.0, data_dir: Path | None = None,
        browser: dict | None = None, min_sample_s: float = MIN_SAMPLE_S) -> dict:
    """Everything `paylens bench` reports, as one dict (see the module docstring)."""
    from paylens.config import settings

    data_dir = data_dir or settings().data_dir
    build_source = "build_info.counts.synth_build_ms"
    if build_rows is not None:
        build_s: float | None = synth_in_child(db, build_rows, build_articles, seed, data_dir)
        build_source = "measured: `paylens synth` in a child process, wall clock (paylens bench --build-rows)"
        _, counts = recorded_build(db)
    else:
        build_s, counts = recorded_build(db)
    report: dict = {"store": str(db), "counts": {k: v for k, v in counts.items() if not k.startswith("synth_")}}
    report["queries"] = bench_queries(db, repeat, min_sample_s)
    report["pages"] = bench_pages(db, warm_runs if warm_runs is not None else min(repeat, 12)) if pages else []
    sig = bench_signals(data_dir, signals_seconds)
    report["signals_articles_per_s"] = sig.get("articles_per_s")
    report["signals"] = sig
    report["build_s"] = build_s
    report["build_source"] = build_source
    report["peak_rss_mb"] = peak_rss_mb()
    if naive:
        metric = representative_params_from(db)["metric"]
        report["naive"] = bench_naive(db, str(metric), naive_runs)
        series = next((q for q in report["queries"] if q["name"] == "metric_series"), None)
        if series and report["naive"].get("p95_ms"):
            report["naive"]["speedup_p95"] = round(report["naive"]["p95_ms"] / series["p95_ms"], 1)
            # the naive script keeps every row; ours at full resolution too (max_points=0), for a like-for-like
            full = full_resolution_p95(db, repeat)
            report["naive"]["ours_full_resolution_p95_ms"] = full
            report["naive"]["speedup_p95_full_resolution"] = round(report["naive"]["p95_ms"] / full, 1)
    else:
        report["naive"] = {"p95_ms": None, "peak_rss_mb": None}
    if browser is not None:
        from paylens.perf.browser import browser_report

        report["browser"] = browser_report(db, **browser)
    report["machine"] = machine()
    return report


def full_resolution_p95(db: Path, repeat: int) -> float:
    """p95 of metric_series through the query layer without downsampling (every row, like the naive script)."""
    con = open_store(db)
    try:
        params = {**_params_for(queries.get("metric_series"), representative_params(con)), "max_points": 0}
        queries.run(con, "metric_series", params)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            queries.run(con, "metric_series", params)
            times.append(time.perf_counter() - start)
    finally:
        con.close()
    return _ms(percentile(times, 95))


def representative_params_from(db: Path) -> dict[str, object]:
    con = open_store(db)
    try:
        return representative_params(con)
    finally:
        con.close()


def summary_lines(report: dict) -> list[str]:
    """A short human-readable table of the report."""
    width = max([24] + [len(q["name"]) + 1 for q in report["queries"]])  # variants are longer than names
    lines = [f"store {report['store']}  counts {report.get('counts')}", "",
             f"{'query':{width}}{'rows':>9}{'p50':>9}{'p95':>9}{'raw p95':>9}{'ratio':>7}"]
    for q in report["queries"]:
        lines.append(f"{q['name']:{width}}{q['rows']:>9}{q['p50_ms']:>9}{q['p95_ms']:>9}{q['raw_p95_ms']:>9}"
                     f"{q['ratio']:>7}")
    if report["pages"]:
        lines += ["", f"{'page':24}{'cold ms':>10}{'warm p95':>10}"]
        lines += [f"{p['page']:24}{p['cold_ms']:>10}{p['warm_p95_ms']:>10}" for p in report["pages"]]
    lines += ["", f"signals articles/s {report['signals_articles_per_s']}  build_s {report['build_s']} "
              f"({report['build_source']})  peak_rss_mb {report['peak_rss_mb']}  naive {report['naive']}"]
    return lines
