"""The view an analyst sees, as URL parameters: defaults, parsing that keeps what is valid and reports the rest."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

DEFAULT_COMPETITORS = ("alipay", "wechat_pay", "unionpay", "jd_pay", "douyin_pay", "meituan_pay")
DEFAULT_FROM = date(2010, 1, 1)
DEFAULT_TO = date(2026, 12, 31)
# The date inputs accept these; a URL date outside them is clamped with a notice (never a crash).
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2030, 12, 31)

# The whole view: shared filters, then each page's own choices. One URL parameter each; the Snapshots page
# takes all of them, so a link reproduces the same files anywhere.
DEFAULT_VIEW: dict[str, str] = {
    "competitors": ",".join(DEFAULT_COMPETITORS),
    "from": DEFAULT_FROM.isoformat(),
    "to": DEFAULT_TO.isoformat(),
    "events": "on",
    "categories": "",
    "metric": "market_share_third_party_mobile_payment_analysys",
    "with": "",        # more series of the metric's family, drawn beside it
    "family": "",      # Overview's coverage map
    "mode": "share",   # Signals heatmap colour
    "signal": "traffic_focus",
    "focus": "",       # Signals evidence platform ("" = all chosen)
    "platform": "",    # Compare: "" = the first chosen competitor
    "rival": "",       # Compare: "" = the second chosen competitor
    "page": "1",       # Articles table page
    "article": "",
    "q": "",           # full-text search, with its filters
    "q_platform": "",
    "q_signal": "",
    "q_stance": "",
    "q_publisher": "",
    "changed": "",     # Overview's "What changed" window in days
    "threat": "",      # Signals' Threats: the cell whose sentences are shown (platform:rival)
    "subject": "",     # Story vs numbers: the platform ("" = the first chosen competitor)
    "series": "",      # ... its metric ("" = the one with most values)
    "themes": "touchless_subsidy",  # ... the signals set against it
    "at": "",          # ... the period whose sentences are shown (its first day)
}
VIEW_KEYS = tuple(DEFAULT_VIEW)


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


def clamp_date(value: date) -> date:
    """A date inside the range the date inputs accept."""
    return min(max(value, DATE_MIN), DATE_MAX)


def url_date(name: str, raw: str | None, default: date) -> tuple[date, str | None]:
    """A URL date made safe for the date input, and a notice naming the real problem (None when fine)."""
    value, ok = parse_date(raw, default)
    if not ok:
        return default, f"Ignored malformed date {name}={raw!r} (use YYYY-MM-DD); using {default}."
    clamped = clamp_date(value)
    if clamped != value:
        return clamped, (f"The link's date {name}={value} is outside {DATE_MIN}…{DATE_MAX}, "
                         f"the range this dashboard covers; using {clamped}.")
    return value, None


def unknown_params(params: Collection[str]) -> list[str]:
    """URL parameter names that are no part of any view (typos, stale links)."""
    return sorted(p for p in params if p not in DEFAULT_VIEW)


def compare_pair(competitors: list[str], platform: str = "", rival: str = "") -> tuple[str, str]:
    """Compare's platform and rival: chosen ones, else the first two competitors, else Alipay vs WeChat Pay."""
    pool = [*competitors, "alipay", "wechat_pay"]
    platform = platform or pool[0]
    rival = rival or next(p for p in pool if p != platform)
    return platform, rival


def view_params(view: Mapping[str, object]) -> dict[str, str]:
    """The view as URL parameters in a fixed order, leaving out empty values (lists joined by commas)."""
    out: dict[str, str] = {}
    for key in VIEW_KEYS:
        value = view.get(key)
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, date):
            value = value.isoformat()
        if value not in (None, ""):
            out[key] = str(value)
    return out
