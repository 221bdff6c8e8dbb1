"""Measure extraction throughput (articles per second on one core)."""

from __future__ import annotations

import time

from paylens.signals.extract import Extractor

TARGET_ARTICLE_BYTES = 2_000


def measure(extractor: Extractor, bodies: list[str], seconds: float = 3.0) -> dict:
    """Extract from `bodies` round-robin for about `seconds` of CPU time on one core.

    articles_per_s is per CPU second of this process (the work is single-threaded), so
    other load on the machine does not distort it; wall_articles_per_s is by the clock.
    """
    if not bodies:
        raise ValueError("measure() needs at least one body")
    for body in bodies:  # warm up caches and the automaton
        extractor.extract(body)
    done = 0
    hits = 0
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    cpu = 0.0
    while cpu < seconds or done == 0:
        for body in bodies:
            hits += len(extractor.extract(body))
        done += len(bodies)
        cpu = time.process_time() - cpu_start
    wall = time.perf_counter() - wall_start
    return {
        "articles": done,
        "cpu_seconds": round(cpu, 3),
        "articles_per_s": round(done / max(cpu, 1e-9), 1),
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
