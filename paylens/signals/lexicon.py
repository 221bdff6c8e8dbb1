"""Load and validate the lexicon CSVs in data/lexicon/ into Term records."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from paylens.errors import InputError
from paylens.signals.taxonomy import LANGS, SIGNAL_IDS, STANCES

ALIASES_FILE = "platforms_aliases.csv"
SIGNALS_FILE = "signals.csv"
POLARITY_FILE = "polarity.csv"
MASKS_FILE = "masks.csv"
DOMAIN_FILE = "domain.csv"
STANCE_FILE = "signal_stance.csv"
TRADITIONAL_FILE = "traditional_chars.csv"
PARENTS_FILE = "platform_parents.csv"
SURFACES_FILE = "commerce_surfaces.csv"
YIELDS_FILE = "yields.csv"
AI_PRODUCTS_FILE = "ai_products.csv"
ARTICLE_RULES_FILE = "article_rules.csv"
SURFACE_WEIGHT = 0.05  # a shopping app named alone says little; the extractor raises it when a rival's payment is named
POLARITY_KINDS: tuple[str, ...] = ("positive", "negative", "negation", "denial", "hedge", "remedy")
CASE_MODES: tuple[str, ...] = ("any", "exact")
T = TypeVar("T")
_PLATFORM_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry: kind is alias, signal, polarity, domain or mask; label is its id or polarity kind."""

    kind: str
    label: str
    text: str
    lang: str
    weight: float = 1.0
    exact_case: bool = False


@dataclass(frozen=True, slots=True)
class ArticleRules:
    """Settings of the whole-article pass (article_rules.csv; paylens.signals.article_scoring)."""

    name_lead_sentences: int = 0  # an app's name is theme evidence in the first N sentences naming it (0: off)


@dataclass(frozen=True)
class Lexicon:
    """Every term of the lexicon files, plus each signal's default stance."""

    aliases: tuple[Term, ...]
    signals: tuple[Term, ...]
    polarity: tuple[Term, ...]
    domain: tuple[Term, ...]
    masks: tuple[Term, ...]
    default_stance: dict[str, str]
    traditional: dict[str, str]  # traditional character -> simplified, folded before matching
    parents: dict[str, str]  # AI product id -> the payment platform it belongs to
    surfaces: dict[str, str] = field(default_factory=dict)  # shopping app name (lowercase) -> its group's platform
    # (signal, other signal) -> the word weight the first needs to stand beside the second in a sentence
    yields: dict[tuple[str, str], float] = field(default_factory=dict)
    ai_products: frozenset[str] = frozenset()  # AI assistant apps (元宝, 千问), not payment platforms
    article_rules: ArticleRules = ArticleRules()  # thresholds of the whole-article pass

    @property
    def terms(self) -> tuple[Term, ...]:
        """All terms, in file order."""
        return self.aliases + self.signals + self.polarity + self.domain + self.masks

    @property
    def platform_ids(self) -> tuple[str, ...]:
        """Platform ids that have at least one alias, sorted."""
        return tuple(sorted({t.label for t in self.aliases}))


def load_lexicon(lexicon_dir: str | Path) -> Lexicon:
    """Read the lexicon CSVs; raise InputError listing every bad row."""
    folder = Path(lexicon_dir)
    problems: list[str] = []
    aliases = _load(folder / ALIASES_FILE, ("platform_id", "alias", "lang"), _alias, problems)
    signals = _load(folder / SIGNALS_FILE, ("signal", "lang", "term", "weight"), _signal, problems)
    polarity = _load(folder / POLARITY_FILE, ("lang", "term", "kind", "weight"), _polarity, problems)
    domain = _load(folder / DOMAIN_FILE, ("lang", "term"), _domain, problems)
    masks = _load(folder / MASKS_FILE, ("lang", "term"), _mask, problems)
    stances = _load(folder / STANCE_FILE, ("signal", "default_stance"), _stance, problems)
    traditional = _load(folder / TRADITIONAL_FILE, ("traditional", "simplified"), _char_pair, problems)
    parents = _load(folder / PARENTS_FILE, ("platform_id", "parent_platform_id"), _parent, problems)
    surfaces = _load(folder / SURFACES_FILE, ("platform_id", "surface", "lang"), _surface, problems)
    yields = _load(folder / YIELDS_FILE, ("signal", "yields_to", "strong_at"), _yield, problems)
    ai_products = _load(folder / AI_PRODUCTS_FILE, ("platform_id",), _ai_product, problems)
    settings = _load(folder / ARTICLE_RULES_FILE, ("setting", "value"), _article_setting, problems)
    article_rules = _article_rules(dict(settings), folder / ARTICLE_RULES_FILE, problems)
    if problems:
        raise InputError(problems)
    default_stance = {signal: "neutral" for signal in SIGNAL_IDS}
    default_stance.update(stances)
    listed = {(t.label, t.text.lower()) for t in signals}
    signals += [t for _, t in surfaces if (t.label, t.text.lower()) not in listed]  # the matcher must see them
    return Lexicon(tuple(aliases), tuple(signals), tuple(polarity), tuple(domain), tuple(masks), default_stance,
                   dict(traditional), dict(parents), {t.text.lower(): pid for pid, t in surfaces}, dict(yields),
                   frozenset(ai_products), article_rules)


