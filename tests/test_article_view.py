"""paylens.article_view: article text becomes inert Markdown with hits highlighted."""

import pandas as pd

from paylens.article_view import escape_markdown, highlighted_markdown


def test_markup_is_escaped():
    out = escape_markdown("<script>alert(1)</script> **bold** [x](javascript:y) :red[z] $x$")
    for raw in ("<script>", "**bold**", "[x](", ":red[", "$x$"):
        assert raw not in out
    assert out.replace("\\", "") == "<script>alert(1)</script> **bold** [x](javascript:y) :red[z] $x$"


def test_hit_sentences_are_highlighted_with_their_tags():
    body = "Alipay adds tap payments. The weather was fine.\n\n支付宝推出碰一下。"
    hits = pd.DataFrame({"sentence_idx": [0, 2], "signal": ["touchless_subsidy"] * 2,
                         "stance": ["negative", "positive"]})
    md = highlighted_markdown(body, hits, {"touchless_subsidy": "Touchless"})
    assert ":orange-background[Alipay adds tap payments\\.]" in md
    assert ":red-badge[Touchless · negative]" in md and ":blue-badge[Touchless · positive]" in md
    assert "The weather was fine\\." in md and ":orange-background[The weather" not in md
    assert ":orange-background[支付宝推出碰一下。]" in md


def test_tags_name_the_platform_each_hit_was_given_to():
    body = "WeChat Pay is taking Alipay's merchants."
    hits = pd.DataFrame({"sentence_idx": [0, 0], "signal": ["competitive_threat"] * 2,
                         "stance": ["negative", "neutral"], "platform": ["Alipay", "WeChat Pay"]})
    md = highlighted_markdown(body, hits, {"competitive_threat": "Competitive threat"})
    assert ":red-badge[Alipay · Competitive threat · negative]" in md
    assert ":gray-badge[WeChat Pay · Competitive threat · neutral]" in md


def test_bare_urls_and_addresses_cannot_become_links():
    out = escape_markdown("log in at https://evil.example/login or www.evil.example, mail a@evil.example")
    assert "https\\://" not in out and "www\\." not in out and "a@e" not in out  # a zero-width space sits between
    assert out.replace("\\", "").replace("\u200b", "") == (
        "log in at https://evil.example/login or www.evil.example, mail a@evil.example")
