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


ARTICLES_PER_PAGE = 200
ARTICLE_COLUMNS = ["article_id", "date", "title", "publisher", "lang", "hits", "signals", "url"]


def page_count(total: int, size: int) -> int:
    """Pages of `size` rows needed for `total` rows (at least one, so an empty list still has a page 1)."""
    return max(1, -(-total // size))


def page_span(page: int, total: int, size: int) -> tuple[int, int]:
    """0-based [start, stop) of 1-based page `page`, clamped to the pages that exist."""
    page = min(max(page, 1), page_count(total, size))
    start = (page - 1) * size
    return start, min(start + size, total)


def rows_caption(start: int, stop: int, total: int) -> str:
    """'rows 201–400 of 70,707' for the span page_span gave."""
    return f"rows {start + 1:,}–{stop:,} of {total:,}" if total else "no rows"


def articles_table(df: pd.DataFrame, start: int = 0, stop: int | None = None) -> pd.DataFrame:
    """Rows start..stop of the article list as shown: dates as text (missing ones 'undated'), a label per article."""
    rows = df.iloc[start:stop]
    day = rows["date"]
    text = day.dt.strftime("%Y-%m-%d") if pd.api.types.is_datetime64_any_dtype(day) else day.astype("string").str[:10]
    dates = text.fillna("undated")
    out = rows[ARTICLE_COLUMNS].assign(date=dates)
    return out.assign(label=out["date"] + " · " + out["title"].fillna("(untitled)"))


def article_label(df: pd.DataFrame, article_id: str) -> str:
    """'2024-06-01 · Title' of one article of the list (the id itself if the list lacks it)."""
    row = articles_table(df[df["article_id"] == article_id])
    return row["label"].iloc[0] if len(row) else article_id
