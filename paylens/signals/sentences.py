"""Sentence splitting for English and Chinese bodies, keeping exact character offsets."""

from __future__ import annotations

import re
from typing import NamedTuple

_CLOSERS = "”」』）)\"'’»]】》"
_TERMINATORS = "。！？；!?.…"
# A line break or a run of terminators, then any closing quotes/brackets (one char class first: fast).
_CANDIDATE = re.compile(rf"[\n{_TERMINATORS}][{_TERMINATORS}]*[{re.escape(_CLOSERS)}]*")
# The same for an ASCII body: a small character class scans several times faster.
_CANDIDATE_ASCII = re.compile(r"[\n!?.][!?.]*[\"')\]]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_DOTTED = re.compile(r"^(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}$")
ABBREVIATIONS = frozenset(
    """
    e.g i.e etc mr mrs ms dr prof sr jr st inc co ltd corp plc vs approx est dept fig
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    """.split()
)
_FULLWIDTH_TERMINATORS = frozenset("。！？；")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_new_sentence = tuple.__new__  # NamedTuple construction without the Python-level __new__


class Sentence(NamedTuple):
    """A sentence: its index, its stripped text and offsets so body[start:end] == text."""

    idx: int
    text: str
    start: int
    end: int


def split_sentences(body: str) -> list[Sentence]:
    """Split a body into sentences on CJK/ASCII terminators and line breaks."""
    return [_new_sentence(Sentence, (idx, body[start:end], start, end))
            for idx, (start, end) in enumerate(sentence_spans(body))]


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence split_sentences would return, without building the texts' records."""
    out: list[tuple[int, int]] = []
    add = out.append
    start = 0
    fullwidth = _FULLWIDTH_TERMINATORS
    size = len(body)
    for match in (_CANDIDATE_ASCII if body.isascii() else _CANDIDATE).finditer(body):
        head = match.start()
        if body[head] == "\n":
            cut = head
            nxt = head + 1
        else:
            cut = nxt = match.end()
            char = body[head]
            if char in fullwidth:
                pass
            elif char == "." and cut == head + 1:  # the common case, decided as _is_boundary would
                if cut < size and not body[cut].isspace():
                    continue  # decimals (3.5%), domains (JD.com)
                if head and body[head - 1] in _LETTERS and _is_abbreviation(body, head, cut):
                    continue
            elif not _is_boundary(body, head, cut):
                continue
        piece = body[start:cut]
        text = piece.lstrip()
        if text:
            first = cut - len(text)
            add((first, first + len(text.rstrip())))
        start = nxt
    piece = body[start:]
    text = piece.lstrip()
    if text:
        first = len(body) - len(text)
        add((first, first + len(text.rstrip())))
    return out


def _is_boundary(body: str, start: int, end: int) -> bool:
    """Decide whether the terminator run body[start:end] ends a sentence."""
    head = body[start]
    if head in _FULLWIDTH_TERMINATORS:
        return True
    run = body[start:end].rstrip(_CLOSERS)
    if len(run) > 1 and any(ch in _FULLWIDTH_TERMINATORS for ch in run):
        return True  # "……。"
    nxt = body[end] if end < len(body) else ""
    if head in "!?" or "!" in run or "?" in run:
        return nxt == "" or nxt.isspace() or not nxt.isascii()
    if not (nxt == "" or nxt.isspace()):
        return False  # decimals (3.5%), domains (JD.com), "...and"
    if run == "." and end - start == 1:
        return not _is_abbreviation(body, start, end)
    if run != ".":
        # an ellipsis ends a sentence only before a capitalised word or the end
        rest = body[end:end + 8].lstrip(" \t")
        return rest == "" or rest[0] == "\n" or rest[0].isupper()
    return True


def _is_abbreviation(body: str, dot: int, end: int) -> bool:
    """True when the period at `dot` closes an abbreviation or initial (e.g., U.S., Dr., No. 5)."""
    space = body.rfind(" ", max(0, dot - 16), dot)
    if space >= 0 and dot - space > 7:
        word = body[space + 1:dot]
        if word.isascii() and word.isalpha():
            return False  # an ordinary word, longer than any abbreviation
    match = _WORD_BEFORE.search(body, max(0, dot - 16), dot)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    if _DOTTED.match(word):
        return True  # U.S., e.g., i.e., Ph.D.
    lower = word.lower()
    if lower in ABBREVIATIONS:
        return True
    if lower in ("no", "nos"):
        return body[end:end + 3].lstrip(" ")[:1].isdigit()
    return False
