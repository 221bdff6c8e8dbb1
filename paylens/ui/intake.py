"""Intake widgets: "Add from URL" with a preview, the Intake section (feeds, runs, freshness), "also in" links.

Every piece of page text (titles, bodies, publishers, URLs, error messages) is untrusted: it is shown
escaped (escape_markdown, safe_link) or in a dataframe, never as HTML.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.charts.tables import readable_hits
from paylens.config import settings
from paylens.errors import PaylensError
from paylens.signals.articles import parse_article_bytes
from paylens.ui.evidence import evidence_cards, safe_link
from paylens.ui.filters import platform_names
from paylens.ui.store import extractor, run
from paylens.ui.widgets import show_error
from paylens.web.freshness import freshness_line

PREVIEW_CHARS = 4000


def url_box(key: str = "url_box") -> None:
    """"Add from URL": fetch a page, preview what was extracted and its signals, then add it like the CLI does."""
    from paylens.web.intake import fetch_page, ingest_urls, known_url, load_corpus

    if settings().read_only:
        st.caption("This dashboard is read-only (PAYLENS_READ_ONLY=1): adding from a URL is off.")
        return
    cfg = settings()
    url = st.text_input("Add from URL", key=f"{key}_url", placeholder="https://… a news article about a platform")
    if st.button("Fetch", key=f"{key}_fetch", disabled=not url.strip()):
        st.session_state.pop(f"{key}_page", None)
        with st.spinner("Fetching and extracting…"):
            try:
                st.session_state[f"{key}_page"] = fetch_page(url.strip())
            except PaylensError as exc:
                show_error(exc)
                return
    page = st.session_state.get(f"{key}_page")
    if page is None or page.requested_url != url.strip():
        return
    st.markdown(f"**{escape_markdown(page.title or 'Untitled')}**")
    st.caption(" · ".join([escape_markdown(page.publisher), escape_markdown(page.date or "no date on the page"),
                           escape_markdown(page.lang),
                           f"{len(page.body):,} characters", safe_link(page.url, "source")]))
    with st.expander("Extracted text", expanded=False):
        text = page.body if len(page.body) <= PREVIEW_CHARS else page.body[:PREVIEW_CHARS] + " …"
        st.markdown(escape_markdown(text).replace("\n", "  \n"))
    try:
        art = parse_article_bytes(page.article_bytes(), page.file_name)
    except PaylensError as exc:
        show_error(exc)
        return
    hits = extractor(str(cfg.data_dir / "lexicon")).extract_article(art)
    st.markdown(f"{len(hits)} signal hits")
    if hits:
        evidence_cards(readable_hits(pd.DataFrame(list(hits)), platform_names()), key=f"{key}_hits")
    corpus = load_corpus(cfg.data_dir)
    original = known_url(corpus, page.requested_url, page.url)
    if original:
        st.info(f"Already in the corpus as {escape_markdown(original)}; nothing to add.")
        return
    match = corpus.index.best(page.body)
    if match:
        st.info(f"Same story as {escape_markdown(match.key)} (similarity {match.score:.2f}): adding records this "
                "URL as another source of that article.")
    if st.button("Add to corpus", type="primary", key=f"{key}_add"):
        try:
            result = ingest_urls(cfg, [page.requested_url], fetcher=lambda _url: page)  # the CLI's path
        except PaylensError as exc:
            show_error(exc)
            return
        outcome = result.outcomes[0]
        st.session_state.pop(f"{key}_page", None)
        if outcome.status == "added":
            st.success(f"Added as data/articles/{escape_markdown(outcome.file)}; the store was rebuilt.")
        elif outcome.status == "also_in":
            st.success(f"Recorded as another source of {escape_markdown(outcome.file)}.")
        else:
            st.info(f"Already in the corpus as {escape_markdown(outcome.file)}.")


def freshness() -> None:
    """One caption: "newest article YYYY-MM-DD, last feed run N h ago"."""
    row = run("corpus_freshness").iloc[0]
    st.caption(freshness_line(row["newest_article"], row["last_feed_run"]))


def intake_section(limit: int = 50) -> None:
    """The feeds of data/feeds.toml, the last runs with their errors, and how fresh the corpus is."""
    from paylens.web.feeds import FEEDS_FILE, load_feeds

    freshness()
    path = settings().data_dir / FEEDS_FILE
    try:
        feeds = pd.DataFrame([vars(f) for f in load_feeds(path)]) if path.exists() else pd.DataFrame()
    except PaylensError as exc:
        show_error(exc)
        feeds = pd.DataFrame()
    st.markdown(f"**Feeds** ({len(feeds)}) · `paylens watch --once` reads them; see README, Keeping it current")
    if not feeds.empty:
        st.dataframe(feeds, hide_index=True, width="stretch", key="intake_feeds",
                     column_config={"name": "Feed", "url": st.column_config.LinkColumn("Address")})
    runs = run("feed_runs", {"limit": limit})
    if runs.empty:
        st.caption("No feed run yet.")
        return
    st.markdown("**Last runs**")
    st.dataframe(runs.drop(columns=["feed_url"]), hide_index=True, width="stretch", key="intake_runs",
                 column_config={"run_at": st.column_config.DatetimeColumn("Run (UTC)"), "feed": "Feed",
                                "items_seen": "Items", "added": "Added", "skipped_duplicate": "Duplicates",
                                "skipped_off_topic": "Off topic", "errors": "Errors",
                                "error_detail": "Error messages"})


def also_in(article_id: str) -> None:
    """ "Also in N sources" with their links, under an article (nothing when it ran nowhere else)."""
    sources = run("article_sources", {"article_id": article_id})
    if sources.empty:
        return
    links = [safe_link(r.url, str(r.publisher or r.url)) for r in sources.itertuples()]
    st.caption(f"Also in {len(sources)} source{'s' if len(sources) != 1 else ''}: " + ", ".join(links))
