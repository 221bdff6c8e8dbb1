"""Evidence as readable cards: the whole sentence, who it was given to, signal and stance in words, its source."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.charts.tables import readable_hits
from paylens.snapshot import EVIDENCE_LIMIT
from paylens.ui.widgets import empty_state
from paylens.wording import counted

STANCE_BADGE = {"positive": "blue", "negative": "red", "neutral": "gray"}  # the heatmap's colour-blind-safe pair
PER_PAGE = 20


def safe_link(url: object, text: str) -> str:
    """A Markdown link to an http(s) URL with its text escaped; anything else gives the text alone."""
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        return escape_markdown(text)
    return f"[{escape_markdown(text)}]({quote(url, safe=':/?&=#%@+,;~')})"


def card_meta(row: pd.Series) -> str:
    """The card's second line: platform, signal, stance as badges, then rival, publisher, date and article link."""
    parts = [f":violet-badge[{escape_markdown(str(row['platform']))}]",
             f":orange-badge[{escape_markdown(str(row['signal_label']))}]",
             f":{STANCE_BADGE.get(row['stance'], 'gray')}-badge[{escape_markdown(str(row['stance']))}]"]
    if row.get("rival_name"):
        parts.append(f"threatened by **{escape_markdown(str(row['rival_name']))}**")
    source = [escape_markdown(str(row[c])) for c in ("publisher",) if c in row and isinstance(row[c], str) and row[c]]
    if "date" in row and pd.notna(row["date"]):
        source.append(str(row["date"])[:10])
    if "url" in row or "title" in row:
        source.append(safe_link(row.get("url"), str(row.get("title") or "article")))
    return " ".join(parts) + (" · " + " · ".join(source) if source else "")


def why(row: pd.Series) -> str:
    """Why the hit went to its platform: an analyst's move, the name found in the sentence, or the subject."""
    from paylens.config import settings
    from paylens.signals.attribution import attribution
    from paylens.ui.store import lexicon

    pid = row.get("platform_id")
    if not isinstance(pid, str) or not pid:
        return ""
    moved_by = row.get("moved_by")
    if isinstance(moved_by, str) and moved_by:
        return f'moved here from another platform by {moved_by} ("{row.get("moved_why") or ""}")'
    return attribution(str(row["evidence"]), pid, lexicon(str(settings().data_dir / "lexicon")))


def evidence_cards(df: pd.DataFrame, key: str = "evidence", correctable: bool = False) -> None:
    """One bordered card per sentence, PER_PAGE to a page (a pager appears when there are more).

    `correctable` adds a "Correct" popover to cards that name a stored hit (not to previews of uploads).
    """
    if df.empty:
        return
    pages = max(1, -(-len(df) // PER_PAGE))
    page = 1
    if pages > 1:
        page = st.selectbox("Sentences", range(1, pages + 1), key=f"{key}_page",
                            format_func=lambda p: f"{(p - 1) * PER_PAGE + 1}–{min(p * PER_PAGE, len(df))} "
                                                  f"of {len(df)}")
    for i, (_, row) in enumerate(df.iloc[(page - 1) * PER_PAGE: page * PER_PAGE].iterrows()):
        with st.container(border=True, key=f"{key}_card_{i}"):  # the key marks cards for tests and styling
            st.markdown(escape_markdown(str(row["evidence"])))
            st.markdown(card_meta(row))
            reason = why(row)
            if reason:
                st.caption(escape_markdown(f"Why {row['platform']}: {reason}"))
            if correctable:
                from paylens.ui.corrections import correct_popover

                correct_popover(row, f"{key}_fix_{i}")


def count_line(n: int, limit: int = EVIDENCE_LIMIT) -> str:
    """"12 sentences, newest first. …" above evidence cards: one sentence, or the cap when the list was cut."""
    cut = f" (the newest {limit})" if n >= limit else ""
    return f"{counted(n, 'sentence')}, newest first{cut}. " + ("It is" if n == 1 else "Each is") + \
        " quoted exactly as it appears in its article."


def evidence_list(evidence: pd.DataFrame, names: dict[str, str], empty: str, key: str = "evidence",
                  correctable: bool = False) -> None:
    """Evidence rows as cards under a count line, or the empty state (newest first, EVIDENCE_LIMIT at most)."""
    if evidence.empty:
        empty_state(empty)
        return
    st.caption(count_line(len(evidence)))
    evidence_cards(readable_hits(evidence, names), key=key, correctable=correctable)
