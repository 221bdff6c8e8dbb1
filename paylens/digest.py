"""What changed in a window: new articles, signal shares that moved, new metric values and events.

Pure core (no streamlit): `make_digest` reads the store through named queries (digest_articles,
digest_signal_shift, digest_metrics, events); `to_markdown`, `to_html` and `to_json` render it. An article
belongs to a window by the day it was added (`fetched_at`, for articles fetched from a URL or feed) or else
by its own date. A platform x signal "moved" when its share of the platform's articles changed by at least
MIN_SHIFT against the previous window of the same length; with fewer than MIN_ARTICLES articles of that
platform in either window no percentage is given and the counts alone decide (and are shown).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

import duckdb
import pandas as pd

from paylens import queries
from paylens.errors import InputError
from paylens.signals.taxonomy import SIGNAL_LABELS
from paylens.units import format_value
from paylens.wording import counted

MIN_ARTICLES = 5      # below this many articles of a platform in a window, counts only, no percentage
MIN_SHIFT = 0.10      # a share must move by 10 percentage points to be reported
MAX_METRICS = 200
SIGNAL_WORDS = SIGNAL_LABELS  # the dashboard's labels, one source (paylens.signals.taxonomy)
FORMATS = ("md", "html", "json")


@dataclass(frozen=True)
class Shift:
    """One platform x signal in both windows: articles showing it out of the platform's articles."""

    platform_id: str
    platform: str
    signal: str
    cur_articles: int
    cur_total: int
    prev_articles: int
    prev_total: int
    cur_share: float | None     # None when either window has fewer than MIN_ARTICLES of the platform's articles
    prev_share: float | None

    @property
    def change(self) -> float:
        """Share change in points (0..1) when both shares are given, else the change in article counts."""
        if self.cur_share is not None and self.prev_share is not None:
            return self.cur_share - self.prev_share
        return float(self.cur_articles - self.prev_articles)

    @property
    def label(self) -> str:
        return SIGNAL_WORDS.get(self.signal, self.signal)

    @property
    def counts_only(self) -> bool:
        return self.cur_share is None or self.prev_share is None

    def describe(self) -> str:
        """'Alipay · Touchless & subsidies: 62% (5 of 8 articles), previously 29% (2 of 7)' or counts only."""
        now = _of(self.cur_articles, self.cur_total)
        before = _of(self.prev_articles, self.prev_total)
        if self.counts_only:
            return f"{self.platform} · {self.label}: {now}, previously {before} (too few articles for a share)"
        return (f"{self.platform} · {self.label}: {self.cur_share:.0%} ({now}), "
                f"previously {self.prev_share:.0%} ({before})")


def _of(n: int, total: int) -> str:
    return f"{n} of {total} articles" if total else "no articles"


