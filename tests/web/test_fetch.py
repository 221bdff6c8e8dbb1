"""The fetcher refuses what it must (schemes, private addresses, errors, slow, big, non-HTML) with `URL: reason`."""

from __future__ import annotations

import pytest

from paylens.web import fetch as fetch_mod
from paylens.web.fetch import FetchError, fetch, is_public
from tests.web import site
from tests.web.conftest import serve
from tests.web.site import Response


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
])
def test_is_public(address, public):
    assert is_public(address) is public


@pytest.mark.parametrize("url", ["ftp://example.com/a.html", "file:///etc/passwd", "javascript:alert(1)",
                                 "http://user:pw@example.com/", "http:///nohost"])
def test_only_plain_http_and_https(url):
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value).startswith(url + ": ")


def test_private_addresses_are_refused_without_the_env_var(web_site, monkeypatch):
    monkeypatch.delenv("PAYLENS_ALLOW_PRIVATE_URLS", raising=False)
    url = web_site + "/en/alipay-tap.html"
    with pytest.raises(FetchError, match="non-public address") as err:
        fetch(url)
    assert str(err.value).startswith(url + ": refused")
    with pytest.raises(FetchError, match="non-public address"):
        fetch(url.replace("127.0.0.1", "localhost"))


def test_a_redirect_to_a_private_address_is_refused(monkeypatch):
    """Every hop is checked: a public page redirecting to 169.254.169.254 never gets there."""
    monkeypatch.delenv("PAYLENS_ALLOW_PRIVATE_URLS", raising=False)
    calls = []

    def resolve(url, host, port):
        calls.append(host)
        if host == "169.254.169.254":
            raise FetchError(url, "refused: non-public address")
        return "93.184.216.34"

    class Response:
        is_redirect = True
        status_code = 302
        headers = {"location": "http://169.254.169.254/latest/meta-data/"}

        def close(self):
            pass

    monkeypatch.setattr(fetch_mod, "resolve", resolve)
    monkeypatch.setattr(fetch_mod.httpx.Client, "send", lambda self, request, stream: Response())
    with pytest.raises(FetchError, match="non-public"):
        fetch("http://news.example.com/story")
    assert calls == ["news.example.com", "169.254.169.254"]


def test_the_connection_is_pinned_to_the_checked_address():
    url, headers, ext = fetch_mod._pinned("https://news.example.com:8443/a?b=1", "93.184.216.34")
    assert url == "https://93.184.216.34:8443/a?b=1"
    assert headers == {"Host": "news.example.com:8443"} and ext == {"sni_hostname": "news.example.com"}
    url, _, ext = fetch_mod._pinned("http://news.example.com/a", "2606:2800::1")
    assert url == "http://[2606:2800::1]/a" and ext == {}
    url, headers, ext = fetch_mod._pinned("https://例子.cn/新闻", "93.184.216.34")
    assert headers == {"Host": "xn--fsqu00a.cn"} and ext == {"sni_hostname": "xn--fsqu00a.cn"}


def test_follows_a_redirect(web_site, allow_private):
    got = fetch(web_site + "/redirect")
    assert got.final_url == web_site + "/en/alipay-tap.html" and b"tap-to-pay" in got.body


def test_too_many_redirects(web_site, allow_private):
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(web_site + "/loop/0")


def test_five_redirects_are_allowed(web_site, allow_private, extra_pages):
    pages = {f"/five/{i}": Response(status=302, headers=(("Location", f"/five/{i + 1}"),)) for i in range(5)}
    pages["/five/5"] = site.LIVE["/en/alipay-tap.html"]
    serve(extra_pages, pages)
    assert fetch(web_site + "/five/0").final_url == web_site + "/five/5"


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing", "HTTP 404 Not Found"),
    ("/report.pdf", "not a web page: content type 'application/pdf'"),
    ("/big", "the limit is 5,000,000"),
    ("/big-unannounced", "larger than the limit of 5,000,000 bytes"),  # no Content-Length: cut while streaming
])
def test_refusals_name_the_url(web_site, allow_private, path, reason):
    with pytest.raises(FetchError) as err:
        fetch(web_site + path)
    assert str(err.value).startswith(f"{web_site}{path}: ") and reason in str(err.value)


def test_a_slow_page_times_out(web_site, allow_private):
    with pytest.raises(FetchError, match="timed out"):
        fetch(web_site + "/slow", timeout=0.3)
