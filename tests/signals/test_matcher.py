"""The Aho-Corasick matcher: folding, word boundaries, masks, containment, scripts."""

from __future__ import annotations

import pytest

from paylens.signals.lexicon import Term
from paylens.signals.matcher import Matcher, fold


def t(kind: str, label: str, text: str, exact: bool = False) -> Term:
    """A term for tests."""
    return Term(kind, label, text, "en", 0.9, exact)


MATCHER = Matcher(
    [
        t("signal", "touchless_subsidy", "tap to pay"),
        t("signal", "touchless_subsidy", "subsidy"),
        t("signal", "traffic_focus", "traffic"),
        t("signal", "ai_assistant", "AI"),
        t("signal", "ecosystem_dependence", "抖音"),
        t("alias", "alipay", "Alipay"),
        t("alias", "alipay", "Ant", exact=True),
        t("alias", "alipay", "Ant Group"),
        t("alias", "unionpay", "银联"),
        t("alias", "chinaums", "银联商务"),
        t("alias", "douyin_pay", "抖音支付"),
        t("alias", "alipay", "支付宝"),
        t("polarity", "negation", "不"),
        t("polarity", "positive", "不错"),
        t("polarity", "negation", "not"),
        t("mask", "", "traffic jam"),
        t("mask", "", "not only"),
    ],
    {"寶": "宝", "聯": "联", "銀": "银"},
)


def found(text: str) -> list[tuple[str, str, str]]:
    """(matched text, kind, label) for each match."""
    return [(text[s:e], term.kind, term.label) for s, e, term in MATCHER.find(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("ALIPAY rolls out Tap-to-Pay", [("ALIPAY", "alias", "alipay"), ("Tap-to-Pay", "signal", "touchless_subsidy")]),
    ("tap‑to‑pay", [("tap‑to‑pay", "signal", "touchless_subsidy")]),
    ("subsidy subsidys subsidyX", [("subsidy", "signal", "touchless_subsidy")]),
    ("said again: AI, ai-driven, ＡＩ", [("AI", "signal", "ai_assistant"), ("ai", "signal", "ai_assistant"),
                                         ("ＡＩ", "signal", "ai_assistant")]),
    ("stuck in a traffic jam", []),
    ("traffic grew", [("traffic", "signal", "traffic_focus")]),
    ("Ant Group and Ant and ant and ANT", [("Ant Group", "alias", "alipay"), ("Ant", "alias", "alipay")]),
    ("银联商务与银联", [("银联商务", "alias", "chinaums"), ("银联", "alias", "unionpay")]),
    ("抖音支付和抖音", [("抖音支付", "alias", "douyin_pay"), ("抖音", "signal", "ecosystem_dependence")]),
    ("不错，不", [("不错", "polarity", "positive"), ("不", "polarity", "negation")]),
    ("not only this; not that", [("not", "polarity", "negation")]),
    ("支付寶與銀聯", [("支付寶", "alias", "alipay"), ("銀聯", "alias", "unionpay")]),
])
def test_find(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


def test_fold_keeps_length() -> None:
    for text in ["İstanbul ALIPAY", "ＡＢＣ１２３", "don’t “tap”", "straße ǅ", "支付宝"]:
        assert len(fold(text)) == len(text)
    assert fold("ＡＩ Don’t Tap-To-Pay") == "ai don't tap to pay"


def test_offsets_survive_case_folding_that_changes_length() -> None:
    text = "İİİ Alipay"
    assert found(text) == [("Alipay", "alias", "alipay")]


def test_matches_are_sorted_by_start() -> None:
    starts = [s for s, _, _ in MATCHER.find("AI traffic; Alipay subsidy 银联 AI")]
    assert starts == sorted(starts)


def test_terms_sharing_a_span_are_all_kept() -> None:
    matcher = Matcher([
        t("signal", "feature_sprawl", "super app"),
        t("signal", "ecosystem_dependence", "super app"),
        t("polarity", "negative", "super app"),
        t("signal", "feature_sprawl", "app"),
    ])
    labels = sorted(term.label for _, _, term in matcher.find("a super app"))
    assert labels == ["ecosystem_dependence", "feature_sprawl", "negative"]


def test_traditional_and_simplified_terms_are_one_key() -> None:
    terms = [Term("signal", "ai_assistant", "元寶", "zh", 0.6), Term("signal", "ai_assistant", "元宝", "zh", 0.9)]
    matcher = Matcher(terms, {"寶": "宝"})
    hits = matcher.find("元宝和元寶")
    assert [(s, e, term.weight) for s, e, term in hits] == [(0, 2, 0.9), (3, 5, 0.9)]
