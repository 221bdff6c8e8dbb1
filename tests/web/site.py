"""A recorded news site for the offline web tests: pages with real-world boilerplate, feeds and failures.

The article texts are constructed for these tests (in the style of the corpus, not copied from it); each
page wraps its article in navigation, a cookie banner, related links, a footer and scripts, which the
extractor must leave out. Chinese pages are served in GBK (declared in <meta>), Big5 (declared nowhere,
so detection decides) and UTF-8 (declared in the Content-Type header).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

NAV = ("Home", "Markets", "Fintech", "Subscribe", "Sign in")
NAV_ZH = ("首页", "财经", "科技", "订阅", "登录")
BOILERPLATE_EN = ("Sign up for our newsletter", "Related stories", "Copyright 2025 Example Media Group",
                  "Accept cookies")
BOILERPLATE_ZH = ("相关阅读", "版权所有", "扫码关注公众号", "免责声明")
NAV_ZH_TW = ("首頁", "財經", "科技", "訂閱", "登入")
BOILERPLATE_ZH_TW = ("相關閱讀", "版權所有", "掃碼關注公眾號", "免責聲明")

EN_TITLE = "Alipay widens its tap-to-pay push with new merchant subsidies"
EN_PARAGRAPHS = (
    "Alipay is widening its tap-to-pay campaign, offering merchants in 30 more cities free NFC stands and "
    "cash-back rewards for every customer who pays with a tap of the phone, the company said on Tuesday.",
    "The push puts Alipay in direct competition with WeChat Pay at the checkout counter, where the two "
    "platforms have fought over small merchants for a decade with coupons and fee cuts.",
    "Analysts said the subsidies are expensive and that users who come for the cash-back may not stay once "
    "the rewards end, a pattern seen in earlier payment battles between the two companies.",
    "An Alipay spokesperson said more than 100 million users had tried the feature and that merchants "
    "reported shorter queues, adding that the company would keep investing in touchless payments.",
)
EN_DATE = "2025-03-04"

ZH_GBK_TITLE = "微信支付下调小微商户费率 支付宝碰一下继续补贴"
ZH_GBK_PARAGRAPHS = (
    "微信支付近日宣布，将继续下调小微商户的交易手续费，并为新入驻的商户提供三个月的免费提现额度。",
    "与此同时，支付宝的碰一下业务仍在多个城市加大补贴力度，向商户免费发放碰一下设备，并给予用户随机立减。",
    "业内人士认为，两大支付平台在线下收单市场的竞争正在加剧，商户端的补贴战短期内不会结束。",
    "有分析师指出，补贴带来的用户增长能否转化为长期活跃，仍然需要时间检验，平台需要在体验上做出差异化。",
)
ZH_GBK_DATE_TEXT = "2025年03月05日 10:20"
ZH_GBK_DATE = "2025-03-05"

ZH_BIG5_TITLE = "雲閃付推出跨境支付新功能 與支付寶微信支付競爭"
ZH_BIG5_PARAGRAPHS = (
    "中國銀聯旗下的雲閃付近日推出跨境支付新功能，境外遊客可以綁定海外銀行卡，在內地商戶掃碼付款。",
    "分析人士表示，此舉意在與支付寶和微信支付爭奪入境遊客市場，三家平台都在簡化外國人的支付流程。",
    "雲閃付表示，新功能已覆蓋全國主要城市的商戶，並將與更多境外銀行合作，提升用戶的支付體驗。",
    "業內認為，跨境支付的便利程度將影響入境消費，監管部門也多次要求支付機構優化外籍人士的支付服務。",
)
ZH_BIG5_DATE = "2025-04-10"

ZH_UTF8_TITLE = "京东支付与微信支付实现互联互通"
ZH_UTF8_PARAGRAPHS = (
    "京东支付宣布与微信支付实现互联互通，用户在京东购物时可以直接选择微信支付完成付款。",
    "分析人士认为，平台之间打破支付壁垒是监管推动互联互通的结果，也让用户的选择更加便利。",
    "京东方面表示，接入微信支付后，商户的订单转化率有所提升，更多中小商家愿意在平台上开店。",
)
ZH_UTF8_DATE = "2024-05-21"

FOOTBALL_TITLE = "City beat United 3-1 in a derby full of late drama"
FOOTBALL_PARAGRAPHS = (
    "City came from behind to beat United 3-1 on Sunday, scoring twice in the last ten minutes of a derby "
    "that had looked headed for a draw after a tense, scrappy second half.",
    "The home side's manager praised his substitutes, who changed the game after the hour mark, while the "
    "visitors complained about a penalty decision that turned the match.",
    "The stadium's new payment gates let fans pay for food with a tap, a stand sponsored by Alipay said, "
    "but most of the crowd paid in cash at the half-time kiosks.",
)
FOOTBALL_DATE = "2025-03-02"

PAYMENT_NOT_ABOUT_TITLE = "Why mobile payment fees matter for small shops"
PAYMENT_NOT_ABOUT_PARAGRAPHS = (
    "Small shops pay card and mobile payment fees on every sale, and for a corner store with thin margins "
    "these fees can decide whether a month ends in profit or in loss.",
    "Shop owners interviewed for this story said they compare fees each year and switch providers when "
    "a bank offers a better rate, though switching takes time and paperwork.",
    "Economists say that competition among banks keeps fees in check and that regulators publish the "
    "average rates so that owners can compare them.",
)


def _html(title: str, paragraphs: tuple[str, ...], *, lang: str, date_meta: str | None = None,
          date_text: str | None = None, site: str = "Example Finance", charset_meta: str | None = None,
          extra_top: str = "") -> str:
    nav = NAV_ZH_TW if lang == "zh-TW" else NAV_ZH if lang.startswith("zh") else NAV
    boiler = BOILERPLATE_ZH_TW if lang == "zh-TW" else BOILERPLATE_ZH if lang.startswith("zh") else BOILERPLATE_EN
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    date_tag = f'<meta property="article:published_time" content="{date_meta}T08:00:00+08:00">' if date_meta else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="/news/{i}.html">{boiler[1]} {i}: {nav[2]} {nav[1]}</a></li>' for i in range(6))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta}
<title>{title} - {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
{date_tag}
<script>window.dataLayer = [{{"event": "pageview"}}]; function trackAd() {{ return "AD_SCRIPT_OUTPUT"; }}</script>
<style>.nav {{ color: red }}</style>
</head><body>
<div class="cookie-banner">{boiler[3]} <button>OK</button></div>
<header><nav class="nav"><ul>{"".join(f'<li><a href="/{n}">{n}</a></li>' for n in nav)}</ul></nav></header>
{extra_top}
<main><article>
<h1>{title}</h1>
<div class="byline">{date_text or ""}</div>
{body}
</article>
<aside class="related"><h3>{boiler[1]}</h3><ul>{related}</ul></aside>
<div class="ad">ADVERTISEMENT: Open an account today and get a bonus</div>
</main>
<footer><p>{boiler[2]}</p><p>{boiler[0]}</p><a href="/about">About us</a> <a href="/privacy">Privacy</a></footer>
<script>document.write(trackAd());</script>
</body></html>"""


