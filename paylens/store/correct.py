"""`paylens correct`: save an analyst's correction of one hit in data/corrections.csv, then rebuild the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from paylens.config import Settings
from paylens.errors import InputError
from paylens.store.build import BuildResult, lock_for
from paylens.store.corrections import (
    FILE,
    Correction,
    check,
    correction_line,
    header_line,
    parse_hit_key,
    read_corrections,
)
from paylens.store.intake import _clean_partial_writes, _commit
from paylens.store.sources import read_platforms


@dataclass(frozen=True)
class CorrectResult:
    """The saved correction and the build that applied it."""

    correction: Correction
    build: BuildResult
    corrected_hits: int  # hits the store now counts as corrected by analysts (all corrections)


def correct_hit(cfg: Settings, key: str, action: str, stance: str, reason: str, who: str,
                now: datetime | None = None, right_platform: str = "") -> CorrectResult:
    """Validate, append to data/corrections.csv and rebuild; InputError (nothing written) on bad input.

    The hit must be in the store, or already corrected (to change an earlier correction: the latest wins). A
    wrong platform with a right_platform moves the hit there; without one it is dropped.
    """
    platforms = {p["platform_id"] for p in read_platforms(cfg.data_dir)}
    article_id, idx, platform_id, signal = parse_hit_key(key, platforms)
    problems = check(action, stance, reason, who, right_platform, platform_id, platforms)
    if problems:
        raise InputError([f"correct:1: {p}" for p in problems])
    with lock_for(cfg.db_path):
        _clean_partial_writes({cfg.data_dir})
        existing = read_corrections(cfg.data_dir, platforms)
        wanted = (article_id, idx, platform_id, signal)
        if wanted not in {c.key for c in existing} and not _in_store(cfg, wanted):
            raise InputError(f"HIT_KEY:1: no hit {key} in the store (rebuild with `paylens build` if data/ "
                             f"changed; `paylens export signal_evidence` lists hits with these columns)")
        when = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
        fix = Correction(article_id, idx, platform_id, signal, action, stance if action == "stance" else "",
                         reason.strip(), who.strip(), when, right_platform)
        path = cfg.data_dir / FILE
        old = path.read_bytes() if path.is_file() else header_line().encode("utf-8")
        if not old.lstrip(b"\xef\xbb\xbf").startswith(header_line().encode("utf-8")):
            # a file of the first version (no right_platform): rewritten whole in this one, every row kept
            old = (header_line() + "".join(correction_line(c) for c in existing)).encode("utf-8")
        if old and not old.endswith(b"\n"):
            old += b"\n"
        result = _commit(cfg, {path: old + correction_line(fix).encode("utf-8")})
    return CorrectResult(fix, result, corrected_hits(cfg))


def corrected_hits(cfg: Settings) -> int:
    """Hits the store counts as corrected by analysts (dropped or given another stance)."""
    from paylens.store.reader import open_store

    con = open_store(cfg.db_path)
    try:
        return int(con.execute("select coalesce(sum(hits), 0) from hit_corrections where applied").fetchone()[0])
    finally:
        con.close()


def _in_store(cfg: Settings, key: tuple[str, int, str, str]) -> bool:
    """Whether the live store holds a hit with this natural key."""
    from paylens.store.reader import open_store

    con = open_store(cfg.db_path)
    try:
        row = con.execute("select count(*) from signal_hits where article_id = ? and sentence_idx = ? "
                          "and platform_id = ? and signal = ?", list(key)).fetchone()
    finally:
        con.close()
    return bool(row and row[0])
