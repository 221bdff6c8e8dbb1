"""Duplicate stories: one canonical form per URL, and near-identical bodies by character shingles.

Shingles are 5-character windows over the body's letters and digits (case, width and punctuation
folded, whitespace dropped), so Chinese text, which has no spaces between words, compares as well as
English. Two bodies are the same story when the shorter one's shingles are at least
NEAR_DUPLICATE_CONTAINMENT contained in the longer one's: a repost that adds a site's boilerplate or
keeps only part of the story still matches, where Jaccard similarity would drop with the extra text.
Measured on the 38 real articles in data/articles: the highest containment between two different
stories is 0.374 (two AsiaICT opinion pieces on Alipay sharing stock phrases); see BENCHMARKS.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SHINGLE = 5
NEAR_DUPLICATE_CONTAINMENT = 0.80
MIN_SHINGLES = 50  # shorter bodies are never called duplicates of anything (too little text to tell)
TRACKING_PARAMS = ("fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "spm")


def canonical_url(url: str) -> str:
    """Scheme and host lowercased, default port, fragment, utm_* and click ids and a trailing slash dropped."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if ":" in (parts.hostname or "") and not host.startswith("["):
        host = f"[{host}]"  # IPv6 literal
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def normalise(text: str) -> str:
    """Letters and digits only, NFKC-folded and lowercased: the stream shingles are cut from."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isalnum())


def shingles(text: str, k: int = SHINGLE) -> frozenset[str]:
    """The set of k-character shingles of a body."""
    stream = normalise(text)
    if len(stream) < k:
        return frozenset([stream]) if stream else frozenset()
    return frozenset(stream[i:i + k] for i in range(len(stream) - k + 1))


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set's shingles found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B| (reported beside containment in the measurements)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Match:
    """The corpus article a body duplicates, and how closely."""

    key: str  # the original's identifier (its file name)
    url: str | None
    score: float


class ShingleIndex:
    """Bodies by key, for finding the article a new body reposts."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_CONTAINMENT) -> None:
        self.threshold = threshold
        self._items: list[tuple[str, str | None, frozenset[str]]] = []

    def add(self, key: str, url: str | None, body: str) -> None:
        self._items.append((key, url, shingles(body)))

    def extend(self, items: Iterable[tuple[str, str | None, str]]) -> None:
        for key, url, body in items:
            self.add(key, url, body)

    def best(self, body: str) -> Match | None:
        """The closest article at or above the threshold, or None."""
        sh = shingles(body)
        if len(sh) < MIN_SHINGLES:
            return None
        best: Match | None = None
        for key, url, other in self._items:
            if len(other) < MIN_SHINGLES:
                continue
            score = containment(sh, other)
            if score >= self.threshold and (best is None or score > best.score):
                best = Match(key, url, score)
        return best
