"""Metric charts: one trace per platform (and unit), never splicing series from different sources."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from paylens.charts.events import add_event_markers, events_in_span
from paylens.charts.layout import empty_figure, finish
from paylens.charts.palette import CONFIDENCE_SYMBOLS, colour, dash
from paylens.charts.text import esc
from paylens.charts.time_axis import date_axis
from paylens.units import axis_title, format_value

# The platform is the same for every point of a trace, so it is written into the trace's template once rather
# than carried by each point (a third of a long series' hover data on the wire).
HOVER = ("<b>{platform}</b> {platform_zh}<br>%{{customdata[0]}}: <b>%{{customdata[1]}}</b><br>"
         "Source: %{{customdata[2]}} (%{{customdata[3]}})<br>Confidence: %{{customdata[4]}}<extra></extra>")


def hover_template(platform: str, platform_zh: str) -> str:
    """The hover template of one platform's trace, its names escaped (no markup, no template field)."""
    def safe(name: str) -> str:
        return esc(name).replace("%", "&#37;").replace("{", "&#123;").replace("}", "&#125;")

    return HOVER.format(platform=safe(platform), platform_zh=safe(platform_zh))


def _esc_column(values: pd.Series, missing: str | None = None) -> list[str]:
    """Escaped text of a column, each distinct value escaped once (a series repeats its publisher, dates)."""
    raw = values.to_numpy(dtype=object, na_value=None)
    if missing is not None:
        raw = [missing if v is None or v == "" else v for v in raw]
    cache: dict[object, str] = {}
    return [cache[v] if v in cache else cache.setdefault(v, esc(v)) for v in raw]


def hover_data(df: pd.DataFrame) -> list[tuple]:
    """Per row: period, formatted value, publisher, source date, confidence (the platform is in the template)."""
    n = len(df)
    if n == 0:
        return []
    values = df["value"].to_numpy(dtype=object, na_value=None)
    units = df["unit"].to_numpy(dtype=object, na_value=None)
    unit = units[0]
    formatted = ([format_value(v, unit) for v in values] if (units == unit).all()
                 else [format_value(v, u) for v, u in zip(values, units, strict=True)])
    return list(zip(
        _esc_column(df["period"]), formatted, _esc_column(df["source_publisher"]),
        _esc_column(df["source_date"], missing="n.d."),
        df["confidence"].to_numpy(dtype=object, na_value=None).tolist(), strict=True,
    ))


def gap_breaks(ends: pd.Series) -> list[bool]:
    """True before a point that follows a missing period (gap > 1.6x the usual spacing), so lines break there."""
    if len(ends) < 3:
        return [False] * len(ends)
    days = pd.to_datetime(ends).diff().dt.days
    usual = days.iloc[1:].median()
    return [bool(d > 1.6 * usual) if pd.notna(d) else False for d in days]


CALENDAR_KINDS = frozenset({"year", "half", "quarter", "month", "week"})


def calendar_breaks(starts: pd.Series, ends: pd.Series) -> list[bool]:
    """True before a calendar period that does not start right after the previous one ended (a missing period)."""
    gaps = (pd.to_datetime(starts) - pd.to_datetime(ends).shift()).dt.days
    return [bool(g > 1) if pd.notna(g) else False for g in gaps]


def series_breaks(series: pd.DataFrame) -> list[bool]:
    """Where a series' line breaks: by the calendar when its period kind has one, else by unusual spacing."""
    kinds = set(series["period_kind"]) if "period_kind" in series.columns else set()
    if len(kinds) == 1 and kinds <= CALENDAR_KINDS:
        return calendar_breaks(series["period_start"], series["period_end"])
    return gap_breaks(series["period_end"])


def _objects(items: list) -> np.ndarray:
    """A 1-d object array of exactly these items (tuples stay tuples): plotly validates it as one array."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _ends(series: pd.DataFrame) -> list:
    """period_end as the ISO text plotly's JSON encoder writes for each date (same JSON, cheaper to copy)."""
    return [None if v is None or v is pd.NaT else v.isoformat() if hasattr(v, "isoformat") else v
            for v in series["period_end"]]


