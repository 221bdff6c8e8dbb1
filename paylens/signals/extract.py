"""Sentence-level signal extraction: terms -> signals, platforms and stance per sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from operator import attrgetter
from pathlib import Path

from paylens.signals.articles import Article
from paylens.signals.lexicon import Lexicon, Term, load_lexicon
from paylens.signals.matcher import Match, Matcher
from paylens.signals.sentences import Sentence, split_sentences
from paylens.signals.taxonomy import MARKET

MIN_SCORE = 0.5
STRONG_WEIGHT = 0.8  # terms at least this strong count anywhere; weaker ones need payment-domain evidence
CONTEXT_FACTOR = 0.9  # a hit attributed from context rather than a named platform
NEGATION_REACH = 10  # gap tokens a full-strength negation reaches forward (English word 2, CJK char 1)
_CLAUSE_BREAK = re.compile(r"[,;:，；：]|\b(?:but|however|yet|while|although|though)\b|但|却|卻|而是|然而")
_GAP_TOKEN = re.compile(r"[A-Za-z0-9]+|[\u3400-\u9fff]")
_NOTHING: frozenset[int] = frozenset()
_HIT_ORDER = attrgetter("signal", "platform")
JSON_KEYS = ("file", "platform", "signal", "stance", "evidence", "sentence_idx", "score")


@dataclass(frozen=True)
class Hit:
    """One signal for one platform in one sentence, with the sentence as evidence."""

    platform: str
    signal: str
    stance: str
    evidence: str
    sentence_idx: int
    score: float


_new_object = object.__new__


def _new_hit(platform: str, signal: str, stance: str, evidence: str, sentence_idx: int, score: float) -> Hit:
    """Build a Hit without the frozen dataclass __init__ (one object.__setattr__ per field is slow here)."""
    hit = _new_object(Hit)
    fields = hit.__dict__
    fields["platform"] = platform
    fields["signal"] = signal
    fields["stance"] = stance
    fields["evidence"] = evidence
    fields["sentence_idx"] = sentence_idx
    fields["score"] = score
    return hit


class Extractor:
    """Finds signals in article bodies with one automaton over the whole lexicon."""

    def __init__(self, lexicon: Lexicon, min_score: float = MIN_SCORE) -> None:
        """Compile the lexicon; min_score is the cut-off for a signal in a sentence."""
        self.lexicon = lexicon
        self.min_score = min_score
        self.matcher = Matcher(lexicon.terms, lexicon.traditional)

    @classmethod
    def from_dir(cls, lexicon_dir: str | Path) -> Extractor:
        """Load the lexicon CSVs from a folder (data/lexicon)."""
        return cls(load_lexicon(lexicon_dir))

    def extract_article(self, article: Article) -> list[Hit]:
        """Hits for a parsed article's body."""
        return self.extract(article.body)

    def extract(self, body: str, default_platform: str | None = None) -> list[Hit]:
        """Hits sorted by (sentence_idx, signal, platform); default_platform is the text's subject."""
        matches = self.matcher.find(body)
        if not matches:
            return []
        seen: dict[str, tuple[int, int]] = {}  # platform -> (mentions so far, last sentence idx)
        hits: list[Hit] = []
        for sentence, found in _group(matches, split_sentences(body)):  # sentences in order
            named: dict[str, int] = {}
            has_signal = has_negation = False
            for _, _, term in found:
                kind = term.kind
                if kind == "alias":
                    named[term.label] = named.get(term.label, 0) + 1
                elif kind == "signal":
                    has_signal = True
                elif term.label == "negation":
                    has_negation = True
            if has_signal:
                context = default_platform or _context_platform(seen, matches)
                negated = _negated(sentence, found) if has_negation else _NOTHING
                out = self._sentence_hits(sentence, found, named, context, negated)
                out.sort(key=_HIT_ORDER)
                hits.extend(out)
            for platform, count in named.items():
                seen[platform] = (seen.get(platform, (0, 0))[0] + count, sentence.idx)
        return hits

    def _sentence_hits(self, sentence: Sentence, found: list[Match], named: dict[str, int], context: str,
                       negated: set[int] | frozenset[int]) -> list[Hit]:
        """Hits of one sentence: each signal above min_score times each attributed platform."""
        in_domain = bool(named) or context != MARKET
        themes: dict[str, dict[str, float]] = {}  # signal -> {term: weight} of terms not negated
        spans: dict[str, list[tuple[int, int]]] = {}  # signal -> where its terms are
        polar: list[tuple[int, int, float]] = []  # positive/negative words, negation applied
        hedge = 1.0
        for i, (start, end, term) in enumerate(found):
            kind = term.kind
            if kind == "signal":
                spans.setdefault(term.label, []).append((start, end))
                if i not in negated:
                    themes.setdefault(term.label, {})[term.text] = term.weight
            elif kind == "polarity":
                label = term.label
                if label == "hedge":
                    hedge = min(hedge, term.weight)
                elif label != "negation":
                    value = term.weight if label == "positive" else -term.weight
                    polar.append((start, end, -value if i in negated else value))
            elif kind == "domain":
                in_domain = True
        owners = _owners(found, polar) if len(named) > 1 else None
        platforms = self._with_parents(named or [context])
        factor = hedge if named else hedge * CONTEXT_FACTOR
        out = []
        for signal, weights in themes.items():
            miss = 1.0
            for weight in weights.values():
                if in_domain or weight >= STRONG_WEIGHT:  # weaker words need payment context
                    miss *= 1.0 - weight
            strength = 1.0 - miss
            if strength * hedge < self.min_score:
                continue
            score = round(strength * factor, 3)
            default = self.lexicon.default_stance[signal]
            # a theme with a built-in lean (complaints are negative) is judged by the words around it
            totals = _judgement(polar, owners, spans[signal] if default != "neutral" else ())
            for platform in platforms:
                value = totals.get(platform, totals.get("", 0.0))
                stance = "positive" if value > 0 else "negative" if value < 0 else default
                out.append(_new_hit(platform, signal, stance, sentence.text, sentence.idx, score))
        return out

    def _with_parents(self, named: dict[str, int] | list[str]) -> list[str]:
        """Named platforms, each followed by the payment platform owning it (支小宝 -> alipay)."""
        out: list[str] = []
        for platform in named:
            for pid in (platform, self.lexicon.parents.get(platform)):
                if pid and pid not in out:
                    out.append(pid)
        return out


