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
