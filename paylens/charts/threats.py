"""Threats chart: who threatens whom, as a threatened-platform x rival heatmap with clickable cells."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from paylens.charts.layout import empty_figure, finish
from paylens.charts.palette import colour
from paylens.charts.signals import count_ticks
from paylens.charts.text import esc
from paylens.charts.time_axis import fit_bucket_axis

UNNAMED = "unnamed"  # the rival column of sentences that name no rival ("the competition is heating up")
UNNAMED_COLOUR = "#bdbdbd"


def cell_id(platform_id: str, rival_id: str) -> str:
    """A cell as one URL-safe value: 'alipay:wechat_pay', or 'alipay:unnamed' when no rival is named."""
    return f"{platform_id}:{rival_id or UNNAMED}"


def parse_cell(value: str | None) -> tuple[str, str] | None:
    """(platform id, rival id) of a cell value ('' for the unnamed rival), None when it is not one."""
    if not value or value.count(":") != 1:
        return None
    platform, rival = value.split(":")
    return (platform, "" if rival == UNNAMED else rival) if platform and rival else None


def _span(first: object, last: object) -> str:
    """'2016-11 – 2026-02' (one month alone when both fall in it)."""
    if pd.isna(first) or pd.isna(last):
        return ""
    a, b = pd.Timestamp(first).strftime("%Y-%m"), pd.Timestamp(last).strftime("%Y-%m")
    return a if a == b else f"{a} – {b}"


def threat_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """Rows = threatened platforms, columns = rivals (unnamed last); colour and label = share of the row's articles.

    Each cell reads "22% · 7/32": the share of the threatened platform's articles in which that rival threatens
    it, and the counts behind it. Like the Signals heatmap, every cell carries an invisible scatter marker whose
    customdata is [platform_id, rival_id, detail] ('' for the unnamed rival), so a click selects the cell.
    """
    if df.empty:
        return empty_figure("No competitive threats found for these platforms and dates.")
    rows = (df.groupby(["platform_id", "platform"], sort=False)["articles"].sum().reset_index()
              .sort_values(["articles", "platform_id"], ascending=[False, True]))
    named = df[df["rival_id"] != ""]
    cols = (named.groupby(["rival_id", "rival"], sort=False)["articles"].sum().reset_index()
                 .sort_values(["articles", "rival_id"], ascending=[False, True]))
    col_ids = [*cols["rival_id"], *([""] if (df["rival_id"] == "").any() else [])]
    col_names = {**dict(zip(cols["rival_id"], cols["rival"], strict=True)), "": UNNAMED}
    base = df.drop_duplicates("platform_id").set_index("platform_id")["platform_articles"]
    row_ids = list(rows["platform_id"])
    row_names = dict(zip(rows["platform_id"], rows["platform"], strict=True))
    ys = [f"{esc(row_names[p])}<br>{int(base[p])} art." for p in row_ids]
    xs = [esc(col_names[r]) if r else f"<i>{UNNAMED}</i>" for r in col_ids]
    cells = df.set_index(["platform_id", "rival_id"])
    z, text, marks = [], [], []
    for p, y in zip(row_ids, ys, strict=True):
        z_row, text_row = [], []
        for r, x in zip(col_ids, xs, strict=True):
            if (p, r) in cells.index:
                c = cells.loc[(p, r)]
                share, a, b = float(c["share"]), int(c["articles"]), int(c["platform_articles"])
                who = f"threatened by {esc(col_names[r])}" if r else "threatened, no rival named"
                detail = (f"{esc(row_names[p])} {who}<br>{a} of {b} articles ({share:.0%}) · {int(c['hits'])} "
                          f"sentences<br>{_span(c['first_date'], c['last_date'])}")
                z_row.append(share)
                text_row.append(f"{share:.0%}<br>{a}/{b}")
                marks.append((x, y, p, r, detail))
            else:
                z_row.append(None)
                text_row.append("")
        z.append(z_row)
        text.append(text_row)
    fig = go.Figure(go.Heatmap(
        z=z, x=xs, y=ys, text=text, texttemplate="%{text}", xgap=2, ygap=2, hoverinfo="skip",
        colorscale="Oranges", zmin=0, zmax=max(0.5, max((v for row in z for v in row if v is not None), default=0)),
        colorbar={"title": {"text": "share of the platform's articles", "side": "top"}, "tickformat": ".0%",
                  "orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom", "len": 0.5,
                  "thickness": 10},
    ))
    fig.add_trace(go.Scatter(
        x=[m[0] for m in marks], y=[m[1] for m in marks], mode="markers", showlegend=False, name="cells",
        marker={"size": 24, "opacity": 0, "color": "#000"},
        selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
        customdata=[[m[2], m[3], m[4]] for m in marks],
        hovertemplate="%{customdata[2]}<br><i>click for the sentences</i><extra></extra>",
    ))
    axis = {"tickmode": "array", "automargin": True, "tickfont": {"size": 12}, "fixedrange": True}
    fig.update_layout(height=max(320, 170 + 56 * len(row_ids)), hoverdistance=-1, clickmode="event+select",
                      dragmode=False,
                      yaxis={**axis, "tickvals": ys, "ticktext": ys, "autorange": "reversed",
                             "title": {"text": "threatened"}},
                      xaxis={**axis, "tickvals": xs, "ticktext": xs, "side": "bottom", "title": {"text": "by"}})
    return finish(fig, title)


def threat_trend_figure(df: pd.DataFrame, title: str = "") -> go.Figure:
    """Articles in which each rival threatens the platform, per month (quarter or year over long spans), stacked.

    One bar segment per rival in its platform colour (unnamed in light grey, on top), so "since when" reads off
    the first bar of a colour. "{period}" in the title becomes the bucket drawn.
    """
    if df.empty:
        return empty_figure("No competitive threats for this platform and these dates.")
    df = df.assign(month=pd.to_datetime(df["month"]))
    span = (df["month"].max().year - df["month"].min().year) * 12 + df["month"].max().month - df["month"].min().month
    freq, fmt, label = ("M", "%Y-%m", "month") if span <= 24 else ("Q", "%Y-Q%q", "quarter") if span <= 48 \
        else ("Y", "%Y", "year")
    data = (df.assign(month=df["month"].dt.to_period(freq).dt.start_time)
              .groupby(["month", "rival_id", "rival"], as_index=False)[["articles", "hits"]].sum())
    order = (data[data["rival_id"] != ""].groupby(["rival_id", "rival"])["articles"].sum()
             .sort_values(ascending=False).index.tolist())
    if (data["rival_id"] == "").any():
        order.append(("", UNNAMED))
    fig = go.Figure()
    for rid, name in order:
        part = data[data["rival_id"] == rid]
        fig.add_trace(go.Bar(
            x=part["month"], y=part["articles"], name=esc(name) if rid else f"{UNNAMED} rival",
            marker_color=colour(rid) if rid else UNNAMED_COLOUR,
            xperiod={"month": "M1", "quarter": "M3", "year": "M12"}[label], xperiodalignment="middle",
            customdata=part["hits"],
            hovertemplate=f"%{{x|{fmt}}}: %{{y}} articles · %{{customdata}} sentences<extra>%{{fullData.name}}</extra>",
        ))
    fig.update_layout(barmode="stack", height=360, bargap=0.15,
                      yaxis={"title": f"articles per {label}", "rangemode": "tozero",
                             **count_ticks(data.groupby("month")["articles"].sum())})
    fit_bucket_axis(fig, label, data["month"], stacked=True)
    return finish(fig, title.replace("{period}", label))
