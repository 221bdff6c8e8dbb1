"""Search latency on a store: p50/p95 of the search query for EN and ZH queries, with and without filters.

    .venv/bin/python -m paylens.perf.search --db data/build/synth.duckdb [--repeat 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import duckdb

from paylens.config import settings
from paylens.search.engine import search
from paylens.search.tokenize import tokenizer_for
from paylens.url_state import DEFAULT_COMPETITORS, DEFAULT_FROM, DEFAULT_TO

DASHBOARD = {"competitors": list(DEFAULT_COMPETITORS), "from": DEFAULT_FROM.isoformat(), "to": DEFAULT_TO.isoformat()}
CASES = (  # (label, query text, filters): rare and very common terms, both scripts, each filter
    ("en rare", "costly mistake", {}),
    ("en common", "Alipay", {}),
    ("en phrase", "tap to pay", DASHBOARD),
    ("en + signal/stance", "AI assistant", {**DASHBOARD, "signal": "ai_assistant", "stance": "positive"}),
    ("en + platform, 3 years", "short video live streaming",
     {"platform": "wechat_pay", "from": "2020-01-01", "to": "2022-12-31"}),
    ("zh rare", "碰一下", DASHBOARD),
    ("zh common", "支付宝", DASHBOARD),
    ("zh sentence", "监管部门要求整改", {}),
    ("publisher", "Synthetic Daily payments", {"publisher": "Synthetic Daily"}),
    ("unique id", "dispatch 4242", {}),
)


def percentile(values: list[float], q: float) -> float:
    """Linearly interpolated percentile, q in 0..1 (BENCHMARKS.md's search figures; perf.stats' is nearest-rank)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def search_report(db: Path, repeat: int = 20, lexicon_dir: Path | None = None, threads: int | None = None) -> dict:
    """Time each case `repeat` times after one warm-up (tokenising included, as the dashboard does).

    Wall time is what an analyst waits; CPU time (all threads of this process) is the cost, which a
    loaded machine does not inflate the way it inflates wall time.
    """
    tokenizer = tokenizer_for(str(lexicon_dir or settings().data_dir / "lexicon"))
    # A plain read-only connection: --threads sets DuckDB's threads, which open_store's locked configuration refuses.
    con = duckdb.connect(str(db), read_only=True, config={"threads": threads} if threads else {})
    try:
        articles = con.execute("select count(*) from articles").fetchone()[0]
        docs = con.execute("select count(*) from search_docs").fetchone()[0]
        postings = con.execute("select count(*) from search_postings").fetchone()[0]
        rows, everything, cpu_all = [], [], []
        threads_used = con.execute("select current_setting('threads')").fetchone()[0]
        for label, text, filters in CASES:
            found = len(search(con, text, tokenizer, filters))  # warm-up
            times, cpu = [], []
            for _ in range(repeat):
                start, cpu_start = time.perf_counter(), time.process_time()
                search(con, text, tokenizer, filters)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - cpu_start) * 1000)
            everything += times
            cpu_all += cpu
            rows.append({"case": label, "query": text, "results": found, "p50_ms": round(percentile(times, .5), 1),
                         "p95_ms": round(percentile(times, .95), 1), "cpu_p50_ms": round(percentile(cpu, .5), 1),
                         "cpu_p95_ms": round(percentile(cpu, .95), 1)})
    finally:
        con.close()
    return {"db": str(db), "articles": articles, "indexed_units": docs, "postings": postings, "repeat": repeat,
            "cpus": os.cpu_count(), "threads": threads_used, "load_avg": os.getloadavg(), "cases": rows,
            "all_p50_ms": round(percentile(everything, .5), 1), "all_p95_ms": round(percentile(everything, .95), 1),
            "all_cpu_p50_ms": round(percentile(cpu_all, .5), 1), "all_cpu_p95_ms": round(percentile(cpu_all, .95), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = search_report(args.db, args.repeat, threads=args.threads)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"{report['articles']:,} articles, {report['indexed_units']:,} units, {report['postings']:,} postings; "
          f"{report['threads']} DuckDB threads; load {report['load_avg'][0]:.2f}")
    for r in report["cases"]:
        print(f"  {r['case']:24} {r['query']:28} {r['results']:>4} results  p50 {r['p50_ms']:7.1f} ms  "
              f"p95 {r['p95_ms']:7.1f} ms  (cpu p50 {r['cpu_p50_ms']:6.1f}, p95 {r['cpu_p95_ms']:6.1f})")
    print(f"  all: p50 {report['all_p50_ms']} ms, p95 {report['all_p95_ms']} ms "
          f"(cpu p50 {report['all_cpu_p50_ms']} ms, p95 {report['all_cpu_p95_ms']} ms)")


if __name__ == "__main__":
    main()
