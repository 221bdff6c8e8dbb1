"""One Aho-Corasick automaton over every lexicon term, matched once per body."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

import ahocorasick

from paylens.signals.lexicon import Term

# Length-preserving folds applied after lowercasing: hyphens become spaces (so "tap-to-pay" ==
# "tap to pay"), curly quotes become straight ones, full-width letters/digits become ASCII.
# Full-width punctuation is left alone: no term contains it and it is common in Chinese.
_REPLACE = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'))
_RARE_TABLE = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF41, 0xFF5B))}
_RARE_TABLE.update({0x2010: " ", 0x2011: " "})
_NEEDS_RARE_FOLD = re.compile("[\uff10-\uff19\uff41-\uff5a\u2010\u2011]")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_NOT_CJK = "\x00-\u33ff\u4dc0-\u4dff\ua000-\uf8ff\ufb00-\U0010ffff"
# Root-children order: pyahocorasick scans a node's children linearly, so frequent
# characters go first (English letters by frequency, then space, digits, punctuation).
_PRIME = "\x01 etaoinshrdlcumwfgypbvkjxqz,.'\"-0123456789()%:;!?/&$+，。、“”：；！？（）《》—…"
_FILLER = "\x01"  # stands for every CJK character that occurs in no term


def fold(text: str) -> str:
    """Lowercase and normalise width/quotes without changing the string's length."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if "-" in low:
        low = low.replace("-", " ")
    if low.isascii():
        return low
    for old, new in _REPLACE:
        if old in low:
            low = low.replace(old, new)
    if _NEEDS_RARE_FOLD.search(low):
        low = low.translate(_RARE_TABLE)
    return low


class Match(NamedTuple):
    """A term found at body[start:end]."""

    start: int
    end: int
    term: Term


# Matches are gathered as plain tuples and typed in one C-level pass (no Python frame per match).
_as_matches = partial(map, partial(tuple.__new__, Match))


class Matcher:
    """Finds every lexicon term in a text with ASCII word boundaries and case folding."""

    def __init__(self, terms: Iterable[Term], traditional: dict[str, str] | None = None) -> None:
        """Build the automaton; terms with the same folded text share one key.

        `traditional` maps traditional Chinese characters to simplified ones; texts and
        terms are both folded through it, so one simplified term matches either script.
        """
        self._traditional = dict(traditional or {})
        chars = "".join(re.escape(ch) for ch in sorted(self._traditional))
        self._has_traditional = re.compile(f"[{chars}]") if chars else None
        groups: dict[str, list[Term]] = {}
        for term in terms:
            groups.setdefault(self._to_simplified(fold(term.text)), []).append(term)
        alphabet = {ch for key in groups for ch in key}
        self._squash = _squash_pattern(alphabet)
        self._automaton = ahocorasick.Automaton()
        for ch in _root_order(alphabet, groups):
            self._automaton.add_word(ch + "\x00", (2, False, False, _NO_PARTS, ()))
        for key in sorted(groups):
            group = _dedupe(groups[key])
            exact = group if any(term.exact_case for term in group) else None
            self._automaton.add_word(key, (len(key), key[0] in _WORD_CHARS, key[-1] in _WORD_CHARS, _parts(group),
                                           exact))
        self._automaton.make_automaton()
        self.size = len(groups)

    def folded(self, text: str) -> str:
        """The text the automaton runs over: folded, simplified, CJK characters outside every term squashed."""
        low = fold(text)
        if low.isascii():
            return low
        return self._squash.sub(_FILLER, self._to_simplified(low))

    def _to_simplified(self, text: str) -> str:
        """Replace traditional characters by simplified ones (one for one, so offsets hold)."""
        if self._has_traditional is None:
            return text
        table = self._traditional
        return self._has_traditional.sub(lambda m: table[m.group()], text)

    def find(self, text: str) -> list[Match]:
        """All matches sorted by (start, -end), minus those masked or inside a longer same-kind match."""
        folded = self.folded(text)
        size = len(folded)
        word = _WORD_CHARS
        found: list[tuple[int, int, _Parts]] = []
        add = found.append
        for last, (length, check_left, check_right, parts, exact) in self._automaton.iter(folded):
            start = last + 1 - length
            if check_left and start and folded[start - 1] in word:
                continue
            if check_right and last + 1 < size and folded[last + 1] in word:
                continue
            if exact is not None:
                group = tuple(t for t in exact if not t.exact_case or text[start:last + 1] == t.text)
                if not group:
                    continue
                parts = _parts(group)
            add((start, -last - 1, parts))
        return _resolve(found)


