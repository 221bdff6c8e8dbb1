"""A local HTTP server on 127.0.0.1 serving the recorded site in tests/web/site.py."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.web import site

SLOW_SECONDS = 3.0  # the slow page waits this long; tests pass a timeout well below it
BIG_BYTES = 6_000_000  # over the fetcher's 5 MB cap


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        resp = site.LIVE.get(path) or site.Response(status=404, body=b"not found")
        if resp.delay:
            site.sleep(resp.delay)
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            if resp.send_length:
                self.send_header("Content-Length", str(len(resp.body)))
            for key, value in resp.headers:
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(resp.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size cap): expected in those tests

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def web_site() -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of the recorded site, served from a thread for the session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    site.LIVE.clear()
    site.LIVE.update({**site.site_pages(BIG_BYTES, SLOW_SECONDS), **site.feeds(base)})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def extra_pages(web_site) -> Iterator[dict[str, site.Response]]:
    """Pages a test adds to the site for itself; removed afterwards."""
    added: dict[str, site.Response] = {}
    yield added
    for path in added:
        site.LIVE.pop(path, None)


def serve(extra: dict[str, site.Response], pages: dict[str, site.Response]) -> None:
    """Add pages to the running site (and to a test's extra_pages so they are removed after it)."""
    extra.update(pages)
    site.LIVE.update(pages)


@pytest.fixture
def allow_private(monkeypatch) -> None:
    """Let the fetcher reach 127.0.0.1 (the test server), as PAYLENS_ALLOW_PRIVATE_URLS=1 does."""
    monkeypatch.setenv("PAYLENS_ALLOW_PRIVATE_URLS", "1")


def tree_hash(*paths: Path) -> str:
    """One hash over every file's name and bytes under the given paths (data/ and the store)."""
    h = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in files:
            if p.suffix == ".lock":
                continue
            h.update(str(p).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()
