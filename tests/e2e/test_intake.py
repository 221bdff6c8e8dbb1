"""Keeping the corpus current, in Chromium: add an article from a URL, then find it in search and in Signals."""

from __future__ import annotations

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
