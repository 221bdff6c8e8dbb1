"""Canonical URLs and near-duplicate bodies (5-character shingles, containment >= 0.80)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from paylens.config import PROJECT_ROOT
from paylens.signals.articles import parse_article
from paylens.web.dedup import NEAR_DUPLICATE_CONTAINMENT, ShingleIndex, canonical_url, containment, jaccard, shingles

CORPUS = sorted((PROJECT_ROOT / "data" / "articles").glob("*.txt"))


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTPS://WWW.Example.COM/News/1.html", "https://www.example.com/News/1.html"),
    ("https://example.com/a/?utm_source=rss&utm_medium=feed", "https://example.com/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com:443/a/", "https://example.com/a"),
    ("http://example.com:8080/a?id=7&utm_campaign=x", "http://example.com:8080/a?id=7"),
    ("https://example.com/a?id=7&fbclid=abc", "https://example.com/a?id=7"),
])
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_different_pages_stay_different():
    assert canonical_url("https://example.com/a?id=7") != canonical_url("https://example.com/a?id=8")
    assert canonical_url("https://example.com/a") != canonical_url("https://example.com/b")


def _bodies() -> list[tuple[str, str]]:
    return [(p.name, parse_article(p).body) for p in CORPUS]


def test_no_two_real_articles_are_near_duplicates():
    """Measured: the highest containment between two different corpus stories is far below the threshold."""
    bodies = _bodies()
    sets = [shingles(b) for _, b in bodies]
    worst = max(containment(a, b) for a, b in itertools.combinations(sets, 2))
    assert len(bodies) >= 30
    assert worst < NEAR_DUPLICATE_CONTAINMENT - 0.3, worst


def _repost(body: str) -> str:
    """A repost as aggregators make them: their own header and footer, full-width punctuation, lines rewrapped."""
    head = "转载自原文 | Republished with permission | 关注我们获取更多资讯\n"
    foot = "\n本文来源于网络，版权归原作者所有。Share this: WeChat · Weibo · Email. 相关阅读: 更多财经新闻"
    return head + body.replace(",", "，").replace("\n", " ") + foot


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:40])
def test_every_real_article_reposted_with_boilerplate_is_caught(path: Path):
    body = parse_article(path).body
    index = ShingleIndex()
    index.extend((p.name, None, b) for p, b in ((p, parse_article(p).body) for p in CORPUS))
    match = index.best(_repost(body))
    assert match is not None and match.key == path.name, (match, path.name)
    assert match.score >= 0.95


def test_a_partial_repost_is_caught_but_a_short_quote_is_not():
    body = parse_article(CORPUS[0]).body
    index = ShingleIndex()
    index.add("original", None, body)
    half = body[: len(body) // 2]
    assert index.best(half) is not None  # the first half of a story is still that story
    assert index.best(body[:30]) is None  # too little text to call it anything


def test_jaccard_falls_with_boilerplate_where_containment_holds():
    body = parse_article(CORPUS[-1]).body
    a, b = shingles(body), shingles(_repost(body) + " 更多内容" * 50 + " footer links " * 40)
    assert containment(a, b) > 0.95 > jaccard(a, b)
