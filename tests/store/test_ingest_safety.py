"""`paylens ingest` never loses an article: no overwrite by a fallback name, no clean-up of a look-alike temp
file, no symlink out of an ingested folder (issue 20, failures 3 and 4 and a weak spot)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.errors import StoreError
from paylens.store.build import build
from paylens.store.intake import _clean_partial_writes, _write_atomic, unused_name
from tests.conftest import snapshot_tree

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


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def ingest(data: Path, db: Path, *paths: Path):
    return CliRunner().invoke(cli, ["ingest", *map(str, paths), "--data", str(data), "--db", str(db)])


def titles(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("select title from articles where publisher = 'PayLens test' "
                                          "order by title").fetchall()]
    finally:
        con.close()


def three_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """coll.txt, another coll.txt, and a file named like the second one's fallback name."""
    first = write_article(tmp_path / "a" / "coll.txt", "First", "Alipay adds a tap subsidy.")
    second_body = "WeChat Pay answers with red packets."
    second = write_article(tmp_path / "b" / "coll.txt", "Second", second_body)
    third = write_article(tmp_path / "c" / f"coll-{body_hash(second_body)[:8]}.txt", "Third",
                          "UnionPay opens its QR codes to all banks.")
    return first, second, third


def test_a_fallback_name_never_overwrites_an_article_on_disk(live, tmp_path):
    data, db = live
    first, second, third = three_files(tmp_path)
    for path in (first, third, second):  # the third's name is the second's fallback name, already on disk
        result = ingest(data, db, path)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("added 1 article ")
    assert titles(db) == ["First", "Second", "Third"]
    saved = {p.read_text(encoding="utf-8") for p in (data / "articles").iterdir()}
    assert {first.read_text(), second.read_text(), third.read_text()} <= saved


def test_a_fallback_name_never_overwrites_an_article_in_the_same_batch(live, tmp_path):
    data, db = live
    first, second, third = three_files(tmp_path)
    result = ingest(data, db, first, third, second)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("added 3 articles")
    assert titles(db) == ["First", "Second", "Third"]


def test_unused_name_skips_names_on_disk_and_in_the_batch(tmp_path):
    sha = "ab" * 32
    (tmp_path / "x.txt").write_text("one")
    (tmp_path / f"x-{sha[:8]}.txt").write_text("two")
    chosen = {tmp_path / f"x-{sha[:16]}.txt"}
    assert unused_name(tmp_path, "x", ".txt", sha, chosen) == tmp_path / f"x-{sha[:16]}-2.txt"
    assert unused_name(tmp_path, "y", ".md", sha, chosen) == tmp_path / "y.md"


def test_an_article_named_like_a_temp_file_survives_the_next_ingest(live, tmp_path):
    data, db = live
    odd = write_article(tmp_path / "in" / ".notes.tmp-1.txt", "Notes", "JD Pay links with WeChat Pay.")
    assert ingest(data, db, odd).exit_code == 0
    saved = data / "articles" / "notes.tmp-1.txt"  # saved without the leading dot: never hidden, never a temp
    assert saved.read_bytes() == odd.read_bytes()
    # a file already in data/articles/ under such a name (put there by hand) is not touched either
    by_hand = data / "articles" / ".other.tmp-2.txt"
    by_hand.write_text(ARTICLE.format(title="By hand", body="Douyin Pay grows inside the app."), encoding="utf-8")
    later = write_article(tmp_path / "in" / "later.txt", "Later", "Meituan Pay blocks Alipay.")
    result = ingest(data, db, later)
    assert result.exit_code == 0, result.output
    assert saved.exists() and by_hand.exists()
    assert titles(db) == ["By hand", "Later", "Notes"]


def test_clean_up_removes_only_its_own_partial_files(tmp_path):
    folder = tmp_path / "articles"
    keep = [".notes.tmp-1.txt", ".x.txt.tmp-99", "a.paylens-1-0123456789ab.partial.txt", "plain.txt"]
    for name in keep:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("article")
    leftover = folder / ".paylens-4242-0123456789ab.partial"
    leftover.write_text("half")
    _clean_partial_writes({folder, tmp_path / "missing"})
    assert sorted(p.name for p in folder.iterdir()) == sorted(keep)


def test_write_atomic_leaves_no_partial_file_when_the_disk_is_full(tmp_path, monkeypatch):
    target = tmp_path / "articles" / "a.txt"

    def full(self, data):
        Path.write_text(self, "half")  # part of it got out, then the disk filled up
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(StoreError, match="no space left on the disk"):
        _write_atomic(target, b"data")
    assert list(target.parent.iterdir()) == []


@pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="needs /etc/passwd as a target outside")
def test_folder_ingest_refuses_a_symlink_out_of_the_folder(live, tmp_path):
    data, db = live
    folder = tmp_path / "in"
    write_article(folder / "good.txt", "Good", "Alipay launched an AI assistant.")
    os.symlink("/etc/passwd", folder / "leak.txt")
    before, db_before = snapshot_tree(data), db.read_bytes()
    result = ingest(data, db, folder)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"{folder / 'leak.txt'}:1: symbolic link to /etc/passwd, outside {folder}; refused\n"
    assert (snapshot_tree(data), db.read_bytes()) == (before, db_before)


def test_folder_ingest_refuses_a_linked_folder_out_of_the_folder(live, tmp_path):
    data, db = live
    outside = tmp_path / "outside"
    write_article(outside / "secret.txt", "Secret", "WeChat Pay's internal plans.")
    folder = tmp_path / "in"
    write_article(folder / "good.txt", "Good", "Alipay launched an AI assistant.")
    os.symlink(outside, folder / "linked", target_is_directory=True)
    result = ingest(data, db, folder)
    assert result.exit_code == 0, result.output  # rglob does not descend into the linked folder
    assert titles(db) == ["Good"]


def test_a_symlink_inside_the_folder_is_fine(live, tmp_path):
    data, db = live
    folder = tmp_path / "in"
    write_article(folder / "real" / "inside.txt", "Inside", "Alipay launched an AI assistant.")
    os.symlink(folder / "real" / "inside.txt", folder / "alias.txt")
    result = ingest(data, db, folder)
    assert result.exit_code == 0, result.output
    assert titles(db) == ["Inside"]
