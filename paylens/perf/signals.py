"""Measure the signal extractor's throughput (articles per second on one core) for `paylens bench`."""

from __future__ import annotations

import statistics
import time

from paylens.signals.extract import Extractor

TARGET_ARTICLE_BYTES = 2_000


def measure(extractor: Extractor, bodies: list[str], seconds: float = 3.0, rounds: int = 5) -> dict:
    """Extract from `bodies` round-robin for about `seconds` of CPU time on one core, in `rounds` rounds.

    articles_per_s is the median round's rate per CPU second of this process (the work is
    single-threaded, and this shared machine's clock speed drifts between seconds, so one
    long run would mix fast and slow spells); the slowest and fastest rounds are reported too.
    """
    if not bodies:
        raise ValueError("measure() needs at least one body")
    if rounds < 1:
        raise ValueError("measure() needs at least one round")
    for body in bodies:  # warm up caches and the automaton
        extractor.extract(body)
    done = 0
    hits = 0
    rates: list[float] = []
    cpu_total = 0.0
    wall_start = time.perf_counter()
    for _ in range(rounds):
        round_done = 0
        cpu_start = time.process_time()
        cpu = 0.0
        while cpu < seconds / rounds or round_done == 0:
            for body in bodies:
                hits += len(extractor.extract(body))
            round_done += len(bodies)
            cpu = time.process_time() - cpu_start
        rates.append(round_done / max(cpu, 1e-9))
        done += round_done
        cpu_total += cpu
    wall = time.perf_counter() - wall_start
    return {
        "articles": done,
        "rounds": rounds,
        "cpu_seconds": round(cpu_total, 3),
        "articles_per_s": round(statistics.median(rates), 1),
        "slowest_round_per_s": round(min(rates), 1),
        "fastest_round_per_s": round(max(rates), 1),
        "wall_articles_per_s": round(done / max(wall, 1e-9), 1),
        "mean_article_bytes": round(sum(len(b.encode("utf-8")) for b in bodies) / len(bodies), 1),
        "hits_per_article": round(hits / done, 2),
    }


def chunk_bodies(text: str, target_bytes: int = TARGET_ARTICLE_BYTES) -> list[str]:
    """Cut a long text at line ends into bodies of about target_bytes each (the last may be short)."""
    bodies: list[str] = []
    lines: list[str] = []
    size = 0
    for line in text.splitlines():
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
        if size >= target_bytes:
            bodies.append("\n".join(lines))
            lines, size = [], 0
    if lines:
        bodies.append("\n".join(lines))
    return bodies
