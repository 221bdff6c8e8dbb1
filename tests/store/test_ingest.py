"""`paylens ingest`: new articles are saved into data/articles/ and the store rebuilt; duplicates add nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.store.build import build
from paylens.store.sources import digest
from tests.conftest import snapshot_tree

PAYLENS = Path(sys.executable).with_name("paylens")
ARTICLE = "title: {title}\ndate: 2025-03-04\npublisher: PayLens test\n\n{body}\n"


@pytest.fixture
def live(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "store" / "paylens.duckdb"
    build(settings(data_copy, db))
    return data_copy, db


def write_article(path: Path, title: str, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ARTICLE.format(title=title, body=body), encoding="utf-8")
    return path


def ingest(data: Path, db: Path, *paths: Path):
    return CliRunner().invoke(cli, ["ingest", *map(str, paths), "--data", str(data), "--db", str(db)],
                              catch_exceptions=False)


def articles(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select file, title, body from articles where publisher = 'PayLens test' "
                           "order by file").fetchall()
    finally:
        con.close()


def test_new_article_is_saved_and_built(live, tmp_path):
    data, db = live
    src = write_article(tmp_path / "in" / "tap.txt", "Tap push", "Alipay pays merchants to install tap devices.")
    result = ingest(data, db, src)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"added 1 article (0 already in the corpus)\n  saved {data / 'articles' / 'tap.txt'}\n"
    assert (data / "articles" / "tap.txt").read_bytes() == src.read_bytes()
    assert articles(db) == [("data/articles/tap.txt", "Tap push", "Alipay pays merchants to install tap devices.")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select build_id from build_info").fetchone()[0] == digest(data)
    finally:
        con.close()


def test_same_body_again_adds_nothing_and_changes_nothing(live, tmp_path):
    data, db = live
    src = write_article(tmp_path / "in" / "a.txt", "First", "Alipay and WeChat Pay compete.")
    assert ingest(data, db, src).exit_code == 0
    twin = write_article(tmp_path / "in" / "b.txt", "Other title, same body", "Alipay and WeChat Pay compete.")
    before, db_before = snapshot_tree(data), db.read_bytes()
    result = ingest(data, db, src, twin)
    assert (result.exit_code, result.stdout) == (0, "added 0 articles (2 already in the corpus)\n")
    assert (snapshot_tree(data), db.read_bytes()) == (before, db_before)


def test_two_files_with_one_body_in_a_batch_keep_the_first(live, tmp_path):
    data, db = live
    a = write_article(tmp_path / "in" / "a.txt", "A", "UnionPay opens up its QR codes.")
    b = write_article(tmp_path / "in" / "b.txt", "B", "UnionPay opens up its QR codes.")
    result = ingest(data, db, a, b)
    assert result.stdout.splitlines()[0] == "added 1 article (1 already in the corpus)"
    assert [row[:2] for row in articles(db)] == [("data/articles/a.txt", "A")]


def test_a_folder_is_expanded_and_name_clashes_get_the_body_hash(live, tmp_path):
    data, db = live
    existing = sorted((data / "articles").glob("*.txt"))[0].name
    write_article(tmp_path / "in" / existing, "Clash", "JD Pay links with WeChat Pay.")
    write_article(tmp_path / "in" / "sub" / "deep.md", "Deep", "Douyin Pay grows inside the app.")
    (tmp_path / "in" / "notes.csv").write_text("not,an,article\n", encoding="utf-8")  # ignored: not .txt/.md
    result = ingest(data, db, tmp_path / "in")
    assert result.exit_code == 0, result.stderr
    saved = sorted(p.name for p in (data / "articles").iterdir())
    clash = [n for n in saved if n.startswith(Path(existing).stem + "-")]
    assert len(clash) == 1 and clash[0].endswith(".txt") and len(clash[0]) == len(existing) + 9
    assert "deep.md" in saved
    assert {row[1] for row in articles(db)} == {"Clash", "Deep"}


def test_odd_file_names_are_saved_under_safe_names(live, tmp_path):
    data, db = live
    src = write_article(tmp_path / "in" / "evil\nname $(rm -rf).txt", "Odd name", "Meituan Pay blocks Alipay.")
    result = ingest(data, db, src)
    assert result.exit_code == 0, result.stderr
    assert (data / "articles" / "evil_name_rm_-rf_.txt").read_bytes() == src.read_bytes()


def test_a_folder_without_articles_is_bad_input(live, tmp_path):
    data, db = live
    (tmp_path / "empty").mkdir()
    before, db_before = snapshot_tree(data), db.read_bytes()
    result = ingest(data, db, tmp_path / "empty")
    assert (result.exit_code, result.stderr) == (2, f"{tmp_path / 'empty'}:1: no .txt or .md article files here\n")
    assert (snapshot_tree(data), db.read_bytes()) == (before, db_before)


def test_ingest_through_the_installed_command(live, tmp_path):
    data, db = live
    good = write_article(tmp_path / "in" / "good.txt", "Good", "Alipay launched an AI assistant.")
    bad = tmp_path / "in" / "bad.txt"
    bad.write_bytes(b"title: Bad\n\n\xc3(")
    env = {**os.environ, "PAYLENS_DATA": str(data), "PAYLENS_DB": str(db)}
    before, db_before = snapshot_tree(data), db.read_bytes()
    failed = subprocess.run([str(PAYLENS), "ingest", str(good), str(bad)], env=env, capture_output=True, text=True,
                            timeout=120)
    assert (failed.returncode, failed.stderr) == (2, f"{bad}:3: invalid UTF-8 (byte 0xc3)\n")
    assert (snapshot_tree(data), db.read_bytes()) == (before, db_before)
    ok = subprocess.run([str(PAYLENS), "ingest", str(good)], env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert [row[1] for row in articles(db)] == ["Good"]


def test_an_article_saved_by_a_killed_ingest_is_built_by_the_next_one(live, tmp_path):
    """State a SIGKILL between saving and swapping leaves: the file is in data/articles/, the store is older."""
    data, db = live
    src = write_article(tmp_path / "in" / "late.txt", "Late", "Alipay answered WeChat Pay's red packets.")
    (data / "articles" / "late.txt").write_bytes(src.read_bytes())
    assert articles(db) == []
    result = ingest(data, db, src)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "added 0 articles (1 already in the corpus)"
    assert lines[1].startswith("  the store lagged behind data/ and was rebuilt (build ")
    assert [row[1] for row in articles(db)] == ["Late"]