@dataclass
class Digest:
    """Everything that changed between since and until (inclusive), against the window before."""

    since: date
    until: date
    prev_from: date
    prev_to: date
    articles: list[dict] = field(default_factory=list)
    strengthening: list[Shift] = field(default_factory=list)
    weakening: list[Shift] = field(default_factory=list)
    metrics: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing was added in the window (no article, metric value or event)."""
        return not (self.articles or self.metrics or self.events)


def window(since: date, until: date | None = None) -> tuple[date, date, date, date]:
    """The window and the previous one of the same length; until defaults to today."""
    until = until or date.today()
    if until < since:
        raise InputError(f"digest:1: --until {until} is before --since {since}")
    days = (until - since).days + 1
    return since, until, since - timedelta(days=days), since - timedelta(days=1)


def classify(row: dict) -> Shift | None:
    """The row as a Shift if it moved enough to report, else None."""
    small = row["cur_total"] < MIN_ARTICLES or row["prev_total"] < MIN_ARTICLES
    shift = Shift(row["platform_id"], row["platform"], row["signal"], int(row["cur_articles"]),
                  int(row["cur_total"]), int(row["prev_articles"]), int(row["prev_total"]),
                  None if small else float(row["cur_share"]), None if small else float(row["prev_share"]))
    if small:
        return shift if shift.cur_articles != shift.prev_articles else None
    return shift if abs(shift.change) >= MIN_SHIFT - 1e-9 else None


def _records(df: pd.DataFrame) -> list[dict]:
    out = []
    for rec in df.to_dict("records"):
        out.append({k: (None if _missing(v) else v.date() if isinstance(v, pd.Timestamp) else v)
                    for k, v in rec.items()})
    return out


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def make_digest(con: duckdb.DuckDBPyConnection, since: date, until: date | None = None,
                competitors: Sequence[str] = ()) -> Digest:
    """Read what changed in [since, until] from the store."""
    since, until, prev_from, prev_to = window(since, until)
    params = {"from": since, "to": until, "competitors": list(competitors)}
    digest = Digest(since, until, prev_from, prev_to)
    digest.articles = _records(queries.run(con, "digest_articles", params))
    digest.metrics = _records(queries.run(con, "digest_metrics", {**params, "limit": MAX_METRICS}))
    digest.events = _records(queries.run(con, "events", params))
    if digest.empty:
        return digest
    shifts = [s for s in map(classify, queries.run(con, "digest_signal_shift", params).to_dict("records")) if s]
    order = lambda s: (s.counts_only, -abs(s.change), s.platform, s.signal)  # noqa: E731 (shares first, biggest first)
    digest.strengthening = sorted((s for s in shifts if s.change > 0), key=order)
    digest.weakening = sorted((s for s in shifts if s.change < 0), key=order)
    return digest


# ---- rendering -------------------------------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|#~])")


def md_text(text: object) -> str:
    """Untrusted text for pasted Markdown: markup characters backslash-escaped, on one line."""
    return _MD_ESCAPE.sub(r"\\\1", " ".join(str(text or "").split()))


def safe_url(url: object) -> str | None:
    """An http(s) URL with the characters that would end a Markdown link encoded; None for anything else."""
    text = str(url or "").strip()
    if not re.match(r"^https?://[^\s]+$", text, flags=re.IGNORECASE):
        return None
    return quote(text, safe=":/?#@!$&'*+,;=%-._~")  # encodes ( ) [ ] < > " and spaces


def _heading(d: Digest) -> str:
    return f"What changed {d.since} to {d.until}"


def _article_line(a: dict) -> tuple[str, str]:
    added = a.get("added_on")
    fetched = f"added {added}" if added and added != a.get("date") else None
    meta = ", ".join(str(x) for x in (a.get("publisher"), a.get("date"), fetched) if x)
    return str(a.get("title") or "Untitled"), meta


def metric_text(m: dict) -> str:
    """'Alipay · AI pay users 2026-02: 100m users': a new metric value as the Metrics page words it (not escaped)."""
    return f"{m['platform']} · {m['label']} {m['period']}: {format_value(m['value'], str(m['unit']))}"


def to_markdown(d: Digest) -> str:
    """Markdown for an email or chat message."""
    lines = [f"## {_heading(d)}", ""]
    if d.empty:
        lines.append(f"Nothing new between {d.since} and {d.until}: no articles, metric values or events.")
        return "\n".join(lines) + "\n"
    lines += [f"Compared with {d.prev_from} to {d.prev_to}.", "", "### New", ""]
    if d.articles:
        lines.append(f"**{counted(len(d.articles), 'article')}**")
        lines.append("")
        for a in d.articles:
            title, meta = _article_line(a)
            url = safe_url(a.get("url"))
            link = f"[{md_text(title)}]({url})" if url else md_text(title)
            lines.append(f"- {link}" + (f" ({md_text(meta)})" if meta else ""))
        lines.append("")
    if d.metrics:
        lines.append(f"**{counted(len(d.metrics), 'metric value')}**")
        lines.append("")
        for m in d.metrics:
            url = safe_url(m.get("source_url"))
            source = md_text(m.get("source_publisher"))
            lines.append(f"- {md_text(metric_text(m))} ({f'[{source}]({url})' if url else source})")
        lines.append("")
    if d.events:
        lines.append(f"**{counted(len(d.events), 'event')}**")
        lines.append("")
        for e in d.events:
            lines.append(f"- {e['date']} · {md_text(e['platform'])}: {md_text(e['title'])}")
        lines.append("")
    for name, shifts in (("Strengthening", d.strengthening), ("Weakening", d.weakening)):
        if shifts:
            lines += [f"### {name}", ""] + [f"- {md_text(s.describe())}" for s in shifts] + [""]
    return "\n".join(lines).rstrip() + "\n"


def to_html(d: Digest) -> str:
    """A standalone HTML fragment; every value is escaped with html.escape."""
    e = html.escape
    out = [f"<h2>{e(_heading(d))}</h2>"]
    if d.empty:
        out.append(f"<p>Nothing new between {d.since} and {d.until}: no articles, metric values or events.</p>")
        return "\n".join(out) + "\n"
    out += [f"<p>Compared with {d.prev_from} to {d.prev_to}.</p>", "<h3>New</h3>"]
    if d.articles:
        out.append(f"<p><strong>{counted(len(d.articles), 'article')}</strong></p>")
        out.append("<ul>")
        for a in d.articles:
            title, meta = _article_line(a)
            url = safe_url(a.get("url"))
            link = f'<a href="{e(url)}">{e(title)}</a>' if url else e(title)
            out.append(f"<li>{link}" + (f" ({e(meta)})" if meta else "") + "</li>")
        out.append("</ul>")
    if d.metrics:
        out.append(f"<p><strong>{counted(len(d.metrics), 'metric value')}</strong></p>")
        out.append("<ul>")
        for m in d.metrics:
            url = safe_url(m.get("source_url"))
            source = e(str(m.get("source_publisher") or ""))
            src = f'<a href="{e(url)}">{source}</a>' if url else source
            out.append(f"<li>{e(metric_text(m))} ({src})</li>")
        out.append("</ul>")
    if d.events:
        out.append(f"<p><strong>{counted(len(d.events), 'event')}</strong></p>")
        out.append("<ul>")
        out += [f"<li>{e(str(ev['date']))} · {e(str(ev['platform']))}: {e(str(ev['title']))}</li>" for ev in d.events]
        out.append("</ul>")
    for name, shifts in (("Strengthening", d.strengthening), ("Weakening", d.weakening)):
        if shifts:
            out += [f"<h3>{name}</h3>", "<ul>"] + [f"<li>{e(s.describe())}</li>" for s in shifts] + ["</ul>"]
    return "\n".join(out) + "\n"


def to_dict(d: Digest) -> dict:
    """The digest as plain JSON-ready data."""
    def shift(s: Shift) -> dict:
        return {**asdict(s), "label": s.label, "change": round(s.change, 4)}

    return {
        "since": d.since.isoformat(), "until": d.until.isoformat(),
        "previous": {"since": d.prev_from.isoformat(), "until": d.prev_to.isoformat()},
        "empty": d.empty,
        "articles": [{k: a.get(k) for k in ("title", "url", "publisher", "date", "added_on", "lang", "article_id",
                                            "platforms", "signals")} for a in d.articles],
        "strengthening": [shift(s) for s in d.strengthening],
        "weakening": [shift(s) for s in d.weakening],
        "metrics": d.metrics,
        "events": d.events,
    }


def to_json(d: Digest) -> str:
    """JSON for scripts: each new article with its url, the shifts with their counts, metrics and events."""
    return json.dumps(to_dict(d), ensure_ascii=False, indent=2, default=str) + "\n"


def render(d: Digest, fmt: str) -> str:
    """The digest in md, html or json."""
    if fmt not in FORMATS:
        raise InputError(f"digest:1: --format {fmt!r}: use one of {', '.join(FORMATS)}")
    return {"md": to_markdown, "html": to_html, "json": to_json}[fmt](d)
