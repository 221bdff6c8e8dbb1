"""Fetch one web page safely: http(s) only, public addresses only, few redirects, capped size and time."""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from paylens import __version__ as _version
from paylens.errors import InputError

TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
MAX_BYTES = 5_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "application/feed+json", "text/plain", "text/html")  # feeds are often served with loose types
ALLOW_PRIVATE_ENV = "PAYLENS_ALLOW_PRIVATE_URLS"
USER_AGENT = f"Mozilla/5.0 (compatible; PayLens/{_version}; article intake)"


class FetchError(InputError):
    """A URL that was refused or could not be read: the message is `URL: reason`."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class Fetched:
    """A fetched response body and where it finally came from."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str  # the header as sent, e.g. "text/html; charset=gbk"
    body: bytes


def private_allowed() -> bool:
    """Whether PAYLENS_ALLOW_PRIVATE_URLS=1 lets the fetcher reach private addresses (tests only)."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "") == "1"


def check_scheme(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or FetchError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(url, f"not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(url, f"only http and https URLs are fetched, not {scheme or 'a bare path'!r}")
    if not parts.hostname:
        raise FetchError(url, "URL has no host")
    if parts.username or parts.password:
        raise FetchError(url, "URLs with a user name or password are refused")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def is_public(address: str) -> bool:
    """False for loopback, private, link-local, reserved, multicast, unspecified or shared (CGNAT) addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast
                or ip.is_unspecified or not ip.is_global)


def resolve(url: str, host: str, port: int) -> str:
    """The address to connect to: the host's first address, after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve host {host!r}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(url, f"cannot resolve host {host!r}")
    if not private_allowed():
        bad = [a for a in addresses if not is_public(a)]
        if bad:
            raise FetchError(url, f"refused: {host} resolves to a non-public address ({bad[0]}); "
                                  f"set {ALLOW_PRIVATE_ENV}=1 only for tests")
    return addresses[0]


def _pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, object]]:
    """The URL with its host replaced by the checked address (so a second DNS answer cannot differ)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    name = parts.hostname or ""
    if not name.isascii():
        name = name.encode("idna").decode("ascii")  # 例子.cn -> xn--fsqu00a.cn, as the Host header must be ASCII
    elif ":" in name:
        name = f"[{name}]"
    extensions: dict[str, object] = {}
    if parts.scheme.lower() == "https":
        extensions["sni_hostname"] = name.strip("[]")  # TLS checks the certificate against the real name
    host_header = name if parts.port is None else f"{name}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), {"Host": host_header}, extensions


@cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context for every fetch (building one per client costs tens of milliseconds)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def fetch(url: str, *, accept: tuple[str, ...] = HTML_TYPES, timeout: float | None = None,
          max_bytes: int | None = None, max_redirects: int | None = None) -> Fetched:
    """GET a URL; every hop (redirects too) is checked for scheme and address; FetchError on any refusal.

    `timeout` (default TIMEOUT_S) bounds each network wait, and twice that the whole transfer (a server
    dribbling bytes is cut off too). Defaults are read at call time from the module constants.
    """
    timeout = TIMEOUT_S if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    max_redirects = MAX_REDIRECTS if max_redirects is None else max_redirects
    deadline = time.monotonic() + timeout * 2
    current = url.strip()
    # No kept-alive connections: a connection is opened for one checked address and one TLS name, never reused
    # for a redirect to another host on the same address.
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False, verify=_tls(),
                      limits=httpx.Limits(max_keepalive_connections=0),
                      headers={"User-Agent": USER_AGENT, "Accept": ", ".join(accept) + ", */*;q=0.1",
                               "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}) as client:
        for _hop in range(max_redirects + 1):
            _, host, port = check_scheme(current)
            address = resolve(url, host, port)
            target, headers, extensions = _pinned(current, address)
            request = client.build_request("GET", target, headers=headers, extensions=extensions)
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out after {timeout:g} s") from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, f"cannot fetch: {type(exc).__name__}: {exc}") from exc
            try:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(url, f"HTTP {response.status_code} redirect without a Location")
                    current = urljoin(current, location)
                    continue
                body = _read(url, response, accept, max_bytes, deadline, timeout)
                return Fetched(url, current, response.status_code, response.headers.get("content-type", ""), body)
            finally:
                response.close()
        raise FetchError(url, f"more than {max_redirects} redirects")


def _read(url: str, response: httpx.Response, accept: tuple[str, ...], max_bytes: int, deadline: float,
          timeout: float) -> bytes:
    """The body of a final response, refusing errors, wrong types and oversize bodies before reading them all."""
    if response.status_code >= 400:
        raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
    if response.status_code != 200:
        raise FetchError(url, f"HTTP {response.status_code}: expected 200 with a page")
    content_type = response.headers.get("content-type", "")
    media = _media_type(content_type)
    if media not in accept:
        raise FetchError(url, f"not a web page: content type {media or 'missing'!r} "
                              f"(accepted: {', '.join(accept)})")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(url, f"page is {int(declared):,} bytes; the limit is {max_bytes:,}")
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(url, f"page is larger than the limit of {max_bytes:,} bytes")
            if time.monotonic() > deadline:
                raise FetchError(url, f"timed out: the page took longer than {timeout * 2:g} s to arrive")
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out after {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"cannot read the page: {type(exc).__name__}: {exc}") from exc
    return b"".join(chunks)
