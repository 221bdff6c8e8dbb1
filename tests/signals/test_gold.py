"""The held-out gold split: a floor under overall F1 and every signal's recall >= 0.60.

Issue 4 asks for held-out micro F1 >= 0.80. The extractor measures 0.796 (P 0.804, R 0.788) on the
held-out 30% (0.778 before the 2026-11-25 changes, 0.792 after the first round), so that target is NOT met
yet and the issue stays open. This test is the regression floor under the measured level (0.79); raise MIN_F1 to
ISSUE_TARGET_F1 once the extractor reaches it. The tuning sets (train split, signals_dev*.csv) have their
own floors in test_tuning_sets.py.
"""

from __future__ import annotations

import pytest

from paylens.config import PROJECT_ROOT
from paylens.signals.evaluate import evaluate, format_report, load_gold
from paylens.signals.extract import Extractor
from paylens.signals.taxonomy import SIGNAL_IDS

GOLD = PROJECT_ROOT / "tests" / "data" / "signals_gold.csv"
ISSUE_TARGET_F1 = 0.80
MIN_F1 = 0.79  # measured 0.796; see the module docstring
MIN_RECALL = 0.60


@pytest.fixture(scope="module")
def report(extractor: Extractor):
    """The report on the test split."""
    rows = load_gold(GOLD)
    assert {r.split for r in rows} == {"train", "test"}
    return evaluate(rows, extractor, "test")


def test_held_out_f1(report) -> None:
    assert report.rows > 0
    assert report.micro.f1 >= MIN_F1, format_report(report)


@pytest.mark.parametrize("signal", SIGNAL_IDS)
def test_held_out_recall_per_signal(report, signal: str) -> None:
    score = report.score(signal)
    assert score.tp + score.fn > 0, f"no gold {signal} in the test split"
    assert score.recall >= MIN_RECALL, format_report(report)
