"""How fresh the corpus is, in words: "newest article 2025-12-15, last feed run 2 h ago"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd


def age(then: datetime, now: datetime) -> str:
    """A short age: `just now`, `12 min ago`, `5 h ago`, `3 days ago`."""
    seconds = max(0.0, (now - then).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 48 * 3600:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


def _naive_utc(value: object) -> datetime | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.to_pydatetime()


def freshness_line(newest_article: object, last_feed_run: object, now: datetime | None = None) -> str:
    """`newest article YYYY-MM-DD, last feed run N h ago` (store times are naive UTC)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    newest = None if newest_article is None or pd.isna(newest_article) else pd.Timestamp(newest_article).date()
    parts = [f"newest article {newest.isoformat()}" if isinstance(newest, date) else "no dated article yet"]
    run = _naive_utc(last_feed_run)
    parts.append(f"last feed run {age(run, now)}" if run else "no feed run yet")
    return ", ".join(parts)
