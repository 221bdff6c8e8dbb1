"""How old a number is, in words, and whether its series has gone quiet (missed two of its periods)."""

from __future__ import annotations

from datetime import date

import pandas as pd

# Typical length of each calendar kind in days; a series is stale once two such periods passed with no value.
KIND_DAYS = {"year": 365.25, "half": 182.6, "quarter": 91.3, "month": 30.4, "week": 7.0}
IRREGULAR_DAYS = 365.25  # points, days and spans have no calendar: treat them as yearly figures


def _day(value: object) -> date:
    return pd.Timestamp(value).date()


def age_text(end: object, today: date) -> str:
    """'6 years ago', '5 months ago', 'this month' for a period that ended on `end`."""
    months = (today.year - _day(end).year) * 12 + today.month - _day(end).month
    if months <= 0:
        return "this month"
    if months < 24:
        return f"{months} month{'s' if months > 1 else ''} ago"
    return f"{months // 12} years ago"


def is_stale(kind: str | None, end: object, today: date) -> bool:
    """True once two periods of this series' kind have passed since its last value."""
    cadence = KIND_DAYS.get(kind or "", IRREGULAR_DAYS)
    return (today - _day(end)).days > 2 * cadence


def as_of(period: str, end: object, today: date) -> str:
    """'as of 2020-Q2 · 6 years ago'."""
    return f"as of {period} · {age_text(end, today)}"


def series_ages(df: pd.DataFrame, today: date) -> pd.DataFrame:
    """The last value of each series (platform, metric, unit, period kind) with its age and whether it is stale."""
    if df.empty:
        return pd.DataFrame(columns=["platform", "metric_label", "period_kind", "period", "as_of", "stale"])
    keys = [c for c in ("platform_id", "metric", "unit", "period_kind") if c in df.columns]
    last = df.sort_values("period_end").groupby(keys, sort=False).tail(1)
    kinds = last["period_kind"] if "period_kind" in last.columns else pd.Series("", index=last.index)
    return last.assign(
        as_of=[as_of(p, e, today) for p, e in zip(last["period"], last["period_end"], strict=True)],
        stale=[is_stale(k, e, today) for k, e in zip(kinds, last["period_end"], strict=True)],
    )
