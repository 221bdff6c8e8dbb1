"""Human labels for the units used in metrics.csv."""

from __future__ import annotations

import math

# unit id -> (prefix, suffix, axis title)
UNITS: dict[str, tuple[str, str, str]] = {
    "percent": ("", "%", "Share (%)"),
    "percent_growth": ("", "% growth", "Growth (%)"),
    "percent_of_2019": ("", "% of 2019", "% of 2019 level"),
    "million_users": ("", "m users", "Users (millions)"),
    "trillion_cny": ("¥", "tn", "CNY (trillions)"),
    "billion_cny": ("¥", "bn", "CNY (billions)"),
    "million_cny": ("¥", "m", "CNY (millions)"),
    "cny": ("¥", "", "CNY"),
    "billion_usd": ("US$", "bn", "USD (billions)"),
    "billion_transactions": ("", "bn transactions", "Transactions (billions)"),
    "million_transactions": ("", "m transactions", "Transactions (millions)"),
    "million_merchants": ("", "m merchants", "Merchants (millions)"),
    "million_programs": ("", "m mini programs", "Mini programs (millions)"),
    "million_interactions": ("", "m interactions", "Interactions (millions)"),
    "million_envelopes": ("", "m red envelopes", "Red envelopes (millions)"),
    "million_devices": ("", "m devices", "Devices (millions)"),
    "million_units": ("", "m units", "Units (millions)"),
    "million_uses": ("", "m uses", "Uses (millions)"),
    "million_downloads": ("", "m downloads", "Downloads (millions)"),
    "million_views": ("", "m views", "Views (millions)"),
    "million_creators": ("", "m creators", "Creators (millions)"),
    "million_cards": ("", "m cards", "Cards (millions)"),
    "megabytes": ("", " MB", "Megabytes"),
    "multiple": ("", "×", "Multiple"),
    "times_growth_as_stated": ("", "× growth", "Growth multiple"),
}


def unit_parts(unit: str) -> tuple[str, str, str]:
    """Prefix, suffix and axis title for a unit; unknown units read as their own name."""
    if unit in UNITS:
        return UNITS[unit]
    words = unit.replace("_", " ")
    return "", " " + words, words.capitalize()


def format_value(value: float | None, unit: str) -> str:
    """`¥13.6bn`, `55.4%`, `893m users`: a value with its unit, trimmed of needless decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    prefix, suffix, _ = unit_parts(unit)
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:,.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{prefix}{text}{suffix}"


def axis_title(unit: str) -> str:
    """Axis title for a unit."""
    return unit_parts(unit)[2]
