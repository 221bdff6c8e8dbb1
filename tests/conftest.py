"""Shared fixtures: a tiny data folder cut from the real reference data, and a store built from it."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from paylens.config import PROJECT_ROOT, settings
from paylens.store.build import build

DATA = PROJECT_ROOT / "data"
# A few metrics that exercise every code path: two firms' share series, a multi-unit metric, users.
FIXTURE_METRICS = (
    "market_share_third_party_mobile_payment_analysys",
    "market_share_third_party_mobile_payment_iresearch",
    "ant_group_net_profit_estimate",
    "monthly_active_users",
    "tencent_fintech_business_services_revenue",
)
FIXTURE_ARTICLES = 4


def _subset_csv(src: Path, dst: Path, keep) -> int:
    text = src.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [r for r in reader if keep(r)]
    with dst.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def make_fixture_data(target: Path) -> Path:
    """Write a small but real data folder (subset of data/) into target."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "platforms.csv", target / "platforms.csv")
    _subset_csv(DATA / "metrics.csv", target / "metrics.csv", lambda r: r["metric"] in FIXTURE_METRICS)
    _subset_csv(DATA / "events.csv", target / "events.csv",
                lambda r: r["platform_id"] in ("alipay", "wechat_pay", "jd_pay", "market"))
    shutil.copytree(DATA / "lexicon", target / "lexicon")
    (target / "articles").mkdir()
    articles = sorted((DATA / "articles").glob("*.txt"))
    picked = [a for a in articles if "traffic-anxiety" in a.name] + [
        a for a in articles if "traffic-anxiety" not in a.name][: FIXTURE_ARTICLES - 1]
    for art in picked:
        shutil.copy(art, target / "articles" / art.name)
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
