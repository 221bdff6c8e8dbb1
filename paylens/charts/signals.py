"""Signal charts: platform x signal heatmap, a signal's trend, and a compare profile."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from paylens.charts.events import add_event_markers, events_in_span
from paylens.charts.layout import empty_figure, finish
from paylens.charts.palette import STANCE_COLOURS, colour
from paylens.charts.text import esc

SIGNAL_LABELS = {
    "touchless_subsidy": "Touchless & subsidies",
    "ai_assistant": "AI assistant push",
    "feature_sprawl": "Feature sprawl",
    "social_content": "Social & content",
    "traffic_focus": "Traffic chasing",
    "b_end_empowerment": "Merchant enablement",
    "ecosystem_dependence": "Parent-ecosystem dependence",
    "competitive_threat": "Competitive threat",
    "regulatory_pressure": "Regulatory pressure",
    "user_experience_complaints": "User complaints",
}
MODES = {"share": "Share of articles", "net": "Net stance"}
# Stance agreement with human labels on matched signals (2026-11-25): 0.545 held-out, 0.591 dev7, 0.616 tuning sets.
STANCE_CAVEAT = ("Stance is read from judging words near each hit (\"won praise\", 被诟病) and agrees with human "
                 "labels only about 55–60% of the time, far less often than the signals themselves: use it to find "
                 "sentences worth reading, not as a verdict.")
NET_STANCE_NOTE = "Net stance = (positive hits − negative hits) ÷ all hits, from −1 to +1. " + STANCE_CAVEAT


def signal_label(signal: str) -> str:
    """Readable name of a signal id."""
    return SIGNAL_LABELS.get(signal, signal)


def row_label(platform: str, articles: int) -> str:
    """Heatmap row label: platform name and how many articles speak of it."""
    return f"{esc(platform)} · {int(articles)} art."


def platform_of_row(label: str) -> str:
    """Inverse of row_label: the (escaped) platform name."""
    return label.rsplit(" · ", 1)[0]


def heatmap_figure(df: pd.DataFrame, mode: str = "share", title: str = "") -> go.Figure:
    """Rows = platforms, columns = signals; colour = share of the platform's articles or net stance."""
    if df.empty:
        return empty_figure("No signals found for these platforms and dates.")
    platforms = list(dict.fromkeys(df.sort_values("platform_id")["platform"]))
    # The denominator goes into the row label: 100% of 2 articles is not 100% of 30.
    base = df.drop_duplicates("platform").set_index("platform")["platform_articles"]
    signals = [s for s in SIGNAL_LABELS if s in set(df["signal"])]
    value = "share" if mode == "share" else "net_stance"
    grid = df.pivot_table(index="platform", columns="signal", values=value, aggfunc="first")
    grid = grid.reindex(index=platforms, columns=signals)
    detail = df.assign(text=[
        f"{esc(zh)}<br>{a} of {b} articles · {h} hits (+{p} / −{n} / ={u})"
        for zh, a, b, h, p, n, u in zip(df["platform_zh"].fillna(""), df["articles"], df["platform_articles"],
                                        df["hits"], df["positive"], df["negative"], df["neutral"], strict=True)
    ]).pivot_table(index="platform", columns="signal", values="text", aggfunc="first")
    detail = detail.reindex(index=platforms, columns=signals).fillna("no hits")
    is_share = mode == "share"
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=[signal_label(s) for s in signals], y=[row_label(p, base[p]) for p in platforms],
        customdata=detail.values, xgap=2, ygap=2,
        colorscale="Blues" if is_share else "RdYlGn", zmin=0 if is_share else -1, zmax=1,
        colorbar={"title": "share" if is_share else "net", "tickformat": ".0%" if is_share else ".1f"},
        texttemplate="%{z:.0%}" if is_share else "%{z:+.2f}",
        hovertemplate="<b>%{y}</b> · %{x}<br>" + ("%{z:.0%} of articles" if is_share else "net stance %{z:+.2f}")
                      + "<br>%{customdata}<extra></extra>",
    ))
    fig.update_layout(height=max(280, 80 + 48 * len(platforms)), yaxis={"autorange": "reversed"},
                      xaxis={"tickangle": -30})
    return finish(fig, title)


