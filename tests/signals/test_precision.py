"""Precision rules of issue 15's precision round: each test fails without its rule."""

from __future__ import annotations

from paylens.signals.extract import Extractor

CHALLENGE = ("Duoduo Pay's launch was a direct challenge to WeChat Pay, which had handled most Pinduoduo orders "
             "for years.")


def _pairs(extractor: Extractor, text: str, context: str | None = None) -> set[tuple[str, str]]:
    return {(h.signal, h.platform) for h in extractor.extract(text, default_platform=context)}


def test_a_shopping_app_in_a_threat_sentence_is_no_ecosystem_dependence(extractor: Extractor) -> None:
    # a rival's orders on a group's shopping app, in a sentence about a challenge: the threat, not dependence
    assert _pairs(extractor, CHALLENGE) == {("competitive_threat", "duoduo_pay"), ("competitive_threat", "wechat_pay")}
    # without yields.csv's "ecosystem_dependence yields to competitive_threat" the shopping app reads as dependence
    unyielding = Extractor(extractor.lexicon)
    unyielding._yields = {k: v for k, v in extractor._yields.items()
                          if k != ("ecosystem_dependence", "competitive_threat")}
    assert ("ecosystem_dependence", "wechat_pay") in _pairs(unyielding, CHALLENGE)


def test_a_strong_dependence_word_stands_beside_a_threat(extractor: Extractor) -> None:
    text = "Alipay still leans heavily on Taobao, and WeChat Pay is now a direct challenge at its checkout."
    pairs = _pairs(extractor, text)
    assert ("ecosystem_dependence", "alipay") in pairs and ("competitive_threat", "alipay") in pairs
