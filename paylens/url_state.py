"""Parse the URL's filter values: keep what is valid, report what is not (no UI here)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

DEFAULT_COMPETITORS = ("alipay", "wechat_pay", "unionpay", "jd_pay", "douyin_pay", "meituan_pay")
DEFAULT_FROM = date(2010, 1, 1)
DEFAULT_TO = date(2026, 12, 31)


def parse_competitors(raw: str | None, known: Collection[str]) -> tuple[list[str] | None, list[str]]:
    """Known ids in URL order (None when the URL has none) and the unknown ones dropped."""
    if raw is None:
        return None, []
    ids = [p.strip() for p in raw.split(",") if p.strip()]
    good = list(dict.fromkeys(i for i in ids if i in known))
    bad = [i for i in ids if i not in known]
    return good, bad


def parse_date(raw: str | None, default: date) -> tuple[date, bool]:
    """The URL date, or the default and False when it is malformed."""
    if raw is None or raw == "":
        return default, True
    try:
        return date.fromisoformat(raw), True
    except ValueError:
        return default, False
