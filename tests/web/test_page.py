"""Extraction from recorded pages: the article's text only, its title, publisher, date and language."""

from __future__ import annotations

import pytest

from paylens.signals.articles import parse_article_bytes
from paylens.web.fetch import FetchError
from paylens.web.intake import fetch_page
from paylens.web.page import drop_title_line, slug
from tests.web import site

BOILERPLATE = ("Sign up", "Related stories", "Copyright", "Accept cookies", "ADVERTISEMENT", "AD_SCRIPT_OUTPUT",
               "Subscribe", "Privacy", "dataLayer", "相关阅读", "版权所有", "扫码关注", "免责声明", "相關閱讀",
               "版權所有")

CASES = [
    ("/en/alipay-tap.html", site.EN_TITLE, site.EN_PARAGRAPHS, site.EN_DATE, "en", "Example Finance", "utf-8"),
    ("/zh/gbk-fees.html", site.ZH_GBK_TITLE, site.ZH_GBK_PARAGRAPHS, site.ZH_GBK_DATE, "zh", "示例财经", "gb18030"),
    ("/zh/big5-crossborder.html", site.ZH_BIG5_TITLE, site.ZH_BIG5_PARAGRAPHS, site.ZH_BIG5_DATE, "zh", "範例財經",
     "big5hkscs"),
    ("/zh/utf8-interconnect.html", site.ZH_UTF8_TITLE, site.ZH_UTF8_PARAGRAPHS, site.ZH_UTF8_DATE, "zh", "示例科技",
     "utf-8"),
]


@pytest.mark.parametrize(("path", "title", "paragraphs", "date", "lang", "publisher", "charset"), CASES,
                         ids=[c[0] for c in CASES])
def test_extracts_the_article_and_nothing_else(web_site, allow_private, path, title, paragraphs, date, lang,
                                               publisher, charset):
    page = fetch_page(web_site + path)
    assert page.charset == charset
    assert page.title == title
    assert page.publisher == publisher
    assert page.date == date  # the GBK page shows its date only as text in the byline (htmldate finds it)
    assert page.lang == lang
    assert page.body.split("\n") == list(paragraphs)  # every paragraph, verbatim, one a line, in order
    for junk in BOILERPLATE:
        assert junk not in page.body


def test_the_written_file_parses_back_with_every_header(web_site, allow_private):
    page = fetch_page(web_site + "/zh/gbk-fees.html?utm_source=wechat#top")
    art = parse_article_bytes(page.article_bytes(), page.file_name)
    assert art.title == site.ZH_GBK_TITLE and art.date == site.ZH_GBK_DATE and art.lang == "zh"
    assert art.url == web_site + "/zh/gbk-fees.html"  # canonical: no tracking parameters or fragment
    assert art.publisher == "示例财经" and art.fetched_at and art.fetched_at.endswith("Z")
    assert art.body == "\n".join(site.ZH_GBK_PARAGRAPHS)
    assert page.file_name == "2025-03-05-zh-gbk-fees.md"


def test_a_page_without_an_article_is_refused(web_site, allow_private):
    with pytest.raises(FetchError, match="no article text"):
        fetch_page(web_site + "/markets")


@pytest.mark.parametrize(("title", "url", "expected"), [
    ("Alipay widens its tap-to-pay push with new merchant subsidies", "https://x.com/a",
     "alipay-widens-its-tap-to-pay-push-with-new-merchant"),
    ("微信支付下调小微商户费率", "https://www.caixin.com/2025-03-05/102.html", "caixin-2025-03-05-102"),
    (None, "http://127.0.0.1:8000/zh/fees.html", "zh-fees"),
])
def test_slug(title, url, expected):
    assert slug(title, url) == expected


def test_slug_falls_back_to_a_hash():
    assert slug("支付", "https://例子.cn/").startswith("article-")


def test_drop_title_line_only_drops_an_exact_headline():
    assert drop_title_line("Title here\nBody text", "Title  here") == "Body text"
    assert drop_title_line("Title here is longer\nBody", "Title here") == "Title here is longer\nBody"
    assert drop_title_line("Only a title", "Only a title") == "Only a title"