_ALIAS, _SIGNAL, _POLAR, _DOMAIN = range(4)  # slots of a key's terms by kind, in the order _resolve reads them
_Parts = tuple[tuple[tuple[int, tuple[Term, ...]], ...], bool, tuple[Term, ...] | None]
"""A key's terms: ((slot, terms) for each kind present, is a mask, its polar words minus negations or None)."""
_NO_PARTS: _Parts = ((), False, None)


def _parts(group: tuple[Term, ...]) -> _Parts:
    """Split a key's terms by kind once, so matching does not loop over them."""
    polarity = tuple(t for t in group if t.kind == "polarity")
    by_slot = (tuple(t for t in group if t.kind == "alias"), tuple(t for t in group if t.kind == "signal"), polarity,
               tuple(t for t in group if t.kind == "domain"))
    kinds = tuple((slot, terms) for slot, terms in enumerate(by_slot) if terms)
    has_negation = any(t.label == "negation" for t in polarity)
    return (kinds, any(t.kind == "mask" for t in group),
            tuple(t for t in polarity if t.label != "negation") if has_negation else None)


def _dedupe(terms: list[Term]) -> tuple[Term, ...]:
    """One term per (kind, label) for a key (支付寶 and 支付宝 fold alike), keeping the heaviest."""
    best: dict[tuple[str, str], Term] = {}
    for term in terms:
        key = (term.kind, term.label)
        if key not in best or term.weight > best[key].weight:
            best[key] = term
    return tuple(best.values())


def _squash_pattern(alphabet: set[str]) -> re.Pattern[str]:
    """A pattern for every CJK character absent from the alphabet (they become the filler)."""
    keep = "".join(re.escape(ch) for ch in sorted(alphabet) if ch >= "\u3400")
    return re.compile(f"[^{_NOT_CJK}{keep}]")


def _root_order(alphabet: set[str], groups: dict[str, list[Term]]) -> list[str]:
    """Characters to register at the root first: frequent ASCII, then CJK term characters by use."""
    uses: dict[str, int] = {}
    for key in groups:
        for ch in key:
            uses[ch] = uses.get(ch, 0) + 1
    rest = sorted((ch for ch in alphabet if ch not in _PRIME), key=lambda ch: (-uses[ch], ch))
    return list(dict.fromkeys(_PRIME)) + rest


def _resolve(found: list[tuple[int, int, _Parts]]) -> list[Match]:
    """Drop terms inside a mask, inside a platform alias, or strictly inside a longer same-kind match.

    Sorted by (start, -end), every earlier match that reaches at least as far as the current
    one encloses it (spans are unique), so a running "furthest end" per kind decides.
    """
    found.sort()  # by start, longest first; one key per span, so payloads are never compared
    ends = [-1, -1, -1, -1]  # furthest end so far per slot (_ALIAS, _SIGNAL, _POLAR, _DOMAIN)
    mask_end = any_end = -1
    kept: list[tuple[int, int, Term]] = []
    add = kept.append
    for start, neg_end, (kinds, mask, plain_polar) in found:
        end = -neg_end
        if mask_end >= end:
            continue
        outside_alias = ends[_ALIAS] < end  # "抖音" in "抖音支付" is a name, not a theme
        for slot, terms in kinds:
            if ends[slot] < end:
                if slot == _POLAR and plain_polar is not None and any_end >= end:
                    terms = plain_polar  # "不" in "不互通" is part of a word, not a negation
                if outside_alias or slot == _POLAR:
                    for term in terms:
                        add((start, end, term))
                ends[slot] = end
        if mask and end > mask_end:  # a mask: hides what lies inside it
            mask_end = end
        if end > any_end:
            any_end = end
    return list(_as_matches(kept))
