"""Display tables: formatted values beside their provenance (pure pandas)."""

from __future__ import annotations

import pandas as pd

from paylens.units import format_value


def latest_table(df: pd.DataFrame) -> pd.DataFrame:
    """Latest headline values: one row per platform and metric, with source and confidence."""
    if df.empty:
        return df
    return pd.DataFrame({
        "Metric": df["metric_label"],
        "Platform": df["platform"].str.split(" (", regex=False).str[0] + " " + df["platform_zh"].fillna(""),
        "Value": [format_value(v, u) for v, u in zip(df["value"], df["unit"], strict=True)],
        "Period": df["period"],
        "Publisher": df["source_publisher"],
        "Confidence": df["confidence"],
        "Source": df["source_url"],
    })


def metric_rows_table(df: pd.DataFrame) -> pd.DataFrame:
    """The charted rows of one metric, readable, with links."""
    if df.empty:
        return df
    return pd.DataFrame({
        "Platform": df["platform"].str.split(" (", regex=False).str[0],
        "Period": df["period"],
        "Value": [format_value(v, u) for v, u in zip(df["value"], df["unit"], strict=True)],
        "Publisher": df["source_publisher"],
        "Source date": df["source_date"],
        "Confidence": df["confidence"],
        "Note": df["note"],
        "Source": df["source_url"],
    })


def short_share_label(label: str) -> str:
    """'Market share third party mobile payment (Analysys)' -> 'mobile (Analysys)': short enough for a card."""
    for noise in ("Market share ", "third party ", " payment"):
        label = label.replace(noise, "")
    return label.strip()


def share_cards(df: pd.DataFrame, limit: int = 8) -> list[dict[str, str | None]]:
    """Market-share headline cards: label, value and change against the previous period of the same series."""
    if df.empty:
        return []
    shares = df[(df["family"] == "Market share") & (df["unit"] == "percent")].head(limit)
    cards = []
    for row in shares.itertuples():
        delta = None
        if pd.notna(row.prev_value):
            delta = f"{row.value - row.prev_value:+.1f} pts vs {row.prev_period}"
        cards.append({"label": f"{row.platform} · {short_share_label(row.metric_label)}",
                      "value": format_value(row.value, row.unit),
                      "delta": f"{row.period}" + (f" · {delta}" if delta else ""),
                      "help": f"{row.period} · {row.source_publisher} · {row.confidence}"})
    return cards
