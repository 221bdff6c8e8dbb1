"""Pages extracted per second on the recorded test pages (BENCHMARKS.md): `python -m tests.web.bench_extract`.

Three figures, each the median of 5 runs: decode + extract on the six small recorded pages (2 KB each),
fetch + decode + extract of the same pages from a local server on 127.0.0.1 (no network latency), and
decode + extract on two heavy pages (the same articles inside ~150 KB of menus and inline script, closer
to a real news page's size).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer

from paylens.web.charset import decode_html
from paylens.web.intake import fetch_page
from paylens.web.page import page_from_html
from tests.web import conftest, site

PATHS = ("/en/alipay-tap.html", "/repost/alipay-tap-story.html", "/zh/gbk-fees.html", "/zh/big5-crossborder.html",
         "/zh/utf8-interconnect.html", "/sport/derby.html")


def rate(fn: Callable[[], int], runs: int = 5) -> tuple[float, float, float]:
    """(median, min, max) pages per second over runs; fn returns how many pages it did."""
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        pages = fn()
        rates.append(pages / (time.perf_counter() - start))
    rates.sort()
    return rates[len(rates) // 2], rates[0], rates[-1]


def heavy_pages() -> list[str]:
    pad = "<ul class='mega-menu'>" + "".join(f"<li><a href='/c/{i}'>Section {i} news and analysis</a></li>"
                                            for i in range(1500)) + "</ul>"
    pad += "<script>" + "var x=1;" * 8000 + "</script>"
    return [site._html(site.EN_TITLE, site.EN_PARAGRAPHS, lang="en", date_meta="2025-03-04", extra_top=pad),
            site._html(site.ZH_GBK_TITLE, site.ZH_GBK_PARAGRAPHS, lang="zh-CN", date_meta="2025-03-05",
                       extra_top=pad)]


def main() -> None:
    os.environ["PAYLENS_ALLOW_PRIVATE_URLS"] = "1"
    server = ThreadingHTTPServer(("127.0.0.1", 0), conftest._Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    site.LIVE.update({**site.site_pages(conftest.BIG_BYTES, conftest.SLOW_SECONDS), **site.feeds(base)})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    raw = [(site.LIVE[p].body, site.LIVE[p].content_type, p) for p in PATHS]
    for body, ctype, path in raw:  # warm up imports and lxml
        page_from_html(decode_html(body, ctype)[0], "http://h" + path)

    def extract_small() -> int:
        for _ in range(10):
            for body, ctype, path in raw:
                page_from_html(decode_html(body, ctype)[0], "http://h" + path)
        return 10 * len(raw)

    def fetch_small() -> int:
        for _ in range(10):
            for _, _, path in raw:
                fetch_page(base + path)
        return 10 * len(raw)

    heavy = heavy_pages()

    def extract_heavy() -> int:
        for _ in range(3):
            for html in heavy:
                page_from_html(html, "http://h/x")
        return 3 * len(heavy)

    for label, fn in (("decode+extract, small pages", extract_small),
                      ("fetch+decode+extract from 127.0.0.1, small pages", fetch_small),
                      (f"decode+extract, heavy pages ({len(heavy[0].encode()) // 1000} KB)", extract_heavy)):
        median, low, high = rate(fn)
        print(f"{label}: {median:.1f} pages/s (min {low:.1f}, max {high:.1f}, 5 runs)")
    server.shutdown()


if __name__ == "__main__":
    main()
