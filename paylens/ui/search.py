"""The full-text search box: one text input (URL `q`), optional filters, results as escaped cards."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.charts.signals import SIGNAL_LABELS
from paylens.config import settings
from paylens.digest import safe_url
from paylens.errors import QueryFailedError
from paylens.search.engine import MAX_QUERY_CHARS, QUERY, run_deepening
from paylens.ui.filters import Filters, initial, platform_names, url_choice
from paylens.ui.store import distinct, run
from paylens.ui.widgets import download_csv, empty_state, show_error
from paylens.wording import counted

STANCES = ("positive", "negative", "neutral")
STANCE_WORDS = {"positive": "positive", "negative": "negative", "neutral": "neutral"}
SHOWN = 20          # cards drawn; the CSV gives every result fetched
FETCHED = 200       # results fetched per query
URL_PARAMS = ("q", "q_platform", "q_signal", "q_stance", "q_publisher")


@st.cache_resource(show_spinner=False)
def tokenizer(lexicon_dir: str):
    """The index's tokenizer (jieba with the lexicon's terms), loaded once per process."""
    from paylens.search.tokenize import Tokenizer

    return Tokenizer.from_lexicon(Path(lexicon_dir))


def _query_text(where: str) -> str:
    """The search text input, started from the URL's `q` and remembered across pages (v_q)."""
    key, wkey = "v_q", f"w_q_{where}"
    if key not in st.session_state:
        st.session_state[key] = (initial("q") or "")[:MAX_QUERY_CHARS]
    if wkey not in st.session_state:
        st.session_state[wkey] = st.session_state[key]
    text = st.text_input("Search sentences and titles", key=wkey, max_chars=MAX_QUERY_CHARS,
                         placeholder="碰一下, tap to pay, 支小宝, regulators fine ...",
                         help="English and Chinese alike (simplified or traditional); words are matched, "
                              "best matches first.")
    st.session_state[key] = text
    return text.strip()


def _filters(f: Filters, fixed: Mapping[str, str]) -> dict[str, str]:
    """Platform, signal, stance and publisher choices (those not fixed by the page), each in the URL."""
    names = platform_names()
    chosen: dict[str, str] = {}
    cols = st.columns(4)
    platforms = [""] + [p for p in (f.competitors or list(names))]
    if "platform" not in fixed:
        chosen["platform"] = url_choice("Platform", "q_platform", platforms, "", where=cols[0],
                                        format_func=lambda p: names.get(p, p) if p else "Any chosen platform") or ""
    if "signal" not in fixed:
        chosen["signal"] = url_choice("Signal", "q_signal", [""] + list(SIGNAL_LABELS), "", where=cols[1],
                                      format_func=lambda s: SIGNAL_LABELS.get(s, s) if s else "Any signal") or ""
    if "stance" not in fixed:
        chosen["stance"] = url_choice("Stance", "q_stance", ["", *STANCES], "", where=cols[2],
                                      format_func=lambda s: s or "Any stance") or ""
    if "publisher" not in fixed:
        publishers = [""] + distinct("article_publishers", "publisher")
        chosen["publisher"] = url_choice("Publisher", "q_publisher", publishers, "", where=cols[3],
                                         format_func=lambda p: p or "Any publisher") or ""
    return chosen


def result_caption(row: pd.Series, names: Mapping[str, str]) -> str:
    """'Alipay · Touchless & subsidies · positive · 36Kr · 2025-01-18' (escaped; words, not ids)."""
    parts = []
    if isinstance(row.get("platform_id"), str):
        parts.append(names.get(row["platform_id"], row["platform_id"]))
        parts.append(SIGNAL_LABELS.get(row["signal"], row["signal"]))
        parts.append(STANCE_WORDS.get(row["stance"], row["stance"]))
    else:
        parts.append("the article's title" if row.get("is_title") else "no signal in this sentence")
    publisher = row.get("publisher")
    parts.append(publisher if isinstance(publisher, str) and publisher else "unknown publisher")
    day = row.get("date")
    parts.append(str(day)[:10] if day is not None and not pd.isna(day) else "undated")
    return escape_markdown(" · ".join(str(p) for p in parts))


def article_link(row: pd.Series) -> str:
    """Markdown links to the article in PayLens and to its source (http/https only), text escaped."""
    title = escape_markdown(str(row.get("title") or "Untitled"))
    links = [f"[{title}](/articles?article={row['article_id']})"]  # article ids are hex digits
    url = safe_url(row.get("url"))
    if url:
        links.append(f"[source]({url})")
    return " · ".join(links)


def search_box(f: Filters, where: str = "articles", fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Search box with results; returns its URL parameters (q, q_platform, ...) for the page's sync_url.

    `where` keeps the widget keys apart per page; `fixed` pins filters the page already chose (say
    {"signal": "ai_assistant"} on Signals), which then get no selectbox of their own.
    """
    fixed = dict(fixed or {})
    text = _query_text(where)
    chosen = _filters(f, fixed)
    url = {"q": text, **{f"q_{k}": v for k, v in chosen.items() if v}}
    if not text:
        st.caption("Type a word or phrase to search every sentence and title in the corpus.")
        return url
    tk = tokenizer(str(settings().data_dir / "lexicon"))
    terms = tk.query_terms(text)
    if not terms:
        empty_state("Nothing to search for: the query has only very common words (the, of, and ...).")
        return url
    params = {**f.params(), **{k: v for k, v in {**chosen, **fixed}.items() if v}, "terms": terms,
              "limit": FETCHED}
    try:
        results = run_deepening(lambda p: run(QUERY, p), params)
    except QueryFailedError as exc:  # a store built before the index existed
        show_error(exc)
        return url
    if results.empty:
        empty_state("No sentence or title matches in these filters. Try fewer words, another spelling, "
                    "or widen the dates and competitors in the sidebar.")
        return url
    names = platform_names()
    more = " (the best ones; the CSV has all)" if len(results) > SHOWN else ""
    st.caption(escape_markdown(f"{counted(len(results), 'result')}{more}, best match first."))
    for _, row in results.head(SHOWN).iterrows():
        with st.container(border=True):
            st.markdown(escape_markdown(" ".join(str(row["sentence"]).split())))
            st.caption(result_caption(row, names))
            st.markdown(article_link(row))
    download_csv(results, "search", f, "q", key=f"dl_search_{where}",
                 help=f"All {len(results)} results fetched for this query and these filters")
    return url
