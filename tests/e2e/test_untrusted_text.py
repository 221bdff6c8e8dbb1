"""Untrusted article text in a real browser: markup shows as text and never runs."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_hostile_article_is_shown_escaped(app, hostile):
    # The conftest ingested the article through paylens.store.intake before the server started.
    rows = app.server.sql("select article_id, title from articles where title like ?", ["%" + hostile["title_marker"]])
    assert len(rows) == 1, rows
    article_id, title = rows[0]
    assert hostile["script"] in title

    app.open(f"/articles?article={article_id}")
    app.page.wait_for_timeout(1000)  # give an injected onerror handler time to fire, if there were one
    assert app.errors() == []
    main = app.page.locator("[data-testid='stMain']")
    text = main.inner_text()
    assert hostile["script"] in text, "the <script> markup should be visible as text"
    assert hostile["img"] in text, "the <img onerror> markup should be visible as text"
    assert app.page.locator("h4").filter(has_text="<script>").count() == 1, "title heading not shown as text"
    assert "<b>E2E</b>" in text, "publisher markup should be visible as text"
    assert "**bold**" in text and "[a link](javascript:" in text, "Markdown in the body should stay literal"

    assert app.page.evaluate("() => typeof window.__pwned") == "undefined"
    assert app.page.locator("img[src='x']").count() == 0
    assert main.locator("script").count() == 0
    assert app.page.locator("a[href^='javascript:']").count() == 0
    assert main.locator("b").filter(has_text="E2E").count() == 0
    assert app.js_errors == []
    assert app.query().get("article") == article_id