def hits_to_json_lines(file: str, hits: Iterable[Hit]) -> list[str]:
    """One JSON object per hit with the DESIGN.md keys, non-ASCII kept as is."""
    lines = []
    for hit in hits:
        record = {"file": file, **asdict(hit)}
        lines.append(json.dumps({key: record[key] for key in JSON_KEYS}, ensure_ascii=False))
    return lines


def _group(matches: list[Match], sentences: Sequence[Sentence]) -> list[tuple[Sentence, list[Match]]]:
    """Pair each sentence that has matches with them (matches sorted by start)."""
    out: list[tuple[Sentence, list[Match]]] = []
    i = 0
    count = len(sentences)
    current: list[Match] = []
    for match in matches:
        start = match[0]
        if i < count and sentences[i].end <= start:
            if current:
                out.append((sentences[i], current))
                current = []
            while i < count and sentences[i].end <= start:
                i += 1
        if i == count:
            break
        if sentences[i].start <= start and match[1] <= sentences[i].end:
            current.append(match)
    if current:
        out.append((sentences[i], current))
    return out


def _overall_platform(matches: list[Match]) -> str:
    """The most-mentioned platform of the whole body (first mentioned wins ties), else market."""
    counts: dict[str, int] = {}
    for _, _, term in matches:
        if term.kind == "alias":
            counts[term.label] = counts.get(term.label, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else MARKET


def _context_platform(seen: dict[str, tuple[int, int]], matches: list[Match]) -> str:
    """The platform the text so far is about: most mentions, then most recent; else the body's."""
    if not seen:
        return _overall_platform(matches)
    return max(seen, key=seen.__getitem__)


def _owners(found: list[Match], polar: list[tuple[int, int, float]]) -> list[str]:
    """For each polar word, the platform named nearest before it (else the first named after it).

    "微信支付的崛起让支付宝倍感压力": 崛起 belongs to wechat_pay, 压力 to alipay.
    """
    aliases = [(start, term.label) for start, _, term in found if term.kind == "alias"]
    owners = []
    for start, _, _ in polar:
        owner = aliases[0][1]
        for pos, label in aliases:
            if pos >= start:
                break
            owner = label
        owners.append(owner)
    return owners


def _judgement(polar: list[tuple[int, int, float]], owners: list[str] | None,
               theme: Sequence[tuple[int, int]]) -> dict[str, float]:
    """Sum polar words per owner ("" when not split by platform), skipping the theme's own words."""
    totals: dict[str, float] = {}
    for k, (start, end, value) in enumerate(polar):
        if theme and _inside(start, end, theme):
            continue
        owner = owners[k] if owners is not None else ""
        totals[owner] = totals.get(owner, 0.0) + value
    return totals


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when [start, end) lies within one of the spans."""
    for s, e in spans:
        if s <= start and end <= e:
            return True
    return False


def _negated(sentence: Sentence, matches: list[Match]) -> set[int]:
    """Indexes of content matches (signal or polar terms) governed by a preceding negation.

    A negation reaches NEGATION_REACH gap tokens scaled by its weight, within one clause.
    It governs the nearest content term after it (and any sharing its start); when that
    term names a theme (a signal term) it also governs every other signal term in reach,
    so "did not hand merchants any device subsidies" denies the subsidy theme.
    """
    negated: set[int] = set()
    for i, (_, neg_end, term) in enumerate(matches):
        if term.label != "negation" or term.kind != "polarity":
            continue
        reach = NEGATION_REACH * term.weight
        target = -1
        themed = False
        for j in range(i + 1, len(matches)):
            start, _, other = matches[j]
            if start < neg_end or not _is_content(other):
                continue
            if not _in_reach(sentence, neg_end, start, reach):
                break
            if target < 0 or start == target:
                target = start
                themed = themed or other.kind == "signal"
                negated.add(j)
            elif themed and other.kind == "signal":
                negated.add(j)
            elif not themed:
                break
    return negated


def _is_content(term: Term) -> bool:
    """A term a negation can govern: a signal term or a positive/negative word."""
    return term.kind == "signal" or (term.kind == "polarity" and term.label in ("positive", "negative"))


def _in_reach(sentence: Sentence, start: int, end: int, reach: float) -> bool:
    """True when body[start:end] is short enough and inside one clause."""
    gap = sentence.text[start - sentence.start:end - sentence.start]
    if _CLAUSE_BREAK.search(gap):
        return False
    cost = sum(2 if tok[0].isascii() else len(tok) for tok in _GAP_TOKEN.findall(gap))
    return cost <= reach
