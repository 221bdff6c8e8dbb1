"""`paylens ingest URL...`: fetch, save, rebuild; duplicates and reposts; refusals leave data/ and the store alone."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import settings
from paylens.signals.articles import parse_article
from paylens.store.build import build
from paylens.web import fetch as fetch_mod
from tests.web import site
from tests.web.conftest import tree_hash


@pytest.fixture
def env(data_copy, fixture_store, tmp_path, allow_private):
    """A writable copy of the fixture data and of the store built from it (same build id)."""
    db = tmp_path / "store" / "paylens.duckdb"
    db.parent.mkdir()
    shutil.copy(fixture_store, db)
    return data_copy, db


def ingest(data, db, *args):
    return CliRunner().invoke(cli, ["ingest", *args, "--data", str(data), "--db", str(db)])


def rows(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_ingest_a_url_saves_the_article_and_rebuilds(env, web_site):
    data, db = env
    before = len(list((data / "articles").iterdir()))
    res = ingest(data, db, web_site + "/en/alipay-tap.html")
    assert res.exit_code == 0, res.output
    saved = data / "articles" / "2025-03-04-alipay-widens-its-tap-to-pay-push-with-new-merchant.md"
    assert saved.name in res.output and saved.is_file()
    assert len(list((data / "articles").iterdir())) == before + 1
    art = parse_article(saved)
    assert (art.title, art.date, art.lang, art.publisher) == (site.EN_TITLE, site.EN_DATE, "en", "Example Finance")
    [(title, fetched_at, hits)] = rows(db, "select a.title, a.fetched_at, count(h.signal) from articles a "
                                           "left join signal_hits h using (article_id) where a.url = ? group by all",
                                       [web_site + "/en/alipay-tap.html"])
    assert title == site.EN_TITLE and fetched_at is not None and hits > 0  # extracted signals are in the store


def test_the_same_url_again_is_a_no_op(env, web_site):
    data, db = env
    assert ingest(data, db, web_site + "/en/alipay-tap.html").exit_code == 0
    state = tree_hash(data, db)
    for again in ("/en/alipay-tap.html/?utm_source=twitter&utm_medium=social#top", "/redirect"):
        res = ingest(data, db, web_site + again)
        assert res.exit_code == 0, res.output
        assert "already in the corpus" in res.output
        assert tree_hash(data, db) == state


def test_a_repost_is_recorded_as_another_source_not_added(env, web_site):
    data, db = env
    assert ingest(data, db, web_site + "/en/alipay-tap.html").exit_code == 0
    articles = sorted(p.name for p in (data / "articles").iterdir())
    res = ingest(data, db, web_site + "/repost/alipay-tap-story.html")
    assert res.exit_code == 0, res.output
    assert "same story as 2025-03-04-alipay-widens" in res.output and "not added again" in res.output
    assert sorted(p.name for p in (data / "articles").iterdir()) == articles
    also_in = (data / "intake" / "also_in.csv").read_text(encoding="utf-8").splitlines()
    assert len(also_in) == 2 and "/repost/alipay-tap-story.html" in also_in[1] and "Aggregator Daily" in also_in[1]
    [(n, url, publisher, similarity)] = rows(
        db, "select count(*) over (), s.url, s.publisher, s.similarity from article_sources s "
            "join articles a using (article_id) where a.title = ?", [site.EN_TITLE])
    assert n == 1 and url.endswith("/repost/alipay-tap-story.html") and publisher == "Aggregator Daily"
    assert similarity >= 0.8
    # Rebuilding from data/ alone keeps it (the store is derived).
    build(settings(data, db))
    assert rows(db, "select count(*) from article_sources") == [(1,)]
    # The repost's URL is now known too.
    state = tree_hash(data, db)
    res = ingest(data, db, web_site + "/repost/alipay-tap-story.html")
    assert res.exit_code == 0 and "already in the corpus" in res.output and tree_hash(data, db) == state


def test_several_urls_at_once_in_several_encodings(env, web_site):
    data, db = env
    res = ingest(data, db, web_site + "/zh/gbk-fees.html", web_site + "/zh/big5-crossborder.html",
                 web_site + "/zh/utf8-interconnect.html")
    assert res.exit_code == 0, res.output
    got = {t for (t,) in rows(db, "select title from articles where fetched_at is not null")}
    assert got == {site.ZH_GBK_TITLE, site.ZH_BIG5_TITLE, site.ZH_UTF8_TITLE}


def test_urls_and_files_together(env, web_site, tmp_path):
    data, db = env
    note = tmp_path / "note.txt"
    note.write_text("title: A note\n\nUnionPay said its cross-border QR payments grew quickly this year.\n",
                    encoding="utf-8")
    res = ingest(data, db, str(note), web_site + "/zh/utf8-interconnect.html")
    assert res.exit_code == 0, res.output
    assert (data / "articles" / "note.txt").is_file()
    assert rows(db, "select count(*) from articles where title in ('A note', ?)", [site.ZH_UTF8_TITLE]) == [(2,)]


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing", "HTTP 404 Not Found"),
    ("/slow", "timed out"),
    ("/big", "the limit is 5,000,000"),
    ("/report.pdf", "not a web page"),
    ("/markets", "no article text found"),
    ("/loop/0", "more than 5 redirects"),
])
def test_a_bad_url_exits_2_and_changes_nothing(env, web_site, monkeypatch, path, reason):
    data, db = env
    monkeypatch.setattr(fetch_mod, "TIMEOUT_S", 0.3)
    state = tree_hash(data, db)
    good, bad = web_site + "/en/alipay-tap.html", web_site + path
    res = ingest(data, db, good, bad)  # one bad URL and nothing is added, not even the good one
    assert res.exit_code == 2, res.output
    assert f"{bad}: " in res.output and reason in res.output
    assert tree_hash(data, db) == state
    assert not (data / "intake").exists()


@pytest.mark.parametrize("url", ["ftp://example.com/story.html", "file:///etc/passwd"])
def test_other_schemes_are_refused(env, url):
    data, db = env
    state = tree_hash(data, db)
    res = ingest(data, db, url)
    assert res.exit_code == 2 and f"{url}: only http and https" in res.output
    assert tree_hash(data, db) == state


def test_private_address_refused_without_the_env_var(env, web_site, monkeypatch):
    data, db = env
    monkeypatch.delenv("PAYLENS_ALLOW_PRIVATE_URLS")
    state = tree_hash(data, db)
    res = ingest(data, db, web_site + "/en/alipay-tap.html")
    assert res.exit_code == 2 and "non-public address (127.0.0.1)" in res.output
    assert tree_hash(data, db) == state


def test_a_missing_file_is_bad_input(env):
    data, db = env
    res = ingest(data, db, "no/such/file.txt")
    assert res.exit_code == 2 and "no/such/file.txt:1: no such file or folder" in res.output


def test_decide_on_an_exact_copy_and_within_one_batch(data_copy):
    """A page whose body is a corpus article's is a repost (1.0); two copies in one batch add one article."""
    from paylens.web.intake import decide, load_corpus
    from paylens.web.page import Page

    original = sorted((data_copy / "articles").glob("*.txt"))[0]
    body = parse_article(original).body

    def page(url: str, text: str) -> Page:
        return Page(url=url, requested_url=url, title="T", publisher="P", date="2025-01-01", lang="en", body=text,
                    fetched_at="2025-01-01T00:00:00Z", charset="utf-8")

    outcomes, files, rows = decide(load_corpus(data_copy), data_copy / "articles",
                                   [page("https://a.example/copy", body)])
    assert [(o.status, o.file, o.similarity) for o in outcomes] == [("also_in", original.name, 1.0)]
    assert not files and rows[0]["article_file"] == original.name and rows[0]["similarity"] == "1.000"
    new = " ".join(site.EN_PARAGRAPHS)
    outcomes, files, rows = decide(load_corpus(data_copy), data_copy / "articles",
                                   [page("https://a.example/new", new), page("https://b.example/again", new)])
    assert [o.status for o in outcomes] == ["added", "also_in"] and len(files) == 1 and len(rows) == 1
