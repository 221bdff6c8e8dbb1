"""Shared fixtures: a tiny data folder cut from the real reference data, and a store built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paylens.config import PROJECT_ROOT, settings
from paylens.store.build import build

DATA = PROJECT_ROOT / "data"
# A frozen cut of data/ (see tests/fixture_data/README.md): editing data/ never changes test results.
FIXTURE = Path(__file__).parent / "fixture_data"


def make_fixture_data(target: Path) -> Path:
    """Write the small fixture data folder (tests/fixture_data + the live lexicon) into target."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("platforms.csv", "metrics.csv", "events.csv"):
        shutil.copy(FIXTURE / name, target / name)
    shutil.copytree(FIXTURE / "articles", target / "articles")
    shutil.copytree(DATA / "lexicon", target / "lexicon")
    return target


@pytest.fixture(scope="session")
def fixture_data(tmp_path_factory) -> Path:
    """A read-only-by-convention tiny data folder for the whole session."""
    return make_fixture_data(tmp_path_factory.mktemp("fixture") / "data")


@pytest.fixture(scope="session")
def fixture_store(fixture_data: Path, tmp_path_factory) -> Path:
    """The store built once from fixture_data."""
    db = tmp_path_factory.mktemp("store") / "paylens.duckdb"
    build(settings(fixture_data, db))
    return db


@pytest.fixture
def data_copy(fixture_data: Path, tmp_path: Path) -> Path:
    """A writable copy of the fixture data for tests that import or ingest."""
    dst = tmp_path / "data"
    shutil.copytree(fixture_data, dst)
    return dst


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes under folder, to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def _no_paylens_env(monkeypatch):
    """Every test starts without PAYLENS_* settings from the shell (a test that needs one sets it itself)."""
    import os

    for name in [n for n in os.environ if n.startswith("PAYLENS_")]:
        monkeypatch.delenv(name)
