"""Analysts' corrections from the dashboard: mark a hit as wrong platform, wrong stance or not this signal."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.config import settings
from paylens.errors import PaylensError
from paylens.store.corrections import hit_key
from paylens.ui.filters import platform_names
from paylens.ui.store import run
from paylens.ui.widgets import show_error
from paylens.wording import counted

ACTIONS = {"wrong_platform": "Wrong platform", "stance": "Wrong stance", "not_signal": "Not this signal"}
STANCES = ("positive", "neutral", "negative")


def correctable(row: pd.Series) -> bool:
    """Whether a row names one stored hit (its natural key is complete)."""
    return all(isinstance(row.get(c), str) and row.get(c) for c in ("article_id", "platform_id", "signal")) \
        and pd.notna(row.get("sentence_idx"))


def correct_popover(row: pd.Series, key: str) -> None:
    """A small "Correct" popover under an evidence card: what is wrong, why; saved like `paylens correct`."""
    if settings().read_only or not correctable(row):
        return
    hit = hit_key(str(row["article_id"]), int(row["sentence_idx"]), str(row["platform_id"]), str(row["signal"]))
    # The form is drawn only while its popover is open: twenty closed forms (radio, selectbox, two text inputs
    # each) cost every rerun of Signals ~100 ms of widget bookkeeping for nothing.
    with st.popover("Correct", icon=":material/edit_note:", type="tertiary", key=f"{key}_open",
                    on_change="rerun") as box:
        if not box.open:
            return
        with st.form(f"{key}_form", border=False):
            action = st.radio("What is wrong", list(ACTIONS), format_func=ACTIONS.get, key=f"{key}_action")
            names = platform_names()
            others = ["", *(p for p in names if p != row["platform_id"])]
            right = st.selectbox("Right platform (for a wrong platform)", others, key=f"{key}_right",
                                 format_func=lambda p: names[p] if p else "none of these: drop the hit")
            stance = st.selectbox("Right stance (for a wrong stance)", STANCES, key=f"{key}_stance")
            reason = st.text_input("Why (a short reason)", max_chars=300, key=f"{key}_reason")
            who = st.text_input("Your name", max_chars=80, key=f"{key}_who")
            if st.form_submit_button("Save correction", type="primary"):
                try:
                    from paylens.store.correct import correct_hit

                    result = correct_hit(settings(), hit, action, stance if action == "stance" else "", reason,
                                         who or "dashboard",
                                         right_platform=right if action == "wrong_platform" else "")
                except PaylensError as exc:
                    show_error(exc)
                    return
                moved = f" The hit now belongs to {names[right]}." if result.correction.right_platform else ""
                st.success(escape_markdown(f"Saved in data/corrections.csv; the store was rebuilt.{moved} "
                                           f"{counted(result.corrected_hits, 'hit')} now corrected by analysts."))


def corrections_caption(competitors: list[str]) -> None:
    """'3 hits corrected by analysts' (nothing when there are none), with the list in an expander."""
    try:
        fixes = run("hit_corrections", {"competitors": competitors})
    except PaylensError:
        return  # a store built before corrections existed: nothing to count
    applied = fixes[fixes["applied"]] if not fixes.empty else fixes
    if applied.empty:
        return
    with st.expander(f"{counted(int(applied['hits'].sum()), 'hit')} corrected by analysts"):
        st.dataframe(fixes.drop(columns=["article_id", "sentence_idx"]), hide_index=True, width="stretch",
                     column_config={"url": st.column_config.LinkColumn("Article", display_text="open")})
