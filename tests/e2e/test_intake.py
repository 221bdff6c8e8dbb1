"""Keeping the corpus current, in Chromium: add an article from a URL, then find it in search and in Signals."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import App, Server, serve_copy_of_data
from tests.web import site
from tests.web.conftest import web_site  # noqa: F401 - the recorded news site on 127.0.0.1, as a fixture

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def intake_server(tmp_path_factory) -> Iterator[Server]:
    """A dashboard of its own (this test adds to its corpus), allowed to fetch from 127.0.0.1."""
    with serve_copy_of_data(tmp_path_factory.mktemp("e2e-intake"), {"PAYLENS_ALLOW_PRIVATE_URLS": "1"}) as server:
        yield server


def test_add_an_article_from_a_url_then_find_it(page, page_errors, intake_server, web_site):  # noqa: F811
    app = App(page, intake_server, page_errors)
    url = web_site + "/en/alipay-tap.html"
    before = intake_server.sql("select count(*) from articles")[0][0]
    app.open("/articles")
    assert app.errors() == []
    app.page.get_by_role("tab", name="From a URL").click()
    box = app.page.get_by_label("Add from URL")
    box.fill(url)
    box.press("Enter")
    app.settle()
    app.page.get_by_role("button", name="Fetch").click()
    add = app.page.get_by_role("button", name="Add to corpus")
    add.wait_for(timeout=60_000)  # the preview is drawn once the page is fetched and read
    assert app.errors() == [], app.errors()
    main = app.page.locator("[data-testid='stMain']")
    assert site.EN_TITLE in main.inner_text(), "the preview shows the extracted title"
    add.click()
    app.page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="Added as").wait_for(timeout=90_000)
    app.settle()
    assert app.errors() == []
    assert intake_server.sql("select count(*) from articles")[0][0] == before + 1
    assert intake_server.sql("select title from articles where url = ?", [url]) == [(site.EN_TITLE,)]

    # search finds it (the query goes in the URL, so a fresh load runs it)
    app.open("/articles?q=tap-to-pay%20subsidies%20NFC%20stands")
    results = " ".join(app.page.locator("[data-testid='stMain']").inner_text().split())
    assert "free NFC stands" in results, "search finds a sentence of the new article"

    # and its sentences are evidence on Signals
    app.open("/signals?competitors=alipay&signal=touchless_subsidy&focus=alipay", charts=2)
    cards = " ".join(app.page.locator("[class*='st-key-evidence_card_']").all_inner_texts())
    assert site.EN_TITLE in cards, "the new article's sentences are evidence for Alipay's tap-to-pay push"
    app.screenshot("intake-added-from-url")


UPLOAD = """title: Upload e2e: Alipay trims its home screen
publisher: E2E fixture
date: 2024-07-01
lang: en

Alipay trimmed the banners on its home screen after users complained about clutter.
"""


def test_upload_one_article_and_add_it(page, page_errors, intake_server, tmp_path):
    """Upload a file, see its preview, add it: the messages count it as one ("1 signal hit", "Added 1 article")."""
    app = App(page, intake_server, page_errors)
    path = tmp_path / "upload-e2e.txt"
    path.write_text(UPLOAD, encoding="utf-8")
    before = intake_server.sql("select count(*) from articles")[0][0]
    app.open("/articles")
    app.page.get_by_role("tab", name="Upload files").click()
    app.page.locator("input[type='file']").set_input_files(str(path))
    add = app.page.get_by_role("button", name="Add 1 to corpus")
    add.wait_for(timeout=60_000)
    markdown = app.page.locator("[data-testid='stMarkdownContainer']")
    preview = markdown.filter(has_text="upload-e2e.txt").first.inner_text()
    assert re.search(r"· (1 signal hit|\d+ signal hits)$", preview.strip()), preview
    add.click()
    done = app.page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="Added")
    done.wait_for(timeout=90_000)
    assert done.inner_text().startswith("Added 1 article; 0 already in the corpus"), done.inner_text()
    assert intake_server.sql("select count(*) from articles")[0][0] == before + 1
    assert app.errors() == []
