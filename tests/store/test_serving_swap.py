"""Ingest while serving: readers querying through StoreHandle never fail and see each rebuild once it is swapped in."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from paylens import queries
from paylens.config import settings
from paylens.store.build import build
from paylens.store.metrics_csv import COLUMNS
from paylens.store.reader import StoreHandle

PAYLENS = Path(sys.executable).with_name("paylens")
METRIC = "monthly_active_users"
ROW = {
    "platform_id": "alipay", "metric": METRIC, "unit": "million_users", "source_publisher": "PayLens test",
    "source_title": "Serving test", "source_url": "https://example.test/serving", "source_date": "",
    "confidence": "approximate", "note": "",
}


def import_file(path: Path, month: int) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({**ROW, "period": f"2031-{month:02d}", "period_start": f"2031-{month:02d}-01",
                     "period_end": f"2031-{month:02d}-28", "value": str(1000 + month)})
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def article_file(path: Path, n: int) -> Path:
    path.write_text(f"title: Serving test {n}\ndate: 2031-01-0{n}\n\nAlipay pushed tap payments again, take {n}.\n",
                    encoding="utf-8")
    return path


class Readers:
    """Threads doing what the dashboard does: handle.current(), then named queries on its connection."""

    def __init__(self, db: Path, n: int = 2) -> None:
        self.handle = StoreHandle(db)
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.seen: dict[str, set[tuple[int, int]]] = {}  # build id -> {(metric rows, platforms)}
        self.queries = 0
        self._mutex = threading.Lock()
        self.threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(n)]

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                con, bid = self.handle.current()
                series = queries.run(con, "metric_series", {"metric": METRIC})
                platforms = queries.run(con, "platforms")
                with self._mutex:
                    self.seen.setdefault(bid, set()).add((len(series), len(platforms)))
                    self.queries += 1
            except BaseException as exc:  # any failure a reader sees is what we count
                with self._mutex:
                    self.errors.append(exc)
            self.stop.wait(0.02)  # a busy dashboard, not a CPU hog starving the writers on a 2-core box

    def wait_for(self, bid: str, timeout: float = 30) -> bool:
        """Bounded wait until some reader has answered from build `bid`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._mutex:
                if bid in self.seen or self.errors:
                    return bid in self.seen
            time.sleep(0.01)
        return False

    def __enter__(self) -> Readers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)


@pytest.fixture
def live(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "store" / "paylens.duckdb"
    build(settings(data_copy, db))
    return data_copy, db


def paylens(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PAYLENS), *args], capture_output=True, text=True, timeout=120)


def test_readers_see_every_import_and_ingest_and_never_an_error(live, tmp_path):
    data, db = live
    main = StoreHandle(db)
    con, first_id = main.current()
    rows = len(queries.run(con, "metric_series", {"metric": METRIC}))
    n_articles = main.current()[0].execute("select count(*) from articles").fetchone()[0]
    ids = [first_id]
    with Readers(db) as readers:
        assert readers.wait_for(first_id)
        for month in (1, 2):
            done = paylens("import-metrics", str(import_file(tmp_path / f"m{month}.csv", month)),
                           "--data", str(data), "--db", str(db))
            assert done.returncode == 0, done.stderr
            rows += 1
            con, bid = main.current()
            assert bid not in ids
            assert len(queries.run(con, "metric_series", {"metric": METRIC})) == rows  # visible at once after the swap
            assert readers.wait_for(bid)
            ids.append(bid)
        for n in (1, 2):
            done = paylens("ingest", str(article_file(tmp_path / f"a{n}.txt", n)), "--data", str(data), "--db", str(db))
            assert done.returncode == 0, done.stderr
            con, bid = main.current()
            assert con.execute("select count(*) from articles").fetchone()[0] == n_articles + n
            assert readers.wait_for(bid)
            ids.append(bid)
    assert readers.errors == []
    assert readers.queries > len(ids)
    assert set(readers.seen) <= set(ids)
    # Each build answered one way only (no torn reads), and the rows grew with every import.
    assert all(len(answers) == 1 for answers in readers.seen.values())
    series_rows = [next(iter(readers.seen[bid]))[0] for bid in ids]
    assert series_rows == sorted(series_rows) and series_rows[2] == series_rows[0] + 2


def test_a_handle_opened_before_a_rebuild_follows_it(live, tmp_path):
    """The same process keeps an old connection busy while the store is rebuilt: the handle still moves on."""
    data, db = live
    handle = StoreHandle(db)
    old_con, old_id = handle.current()
    busy = old_con.cursor()  # a query in flight on the old file keeps its database instance alive
    before = busy.execute("select count(*) from metric_values").fetchone()[0]
    done = paylens("import-metrics", str(import_file(tmp_path / "m.csv", 5)), "--data", str(data), "--db", str(db))
    assert done.returncode == 0, done.stderr
    con, bid = handle.current()
    assert bid != old_id
    assert con.execute("select count(*) from metric_values").fetchone()[0] == before + 1
    assert busy.execute("select count(*) from metric_values").fetchone()[0] == before  # old readers finish on old data
