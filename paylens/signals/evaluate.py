"""Score the extractor against a labelled gold CSV, sentence by sentence (or article by article).

A CSV may carry an optional `article` column: rows sharing a non-empty value (in a row) are consecutive
sentences of one text. They are joined with line breaks and extracted as one body, so what a sentence
carries into the next ("此举", "the move") counts, and each hit is given back to the row holding its sentence.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from paylens.errors import InputError
from paylens.signals.extract import Extractor, Hit
from paylens.signals.sentences import sentence_spans
from paylens.signals.taxonomy import SIGNAL_IDS, STANCES

GOLD_COLUMNS = ("id", "split", "lang", "platform_context", "text", "labels", "source_url", "note")
ARTICLE_COLUMN = "article"  # optional: rows sharing it are consecutive sentences of one text
ARTICLE_JOIN = "\n"  # between an article's rows: a sentence boundary for the splitter in any language


@dataclass(frozen=True)
class Label:
    """One gold label: this signal, for this platform, with this stance."""

    signal: str
    platform: str
    stance: str


@dataclass(frozen=True)
class GoldRow:
    """One labelled text (usually a sentence) of the gold set."""

    id: str
    split: str
    lang: str
    platform_context: str | None
    text: str
    labels: tuple[Label, ...]
    source_url: str = ""
    note: str = ""
    article: str = ""  # rows sharing a non-empty value are consecutive sentences of one text


@dataclass(frozen=True)
class SignalScore:
    """Sentence-level counts and rates for one signal."""

    signal: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when the gold has none."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class RowResult:
    """What the extractor predicted for one gold row, for error analysis."""

    row: GoldRow
    predicted: frozenset[str]
    gold: frozenset[str]
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Report:
    """Per-signal and micro-averaged scores, plus stance and attribution accuracy on matched signals."""

    split: str | None
    rows: int
    signals: tuple[SignalScore, ...]
    stance_correct: int
    stance_total: int
    platform_correct: int
    platform_total: int
    results: tuple[RowResult, ...] = field(default=(), repr=False, compare=False)
    confusion: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict, compare=False)
    """signal -> {(gold stance, predicted stance): count} over gold labels whose signal and platform were hit."""
    pairs: SignalScore = field(default_factory=lambda: SignalScore("signal+platform", 0, 0, 0), compare=False)
    """Counts over (signal, platform) pairs per row: a hit for the wrong platform is a false positive."""

    def stance_agreement(self, signal: str | None = None) -> tuple[int, int]:
        """(agreeing, compared) stances on labels matched by signal and platform, for one signal or all."""
        cells = [c for sig, c in self.confusion.items() if signal is None or sig == signal]
        total = sum(n for c in cells for n in c.values())
        agree = sum(n for c in cells for (gold, pred), n in c.items() if gold == pred)
        return agree, total

    @property
    def micro(self) -> SignalScore:
        """Counts summed over every signal."""
        return SignalScore("micro", sum(s.tp for s in self.signals), sum(s.fp for s in self.signals),
                           sum(s.fn for s in self.signals))

    @property
    def stance_accuracy(self) -> float:
        """Share of gold labels on matched signals whose stance was predicted right."""
        return self.stance_correct / self.stance_total if self.stance_total else 1.0

    @property
    def platform_accuracy(self) -> float:
        """Share of gold labels on matched signals whose platform was among the predicted ones."""
        return self.platform_correct / self.platform_total if self.platform_total else 1.0

    def score(self, signal: str) -> SignalScore:
        """The row for one signal id."""
        return next(s for s in self.signals if s.signal == signal)


def parse_labels(text: str) -> tuple[Label, ...]:
    """Parse `signal:platform:stance;...` (empty means no signal); raise ValueError on a bad label."""
    labels = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        pieces = [p.strip() for p in part.split(":")]
        if len(pieces) != 3:
            raise ValueError(f"label {part!r} is not signal:platform:stance")
        signal, platform, stance = pieces
        if signal not in SIGNAL_IDS:
            raise ValueError(f"unknown signal {signal!r} in label {part!r}")
        if stance not in STANCES:
            raise ValueError(f"unknown stance {stance!r} in label {part!r}")
        if not platform:
            raise ValueError(f"empty platform in label {part!r}")
        labels.append(Label(signal, platform, stance))
    return tuple(labels)


def load_gold(path: str | Path) -> list[GoldRow]:
    """Read a gold CSV; raise InputError listing every bad row."""
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in GOLD_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}")
    rows, problems = [], []
    for raw in reader:
        where = f"{path}:{reader.line_num}"
        try:
            labels = parse_labels(raw["labels"] or "")
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if not (raw["text"] or "").strip():
            problems.append(f"{where}: empty text")
            continue
        rows.append(GoldRow(
            id=raw["id"], split=(raw["split"] or "").strip(), lang=(raw["lang"] or "").strip(),
            platform_context=(raw["platform_context"] or "").strip() or None, text=raw["text"], labels=labels,
            source_url=raw["source_url"] or "", note=raw["note"] or "",
            article=(raw.get(ARTICLE_COLUMN) or "").strip(),
        ))
    if problems:
        raise InputError(problems)
    return rows


def evaluate(rows: Iterable[GoldRow], extractor: Extractor, split: str | None = None,
             context: bool = True) -> Report:
    """Score signal detection on the rows of one split (None: all rows), row by row or article by article.

    context=False drops each row's platform_context, as `paylens signals` and the store extract text: a
    sentence naming no platform then goes to the article's own subject (or the market).
    """
    counts = {s: [0, 0, 0] for s in SIGNAL_IDS}
    stance = [0, 0]
    platform = [0, 0]
    confusion: dict[str, dict[tuple[str, str], int]] = {}
    pairs = [0, 0, 0]
    results = []
    chosen = [r if context else replace(r, platform_context=None)
              for r in rows if split is None or r.split == split]
    for group in _articles(chosen):
        for row, hits in zip(group, _extract_group(group, extractor), strict=True):
            predicted = frozenset(h.signal for h in hits)
            gold = frozenset(label.signal for label in row.labels)
            _count(predicted, gold, counts)
            _count_pairs(row.labels, hits, extractor.lexicon.parents, pairs)
            for label in row.labels:
                if label.signal in predicted:
                    _judge(label, [h for h in hits if h.signal == label.signal], stance, platform, confusion)
            results.append(RowResult(row, predicted, gold, tuple(hits)))
    return Report(
        split=split, rows=len(chosen),
        signals=tuple(SignalScore(s, *counts[s]) for s in SIGNAL_IDS),
        stance_correct=stance[0], stance_total=stance[1],
        platform_correct=platform[0], platform_total=platform[1], results=tuple(results), confusion=confusion,
        pairs=SignalScore("signal+platform", *pairs),
    )


def _count_pairs(labels: Sequence[Label], hits: Sequence[Hit], parents: dict[str, str], pairs: list[int]) -> None:
    """Add one row's (signal, platform) true positives, false positives and misses.

    A hit for the payment platform owning a labelled product (支小宝 -> alipay), or for a product of a labelled
    platform, is neither right nor wrong: the extractor gives both by design and annotators label either.
    """
    gold = {(label.signal, label.platform) for label in labels}
    predicted = {(hit.signal, hit.platform) for hit in hits}
    related = {(signal, parents[p]) for signal, p in gold if p in parents}
    related |= {(signal, p) for signal, p in predicted if parents.get(p) and (signal, parents[p]) in gold}
    pairs[0] += len(gold & predicted)
    pairs[1] += len(predicted - gold - related)
    pairs[2] += len(gold - predicted)


def _articles(rows: list[GoldRow]) -> list[list[GoldRow]]:
    """Rows in order, consecutive rows sharing a non-empty `article` value grouped (others stand alone)."""
    groups: list[list[GoldRow]] = []
    for row in rows:
        if row.article and groups and groups[-1][0].article == row.article:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _extract_group(group: list[GoldRow], extractor: Extractor) -> list[list[Hit]]:
    """Hits per row: a lone row alone; an article's rows joined and each hit given back to its sentence's row."""
    if len(group) == 1:
        return [extractor.extract(group[0].text, default_platform=group[0].platform_context)]
    body = ARTICLE_JOIN.join(row.text for row in group)
    row_starts: list[int] = []
    offset = 0
    for row in group:
        row_starts.append(offset)
        offset += len(row.text) + len(ARTICLE_JOIN)
    sentence_rows = [_row_at(row_starts, start) for start, _ in sentence_spans(body)]
    out: list[list[Hit]] = [[] for _ in group]
    for hit in extractor.extract(body, default_platform=group[0].platform_context):
        out[sentence_rows[hit.sentence_idx]].append(hit)
    return out


def _row_at(row_starts: Sequence[int], position: int) -> int:
    """Index of the row whose text holds a body position."""
    index = 0
    for i, start in enumerate(row_starts):
        if start > position:
            break
        index = i
    return index


def _count(predicted: frozenset[str], gold: frozenset[str], counts: dict[str, list[int]]) -> None:
    """Add one row's true positives, false positives and misses per signal."""
    for signal in predicted | gold:
        tally = counts[signal]
        if signal in predicted and signal in gold:
            tally[0] += 1
        elif signal in predicted:
            tally[1] += 1
        else:
            tally[2] += 1


