"""Analysts' corrections of signal hits, kept in data/corrections.csv and applied at every build.

One row per correction: the hit's natural key (article_id, sentence_idx, platform_id, signal), what was wrong
(`not_signal` drops the hit; `wrong_platform` drops it, or moves it to `right_platform` when the analyst names the
platform the sentence is about; `stance` replaces its stance), why, who and when. The file is versioned with the
rest of data/, so a rebuild reproduces every correction; the latest row for a key wins. Files written before
`right_platform` existed (its first nine columns) are read as they are and rewritten whole at the next
correction. A
correction whose hit the extractor no longer finds stays in the store's `hit_corrections` table with
`applied = false` (and zero hits), so nothing an analyst said is silently lost.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from paylens.errors import InputError
from paylens.signals.taxonomy import SIGNAL_IDS, STANCES
from paylens.store.metrics_csv import FORMULA_PREFIXES

FILE = "corrections.csv"
LEGACY_COLUMNS = ("article_id", "sentence_idx", "platform_id", "signal", "action", "stance", "reason", "who",
                  "corrected_at")
COLUMNS = (*LEGACY_COLUMNS, "right_platform")  # last, so a file of the first version is a prefix of each row
ACTIONS = ("wrong_platform", "stance", "not_signal")
DROPS = frozenset(("wrong_platform", "not_signal"))
MAX_TEXT = 500  # characters of a reason or a name
_ARTICLE_ID = re.compile(r"^[0-9a-f]{16}$")
STORE_COLUMNS = (*COLUMNS, "applied", "hits")


@dataclass(frozen=True)
class Correction:
    """One analyst's correction of one hit."""

    article_id: str
    sentence_idx: int
    platform_id: str
    signal: str
    action: str
    stance: str
    reason: str
    who: str
    corrected_at: datetime
    right_platform: str = ""  # wrong_platform only: the platform the hit moves to ('' drops it)

    @property
    def key(self) -> tuple[str, int, str, str]:
        """The hit's natural key."""
        return (self.article_id, self.sentence_idx, self.platform_id, self.signal)


def hit_key(article_id: str, sentence_idx: int, platform_id: str, signal: str) -> str:
    """A hit's id as the CLI takes it: `article_id:sentence_idx:platform_id:signal`."""
    return f"{article_id}:{int(sentence_idx)}:{platform_id}:{signal}"


def parse_hit_key(text: str, platform_ids: set[str], where: str = "HIT_KEY:1") -> tuple[str, int, str, str]:
    """(article_id, sentence_idx, platform_id, signal) from `article_id:sentence_idx:platform_id:signal`."""
    parts = text.strip().split(":")
    if len(parts) != 4:
        raise InputError(f"{where}: {text!r} is not article_id:sentence_idx:platform_id:signal "
                         f"(the columns of `paylens export signal_evidence`)")
    article_id, idx, platform_id, signal = parts
    problems = _key_problems(article_id, idx, platform_id, signal, platform_ids)
    if problems:
        raise InputError([f"{where}: {p}" for p in problems])
    return article_id, int(idx), platform_id, signal


def _key_problems(article_id: str, idx: str, platform_id: str, signal: str, platform_ids: set[str]) -> list[str]:
    problems = []
    if not _ARTICLE_ID.match(article_id):
        problems.append(f"article_id {article_id!r} is not 16 lowercase hex digits")
    if not (idx.isascii() and idx.isdigit() and len(idx) <= 9):
        problems.append(f"sentence_idx {idx!r} is not a whole number")
    if platform_id not in platform_ids:
        problems.append(f"unknown platform_id {platform_id!r}")
    if signal not in SIGNAL_IDS:
        problems.append(f"unknown signal {signal!r} (one of {', '.join(SIGNAL_IDS)})")
    return problems


def _text_problems(name: str, value: str) -> list[str]:
    if not value.strip():
        return [f"{name} is empty: say {'why the hit is wrong' if name == 'reason' else 'who corrected it'}"]
    problems = []
    if len(value) > MAX_TEXT:
        problems.append(f"{name} is longer than {MAX_TEXT} characters")
    if value.strip().startswith(FORMULA_PREFIXES):
        problems.append(f"{name} starts with {value.strip()[:1]!r}, which a spreadsheet would run as a formula")
    if "\n" in value or "\r" in value:
        problems.append(f"{name} spans several lines; keep it to one")
    return problems