def _load(path: Path, required: tuple[str, ...], build: Callable[[dict[str, str], str, list[str]], T | None],
          problems: list[str]) -> list[T]:
    """Parse one CSV with `build(row, where, problems)` per row, keeping the rows it accepts."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}:1: cannot read lexicon file: {exc}")
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(f"{path}:1: missing column(s) {', '.join(missing)}")
        return []
    terms: list[T] = []
    for row in reader:
        where = f"{path}:{reader.line_num}"
        term = build({k: (v or "").strip() for k, v in row.items() if k}, where, problems)
        if term is not None:
            terms.append(term)
    return terms


def _alias(row: dict[str, str], where: str, problems: list[str]) -> Term | None:
    """A platform alias row."""
    ok = _check_text(row["alias"], row["lang"], where, problems)
    ok = _check_platform(row["platform_id"], where, problems) and ok
    case = row.get("case") or "any"
    if case not in CASE_MODES:
        problems.append(f"{where}: case must be one of {', '.join(CASE_MODES)}, not {case!r}")
        ok = False
    return Term("alias", row["platform_id"], row["alias"], row["lang"], 1.0, case == "exact") if ok else None


def _signal(row: dict[str, str], where: str, problems: list[str]) -> Term | None:
    """A signal term row."""
    ok = _check_text(row["term"], row["lang"], where, problems)
    ok = _check_signal(row["signal"], where, problems) and ok
    weight = _weight(row["weight"], where, problems)
    return Term("signal", row["signal"], row["term"], row["lang"], weight) if ok and weight else None


def _polarity(row: dict[str, str], where: str, problems: list[str]) -> Term | None:
    """A polarity term row."""
    ok = _check_text(row["term"], row["lang"], where, problems)
    if row["kind"] not in POLARITY_KINDS:
        problems.append(f"{where}: kind must be one of {', '.join(POLARITY_KINDS)}, not {row['kind']!r}")
        ok = False
    weight = _weight(row["weight"], where, problems)
    return Term("polarity", row["kind"], row["term"], row["lang"], weight) if ok and weight else None


def _domain(row: dict[str, str], where: str, problems: list[str]) -> Term | None:
    """A payment-domain word: evidence that a sentence is about payments (支付, wallet, merchant)."""
    ok = _check_text(row["term"], row["lang"], where, problems)
    return Term("domain", "", row["term"], row["lang"]) if ok else None


def _stance(row: dict[str, str], where: str, problems: list[str]) -> tuple[str, str] | None:
    """A signal's default stance, used when a sentence carries no polar words."""
    ok = _check_signal(row["signal"], where, problems)
    if row["default_stance"] not in STANCES:
        problems.append(f"{where}: default_stance must be one of {', '.join(STANCES)}, not {row['default_stance']!r}")
        ok = False
    return (row["signal"], row["default_stance"]) if ok else None


def _parent(row: dict[str, str], where: str, problems: list[str]) -> tuple[str, str] | None:
    """A product -> payment platform pair: hits on the product also count for the platform."""
    child, parent = row["platform_id"], row["parent_platform_id"]
    if not (_PLATFORM_ID.match(child) and _PLATFORM_ID.match(parent)):
        problems.append(f"{where}: bad platform id pair {child!r} -> {parent!r}")
        return None
    return child, parent


