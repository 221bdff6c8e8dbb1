"""paylens.perf.signals: throughput measurement returns sane numbers (no timing is asserted)."""

from __future__ import annotations

import pytest

from paylens.config import PROJECT_ROOT
from paylens.perf.signals import chunk_bodies, measure
from paylens.signals.extract import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_dir(PROJECT_ROOT / "data" / "lexicon")


def test_chunk_bodies() -> None:
    text = "\n".join(f"Line {i}: Alipay adds mini programs." for i in range(200))
    bodies = chunk_bodies(text, 2_000)
    assert "\n".join(bodies) == text
    assert all(len(b.encode()) >= 2_000 for b in bodies[:-1])


def test_measure(extractor: Extractor) -> None:
    bodies = chunk_bodies("Alipay launched an AI assistant.\n支付宝推出碰一下补贴。\n" * 80, 2_000)
    result = measure(extractor, bodies, seconds=0.05)
    assert result["articles"] >= len(bodies)
    assert result["articles_per_s"] > 0
    assert result["rounds"] == 5
    assert result["slowest_round_per_s"] <= result["articles_per_s"] <= result["fastest_round_per_s"]
    assert result["mean_article_bytes"] == pytest.approx(sum(len(b.encode()) for b in bodies) / len(bodies), 0.01)
    assert result["hits_per_article"] > 0
    with pytest.raises(ValueError):
        measure(extractor, [], seconds=0.01)
    with pytest.raises(ValueError):
        measure(extractor, bodies, seconds=0.01, rounds=0)
