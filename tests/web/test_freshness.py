"""The corpus freshness line."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from paylens.web.freshness import age, freshness_line

NOW = datetime(2025, 12, 15, 12, 0, 0)


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(seconds=5), "just now"), (timedelta(minutes=12), "12 min ago"), (timedelta(hours=2), "2 h ago"),
    (timedelta(hours=47), "47 h ago"), (timedelta(days=3, hours=1), "3 days ago"), (timedelta(seconds=-30), "just now"),
])
def test_age(delta, text):
    assert age(NOW - delta, NOW) == text


def test_freshness_line():
    assert freshness_line(date(2025, 12, 15), NOW - timedelta(hours=2), NOW) == (
        "newest article 2025-12-15, last feed run 2 h ago")
    assert freshness_line(pd.Timestamp("2025-12-01"), pd.NaT, NOW) == "newest article 2025-12-01, no feed run yet"
    assert freshness_line(None, None, NOW) == "no dated article yet, no feed run yet"
    aware = pd.Timestamp("2025-12-15T13:00:00+08:00")  # 05:00 UTC
    assert freshness_line(None, aware, NOW).endswith("last feed run 7 h ago")