def check(action: str, stance: str, reason: str, who: str, right_platform: str = "", platform_id: str = "",
          platform_ids: set[str] | None = None) -> list[str]:
    """What is wrong with a correction's fields (empty when nothing)."""
    problems = []
    if action not in ACTIONS:
        problems.append(f"action {action!r} is not one of {', '.join(ACTIONS)}")
    elif action == "stance" and stance not in STANCES:
        problems.append(f"stance {stance!r} is not one of {', '.join(STANCES)}")
    elif action != "stance" and stance:
        problems.append(f"stance is only given with action 'stance', not {action!r}")
    if right_platform:
        if action != "wrong_platform":
            problems.append(f"right_platform is only given with action 'wrong_platform', not {action!r}")
        elif platform_ids is not None and right_platform not in platform_ids:
            problems.append(f"unknown right_platform {right_platform!r}")
        elif right_platform == platform_id:
            problems.append(f"right_platform {right_platform!r} is the hit's own platform")
    return problems + _text_problems("reason", reason) + _text_problems("who", who)


def read_corrections(data_dir: Path, platform_ids: set[str]) -> list[Correction]:
    """data/corrections.csv validated (no file: no corrections); InputError lists every bad row."""
    path = data_dir / FILE
    return read_corrections_file(path, f"data/{FILE}", platform_ids) if path.is_file() else []


def read_corrections_file(path: Path, name: str, platform_ids: set[str]) -> list[Correction]:
    """A corrections CSV (either version of the columns) validated; problems are named `name:LINE: ...`."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}:1: invalid UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = tuple(reader.fieldnames or ())
    if columns not in (COLUMNS, LEGACY_COLUMNS):
        raise InputError(f"{name}:1: bad header; expected {','.join(COLUMNS)}")
    out, problems, line = [], [], 1
    for rec in reader:
        where = f"{name}:{line + 1}"
        line = reader.line_num
        if None in rec or any(v is None for v in rec.values()):
            problems.append(f"{where}: expected {len(columns)} fields")
            continue
        right = rec.get("right_platform", "")
        errs = _key_problems(rec["article_id"], rec["sentence_idx"], rec["platform_id"], rec["signal"], platform_ids)
        errs += check(rec["action"], rec["stance"], rec["reason"], rec["who"], right, rec["platform_id"], platform_ids)
        try:
            when = datetime.fromisoformat(rec["corrected_at"].replace("Z", "+00:00"))
        except ValueError:
            errs.append(f"corrected_at {rec['corrected_at']!r} is not an ISO date and time")
        if errs:
            problems.extend(f"{where}: {e}" for e in errs)
            continue
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        out.append(Correction(rec["article_id"], int(rec["sentence_idx"]), rec["platform_id"], rec["signal"],
                              rec["action"], rec["stance"], rec["reason"], rec["who"], when, right))
    if problems:
        raise InputError(problems)
    return out


def apply_corrections(hits: list[dict], corrections: list[Correction]) -> tuple[list[dict], list[dict]]:
    """Hits with the corrections applied, and one store row per correction (the latest per key is applied).

    A dropped, moved or re-stanced hit is every row of its key (a threat sentence may hold one row per rival). A
    hit moved to its right platform keeps its sentence, stance and score; a rival that is that platform becomes
    unnamed; a hit the right platform already has there is not doubled.
    """
    latest = {c.key: c for c in corrections}
    touched: dict[tuple[str, int, str, str], int] = {}
    out, moved = [], []
    for hit in hits:
        key = (hit["article_id"], hit["sentence_idx"], hit["platform_id"], hit["signal"])
        fix = latest.get(key)
        if fix is None:
            out.append(hit)
            continue
        touched[key] = touched.get(key, 0) + 1
        if fix.right_platform:
            right = fix.right_platform
            moved.append({**hit, "platform_id": right, "rival": "" if hit.get("rival") == right else hit.get("rival")})
        elif fix.action not in DROPS:
            out.append({**hit, "stance": fix.stance})
    have = {_row_key(h) for h in out}
    for hit in moved:
        if _row_key(hit) not in have:
            have.add(_row_key(hit))
            out.append(hit)
    rows = []
    for c in corrections:
        current = latest[c.key] is c
        rows.append({**asdict(c), "applied": current and c.key in touched,
                     "hits": touched.get(c.key, 0) if current else 0})
    return out, rows


def _row_key(hit: dict) -> tuple:
    return (hit["article_id"], hit["sentence_idx"], hit["platform_id"], hit["signal"], hit.get("rival", ""))


def correction_line(c: Correction) -> str:
    """One CSV line of data/corrections.csv."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.article_id, c.sentence_idx, c.platform_id, c.signal, c.action, c.stance, c.reason, c.who,
                     c.corrected_at.isoformat(timespec="seconds"), c.right_platform])
    return buf.getvalue()


def header_line() -> str:
    """The file's header line."""
    return ",".join(COLUMNS) + "\n"