def _ai_product(row: dict[str, str], where: str, problems: list[str]) -> str | None:
    """An AI assistant app's platform id."""
    return row["platform_id"] if _check_platform(row["platform_id"], where, problems) else None


def _article_setting(row: dict[str, str], where: str, problems: list[str]) -> tuple[str, int] | None:
    """One setting of the whole-article pass: a known name and a whole number."""
    name, value = row["setting"], row["value"]
    if name not in ArticleRules.__slots__:
        problems.append(f"{where}: unknown setting {name!r} (known: {', '.join(ArticleRules.__slots__)})")
        return None
    if not (value.isascii() and value.isdigit()):
        problems.append(f"{where}: {name} must be a whole number, not {value!r}")
        return None
    return name, int(value)


def _article_rules(settings: dict[str, int], path: Path, problems: list[str]) -> ArticleRules:
    """The article rules from their settings; each must be given (0 switches a rule off)."""
    missing = [name for name in ArticleRules.__slots__ if name not in settings]
    if missing and path.exists():  # an unreadable file is reported by _load already
        problems.append(f"{path}:1: missing setting(s) {', '.join(missing)}")
    return ArticleRules(**settings) if not missing else ArticleRules()


def _surface(row: dict[str, str], where: str, problems: list[str]) -> tuple[str, Term] | None:
    """A shopping app owned by a payment platform's group (Taobao -> alipay), as an ecosystem term."""
    ok = _check_text(row["surface"], row["lang"], where, problems)
    ok = _check_platform(row["platform_id"], where, problems) and ok
    term = Term("signal", "ecosystem_dependence", row["surface"], row["lang"], SURFACE_WEIGHT)
    return (row["platform_id"], term) if ok else None


def _yield(row: dict[str, str], where: str, problems: list[str]) -> tuple[tuple[str, str], float] | None:
    """A signal that gives way to another in its sentence unless one of its own words weighs >= strong_at."""
    ok = _check_signal(row["signal"], where, problems)
    ok = _check_signal(row["yields_to"], where, problems, "yields_to") and ok
    if ok and row["signal"] == row["yields_to"]:
        problems.append(f"{where}: a signal cannot yield to itself")
        ok = False
    weight = _weight(row["strong_at"], where, problems)
    return ((row["signal"], row["yields_to"]), weight) if ok and weight else None


def _char_pair(row: dict[str, str], where: str, problems: list[str]) -> tuple[str, str] | None:
    """A traditional -> simplified character pair (one character each)."""
    trad, simp = row["traditional"], row["simplified"]
    if len(trad) != 1 or len(simp) != 1:
        problems.append(f"{where}: traditional and simplified must be one character each")
        return None
    return trad, simp


def _mask(row: dict[str, str], where: str, problems: list[str]) -> Term | None:
    """A mask phrase row: terms inside it are ignored (tap water, traffic jam, 不断)."""
    ok = _check_text(row["term"], row["lang"], where, problems)
    return Term("mask", "", row["term"], row["lang"]) if ok else None


def _check_text(text: str, lang: str, where: str, problems: list[str]) -> bool:
    """Term text must be non-empty and lang known."""
    ok = True
    if not text:
        problems.append(f"{where}: empty term")
        ok = False
    if lang not in LANGS:
        problems.append(f"{where}: lang must be one of {', '.join(LANGS)}, not {lang!r}")
        ok = False
    return ok


def _check_signal(signal: str, where: str, problems: list[str], column: str = "signal") -> bool:
    """A signal id must be one of the taxonomy's."""
    if signal in SIGNAL_IDS:
        return True
    problems.append(f"{where}: unknown {column} {signal!r}")
    return False


def _check_platform(platform_id: str, where: str, problems: list[str]) -> bool:
    """A platform id must look like one (lowercase, digits, underscores)."""
    if _PLATFORM_ID.match(platform_id):
        return True
    problems.append(f"{where}: bad platform_id {platform_id!r}")
    return False


def _weight(value: str, where: str, problems: list[str]) -> float | None:
    """A weight in (0, 1], or None after recording a problem."""
    try:
        weight = float(value)
    except ValueError:
        weight = -1.0
    if not 0.0 < weight <= 1.0:
        problems.append(f"{where}: weight must be a number in (0, 1], not {value!r}")
        return None
    return weight
