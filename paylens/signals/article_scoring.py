"""Whole-article evidence: the platform a body is about, and a pass over its sentence hits.

Sentence extraction judges each sentence alone; two things need the whole article.

- Its subject (`article_subject`): a sentence that names no platform belongs to the platform the body names in
  the most sentences, counted over the whole body before any sentence is scored (a caller's given subject wins).
- A running name (`ArticleScorer`): an app whose name is itself a theme word (元宝, 灵光, Zhixiaobao are
  `ai_assistant` words) is evidence of that theme where the article introduces it; once the article has named
  it in `name_lead_sentences` sentences (data/lexicon/article_rules.csv), a later sentence whose only words for
  the theme are its name loses that signal ("灵光团队规模不足百人": its team, not the AI push). Switched off
  (0) in the shipped lexicon: on the tuning sentences found in data/articles' real texts it dropped only labelled
  pairs (data/lexicon/README.md).

Hits kept are unchanged (same sentence, evidence, score).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from paylens.signals.lexicon import Lexicon
from paylens.signals.matcher import Match
from paylens.signals.taxonomy import MARKET


class _Hit(Protocol):
    """What the pass reads of a hit (extract.Hit; not imported: extract imports this module)."""

    @property
    def signal(self) -> str: ...

    @property
    def sentence_idx(self) -> int: ...


Hit = TypeVar("Hit", bound=_Hit)

SentenceMatches = tuple[int, tuple[int, int], list[Match]]  # (sentence index, span, its matches) as extract groups them


def article_subject(named: Sequence[Iterable[str]]) -> str:
    """The platform named in the most sentences of the body (the first named wins a tie), else market.

    `named` holds the platforms each sentence naming any names, in order. Sentences, not mentions: a platform
    named five times in one passage is less the subject than one named once in each of five. Counted over the
    whole body, not so far: a sentence before the subject's second naming is still about it (on the tuning rows
    found in data/articles' real texts, and on signals_dev6.csv extracted without its given context, both
    precision and recall rose over "the most-mentioned platform so far").
    """
    counts: dict[str, int] = {}
    for platforms in named:
        for platform in platforms:
            counts[platform] = counts.get(platform, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else MARKET


class ArticleScorer:
    """Applies the whole-article rules to one body's sentence hits."""

    def __init__(self, lexicon: Lexicon) -> None:
        """Index the theme words that are also a platform's name (an AI app's name is an ai_assistant word)."""
        self.name_lead_sentences = lexicon.article_rules.name_lead_sentences
        names = {t.text.lower(): t.label for t in lexicon.aliases}
        # (signal, theme word) -> the platform that word names
        self._names: dict[tuple[str, str], str] = {
            (t.label, t.text.lower()): names[t.text.lower()] for t in lexicon.signals if t.text.lower() in names}
        self._name_signals = frozenset(signal for signal, _ in self._names)
        self._named_platforms = frozenset(self._names.values())

    def score(self, sentences: Sequence[SentenceMatches], named: Sequence[tuple[int, tuple[str, ...]]],
              hits: list[Hit]) -> list[Hit]:
        """The hits the whole article supports (the same list when it drops none).

        `sentences` are the body's sentences with matches, `named` those naming platforms, each (index,
        platforms named), in order.
        """
        if not self.name_lead_sentences or not any(h.signal in self._name_signals for h in hits):
            return hits  # most bodies: no theme word is anyone's name
        running = self._running_names(sentences, named, hits)
        if not running:
            return hits
        return [h for h in hits if (h.sentence_idx, h.signal) not in running]

    def _running_names(self, sentences: Sequence[SentenceMatches], named: Sequence[tuple[int, tuple[str, ...]]],
                       hits: list[Hit]) -> set[tuple[int, str]]:
        """(sentence, signal) pairs whose only theme words name apps the article has already introduced."""
        wanted: dict[int, set[str]] = {}
        for hit in hits:
            if hit.signal in self._name_signals:
                wanted.setdefault(hit.sentence_idx, set()).add(hit.signal)
        lead = self.name_lead_sentences
        apps = self._named_platforms
        naming: dict[str, int] = {}  # app -> sentences naming it before the current one
        before = iter(named)
        pending = next(before, None)
        out: set[tuple[int, str]] = set()
        for idx, _, found in sentences:
            if idx not in wanted:
                continue
            while pending is not None and pending[0] < idx:
                for platform in pending[1]:
                    if platform in apps:
                        naming[platform] = naming.get(platform, 0) + 1
                pending = next(before, None)
            for signal in wanted[idx]:
                owners = [self._names.get((signal, term.text.lower())) for _, _, term in found
                          if term.kind == "signal" and term.label == signal]
                if owners and all(owner is not None and naming.get(owner, 0) >= lead for owner in owners):
                    out.add((idx, signal))
        return out
