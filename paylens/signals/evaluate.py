"""Score the extractor against a labelled gold CSV, sentence by sentence."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paylens.errors import InputError
from paylens.signals.extract import Extractor, Hit
from paylens.signals.taxonomy import SIGNAL_IDS, STANCES

GOLD_COLUMNS = ("id", "split", "lang", "platform_context", "text", "labels", "source_url", "note")


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
        ))
    if problems:
        raise InputError(problems)
    return rows


def evaluate(rows: Iterable[GoldRow], extractor: Extractor, split: str | None = None) -> Report:
    """Score sentence-level signal detection on the rows of one split (None: all rows)."""
    counts = {s: [0, 0, 0] for s in SIGNAL_IDS}
    stance = [0, 0]
    platform = [0, 0]
    results = []
    chosen = [r for r in rows if split is None or r.split == split]
    for row in chosen:
        hits = extractor.extract(row.text, default_platform=row.platform_context)
        predicted = frozenset(h.signal for h in hits)
        gold = frozenset(label.signal for label in row.labels)
        for signal in SIGNAL_IDS:
            tally = counts[signal]
            if signal in predicted and signal in gold:
                tally[0] += 1
            elif signal in predicted:
                tally[1] += 1
            elif signal in gold:
                tally[2] += 1
        for label in row.labels:
            if label.signal in predicted:
                _judge(label, [h for h in hits if h.signal == label.signal], stance, platform)
        results.append(RowResult(row, predicted, gold, tuple(hits)))
    return Report(
        split=split, rows=len(chosen),
        signals=tuple(SignalScore(s, *counts[s]) for s in SIGNAL_IDS),
        stance_correct=stance[0], stance_total=stance[1],
        platform_correct=platform[0], platform_total=platform[1], results=tuple(results),
    )


def format_report(report: Report) -> str:
    """A fixed-width table: one line per signal, then micro average and accuracies."""
    head = f"{'signal':28} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6} {'f1':>6}"
    lines = [f"split: {report.split or 'all'}  rows: {report.rows}", head, "-" * len(head)]
    for s in (*report.signals, report.micro):
        if s.signal == "micro":
            lines.append("-" * len(head))
        lines.append(f"{s.signal:28} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    lines.append(f"stance accuracy (matched signals):   {report.stance_accuracy:.3f} "
                 f"({report.stance_correct}/{report.stance_total})")
    lines.append(f"platform accuracy (matched signals): {report.platform_accuracy:.3f} "
                 f"({report.platform_correct}/{report.platform_total})")
    return "\n".join(lines)


def _judge(label: Label, hits: list[Hit], stance: list[int], platform: list[int]) -> None:
    """Tally platform and stance agreement for one gold label whose signal was predicted."""
    same = [h for h in hits if h.platform == label.platform]
    platform[1] += 1
    platform[0] += bool(same)
    stance[1] += 1
    stance[0] += (same or hits)[0].stance == label.stance


def _f1(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
