"""Render an article body as escaped Markdown with its hit sentences highlighted (no HTML)."""

from __future__ import annotations

import re

import pandas as pd

from paylens.signals.sentences import split_sentences

# Everything Markdown, Streamlit directives (:color[..], :emoji:) or LaTeX ($) could interpret.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^\"'])")
STANCE_COLOUR = {"positive": "blue", "negative": "red", "neutral": "gray"}  # as the heatmap: colour-blind safe


# GitHub-flavoured Markdown links bare URLs, www. names and e-mail addresses after escapes are resolved, so
# backslashes cannot stop it: an invisible zero-width space after the scheme, "www" or "@" does.
ZWSP = "\u200b"
_AUTOLINK = re.compile(r"(?i)(\\:)(?=//)|(www)(?=\\\.)|(@)")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown or Streamlit would treat as markup; leave no bare URL to link."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _AUTOLINK.sub(lambda m: m.group(0) + ZWSP, escaped)


def highlighted_markdown(body: str, hits: pd.DataFrame, labels: dict[str, str] | None = None) -> str:
    """Body as Markdown: hit sentences on an orange background, then a tag per hit naming platform, signal, stance.

    The tag says who the sentence was given to ("Alipay · Traffic chasing · negative"), so a wrong attribution
    is visible where it happens.
    """
    labels = labels or {}
    platforms = hits["platform"] if "platform" in hits.columns else [""] * len(hits)
    by_sentence: dict[int, list[tuple[str, str, str]]] = {}
    for idx, signal, stance, platform in zip(hits.get("sentence_idx", []), hits.get("signal", []),
                                             hits.get("stance", []), platforms, strict=True):
        tags = by_sentence.setdefault(int(idx), [])
        if (platform, signal, stance) not in tags:
            tags.append((platform, signal, stance))
    out: list[str] = []
    pos = 0
    for sent in split_sentences(body):
        gap = body[pos:sent.start]
        out.append("  \n" * gap.count("\n") if "\n" in gap else gap)
        text = escape_markdown(sent.text)
        if sent.idx in by_sentence:
            tags = " ".join(
                f":{STANCE_COLOUR.get(st, 'gray')}-badge[{escape_markdown(tag_text(pf, labels.get(sig, sig), st))}]"
                for pf, sig, st in by_sentence[sent.idx])
            out.append(f":orange-background[{text}] {tags}")
        else:
            out.append(text)
        pos = sent.end
    return "".join(out)


def tag_text(platform: str, signal: str, stance: str) -> str:
    """'Alipay · Traffic chasing · negative' (without the platform when the hit has none)."""
    return " · ".join(part for part in (platform, signal, stance) if part)
