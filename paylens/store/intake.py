"""Add analyst files to data/ and rebuild, all or nothing."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

import duckdb

from paylens.config import Settings
from paylens.errors import InputError, PaylensError
from paylens.store import metrics_csv
from paylens.store.build import BuildResult, build_locked, lock_for
from paylens.store.reader import store_error
from paylens.store.sources import digest, read_articles, read_metrics, read_platforms


@dataclass(frozen=True)
class IntakeResult:
    """What an import or ingest added."""

    added: int
    skipped: int
    saved: list[Path]
    build: BuildResult | None
    # True when nothing was new but the store lagged behind data/ (a killed import) and was rebuilt.
    caught_up: bool = False


# A half-written file's name: ends in ".partial", which no source file (.csv, .txt, .md) can, and starts
# with a dot, which no saved article can (article_name drops it); clean-up removes only exact matches.
PARTIAL_PREFIX = ".paylens-"
_PARTIAL = re.compile(r"\.paylens-[0-9]+-[0-9a-f]{12}\.partial")
ARTICLE_SUFFIXES = (".txt", ".md")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a new source file so a crash never leaves half of it in data/."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}.partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half file behind either
        if isinstance(exc, OSError):
            raise store_error(exc, path, writing=True) from exc
        raise


def _clean_partial_writes(folders: set[Path]) -> None:
    """Remove half-written files a killed import left behind (caller holds the lock); never a source file."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for leftover in folder.iterdir():
            if _PARTIAL.fullmatch(leftover.name) and not leftover.is_symlink() and leftover.is_file():
                leftover.unlink(missing_ok=True)


def _commit(cfg: Settings, files: dict[Path, bytes]) -> BuildResult:
    """Save files then rebuild; if the rebuild fails, undo them (caller holds the lock).

    A new file is removed again; a file that existed (an appended intake log) gets its old bytes back.
    """
    saved: list[tuple[Path, bytes | None]] = []
    try:
        for path, data in files.items():
            old = path.read_bytes() if path.is_file() else None
            _write_atomic(path, data)
            saved.append((path, old))
        return build_locked(cfg)
    except BaseException:
        for path, old in reversed(saved):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                _write_atomic(path, old)
        raise


def _store_matches_data(cfg: Settings) -> bool:
    """Whether the store was built from data/ as it is now (not so after an import killed mid-build)."""
    from paylens.store.reader import build_id, open_store

    try:
        con = open_store(cfg.db_path)
    except (PaylensError, duckdb.Error):
        return False
    try:
        return build_id(con) == digest(cfg.data_dir)
    except (PaylensError, duckdb.Error):
        return False
    finally:
        con.close()


def _nothing_new(cfg: Settings, skipped: int) -> IntakeResult:
    """Nothing to add; still rebuild when an earlier import saved its file but died before the swap."""
    if _store_matches_data(cfg):
        return IntakeResult(0, skipped, [], None)
    return IntakeResult(0, skipped, [], build_locked(cfg), caught_up=True)


def _read_capped(path: Path, limit: int) -> bytes:
    """A file's bytes, refusing (before reading it all) anything above the size limit."""
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"{path}:1: file is {size:,} bytes; the limit is {limit:,}")
    with path.open("rb") as fh:
        return fh.read(limit + 1)  # decode() rejects a file that grew past the limit meanwhile


def _safe_name(name: str) -> str:
    """A saved file's name: it ends up in `FILE:LINE:` messages, so no control characters or odd symbols."""
    return re.sub(r"[^\w.-]+", "_", name)


def article_name(stem: str) -> str:
    """A saved article's stem: a safe name that is not hidden (no leading '.', so never a temp file's name)."""
    return _safe_name(stem).lstrip(".") or "article"


def unused_name(folder: Path, stem: str, suffix: str, sha256: str, taken: Container[Path]) -> Path:
    """Where to save an article without writing over any file: on disk or already chosen in this batch.

    `stem.suffix` if free, else `stem-<8 hex of the body hash>.suffix`, else a longer hash, else a counter.
    """
    stem = article_name(stem)
    candidates = [f"{stem}{suffix}", f"{stem}-{sha256[:8]}{suffix}", f"{stem}-{sha256[:16]}{suffix}"]
    candidates += (f"{stem}-{sha256[:16]}-{n}{suffix}" for n in range(2, 10_000))
    for name in candidates:
        target = folder / name
        if target not in taken and not os.path.lexists(target):
            return target
    raise InputError(f"{folder / candidates[0]}:1: no free file name for this article")


# What a re-imported row must agree on with the saved row of the same natural key: the number it charts.
# (Wording such as a note or a title may differ; the saved row's text stays.)
CONFLICT_FIELDS = ("value", "unit")


