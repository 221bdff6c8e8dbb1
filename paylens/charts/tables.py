"""Display tables: formatted values beside their provenance (pure pandas)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from paylens.freshness import age_text, as_of, is_stale
from paylens.units import format_value


def latest_table(df: pd.DataFrame, today: date) -> pd.DataFrame:
    """Latest headline values: one row per platform and metric, with its age, source and confidence."""
    if df.empty:
        return df
    return pd.DataFrame({
        "Metric": df["metric_label"],
        "Platform": df["platform"].str.split(" (", regex=False).str[0] + " " + df["platform_zh"].fillna(""),
        "Value": [format_value(v, u) for v, u in zip(df["value"], df["unit"], strict=True)],
        "Period": df["period"],
        "Age": [age_text(e, today) + (" · stale" if is_stale(k, e, today) else "")
                for e, k in zip(df["period_end"], df["period_kind"], strict=True)],
        "Change": [change_text(r.value, r.prev_value, r.prev_period, r.unit) for r in df.itertuples()],
        "vs a year earlier": [change_text(r.value, r.yoy_value, r.yoy_period, r.unit) for r in df.itertuples()],
        "Publisher": df["source_publisher"],
        "Confidence": df["confidence"],
        "Source": df["source_url"],
    })


def change_text(value: float, prev_value: float | None, prev_period: str | None, unit: str) -> str:
    """'+0.2 pts vs 2020-Q1', 'no value for 2020-Q1', or '' when the period has no calendar predecessor."""
    if not isinstance(prev_period, str) or not prev_period:
        return ""
    if prev_value is None or pd.isna(prev_value):
        return f"no value for {prev_period}"
    diff = value - prev_value
    amount = f"{diff:+.1f} pts" if unit == "percent" else f"{diff:+,.4g} {unit.replace('_', ' ')}"
    return f"{amount} vs {prev_period}"


def _changes(df: pd.DataFrame, value: str, period: str) -> list[str]:
    return [change_text(*r) for r in zip(df["value"], df[value], df[period], df["unit"], strict=True)]


def metric_rows_table(df: pd.DataFrame) -> pd.DataFrame:
    """The charted rows of one metric, readable, with the change against real adjacent periods and links."""
    if df.empty:
        return df
    has_changes = "prev_period" in df.columns
    return pd.DataFrame({
        "Platform": df["platform"].str.split(" (", regex=False).str[0],
        "Period": df["period"],
        "Value": [format_value(v, u) for v, u in zip(df["value"], df["unit"], strict=True)],
        # zip over the four columns it reads (itertuples builds a tuple of all ~30 columns per row)
        "Change": (_changes(df, "prev_value", "prev_period") if has_changes else ""),
        "vs a year earlier": (_changes(df, "yoy_value", "yoy_period") if has_changes else ""),
        "Publisher": df["source_publisher"],
        "Source date": df["source_date"],
        "Confidence": df["confidence"],
        "Note": df["note"],
        "Source": df["source_url"],
    })


def pivot_table(df: pd.DataFrame) -> pd.DataFrame:
    """Period x platform (one column per platform and series): values as published, blank where none."""
    if df.empty:
        return df
    keys = df.assign(column=df["platform"].str.split(" (", regex=False).str[0]
                     + (" · " + df["period_kind"] if "period_kind" in df.columns and df["period_kind"].nunique() > 1
                        else "")
                     + (" · " + df["metric_label"] if df["metric"].nunique() > 1 else ""))
    wide = keys.pivot_table(index=["period_end", "period"], columns="column", values="value", aggfunc="last")
    wide = wide.sort_index(level=0).reset_index().drop(columns="period_end")
    return wide.rename(columns={"period": "Period"})


def short_share_label(label: str) -> str:
    """'Market share third party mobile payment (Analysys)' -> 'mobile (Analysys)': short enough for a card."""
    for noise in ("Market share ", "third party ", " payment"):
        label = label.replace(noise, "")
    return label.strip()


def share_cards(df: pd.DataFrame, today: date, limit: int = 8) -> list[dict[str, object]]:
    """Market-share headline cards: value, its age, a stale flag, and the change only where a previous value exists.

    Newest first, so a 2020 share never sits above a 2025 one looking just as current.
    """
    if df.empty:
        return []
    shares = df[(df["family"] == "Market share") & (df["unit"] == "percent")]
    shares = shares.sort_values(["period_end", "value"], ascending=[False, False]).head(limit)
    cards = []
    for row in shares.itertuples():
        has_prev = isinstance(row.prev_period, str) and pd.notna(row.prev_value)
        cards.append({
            "label": f"{row.platform} · {short_share_label(row.metric_label)}",
            "value": format_value(row.value, row.unit),
            "delta": f"{row.value - row.prev_value:+.1f} pts vs {row.prev_period}" if has_prev else None,
            "arrow": "auto" if has_prev and abs(row.value - row.prev_value) >= 0.05 else "off",
            "as_of": as_of(row.period, row.period_end, today),
            "stale": is_stale(row.period_kind, row.period_end, today),
            "help": f"{row.period} · {row.source_publisher} · {row.confidence}"
                    + ("" if has_prev or not isinstance(row.prev_period, str) else
                       f" · no value for {row.prev_period}, so no change is shown"),
        })
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


STANCE_WORDS = {"positive": "positive", "negative": "negative", "neutral": "neutral"}


def readable_hits(df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Signal hits with words instead of ids: platform name, signal label, stance (for cards and tables).

    Takes either a store row (platform_id, platform) or an extractor hit (platform holds the id).
    """
    from paylens.charts.signals import signal_label

    ids = df["platform_id"] if "platform_id" in df.columns else df["platform"]
    out = df.assign(platform_id=ids, platform=[names.get(p, p) for p in ids],
                    signal_label=[signal_label(s) for s in df["signal"]],
                    stance=[STANCE_WORDS.get(s, s) for s in df["stance"]])
    if "rival" in out.columns:  # a mover's own hit has itself as rival: nobody threatens it
        out = out.assign(rival_name=[names.get(r, r) if isinstance(r, str) and r and r != p else ""
                                     for r, p in zip(out["rival"], ids, strict=True)])
    return out