@dataclass(frozen=True)
class Response:
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes


def en_article() -> str:
    return _html(EN_TITLE, EN_PARAGRAPHS, lang="en", date_meta=EN_DATE, site="Example Finance")


def en_repost() -> str:
    """The same story on another site: other boilerplate, an editor's note on top, one paragraph dropped."""
    note = "<p class='note'>This story first appeared on Example Finance and is republished with permission.</p>"
    return _html(EN_TITLE + " (republished)", EN_PARAGRAPHS[:3] + (
        "Readers can follow our fintech coverage on the Fintech page.",), lang="en", date_meta="2025-03-05",
        site="Aggregator Daily", extra_top=note)


LIVE: dict[str, Response] = {}  # what the running test server serves (tests may add pages)


def site_pages(big_bytes: int, slow_seconds: float) -> dict[str, Response]:
    """Path -> response for the local server."""
    gbk = _html(ZH_GBK_TITLE, ZH_GBK_PARAGRAPHS, lang="zh-CN", date_text=ZH_GBK_DATE_TEXT, site="示例财经",
                charset_meta="gbk").encode("gbk")
    big5 = _html(ZH_BIG5_TITLE, ZH_BIG5_PARAGRAPHS, lang="zh-TW", date_meta=ZH_BIG5_DATE,
                 site="範例財經").encode("big5")
    utf8 = _html(ZH_UTF8_TITLE, ZH_UTF8_PARAGRAPHS, lang="zh-CN", date_meta=ZH_UTF8_DATE, site="示例科技").encode()
    no_article = _html("Markets", (), lang="en").encode()
    pages = {
        "/en/alipay-tap.html": Response(body=en_article().encode()),
        "/repost/alipay-tap-story.html": Response(body=en_repost().encode()),
        "/zh/gbk-fees.html": Response(content_type="text/html", body=gbk),
        "/zh/big5-crossborder.html": Response(content_type="text/html", body=big5),
        "/zh/utf8-interconnect.html": Response(content_type="text/html; charset=UTF-8", body=utf8),
        "/sport/derby.html": Response(body=_html(FOOTBALL_TITLE, FOOTBALL_PARAGRAPHS, lang="en",
                                                 date_meta=FOOTBALL_DATE).encode()),
        "/money/fees.html": Response(body=_html(PAYMENT_NOT_ABOUT_TITLE, PAYMENT_NOT_ABOUT_PARAGRAPHS, lang="en",
                                                date_meta="2025-03-03").encode()),
        "/redirect": Response(status=302, headers=(("Location", "/en/alipay-tap.html"),)),
        "/missing": Response(status=404, body=b"<html><body>Not found</body></html>"),
        "/slow": Response(body=en_article().encode(), delay=slow_seconds),
        "/big": Response(body=b"<html><body>" + b"<p>filler</p>" * (big_bytes // 13 + 1) + b"</body></html>"),
        "/big-unannounced": Response(body=b"<html><body>" + b"<p>filler</p>" * (big_bytes // 13 + 1),
                                     send_length=False),
        "/report.pdf": Response(content_type="application/pdf", body=b"%PDF-1.4 not a page"),
        "/markets": Response(body=no_article),
    }
    for i in range(7):  # a chain longer than the five redirects allowed
        pages[f"/loop/{i}"] = Response(status=302, headers=(("Location", f"/loop/{i + 1}"),))
    return pages


def rss(base: str) -> bytes:
    items = [
        (EN_TITLE, f"{base}/en/alipay-tap.html?utm_source=rss", "Alipay offers merchants NFC stands."),
        (ZH_GBK_TITLE, f"{base}/zh/gbk-fees.html", "微信支付下调费率。"),
        (FOOTBALL_TITLE, f"{base}/sport/derby.html", "Two late goals settle the derby."),
        (PAYMENT_NOT_ABOUT_TITLE, f"{base}/money/fees.html", "What mobile payment fees cost a corner shop."),
        ("Alipay page that is gone", f"{base}/missing", "Alipay news."),
    ]
    body = "".join(f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
                   f"<pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate></item>" for t, link, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Example Finance</title>'
            f"<link>{base}/</link><description>News</description>{body}</channel></rss>").encode()


def atom(base: str) -> bytes:
    entries = [
        (ZH_BIG5_TITLE, f"{base}/zh/big5-crossborder.html", "雲閃付跨境支付。"),
        (EN_TITLE, f"{base}/en/alipay-tap.html#comments", "Same story, other feed."),
        ("Alipay widens tap-to-pay (republished)", f"{base}/repost/alipay-tap-story.html", "Republished story."),
    ]
    body = "".join(f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id><summary>{s}</summary>'
                   f"<updated>2025-04-10T08:00:00Z</updated></entry>" for t, link, s in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>範例財經</title><id>{base}/atom</id><updated>2025-04-10T08:00:00Z</updated>{body}</feed>").encode()


def feeds(base: str) -> dict[str, Response]:
    return {
        "/feeds/rss.xml": Response(content_type="application/rss+xml", body=rss(base)),
        "/feeds/atom.xml": Response(content_type="application/atom+xml; charset=utf-8", body=atom(base)),
        "/feeds/broken.xml": Response(content_type="application/xml", body=b"<html><body>not a feed"),
    }


def sleep(seconds: float) -> None:
    time.sleep(seconds)
