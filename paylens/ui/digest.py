"""The "What changed" panel for Overview: the digest of a recent window, rendered escaped, with downloads."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.digest import Digest, Shift, make_digest, metric_text, safe_url, to_html, to_json, to_markdown
from paylens.ui.filters import Filters, url_choice
from paylens.ui.store import db_path, handle
from paylens.wording import counted

WINDOWS = {"7": "Last 7 days", "30": "Last 30 days", "90": "Last 90 days", "365": "Last 365 days"}
DEFAULT_WINDOW = "30"
SHOWN = 10


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _digest(since: date, until: date, competitors: tuple[str, ...], build: str, path: str) -> Digest:
    """`build` (the store's build id) is only part of the cache key, so a rebuild recomputes the digest."""
    con, _ = handle(path).current()
    return make_digest(con, since, until, competitors)


def digest_for(f: Filters, days: int, today: date | None = None) -> Digest:
    """The digest of the last `days` days up to today (or the sidebar's end date, if earlier)."""
    until = min(today or date.today(), f.date_to)
    since = until - timedelta(days=days - 1)
    path = db_path()
    _, build = handle(path).current()
    return _digest(since, until, tuple(f.competitors), build, path)


def _freshness() -> str:
    """' The newest article is dated 2026-06-23; the last one fetched came in 2026-12-01.' (or nothing)."""
    from paylens.errors import PaylensError
    from paylens.ui.store import run

    try:
        row = run("corpus_freshness").iloc[0]
    except (PaylensError, IndexError):
        return ""
    parts = []
    if row["newest_article"] is not None and not pd.isna(row["newest_article"]):
        parts.append(f"the newest article is dated {str(row['newest_article'])[:10]}")
    if row["last_fetched"] is not None and not pd.isna(row["last_fetched"]):
        parts.append(f"the last one fetched came in {str(row['last_fetched'])[:10]}")
    return (" " + "; ".join(parts).capitalize() + ".") if parts else ""


def _shift_line(s: Shift) -> str:
    return escape_markdown(s.describe())


def what_changed(f: Filters, today: date | None = None) -> dict[str, str]:
    """Render the panel; returns its URL parameter (`changed`: window in days) for the page's sync_url."""
    st.subheader("What changed")
    days = url_choice("Window", "changed", list(WINDOWS), DEFAULT_WINDOW, format_func=WINDOWS.get,
                      help="Articles added, metric values and events in the window, and platform x signal "
                           "shares that moved against the window of the same length before it.") or DEFAULT_WINDOW
    d = digest_for(f, int(days), today)
    if d.empty:
        st.info(f"Nothing new between {d.since} and {d.until}: no articles, metric values or events "
                f"for the chosen competitors.{_freshness()} A longer window may show more.", icon=":material/info:")
        return {"changed": days if days != DEFAULT_WINDOW else ""}
    st.caption(f"{d.since} to {d.until}, compared with {d.prev_from} to {d.prev_to}. Shares are given only when "
               "a platform has at least 5 articles in both windows; otherwise the counts.")
    new, up, down = st.columns(3)
    new.metric("New articles", len(d.articles))
    up.metric("Strengthening", len(d.strengthening))
    down.metric("Weakening", len(d.weakening))
    with st.expander(f"New: {counted(len(d.articles), 'article')}, {counted(len(d.metrics), 'metric value')}, "
                     f"{counted(len(d.events), 'event')}",
                     expanded=bool(d.articles)):
        for a in d.articles[:SHOWN]:
            title = escape_markdown(str(a.get("title") or "Untitled"))
            url = safe_url(a.get("url"))
            meta = escape_markdown(", ".join(str(x) for x in (a.get("publisher"), a.get("date")) if x))
            st.markdown(f"- {f'[{title}]({url})' if url else title} · {meta}")
        if len(d.articles) > SHOWN:
            st.caption(f"and {len(d.articles) - SHOWN} more (in the downloads)")
        for m in d.metrics[:SHOWN]:
            # as the Markdown download words it: the value in the unit's words, the publisher linked to the source
            url = safe_url(m.get("source_url"))
            source = escape_markdown(str(m.get("source_publisher") or ""))
            st.markdown(f"- {escape_markdown(metric_text(m))} ({f'[{source}]({url})' if url else source})")
        if len(d.metrics) > SHOWN:
            st.caption(f"and {len(d.metrics) - SHOWN} more metric values (in the downloads)")
        for e in d.events[:SHOWN]:
            st.markdown("- " + escape_markdown(f"{e['date']} · {e['platform']}: {e['title']}"))
    for name, shifts in (("Strengthening", d.strengthening), ("Weakening", d.weakening)):
        if shifts:
            with st.expander(f"{name}: {len(shifts)} platform x signal"):
                for s in shifts[:SHOWN]:
                    st.markdown("- " + _shift_line(s))
                if len(shifts) > SHOWN:
                    st.caption(f"and {len(shifts) - SHOWN} more (in the downloads)")
    stem = f"paylens_digest_{d.since}_{d.until}"
    md, html_col, js = st.columns(3)
    md.download_button("Markdown", to_markdown(d), f"{stem}.md", "text/markdown", key="dl_digest_md",
                       on_click="ignore", icon=":material/download:")
    html_col.download_button("HTML", to_html(d), f"{stem}.html", "text/html", key="dl_digest_html",
                             on_click="ignore", icon=":material/download:")
    js.download_button("JSON", to_json(d), f"{stem}.json", "application/json", key="dl_digest_json",
                       on_click="ignore", icon=":material/download:")
    return {"changed": days if days != DEFAULT_WINDOW else ""}