def with_gaps(series: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and hover data with a None inserted at each gap: a line never bridges missing periods."""
    xs = _ends(series)
    ys = series["value"].tolist()
    cds = hover_data(series)
    for i in reversed([i for i, brk in enumerate(series_breaks(series)) if brk]):
        xs.insert(i, None)
        ys.insert(i, None)
        cds.insert(i, None)
    return _objects(xs), _objects(ys), _objects(cds)


def series_props(series: pd.DataFrame, joined: bool, showlegend: bool, size: int = 9) -> dict:
    """A scatter trace as a plain dict (validated once, by whoever builds the figure).

    One platform's points of one series in its colour, marker shape by confidence, gaps left open. The
    columns go in as object arrays, which plotly's validator takes whole instead of walking nested lists.
    """
    pid = str(series["platform_id"].iloc[0])
    if joined:
        xs, ys, cds = with_gaps(series)
    else:
        xs, ys, cds = _objects(_ends(series)), _objects(series["value"].tolist()), _objects(hover_data(series))
    shapes = [CONFIDENCE_SYMBOLS.get(c[4], "circle") if c else "circle" for c in cds]
    # One symbol for the whole trace when every point has the same confidence (the common case): no per-point array.
    symbols = shapes[0] if shapes and all(s == shapes[0] for s in shapes) else _objects(shapes)
    zh = series["platform_zh"].iloc[0]
    return {
        "type": "scatter", "x": xs, "y": ys, "name": esc(series["platform"].iloc[0]), "connectgaps": False,
        "legendgroup": pid, "showlegend": showlegend, "mode": "lines+markers" if joined else "markers",
        "line": {"color": colour(pid), "dash": dash(pid), "width": 2.5 if size > 8 else 2},
        "marker": {"color": colour(pid), "size": size, "symbol": symbols},
        "customdata": cds,
        "hovertemplate": hover_template(str(series["platform"].iloc[0]), "" if pd.isna(zh) else str(zh)),
    }


def series_trace(series: pd.DataFrame, joined: bool, showlegend: bool, size: int = 9) -> go.Scatter:
    """One platform's points of one series in its colour, marker shape by confidence, gaps left open."""
    props = series_props(series, joined, showlegend, size)
    del props["type"]
    return go.Scatter(**props)


KIND_WORDS = {"year": "yearly", "half": "half-yearly", "quarter": "quarterly", "month": "monthly", "week": "weekly",
              "day": "daily", "point": "point in time", "span": "other spans"}
KIND_DASH = {"year": "solid", "half": "dashdot", "quarter": "dot", "month": "dash", "week": "longdash"}


def series_keys(df: pd.DataFrame) -> pd.DataFrame:
    """The columns that make a series beside the platform: metric, unit and period kind (if the frame has it)."""
    kind = df["period_kind"] if "period_kind" in df.columns else pd.Series("", index=df.index)
    return df.assign(period_kind=kind.fillna(""))


def series_name(platform: str, metric_label: str, kind: str, several_metrics: bool, several_kinds: bool) -> str:
    """'Alipay', 'Alipay · quarterly' or 'Alipay · iResearch': only the parts that tell the lines apart."""
    parts = [platform]
    if several_metrics:
        firm = metric_label[metric_label.rfind("(") + 1:-1] if metric_label.endswith(")") else metric_label
        parts.append(firm)
    if several_kinds and kind:
        parts.append(KIND_WORDS.get(kind, kind))
    return " · ".join(parts)


def metric_figure(df: pd.DataFrame, events: pd.DataFrame | None = None, title: str = "") -> go.Figure:
    """Values over time per platform; one subplot per unit; lines only where one firm publishes the series.

    A line is one platform's values of one metric, unit and period kind: yearly and quarterly totals, or two
    research firms' shares, are separate lines named apart, never one zig-zag.
    """
    if df.empty:
        return empty_figure("No values for this metric with the current filters.")
    df = series_keys(df)
    units = list(dict.fromkeys(df["unit"]))
    several_metrics = df["metric"].nunique() > 1
    several_kinds = df["period_kind"].nunique() > 1
    fig = make_subplots(rows=len(units), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[axis_title(u) for u in units] if len(units) > 1 else None)
    legend: set[str] = set()
    traces: list[dict] = []
    rows: list[int] = []
    metrics_order = list(dict.fromkeys(df["metric"]))
    for row, unit in enumerate(units, start=1):
        part = df[df["unit"] == unit]
        for (metric, pid, kind), series in part.groupby(["metric", "platform_id", "period_kind"], sort=False):
            series = series.sort_values("period_end")
            # A metric named after a research firm is one consistent series; otherwise points come from
            # different publishers and joining them would splice sources, so they stay unconnected.
            joined = series["research_firm"].notna().all()
            name = esc(series_name(str(series["platform"].iloc[0]), str(series["metric_label"].iloc[0]), kind,
                                   several_metrics, several_kinds))
            line_dash = KIND_DASH.get(kind, "solid") if several_kinds or several_metrics else dash(pid)
            if several_metrics:
                line_dash = ("solid", "dash", "dot", "dashdot")[metrics_order.index(metric) % 4]
            group = f"{pid}|{metric}|{kind}" if several_metrics or several_kinds else pid
            props = series_props(series, joined, showlegend=False)
            props.update(name=name, legendgroup=group)
            props["line"] = {**props["line"], "dash": line_dash}
            traces.append(props)
            rows.append(row)
            if group not in legend:
                # Legend entry of its own: the data trace's first marker shape would read as its confidence.
                legend.add(group)
                traces.append({"type": "scatter", "x": [None], "y": [None], "name": name, "legendgroup": group,
                               "mode": "lines+markers" if joined else "markers",
                               "line": {"color": colour(pid), "dash": line_dash},
                               "marker": {"color": colour(pid), "symbol": "circle"}})
                rows.append(1)
    # one validation pass for every trace (add_trace per trace re-validates the figure's data each time)
    fig.add_traces(traces, rows=rows, cols=[1] * len(rows))
    for row, unit in enumerate(units, start=1):
        fig.update_yaxes(title_text=axis_title(unit), row=row, col=1, rangemode="tozero")
    fig.update_xaxes(**date_axis(df["period_end"]))
    if len(units) == 1:
        add_event_markers(fig, events_in_span(events, df["period_start"].min(), df["period_end"].max()))
    fig.update_layout(height=max(420, 300 * len(units)))
    return finish(fig, title)
