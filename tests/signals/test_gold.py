"""The held-out gold split: overall F1 >= 0.80 and every signal's recall >= 0.60, as issue 4 asks.

Measured on the held-out 30% (2026-11-25): micro F1 0.804 (P 0.820, R 0.788; 82 TP, 18 FP, 22 FN), up from
0.778 at the start of that day. The margin is two false positives, well inside the noise of 104 gold labels,
and sets labelled by other annotators score lower (0.62-0.74 on signals_dev5-7 at first sight), so read this as
a regression gate on the gold labeller's conventions, not as the extractor's accuracy on any text. The tuning
sets (train split, signals_dev*.csv) have their own floors in test_tuning_sets.py.
"""

from __future__ import annotations

import pytest

from paylens.config import PROJECT_ROOT
from paylens.signals.evaluate import evaluate, format_report, load_gold
from paylens.signals.extract import Extractor
from paylens.signals.taxonomy import SIGNAL_IDS

GOLD = PROJECT_ROOT / "tests" / "data" / "signals_gold.csv"
ISSUE_TARGET_F1 = 0.80
MIN_F1 = ISSUE_TARGET_F1  # measured 0.804; see the module docstring
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
