"""The real app keeps answering while `paylens import-metrics` rebuilds its store, and then shows the new row.

A private `streamlit run dashboard.py` over a temp copy of the fixture data (the shared e2e server's data must
not change under the other tests), Debian's chromium through the `page` fixture of tests/e2e/conftest.py.
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from paylens.config import PROJECT_ROOT, settings
from paylens.store.build import build
from paylens.store.metrics_csv import COLUMNS
from tests.conftest import make_fixture_data
from tests.e2e.conftest import _stop as stop_server

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
METRIC = "market_share_third_party_mobile_payment_analysys"  # the Metrics page's default metric
VALUES = re.compile(r"(\d+) values\.")
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/_stcore/health", timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


class HealthWatch:
    """Polls /_stcore/health in the background and keeps every failure."""

    def __init__(self, base: str) -> None:
        self.base, self.failures, self.checks = base, [], 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self.checks += 1
            if not _healthy(self.base):
                self.failures.append(time.strftime("%H:%M:%S"))

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@pytest.fixture
def served(tmp_path):
    """A running dashboard over its own data folder and store: (base url, data dir, db path)."""
    data = make_fixture_data(tmp_path / "data")
    db = tmp_path / "store" / "paylens.duckdb"
    build(settings(data, db))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "PAYLENS_DATA": str(data), "PAYLENS_DB": str(db)}
    cmd = [str(BIN / "streamlit"), "run", "dashboard.py", "--server.port", str(port), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 40
        while not _healthy(base):
            assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "streamlit did not become healthy in 40 s"
            time.sleep(0.2)
        yield base, data, db
    finally:
        stop_server(proc)


def _values_shown(page, timeout_ms: int = 40_000) -> int:
    """The `N values.` caption of the Metrics page once the script has finished."""
    page.get_by_text(VALUES).first.wait_for(timeout=timeout_ms)
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=timeout_ms)
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    return int(VALUES.search(page.get_by_text(VALUES).first.inner_text()).group(1))


def test_metrics_page_answers_during_an_import_and_then_shows_the_new_row(served, page, tmp_path):
    base, data, db = served
    url = f"{base}/metrics?competitors=alipay&metric={METRIC}"
    page.goto(url, timeout=40_000)
    before = _values_shown(page)

    src = tmp_path / "new-share.csv"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({"platform_id": "alipay", "metric": METRIC, "period": "2026-Q2", "period_start": "2026-04-01",
                     "period_end": "2026-06-30", "value": "50", "unit": "percent", "source_publisher": "PayLens e2e",
                     "source_title": "Serving test", "source_url": "https://example.test/e2e-serving",
                     "source_date": "2026-07", "confidence": "approximate", "note": "e2e row"})
    src.write_text(buf.getvalue(), encoding="utf-8")
    with HealthWatch(base) as watch:
        done = subprocess.run([str(BIN / "paylens"), "import-metrics", str(src), "--data", str(data), "--db", str(db)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        page.reload(timeout=40_000)
        after = _values_shown(page)
    assert watch.checks > 0 and watch.failures == []
    assert after == before + 1
