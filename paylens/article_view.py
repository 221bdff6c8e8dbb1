"""Render an article body as escaped Markdown with its hit sentences highlighted (no HTML)."""

from __future__ import annotations

import re

import pandas as pd

from paylens.signals.sentences import split_sentences

# Everything Markdown, Streamlit directives (:color[..], :emoji:) or LaTeX ($) could interpret.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^\"'])")
STANCE_COLOUR = {"positive": "green", "negative": "red", "neutral": "gray"}


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown or Streamlit would treat as markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def highlighted_markdown(body: str, hits: pd.DataFrame, labels: dict[str, str] | None = None) -> str:
    """Body as Markdown: hit sentences on an orange background followed by their signal tags."""
    labels = labels or {}
    by_sentence: dict[int, list[tuple[str, str]]] = {}
    for idx, signal, stance in zip(hits.get("sentence_idx", []), hits.get("signal", []), hits.get("stance", []),
                                   strict=True):
        tags = by_sentence.setdefault(int(idx), [])
        if (signal, stance) not in tags:
            tags.append((signal, stance))
    out: list[str] = []
    pos = 0
    for sent in split_sentences(body):
        gap = body[pos:sent.start]
        out.append("  \n" * gap.count("\n") if "\n" in gap else gap)
        text = escape_markdown(sent.text)
        if sent.idx in by_sentence:
            tags = " ".join(f":{STANCE_COLOUR.get(st, 'gray')}-badge[{escape_markdown(labels.get(sig, sig))}]"
                            for sig, st in by_sentence[sent.idx])
            out.append(f":orange-background[{text}] {tags}")
        else:
            out.append(text)
        pos = sent.end
    return "".join(out)
