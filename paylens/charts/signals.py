"""Signal charts: platform x signal heatmap, a signal's trend, and a compare profile."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from paylens.charts.events import add_event_markers, events_in_span
from paylens.charts.layout import empty_figure, finish
from paylens.charts.palette import STANCE_COLOURS, colour
from paylens.charts.text import esc
from paylens.charts.time_axis import fit_bucket_axis
from paylens.signals.taxonomy import SIGNAL_LABELS  # noqa: F401 - re-exported: pages import it from here
from paylens.wording import listed

MODES = {"share": "Share of articles", "net": "Net stance"}
# Colour-blind-safe diverging scale (ColorBrewer RdBu: red = negative, blue = positive), white at zero.
DIVERGING = "RdBu"
SOLID_ARTICLES = 10  # net stance from this many articles or more is drawn at full strength
# Stance agreement with human labels on matched signals (2026-11-25): 0.545 held-out, 0.591 dev7, 0.616 tuning sets.
STANCE_CAVEAT = ("Stance is read from judging words near each hit (\"won praise\", 被诟病) and agrees with human "
                 "labels only about 55–60% of the time, far less often than the signals themselves: use it to find "
                 "sentences worth reading, not as a verdict.")
NET_STANCE_NOTE = "Net stance = (positive hits − negative hits) ÷ all hits, from −1 to +1. " + STANCE_CAVEAT


def signal_label(signal: str) -> str:
    """Readable name of a signal id."""
    return SIGNAL_LABELS.get(signal, signal)


def column_label(platform: str, articles: int) -> str:
    """Heatmap column label: platform name and how many articles speak of it (on two lines)."""
    return f"{esc(platform)}<br>{int(articles)} art."


def signal_row_label(signal: str) -> str:
    """A signal's name broken onto two lines when long, so rows stay readable on a phone."""
    words = signal_label(signal).split(" ")
    if len(signal_label(signal)) <= 16 or len(words) == 1:
        return esc(signal_label(signal))
    cut = max(range(1, len(words)), key=lambda i: -abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return esc(" ".join(words[:cut])) + "<br>" + esc(" ".join(words[cut:]))


def absent_note(df: pd.DataFrame, competitors: list[str], names: dict[str, str]) -> str:
    """A line naming the chosen platforms that have no column in the heatmap (no signal in these dates), or ''."""
    shown = set(df["platform_id"]) if not df.empty else set()
    missing = [names.get(p, p) for p in competitors if p not in shown]
    if not missing or len(missing) == len(competitors):  # all missing: the empty chart already says so
        return ""
    them = "it" if len(missing) == 1 else "them"
    return f"No column for {listed(missing)}: no sentence in the articles of these dates gives {them} a signal."


def heatmap_figure(df: pd.DataFrame, mode: str = "share", title: str = "") -> go.Figure:
    """Rows = signals, columns = platforms; colour = share of the platform's articles or net stance.

    Signals run down the side (ten readable rows even on a 390 px phone) and platforms across, each with its
    article count: 100% of 2 articles is not 100% of 30. Plotly heatmaps report no selection to Streamlit (its
    issue 8760), so each cell also carries an invisible marker of a scatter trace: a click anywhere in a cell
    selects the nearest marker, which is that cell's. In net mode, cells backed by few articles are washed out.
    """
    if df.empty:
        return empty_figure("No signals found for these platforms and dates.")
    platforms = list(dict.fromkeys(df.sort_values("platform_id")["platform"]))
    ids = dict(zip(df["platform"], df["platform_id"], strict=True))
    base = df.drop_duplicates("platform").set_index("platform")["platform_articles"]
    signals = [s for s in SIGNAL_LABELS if s in set(df["signal"])]
    value = "share" if mode == "share" else "net_stance"

    def grid(column: str, frame: pd.DataFrame = df) -> pd.DataFrame:
        return (frame.pivot_table(index="signal", columns="platform", values=column, aggfunc="first")
                     .reindex(index=signals, columns=platforms))

    values = grid(value)
    articles = grid("articles").fillna(0)
    detail = grid("text", df.assign(text=[
        f"{esc(zh)}<br>{a} of {b} articles · {h} hits (+{p} / −{n} / ={u})"
        for zh, a, b, h, p, n, u in zip(df["platform_zh"].fillna(""), df["articles"], df["platform_articles"],
                                        df["hits"], df["positive"], df["negative"], df["neutral"], strict=True)
    ])).fillna("no hits")
    is_share = mode == "share"
    xs = [column_label(p, base[p]) for p in platforms]
    ys = [signal_row_label(s) for s in signals]
    fig = go.Figure(go.Heatmap(
        z=values.values, x=xs, y=ys, xgap=2, ygap=2, hoverinfo="skip",
        colorscale="Blues" if is_share else DIVERGING, zmin=0 if is_share else -1, zmax=1,
        colorbar={"title": {"text": "share" if is_share else "net stance", "side": "top"},
                  "tickformat": ".0%" if is_share else ".1f", "orientation": "h", "x": 0, "xanchor": "left",
                  "y": 1.02, "yanchor": "bottom", "len": 0.5, "thickness": 10},
        texttemplate="%{z:.0%}" if is_share else "%{z:+.2f}",
    ))
    if not is_share:
        # White veil over cells with few articles: fully clear from SOLID_ARTICLES articles on.
        veil = 1 - (articles.values / SOLID_ARTICLES).clip(0, 1)
        fig.add_trace(go.Heatmap(z=veil, x=xs, y=ys, xgap=2, ygap=2, zmin=0, zmax=1, showscale=False,
                                 hoverinfo="skip", colorscale=[[0, "rgba(255,255,255,0)"],
                                                               [1, "rgba(255,255,255,0.85)"]]))
    cells = [(x, y, s, ids[p], values.at[s, p], detail.at[s, p])
             for s, y in zip(signals, ys, strict=True) for p, x in zip(platforms, xs, strict=True)]
    fig.add_trace(go.Scatter(
        x=[c[0] for c in cells], y=[c[1] for c in cells], mode="markers", showlegend=False, name="cells",
        marker={"size": 24, "opacity": 0, "color": "#000"},
        selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
        customdata=[[c[2], c[3], c[5], signal_label(c[2])] for c in cells],
        text=[("—" if pd.isna(c[4]) else f"{c[4]:.0%} of articles" if is_share else
               f"net stance {c[4]:+.2f}") for c in cells],
        hovertemplate="<b>%{x}</b> · %{customdata[3]}<br>%{text}<br>%{customdata[2]}<br>"
                      "<i>click for the sentences</i><extra></extra>",
    ))
    axis_text = {"tickmode": "array", "automargin": True, "tickfont": {"size": 12}, "fixedrange": True}
    fig.update_layout(height=max(380, 190 + 46 * len(signals)), hoverdistance=-1, clickmode="event+select",
                      dragmode=False,
                      yaxis={**axis_text, "tickvals": ys, "ticktext": ys, "autorange": "reversed"},
                      xaxis={**axis_text, "tickvals": xs, "ticktext": xs, "side": "bottom"})
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
                      yaxis={"title": f"articles per {label}", "rangemode": "tozero", **count_ticks(data["articles"])})
    fit_bucket_axis(fig, label, data["month"])
    return finish(fig, title.replace("{period}", label))


