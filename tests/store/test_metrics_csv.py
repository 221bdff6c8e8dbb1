"""metrics_csv streams: rows are checked one at a time, and a big file is never held as text plus rows."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import date, timedelta

import pytest

from paylens.errors import InputError
from paylens.store import metrics_csv
from paylens.store.metrics_csv import COLUMNS

PLATFORMS = {"alipay", "wechat_pay"}


def big_csv(rows: int) -> bytes:
    """A valid metrics CSV of `rows` rows, some Chinese text in every note."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    start = date(1990, 1, 1)
    for i in range(rows):
        day = (start + timedelta(days=i)).isoformat()
        writer.writerow(["alipay", "monthly_active_users", day, day, day, 1000 + i % 977, "million_users",
                         "PayLens memory test", "Memory test row", f"https://example.test/mem/{i}", "2024-01",
                         "approximate", "generated for the streaming test; 中文 note"])
    return buf.getvalue().encode("utf-8")


def test_iter_rows_yields_before_reading_the_whole_file():
    rows = metrics_csv.iter_rows(big_csv(50), "m.csv", PLATFORMS)
    first = next(rows)
    assert (first.source_line, first.value) == (2, 1000.0)
    assert len(list(rows)) == 49


def test_iter_rows_raises_every_problem_at_the_end():
    data = big_csv(3).replace(b"alipay,", b"nope,", 1) + b"wechat_pay,too,few\n"
    with pytest.raises(InputError) as info:
        list(metrics_csv.iter_rows(data, "m.csv", PLATFORMS))
    assert info.value.problems == ["m.csv:2: unknown platform_id 'nope'", "m.csv:5: expected 13 fields, found 3"]


def test_validating_a_big_file_holds_far_less_than_its_rows():
    """Python memory at peak while checking a ~2 MB file: under 4x the file (the old parser: ~11x).

    tracemalloc counts allocations, so the figure does not depend on timing or on other work on the machine.
    """
    data = big_csv(9_000)
    assert len(data) > 1_900_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in metrics_csv.iter_rows(data, "big.csv", PLATFORMS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 9_000
    assert peak < 4 * len(data), f"peak {peak / 1e6:.1f} MB for a {len(data) / 1e6:.1f} MB file"


def test_parse_keeps_its_list_api():
    rows = metrics_csv.parse(big_csv(2), "m.csv", PLATFORMS)
    assert [r.source_line for r in rows] == [2, 3]