def format_report(report: Report) -> str:
    """A fixed-width table: one line per signal, then micro average, accuracies and stance by signal."""
    head = f"{'signal':28} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6} {'f1':>6}"
    lines = [f"split: {report.split or 'all'}  rows: {report.rows}", head, "-" * len(head)]
    for s in (*report.signals, report.micro):
        if s.signal == "micro":
            lines.append("-" * len(head))
        lines.append(f"{s.signal:28} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    s = report.pairs
    lines.append(f"{'micro (signal+platform)':28} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} {s.recall:>6.3f} "
                 f"{s.f1:>6.3f}")
    lines.append(f"stance accuracy (matched signals):   {report.stance_accuracy:.3f} "
                 f"({report.stance_correct}/{report.stance_total})")
    lines.append(f"platform accuracy (matched signals): {report.platform_accuracy:.3f} "
                 f"({report.platform_correct}/{report.platform_total})")
    lines.extend(format_confusion(report.confusion))
    return "\n".join(lines)


def format_confusion(confusion: dict[str, dict[tuple[str, str], int]]) -> list[str]:
    """Stance agreement per signal with its gold x predicted counts (labels matched by signal and platform)."""
    cols = "  ".join(f"gold {g[:3]}".rjust(10) for g in STANCES)
    head = f"{'stance by signal (signal+platform)':36} {'n':>4} {'agree':>6}  {cols}"
    lines = [head, "-" * len(head)]
    for signal in (*SIGNAL_IDS, ""):
        cells = confusion.get(signal, {}) if signal else _summed(confusion)
        total = sum(cells.values())
        if not total:
            continue
        agree = sum(n for (gold, pred), n in cells.items() if gold == pred)
        matrix = "  ".join("/".join(f"{cells.get((g, p), 0)}" for p in STANCES).rjust(10) for g in STANCES)
        if not signal:
            lines.append("-" * len(head))
        lines.append(f"{signal or 'all':36} {total:>4} {agree / total:>6.3f}  {matrix}")
    lines.append("(each gold column: predicted positive/negative/neutral)")
    return lines


def _summed(confusion: dict[str, dict[tuple[str, str], int]]) -> dict[tuple[str, str], int]:
    """The confusion counts of every signal added up."""
    out: dict[tuple[str, str], int] = {}
    for cells in confusion.values():
        for key, n in cells.items():
            out[key] = out.get(key, 0) + n
    return out


def _judge(label: Label, hits: list[Hit], stance: list[int], platform: list[int],
           confusion: dict[str, dict[tuple[str, str], int]]) -> None:
    """Tally platform and stance agreement for one gold label whose signal was predicted.

    Stance accuracy takes the hit for the label's platform, else the sentence's first hit of that signal; the
    confusion matrix only counts labels whose platform was hit too (gold stance x that hit's stance).
    """
    same = [h for h in hits if h.platform == label.platform]
    platform[1] += 1
    platform[0] += bool(same)
    stance[1] += 1
    stance[0] += (same or hits)[0].stance == label.stance
    if same:
        cells = confusion.setdefault(label.signal, {})
        key = (label.stance, same[0].stance)
        cells[key] = cells.get(key, 0) + 1


def _f1(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# ------------------------------------------------------------------------------------ analysts' corrections

@dataclass(frozen=True)
class CorrectionsReport:
    """The extractor scored on hits analysts corrected (data/corrections.csv, latest row per hit).

    A dropped hit (`not_signal`, `wrong_platform`) is a labelled negative: finding it again is a false positive.
    A stance correction confirms the hit (a labelled positive, with the analyst's stance): not finding it is a
    miss, finding it compares stances. A hit moved to its right platform is both: a negative for the platform it
    was given, a positive for the right one.
    """

    corrections: int
    missing_articles: int  # corrections whose article is not in the corpus (not scored)
    drops: int
    drops_found: int
    stance_fixes: int
    stance_found: int
    confusion: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict, compare=False)
    moves: int = 0  # wrong platform, right one named: counted in drops too, for the platform it was given
    moves_found: int = 0  # found for the right platform

    @property
    def score(self) -> SignalScore:
        """Counts over the corrected hits: tp = confirmed hits found, fp = dropped hits found, fn = confirmed missed."""
        confirmed, found = self.stance_fixes + self.moves, self.stance_found + self.moves_found
        return SignalScore("corrections", found, self.drops_found, confirmed - found)


Fix = tuple[tuple[str, int, str, str], str, str, str]  # (hit key, action, stance, right platform)


def load_corrections(path: str | Path, platform_ids: set[str]) -> list[Fix]:
    """(hit key, action, stance, right platform) per row of a corrections CSV, read and validated as the build reads
    data/corrections.csv (either version of its columns); InputError names every bad row."""
    from paylens.store.corrections import read_corrections_file

    return [(c.key, c.action, c.stance, c.right_platform)
            for c in read_corrections_file(Path(path), str(path), platform_ids)]


def evaluate_corrections(corrections: Iterable[Fix], bodies: dict[str, str], extractor: Extractor) -> CorrectionsReport:
    """Score the extractor on corrected hits; `bodies` maps article_id (sha256[:16] of the body) to the body."""
    latest = {key: (action, stance, right) for key, action, stance, right in corrections}  # the latest row wins
    found: dict[str, dict[tuple[int, str, str], Hit]] = {}
    missing = drops = drops_found = fixes = fixes_found = moves = moves_found = 0
    confusion: dict[str, dict[tuple[str, str], int]] = {}
    for (article_id, idx, platform, signal), (action, stance, right) in latest.items():
        if article_id not in bodies:
            missing += 1
            continue
        if article_id not in found:
            found[article_id] = {}
            for hit in extractor.extract(bodies[article_id]):
                found[article_id].setdefault((hit.sentence_idx, hit.platform, hit.signal), hit)
        hit = found[article_id].get((idx, platform, signal))
        if action != "stance":
            drops += 1
            drops_found += hit is not None
            if right:
                moves += 1
                moves_found += (idx, right, signal) in found[article_id]
            continue
        fixes += 1
        if hit is not None:
            fixes_found += 1
            cells = confusion.setdefault(signal, {})
            cells[(stance, hit.stance)] = cells.get((stance, hit.stance), 0) + 1
    return CorrectionsReport(len(latest), missing, drops, drops_found, fixes, fixes_found, confusion, moves,
                             moves_found)


def corrections_report(path: str | Path, data_dir: Path, extractor: Extractor) -> CorrectionsReport:
    """Score the extractor on the hits corrected in `path`, over the articles under data_dir/articles."""
    from paylens.store.sources import read_articles

    lexicon = extractor.lexicon
    platform_ids = {t.label for t in lexicon.aliases} | set(lexicon.parents.values()) | {"market"}
    fixes = load_corrections(path, platform_ids)
    bodies = {art.sha256[:16]: art.body for art in read_articles(data_dir)}
    return evaluate_corrections(fixes, bodies, extractor)


def format_corrections(report: CorrectionsReport) -> str:
    """What the extractor does today with each kind of corrected hit, then stance on the confirmed ones."""
    s = report.score
    agree = sum(n for cells in report.confusion.values() for (g, p), n in cells.items() if g == p)
    lines = [
        f"corrected hits: {report.corrections} (latest correction per hit; {report.missing_articles} whose article "
        f"is not in the corpus, not scored)",
        f"dropped by an analyst (not_signal, wrong_platform): {report.drops}; still found: {report.drops_found} "
        f"(false positives)",
        f"moved to the right platform: {report.moves}; found for it: {report.moves_found}",
        f"stance corrected (hit confirmed): {report.stance_fixes}; found: {report.stance_found}; "
        f"stance now as the analyst said: {agree}/{report.stance_found}",
        f"precision {s.precision:.3f}  recall {s.recall:.3f}  f1 {s.f1:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})",
    ]
    if report.confusion:
        lines.extend(format_confusion(report.confusion))
    return "\n".join(lines)
