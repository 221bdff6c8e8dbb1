"""Correcting a hit from the dashboard, in Chromium: the sentence leaves the evidence and the page counts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paylens.wording import counted
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
    corrected = writable_server.sql("select sum(hits) from hit_corrections where applied")[0][0]
    main = app.page.locator("[data-testid='stMain']")
    assert f"{counted(corrected, 'hit')} corrected by analysts" in main.inner_text()
    remaining = {" ".join(e.split()) for (e,) in writable_server.sql(
        "select evidence from signal_hits where signal = ? and platform_id = ?", [signal, platform])}
    assert " ".join(sentence.replace("\u200b", "").split()) not in remaining, "the corrected hit is gone"
    cards = " ".join(app.page.locator("[class*='st-key-evidence_card_']").all_inner_texts())
    assert " ".join(sentence.split()) not in " ".join(cards.split())
    app.screenshot("corrections-after")


def test_mark_a_hit_as_wrong_platform_and_move_it_to_the_right_one(page, page_errors, writable_server):
    """Wrong platform, naming the right one: the sentence leaves Alipay's evidence and joins WeChat Pay's."""
    app = App(page, writable_server, page_errors)
    signal = "traffic_focus"
    evidence = "select evidence from signal_hits where signal = ? and platform_id = ?"
    app.open(f"/signals?competitors=alipay,wechat_pay&signal={signal}&focus=alipay", charts=2)
    had = {" ".join(e.split()) for (e,) in writable_server.sql(evidence, [signal, "wechat_pay"])}
    cards = app.page.locator("[data-testid='stMain'] [class*='st-key-evidence_card_']")
    cards.first.wait_for(timeout=30_000)
    sentences = [" ".join(c.locator("[data-testid='stMarkdownContainer']").first.inner_text().split())
                 for c in cards.all()]
    # a sentence WeChat Pay does not already have, so that it can move there
    index, sentence = next((i, s) for i, s in enumerate(sentences) if s not in had)
    cards.nth(index).get_by_role("button", name="Correct").click()
    app.page.get_by_role("radio", name="Wrong platform").check(force=True)
    app.page.get_by_label("Right platform (for a wrong platform)").click()
    app.page.get_by_role("option", name="WeChat Pay").click()
    app.page.get_by_label("Why (a short reason)").fill("the red-packet push is Tencent's")
    app.page.get_by_label("Your name").fill("e2e analyst")
    app.page.get_by_role("button", name="Save correction").click()
    done = app.page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="corrected by analysts")
    done.wait_for(timeout=90_000)
    assert "now belongs to WeChat Pay" in done.inner_text()
    assert app.errors() == []
    last = (writable_server.data_dir / "corrections.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert last.endswith(",wechat_pay") and ",wrong_platform," in last, last
    assert sentence not in {" ".join(e.split()) for (e,) in writable_server.sql(evidence, [signal, "alipay"])}
    assert sentence in {" ".join(e.split()) for (e,) in writable_server.sql(evidence, [signal, "wechat_pay"])}

    app.open(f"/signals?competitors=alipay,wechat_pay&signal={signal}&focus=wechat_pay", charts=2)
    cards = app.page.locator("[class*='st-key-evidence_card_']").all_inner_texts()
    card = next((c for c in cards if sentence in " ".join(c.split())), None)
    assert card, "the moved sentence is WeChat Pay's evidence"
    assert "Why WeChat Pay: moved here from another platform by e2e analyst (\"the red-packet push is Tencent's\")" \
        in card, card
    assert writable_server.sql("select right_platform, applied from hit_corrections where action = 'wrong_platform'") \
        == [("wechat_pay", True)]
    assert app.errors() == []
    app.screenshot("corrections-moved")