def bucket(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Sum monthly counts into quarters or years when the span is long, so bars stay readable."""
    months = (df["month"].max().year - df["month"].min().year) * 12 + df["month"].max().month - df["month"].min().month
    if months <= 24:
        return df, "%Y-%m"
    freq, fmt = ("QS", "%Y-Q%q") if months <= 48 else ("YS", "%Y")
    out = (df.assign(month=pd.to_datetime(df["month"]).dt.to_period(freq[0]).dt.start_time)
             .groupby(["month", "platform_id", "platform"], as_index=False)[
                 ["articles", "hits", "positive", "negative", "neutral"]].sum())
    return out, fmt


def trend_figure(df: pd.DataFrame, events: pd.DataFrame | None = None, title: str = "") -> go.Figure:
    """Articles showing the signal per month (or quarter/year over long spans), one bar per platform.

    "{period}" in the title becomes the bucket actually drawn (month, quarter or year).
    """
    if df.empty:
        return empty_figure("This signal has no hits for these platforms and dates.")
    df = df.assign(month=pd.to_datetime(df["month"]))
    data, fmt = bucket(df)
    label = {"%Y-%m": "month", "%Y-Q%q": "quarter", "%Y": "year"}[fmt]
    fig = go.Figure()
    for pid, part in data.groupby("platform_id", sort=True):
        fig.add_trace(go.Bar(
            x=part["month"], y=part["articles"], name=esc(part["platform"].iloc[0]),
            marker_color=colour(pid), xperiod={"month": "M1", "quarter": "M3", "year": "M12"}[label],
            xperiodalignment="middle",
            customdata=list(zip(part["hits"], part["positive"], part["negative"], part["neutral"], strict=True)),
            hovertemplate=f"%{{x|{fmt}}}: %{{y}} articles · %{{customdata[0]}} hits<br>"
                          "+%{customdata[1]} / −%{customdata[2]} / =%{customdata[3]}<extra>%{fullData.name}</extra>",
        ))
    end = df["month"].max() + pd.offsets.MonthEnd(1)
    add_event_markers(fig, events_in_span(events, df["month"].min(), end))
    fig.update_layout(barmode="group", height=400, bargap=0.15,
                      yaxis={"title": f"articles per {label}", "rangemode": "tozero"})
    return finish(fig, title.replace("{period}", label))


STANCE_PATTERNS = {"positive": "", "neutral": ".", "negative": "x"}


def profile_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """Hits per signal split by stance: a bar per platform in its colour, stance shown by the fill pattern."""
    if df.empty:
        return empty_figure("No signals for either platform in these dates.")
    fig = go.Figure()
    order = [s for s in SIGNAL_LABELS if s in set(df["signal"])]
    for pid, part in df.groupby("platform_id", sort=False):
        name = esc(str(part["platform"].iloc[0]))
        part = part.set_index("signal").reindex(order)[list(STANCE_COLOURS)].fillna(0)
        for stance in ("positive", "neutral", "negative"):
            fig.add_trace(go.Bar(
                y=[signal_label(s) for s in order], x=part[stance], orientation="h", name=f"{name} · {stance}",
                legendgroup=pid, offsetgroup=pid, marker_color=colour(pid),
                marker_pattern={"shape": STANCE_PATTERNS[stance], "fgcolor": "white", "solidity": 0.45},
                marker_line={"color": colour(pid), "width": 1},
                hovertemplate=f"{name} · %{{y}}<br>{stance}: %{{x}} hits<extra></extra>",
            ))
    fig.update_layout(barmode="stack", height=140 + 46 * len(order), yaxis={"autorange": "reversed"},
                      xaxis={"title": "hits"})
    return finish(fig, title)
