"""AppTest for the intake widgets: Add from URL (preview, escaped text, add), the Intake section, also-in links."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from paylens.web.fetch import ALLOW_PRIVATE_ENV
from tests.web import site
from tests.web.conftest import serve

HOSTILE_TITLE = "Alipay <img src=x onerror=alert(1)> **bold** [click](javascript:alert(1)) :red[x] $x$"


def _url_box_app():
    from paylens.ui.intake import url_box

    url_box()


def _intake_app():
    from paylens.ui.intake import also_in, intake_section

    intake_section()
    import duckdb as _duckdb

    from paylens.config import settings

    con = _duckdb.connect(str(settings().db_path), read_only=True)
    ids = [r[0] for r in con.execute("select distinct article_id from article_sources").fetchall()]
    con.close()
    for article_id in ids:
        also_in(article_id)


@pytest.fixture
def env(data_copy, fixture_store, tmp_path, monkeypatch, web_site, extra_pages):
    db = tmp_path / "store" / "paylens.duckdb"
    db.parent.mkdir()
    shutil.copy(fixture_store, db)
    monkeypatch.setenv("PAYLENS_DATA", str(data_copy))
    monkeypatch.setenv("PAYLENS_DB", str(db))
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    hostile = site._html(HOSTILE_TITLE, site.EN_PARAGRAPHS[1:] + (
        "Alipay said <script>alert('body')</script> the offer **ends** soon [here](javascript:alert(2)).",),
        lang="en", date_meta="2025-05-01", site="Evil <b>Site</b>")
    serve(extra_pages, {"/hostile.html": site.Response(body=hostile.encode())})
    return data_copy, db


def _markdown(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                     + [s.value for s in at.success] + [e.value for e in at.error])


def test_add_from_url_previews_escaped_then_adds(env, web_site):
    data, db = env
    at = AppTest.from_function(_url_box_app, default_timeout=60).run()
    at.text_input[0].input(web_site + "/hostile.html").run()
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = _markdown(at)
    assert "\\<img" in shown and "\\*\\*bold\\*\\*" in shown and "\\[click\\]\\(javascript" in shown
    assert "<img" not in shown.replace("\\<img", "")  # never raw
    assert "Evil \\<b\\>Site\\</b\\>" in shown
    assert "signal hits" in shown
    add = [b for b in at.button if b.label == "Add to corpus"]
    assert add
    add[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Added as data/articles/2025\\-05\\-01\\-alipay" in s.value for s in at.success)
    assert list((data / "articles").glob("2025-05-01-alipay-*.md"))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from articles where fetched_at is not null").fetchone() == (1,)
    con.close()


def test_a_refused_url_shows_an_escaped_error(env, web_site):
    at = AppTest.from_function(_url_box_app, default_timeout=60).run()
    at.text_input[0].input(web_site + "/missing?q=[x](javascript:1)").run()
    at.button[0].click().run()
    assert not at.exception
    [error] = at.error
    assert "HTTP 404" in error.value and "\\[x\\]\\(javascript" in error.value
    assert not [b for b in at.button if b.label == "Add to corpus"]


def test_intake_section_lists_feeds_runs_and_freshness(env, web_site, tmp_path):
    from click.testing import CliRunner

    from paylens.cli.main import cli

    data, db = env
    (data / "feeds.toml").write_text(f'[[feed]]\nname = "Example RSS"\nurl = "{web_site}/feeds/rss.xml"\n\n'
                                     f'[[feed]]\nname = "Atom"\nurl = "{web_site}/feeds/atom.xml"\n',
                                     encoding="utf-8")
    res = CliRunner().invoke(cli, ["watch", "--once", "--data", str(data), "--db", str(db)])
    assert res.exit_code == 0, res.output
    at = AppTest.from_function(_intake_app, default_timeout=60).run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any("newest article 2025-04-10" in c and "last feed run just now" in c for c in captions), captions
    feeds, runs = at.dataframe[0].value, at.dataframe[1].value
    assert list(feeds["name"]) == ["Example RSS", "Atom"]
    assert sorted(runs["feed"]) == ["Atom", "Example RSS"] and runs["errors"].sum() == 1
    assert any("Also in 1 source: [Aggregator Daily](" in c for c in captions), captions
