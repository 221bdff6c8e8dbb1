"""Correcting a hit from the dashboard, in Chromium: the sentence leaves the evidence and the page counts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import App, Server, serve_copy_of_data

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory) -> Iterator[Server]:
    """A dashboard of its own: this test writes data/corrections.csv and rebuilds its store."""
    with serve_copy_of_data(tmp_path_factory.mktemp("e2e-corrections")) as server:
        yield server


def test_mark_a_hit_as_not_this_signal(page, page_errors, writable_server):
    app = App(page, writable_server, page_errors)
    signal, platform = "competitive_threat", "alipay"
    count = "select count(*) from signal_hits where signal = ? and platform_id = ?"
    before = writable_server.sql(count, [signal, platform])[0][0]
    app.open(f"/signals?competitors={platform}&signal={signal}&focus={platform}", charts=2)
    first = app.page.locator("[class*='st-key-evidence_card_0']")
    sentence = first.locator("[data-testid='stMarkdownContainer']").first.inner_text().strip()
    first.get_by_role("button", name="Correct").click()
    app.page.get_by_label("Not this signal").check(force=True)
    app.page.get_by_label("Why (a short reason)").fill("a price war, not a rival's move")
    app.page.get_by_label("Your name").fill("e2e analyst")
    app.page.get_by_role("button", name="Save correction").click()
    app.page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="corrected by analysts").wait_for(
        timeout=90_000)
    assert app.errors() == []
    rows = (writable_server.data_dir / "corrections.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and "e2e analyst" in rows[1] and "not_signal" in rows[1]
    assert writable_server.sql(count, [signal, platform])[0][0] < before

    app.open(f"/signals?competitors={platform}&signal={signal}&focus={platform}", charts=2)
    assert "hits corrected by analysts" in app.page.locator("[data-testid='stMain']").inner_text()
    remaining = {" ".join(e.split()) for (e,) in writable_server.sql(
        "select evidence from signal_hits where signal = ? and platform_id = ?", [signal, platform])}
    assert " ".join(sentence.replace("\u200b", "").split()) not in remaining, "the corrected hit is gone"
    cards = " ".join(app.page.locator("[class*='st-key-evidence_card_']").all_inner_texts())
    assert " ".join(sentence.split()) not in " ".join(cards.split())
    app.screenshot("corrections-after")
