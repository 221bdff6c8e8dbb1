"""paylens.search.tokenize: EN words, Han bigrams plus jieba words from the lexicon, one fold for both sides."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("碰一下", {"碰一", "一下", "碰一下"}),               # the lexicon's term is a jieba word beside its bigrams
    ("支小宝", {"支小", "小宝", "支小宝"}),
    ("tap to pay", {"tap", "pay"}),                       # stop words dropped
    ("Alipay's payments", {"alipay", "payment"}),          # possessive and plural stemmed
    ("码", {"码"}),                                        # a one-character run is kept
])
def test_terms(tokenizer, text, expected):
    assert set(tokenizer.tokens(text)) == expected


def test_traditional_characters_fold_to_simplified(tokenizer):
    assert set(tokenizer.tokens("支付寶")) == set(tokenizer.tokens("支付宝"))
    assert "认输" in tokenizer.tokens("不認輸")


def test_mixed_text_keeps_both_scripts_and_case_and_width_fold(tokenizer):
    terms = tokenizer.tokens("ＡＩ助手 AI Pay")
    assert terms.count("ai") == 2 and "助手" in terms and "pay" in terms


def test_query_terms_are_distinct_in_order(tokenizer):
    assert tokenizer.query_terms("pay pay tap") == ["pay", "tap"]
    assert tokenizer.query_terms("the of and") == []


def test_user_dictionary_matters(tokenizer):
    """Without the lexicon's terms jieba would not keep 支小宝 whole; with them it does."""
    from paylens.search.tokenize import Tokenizer

    plain = Tokenizer([], {})
    assert "支小宝" not in plain.tokens("支小宝可以帮用户订餐")
    assert "支小宝" in tokenizer.tokens("支小宝可以帮用户订餐")
