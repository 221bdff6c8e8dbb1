"""Sentence splitting: table cases plus property tests on offsets and decimals."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paylens.signals.sentences import split_sentences


@pytest.mark.parametrize(("body", "expected"), [
    ("Alipay grew. WeChat Pay did not.", ["Alipay grew.", "WeChat Pay did not."]),
    ("Is it? Yes! Done", ["Is it?", "Yes!", "Done"]),
    ("Share rose 3.5% to 1.3bn users. Next.", ["Share rose 3.5% to 1.3bn users.", "Next."]),
    ("Rivals, e.g. Tenpay, i.e. WeChat Pay, grew. Next.", ["Rivals, e.g. Tenpay, i.e. WeChat Pay, grew.", "Next."]),
    ("Mr. Ma met Dr. Li in the U.S. last week. Then left.", ["Mr. Ma met Dr. Li in the U.S. last week.", "Then left."]),
    ("Ant Group Co., Ltd. vs. Tencent Inc. is No. 1 approx. today.", [
        "Ant Group Co., Ltd. vs. Tencent Inc. is No. 1 approx. today."]),
    ("The answer is no. Fine.", ["The answer is no.", "Fine."]),
    ("It launched in Jan. 2024 and Feb. 2025. Later.", ["It launched in Jan. 2024 and Feb. 2025.", "Later."]),
    ("JD.com grew. Visit www.example.com now.", ["JD.com grew.", "Visit www.example.com now."]),
    ('He said "we will win." Then he left.', ['He said "we will win."', "Then he left."]),
    ("He waited... and then left... Then came back.", ["He waited... and then left...", "Then came back."]),
    ("支付宝推出“碰一下”。用户说：“太好了！”微信支付呢？",
     ["支付宝推出“碰一下”。", "用户说：“太好了！”", "微信支付呢？"]),
    ("還有……等等；結束", ["還有……等等；", "結束"]),
    ("他说「好」。她说『行』！（完）", ["他说「好」。", "她说『行』！", "（完）"]),
    ("第一行没有句号\n第二行也没有", ["第一行没有句号", "第二行也没有"]),
    ("\u3000\u3000第一段。\n\n  第二段。  ", ["第一段。", "第二段。"]),
    ("Line one\r\nLine two", ["Line one", "Line two"]),
    ("A url https://a.com/x?y=1 stays.", ["A url https://a.com/x?y=1 stays."]),
    ("", []),
    ("   \n\t ", []),
])
def test_split(body: str, expected: list[str]) -> None:
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == expected
    assert [s.idx for s in sentences] == list(range(len(expected)))
    for s in sentences:
        assert body[s.start:s.end] == s.text


_ALPHABET = st.sampled_from(list("ab Z9.,!?;。！？；…\n\"”」）'") + ["3.5", "1.3bn", "e.g.", "U.S.", "No. 1", "支付"])
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_offsets_reproduce_text(body: str) -> None:
    sentences = split_sentences(body)
    for s in sentences:
        assert s.text and s.text == s.text.strip()
        assert body[s.start:s.end] == s.text
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_no_text_lost_except_whitespace(body: str) -> None:
    joined = "".join(s.text for s in split_sentences(body))
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", body)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(0, 999), st.integers(0, 99))
def test_never_splits_inside_a_decimal(prefix: str, whole: int, frac: int) -> None:
    number = f"{whole}.{frac}"
    body = f"{prefix} grew {number}% this year. Next"
    at = body.index(number, len(prefix))
    spans = [(s.start, s.end) for s in split_sentences(body)]
    assert any(start <= at and at + len(number) <= end for start, end in spans)
