"""The Threats section: matrix, a cell chosen from the URL or a click, its sentences as cards, the URL kept."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _script() -> None:
    from datetime import date

    import streamlit as st

    from paylens.ui.filters import Filters, remember_url
    from paylens.ui.threats import threats_section

    remember_url()  # the frame does this: the link's parameters, read once
    comps = st.query_params.get("competitors", "alipay,wechat_pay,jd_pay,douyin_pay").split(",")
    f = Filters(comps, date(2010, 1, 1), date(2026, 12, 31))
    st.query_params.update(threats_section(f))  # a page passes them to sync_url


@pytest.fixture
def widget(fixture_store, fixture_data, monkeypatch):
    monkeypatch.setenv("PAYLENS_DB", str(fixture_store))
    monkeypatch.setenv("PAYLENS_DATA", str(fixture_data))

    def make(**params: str) -> AppTest:
        at = AppTest.from_function(_script, default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()

    return make


def _cards(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_draws_the_matrix_and_the_busiest_named_cell_by_default(widget):
    at = widget()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 2  # the matrix and the chosen platform's trend
    picker = at.selectbox(key="w_threat")
    assert picker.value.startswith("alipay:") and not picker.value.endswith(":unnamed")
    assert any("threatened by" in text for text in _cards(at))


def test_a_cell_from_the_url_shows_its_sentences(widget):
    at = widget(threat="alipay:douyin_pay")
    assert not at.exception, at.exception
    assert at.selectbox(key="w_threat").value == "alipay:douyin_pay"
    cards = _cards(at)
    assert any("threatened by players like WeChat Pay, JD Pay, and Douyin Pay" in t for t in cards)
    assert any("threatened by **Douyin Pay**" in t for t in cards)
    value = at.query_params["threat"]
    assert (value[0] if isinstance(value, list) else value) == "alipay:douyin_pay"


def test_the_unnamed_rival_is_a_cell_too(widget):
    at = widget(threat="alipay:unnamed")
    assert not at.exception, at.exception
    assert at.selectbox(key="w_threat").value == "alipay:unnamed"
    assert not any("threatened by **" in t for t in _cards(at))


def test_a_click_on_a_cell_chooses_it(widget, monkeypatch):
    import paylens.ui.threats as threats

    at = widget()
    clicks = {"threats_chart": ["alipay", "jd_pay", "detail"]}  # what the cell's invisible marker carries
    monkeypatch.setattr(threats, "chart_selection", clicks.get)
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="w_threat").value == "alipay:jd_pay"
    assert any("threatened by **JD Pay**" in t for t in _cards(at))
