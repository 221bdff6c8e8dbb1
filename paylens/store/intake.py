"""Add analyst files to data/ and rebuild, all or nothing."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from paylens.config import Settings
from paylens.errors import InputError
from paylens.store import metrics_csv
from paylens.store.build import BuildResult, build_locked, lock_for
from paylens.store.sources import read_articles, read_metrics, read_platforms


@dataclass(frozen=True)
class IntakeResult:
    """What an import or ingest added."""

    added: int
    skipped: int
    saved: list[Path]
    build: BuildResult | None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a new source file so a crash never leaves half of it in data/."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _clean_partial_writes(folders: set[Path]) -> None:
    """Remove half-written source files a killed import left behind (caller holds the lock)."""
    for folder in folders:
        for leftover in folder.glob(".*.tmp-*"):
            leftover.unlink(missing_ok=True)


def _commit(cfg: Settings, files: dict[Path, bytes]) -> BuildResult:
    """Save files then rebuild; if the rebuild fails, remove them again (caller holds the lock)."""
    _clean_partial_writes({path.parent for path in files})
    saved: list[Path] = []
    try:
        for path, data in files.items():
            _write_atomic(path, data)
            saved.append(path)
        return build_locked(cfg)
    except BaseException:
        for path in saved:
            path.unlink(missing_ok=True)
        raise


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


def import_metrics(cfg: Settings, csv_path: Path) -> IntakeResult:
    """Validate a metrics CSV; save it under data/imports/ and rebuild if it adds rows."""
    data = _read_capped(csv_path, metrics_csv.MAX_BYTES)
    # Validate before taking the lock, so bad input creates nothing (not even the lock file).
    platforms = {p["platform_id"] for p in read_platforms(cfg.data_dir)}
    rows = metrics_csv.parse(data, str(csv_path), platforms)
    with lock_for(cfg.db_path):  # the rebuild below re-validates everything under the lock
        existing = {r.key() for r in read_metrics(cfg.data_dir, platforms)}
        new = [r for r in rows if r.key() not in existing]
        if not new:
            return IntakeResult(0, len(rows), [], None)
        digest = hashlib.sha256(data).hexdigest()[:12]
        target = cfg.data_dir / "imports" / f"{digest}-{_safe_name(csv_path.stem)[:60]}.csv"
        result = _commit(cfg, {target: data})
        return IntakeResult(len(new), len(rows) - len(new), [target], result)


def article_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their .txt/.md files; keep files as given."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".txt", ".md")))
        else:
            out.append(path)
    return out


def ingest_articles(cfg: Settings, paths: list[Path]) -> IntakeResult:
    """Validate article files; save the new ones into data/articles/ and rebuild."""
    from paylens.signals.articles import parse_article

    files = article_files(paths)
    if not files:
        raise InputError([f"{p}:1: no .txt or .md article files here" for p in paths])
    problems, parsed = [], []
    for path in files:
        if path.suffix not in (".txt", ".md"):
            problems.append(f"{path}:1: articles must be .txt or .md files")
            continue
        try:
            parsed.append((path, parse_article(path)))
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
        for path, art in parsed:
            if art.sha256 in known:
                continue
            known.add(art.sha256)
            stem = _safe_name(path.stem)
            target = folder / f"{stem}{path.suffix}"
            if target.exists() or target in to_save:
                target = folder / f"{stem}-{art.sha256[:8]}{path.suffix}"
            to_save[target] = path.read_bytes()
        if not to_save:
            return IntakeResult(0, len(parsed), [], None)
        result = _commit(cfg, to_save)
        return IntakeResult(len(to_save), len(parsed) - len(to_save), list(to_save), result)
