"""AppTest for paylens.ui.search.search_box and paylens.ui.digest.what_changed on the search fixture store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.search.corpus import build_store, make_search_data

SCRIPT = """
from datetime import date
import streamlit as st
from paylens.ui.filters import Filters, remember_url
from paylens.ui.search import search_box
from paylens.ui.digest import what_changed

remember_url()
f = Filters(["alipay", "wechat_pay", "unionpay"], date(2010, 1, 1), date(2030, 12, 31))
st.session_state["search_url"] = search_box(f, where="test")
today = date.fromisoformat(st.query_params.get("today", "2026-03-07"))
st.session_state["digest_url"] = what_changed(f, today=today)
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    data = make_search_data(tmp_path_factory.mktemp("ui_search") / "data")
    return data, build_store(data, tmp_path_factory.mktemp("ui_search_store") / "paylens.duckdb")


@pytest.fixture
def app(env, monkeypatch):
    data, db = env
    monkeypatch.setenv("PAYLENS_DB", str(db))
    monkeypatch.setenv("PAYLENS_DATA", str(data))

    def make(**params: str) -> AppTest:
        at = AppTest.from_string(SCRIPT, default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()

    return make


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_query_from_the_url_shows_escaped_result_cards(app):
    at = app(q="支小宝")
    assert not at.exception
    assert at.text_input[0].value == "支小宝"
    text = _texts(at)
    assert "支小宝可以帮用户订餐和缴费" in text
    assert "(/articles?article=" in text and "](https://example.com/zh/zhixiaobao)" in text
    assert at.session_state["search_url"]["q"] == "支小宝"


def test_cards_show_platform_signal_and_stance_as_words_and_escape_titles(app):
    at = app(q="tap to pay")
    text = _texts(at)
    assert "Touchless \\& subsidies" in text and "Alipay" in text and "touchless_subsidy" not in text
    assert "\\<script\\>" in text and "<script>" not in text


def test_typing_a_query_and_filtering_by_stance(app):
    at = app()
    assert "Type a word" in _texts(at)
    at.text_input[0].set_value("NFC stickers").run()
    assert "NFC stickers" in _texts(at)
    at.selectbox(key="w_q_stance").set_value("positive").run()
    assert "NFC stickers, a costly mistake" not in _texts(at)
    assert at.session_state["search_url"]["q_stance"] == "positive"


def test_no_match_says_so(app):
    at = app(q="zzzznotaword")
    assert not at.exception and any("No sentence or title matches" in i.value for i in at.info)


def test_what_changed_lists_the_window(app):
    at = app()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["New articles"] == "3" and int(labels["Strengthening"]) > 0
    assert "Old story fetched late about UnionPay QuickPass" in _texts(at)
    assert {b.label for b in at.get("download_button")} >= {"Markdown", "HTML", "JSON"}


def test_what_changed_empty_window(app):
    at = app(today="2030-06-30", changed="7")
    assert not at.exception
    assert any("Nothing new between 2030-06-24 and 2030-06-30" in i.value and "newest article is dated 2026-03-03"
               in i.value for i in at.info)
    assert not at.metric and not at.get("download_button")
    assert at.session_state["digest_url"] == {"changed": "7"}


def test_a_store_without_the_index_says_to_rebuild(env, tmp_path, monkeypatch):
    import shutil

    import duckdb

    data, db = env
    old = tmp_path / "old.duckdb"
    shutil.copy(db, old)
    con = duckdb.connect(str(old))
    con.execute("drop table search_postings")
    con.close()
    monkeypatch.setenv("PAYLENS_DB", str(old))
    monkeypatch.setenv("PAYLENS_DATA", str(data))
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.query_params["q"] = "alipay"
    at.run()
    assert not at.exception
    assert any("paylens build" in e.value for e in at.error)