def signal_names(ids: str | None) -> str:
    """'traffic_focus, ai_assistant' -> 'Traffic chasing, AI assistant push' (the Articles table's column)."""
    from paylens.charts.signals import signal_label

    if not isinstance(ids, str) or not ids:
        return ""
    return ", ".join(signal_label(s.strip()) for s in ids.split(",") if s.strip())


def metric_option_label(row: pd.Series) -> str:
    """'Market share · Third party mobile payment (Analysys) · 2015–2020 · 48 values' for the metric picker."""
    first, last = pd.Timestamp(row["first_period"]).year, pd.Timestamp(row["last_period"]).year
    span = str(first) if first == last else f"{first}–{last}"
    n = int(row["n_values"])
    return f"{row['family']} · {row['label']} · {span} · {n} value{'s' if n != 1 else ''}"


def series_age_lines(ages: pd.DataFrame) -> list[tuple[str, bool]]:
    """One line per series, 'Alipay · quarterly: as of 2020-Q2 · 6 years ago', and whether it is stale."""
    from paylens.charts.metrics import KIND_WORDS

    several = ages["metric"].nunique() > 1 if "metric" in ages.columns else False
    lines = []
    for row in ages.itertuples():
        kind = KIND_WORDS.get(getattr(row, "period_kind", ""), "")
        who = f"{row.platform}" + (f" · {row.metric_label}" if several else "") + (f" · {kind}" if kind else "")
        lines.append((f"{who}: {row.as_of}", bool(row.stale)))
    return lines


def one_side_table(cover: pd.DataFrame, platform: str, rival: str) -> pd.DataFrame:
    """Metrics only one of the pair reports, with readable headers: Metric, Family, and a count per platform."""
    if cover.empty:
        return cover
    only = cover[(cover["platform_values"] == 0) | (cover["rival_values"] == 0)]
    return pd.DataFrame({"Metric": only["metric_label"], "Family": only["family"],
                         f"{platform} values": only["platform_values"], f"{rival} values": only["rival_values"]})