def _conflict(row: metrics_csv.MetricRow, old: metrics_csv.MetricRow) -> str | None:
    """`FILE:LINE: message` when row has old's natural key but says something else, or None."""
    differ = [f for f in CONFLICT_FIELDS if getattr(row, f) != getattr(old, f)]
    if not differ:
        return None
    def show(v: object) -> str:
        return f"{v:g}" if isinstance(v, float) else repr(v)

    detail = "; ".join(f"{f} {show(getattr(old, f))} there, {show(getattr(row, f))} here" for f in differ)
    return (f"{row.source_file}:{row.source_line}: conflicts with {old.source_file}:{old.source_line}, which has "
            f"the same {', '.join(metrics_csv.NATURAL_KEY)} ({detail}); to replace it, change or remove line "
            f"{old.source_line} of {old.source_file} and import again (or give this row its own source_url)")


def import_metrics(cfg: Settings, csv_path: Path) -> IntakeResult:
    """Validate a metrics CSV; save it under data/imports/ and rebuild if it adds rows.

    A row whose natural key is already in data/ must give the same value and unit; one that differs
    is a conflict: InputError (exit 2) naming both lines, and nothing is written. Rows are streamed:
    checked one at a time and not kept, so a 20 MB file does not hold ~100k rows in memory twice.
    """
    data = _read_capped(csv_path, metrics_csv.MAX_BYTES)
    # Validate before taking the lock, so bad input creates nothing (not even the lock file).
    platforms = {p["platform_id"] for p in read_platforms(cfg.data_dir)}
    for _row in metrics_csv.iter_rows(data, str(csv_path), platforms):
        pass
    with lock_for(cfg.db_path):  # the rebuild below re-validates everything under the lock
        _clean_partial_writes({cfg.data_dir / "imports"})
        existing = {r.key(): r for r in read_metrics(cfg.data_dir, platforms)}
        total, new, conflicts = 0, 0, []
        for row in metrics_csv.iter_rows(data, str(csv_path), platforms):
            total += 1
            old = existing.get(row.key())
            if old is None:
                new += 1
            elif problem := _conflict(row, old):
                conflicts.append(problem)
        del existing
        if conflicts:
            raise InputError(conflicts)
        if not new:
            return _nothing_new(cfg, total)
        digest = hashlib.sha256(data).hexdigest()[:12]
        target = cfg.data_dir / "imports" / f"{digest}-{_safe_name(csv_path.stem)[:60]}.csv"
        result = _commit(cfg, {target: data})
        return IntakeResult(new, total - new, [target], result)


def article_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their .txt/.md files; keep files as given.

    A symbolic link found in a folder that leads outside that folder (say to /etc/passwd) is refused:
    InputError naming every such link, so nothing is added.
    """
    out: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        root = path.resolve()
        for p in sorted(path.rglob("*")):
            if p.suffix not in ARTICLE_SUFFIXES or not p.is_file():
                continue
            target = p.resolve()  # through a linked file or a linked folder on the way
            if not target.is_relative_to(root):
                problems.append(f"{p}:1: symbolic link to {target}, outside {path}; refused")
                continue
            out.append(p)
    if problems:
        raise InputError(problems)
    return out


def ingest_articles(cfg: Settings, paths: list[Path]) -> IntakeResult:
    """Validate article files; save the new ones into data/articles/ and rebuild."""
    from paylens.signals.articles import ARTICLE_MAX_BYTES, parse_article_bytes

    files = article_files(paths)
    if not files:
        raise InputError([f"{p}:1: no .txt or .md article files here" for p in paths])
    problems, parsed = [], []
    for path in files:
        if path.suffix not in (".txt", ".md"):
            problems.append(f"{path}:1: articles must be .txt or .md files")
            continue
        try:
            with path.open("rb") as fh:
                data = fh.read(ARTICLE_MAX_BYTES + 1)  # one more byte than allowed, so the parser can refuse it
            # The bytes checked are the bytes saved (the file is not read a second time).
            parsed.append((path, parse_article_bytes(data, str(path)), data))
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(f"{path}:1: cannot read: {exc.strerror}")
    if problems:
        raise InputError(problems)
    folder = cfg.data_dir / "articles"
    with lock_for(cfg.db_path):
        known = {a.sha256 for a in read_articles(cfg.data_dir)} if folder.exists() else set()
        to_save: dict[Path, bytes] = {}
        _clean_partial_writes({folder})
        for path, art, data in parsed:
            if art.sha256 in known:
                continue
            known.add(art.sha256)
            to_save[unused_name(folder, path.stem, path.suffix, art.sha256, to_save)] = data
        if not to_save:
            return _nothing_new(cfg, len(parsed))
        result = _commit(cfg, to_save)
        return IntakeResult(len(to_save), len(parsed) - len(to_save), list(to_save), result)
