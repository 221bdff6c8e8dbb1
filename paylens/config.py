"""Where things live: data folder and store path, read once from env or flags."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"


@dataclass(frozen=True)
class Settings:
    """Resolved locations of the source data and the DuckDB store."""

    data_dir: Path
    db_path: Path
    read_only: bool = False  # PAYLENS_READ_ONLY=1: the dashboard refuses every write (viewers of a team deployment)


def settings(data_dir: str | Path | None = None, db_path: str | Path | None = None) -> Settings:
    """Resolve paths: explicit argument, then PAYLENS_DATA / PAYLENS_DB, then the repo defaults.

    The store may be a DuckLake (`ducklake:postgres:<dsn>`, data files in PAYLENS_LAKE_DATA): `db_path` then holds
    that spec, checked here (InputError, exit 2, when it or PAYLENS_LAKE_DATA is wrong) and served by store.lake.
    """
    data = Path(data_dir or os.environ.get("PAYLENS_DATA") or PROJECT_ROOT / "data")
    db = Path(db_path or os.environ.get("PAYLENS_DB") or data / "build" / "paylens.duckdb")
    if str(db).startswith("ducklake:"):
        from paylens.store.lake import parse_spec

        parse_spec(db)
    return Settings(data_dir=data, db_path=db, read_only=os.environ.get("PAYLENS_READ_ONLY", "") == "1")