def count_ticks(values: pd.Series) -> dict:
    """Axis settings for counts: whole-number ticks only (no "0.5 articles")."""
    top = int(values.max()) if len(values) else 0
    return {"tickformat": ",d", "dtick": 1} if top <= 8 else {"tickformat": ",d"}


STANCE_PATTERNS = {"positive": "", "neutral": ".", "negative": "x"}


def profile_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """Share of each platform's articles showing each signal, split by stance of the hits, with n in the legend.

    Raw hit counts would compare 48 articles with 3; a share of the platform's own articles does not.
    A bar's length is the share of articles; its stance parts split that length in proportion to the hits.
    """
    if df.empty:
        return empty_figure("No signals for either platform in these dates.")
    fig = go.Figure()
    order = [s for s in SIGNAL_LABELS if s in set(df["signal"])]
    for pid, part in df.groupby("platform_id", sort=False):
        base = int(part["platform_articles"].iloc[0])
        name = f"{esc(str(part['platform'].iloc[0]))} (n = {base} articles)"
        part = part.set_index("signal").reindex(order)
        counts = part[["articles", "hits", *STANCE_COLOURS]].fillna(0)
        share = counts["articles"] / base if base else counts["articles"] * 0
        for stance in ("positive", "neutral", "negative"):
            part_share = (share * counts[stance] / counts["hits"].where(counts["hits"] > 0)).fillna(0)
            fig.add_trace(go.Bar(
                y=[signal_label(s) for s in order], x=part_share, orientation="h", name=f"{name} · {stance}",
                legendgroup=pid, offsetgroup=pid, marker_color=colour(pid),
                marker_pattern={"shape": STANCE_PATTERNS[stance], "fgcolor": "white", "solidity": 0.45},
                marker_line={"color": colour(pid), "width": 1},
                customdata=list(zip(counts["articles"].astype(int), [base] * len(order), share,
                                    counts["hits"].astype(int), counts[stance].astype(int), strict=True)),
                hovertemplate=f"{name} · %{{y}}<br>%{{customdata[0]}} of %{{customdata[1]}} articles "
                              f"(%{{customdata[2]:.0%}})<br>{stance}: %{{customdata[4]}} of %{{customdata[3]}} hits"
                              "<extra></extra>",
            ))
    fig.update_layout(barmode="stack", height=140 + 46 * len(order), yaxis={"autorange": "reversed"},
                      xaxis={"title": "share of the platform's articles", "tickformat": ".0%", "rangemode": "tozero"})
    return finish(fig, title)
