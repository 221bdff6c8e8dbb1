"""AppTest for every page: renders without exception, draws its charts, offers downloads, honours the URL."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from paylens.config import PROJECT_ROOT

PAGES = {
    "pages/overview.py": 1,
    "pages/metrics.py": 1,
    "pages/signals.py": 2,
    "pages/articles.py": 0,
    "pages/compare.py": 3,
    "pages/snapshots.py": 0,
}


@pytest.fixture
def app(fixture_store, fixture_data, monkeypatch):
    monkeypatch.setenv("PAYLENS_DB", str(fixture_store))
    monkeypatch.setenv("PAYLENS_DATA", str(fixture_data))

    def make(page: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        if page:
            # Before any run Streamlit treats pages/ as legacy pages and runs the page alone: the page
            # must still come out framed (sidebar filters, URL state), as on a cold server's deep link.
            at.switch_page(page)
        return at.run()

    return make


def _qp(at: AppTest, key: str) -> str:
    """A URL parameter as the app left it (AppTest may hold a str or a one-item list)."""
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def _problems(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


@pytest.mark.parametrize("page, charts", PAGES.items())
def test_page_renders_charts_and_downloads(app, page, charts):
    at = app(page)
    assert _problems(at) == []
    assert len(at.get("plotly_chart")) >= charts
    assert len(at.get("download_button")) >= 1


def test_url_restores_competitors_and_dates(app):
    at = app("pages/metrics.py", competitors="alipay,jd_pay", **{"from": "2016-01-01", "to": "2020-12-31"})
    assert at.multiselect(key="f_competitors").value == ["alipay", "jd_pay"]
    assert str(at.date_input(key="f_from").value) == "2016-01-01"
    assert str(at.date_input(key="f_to").value) == "2020-12-31"
    assert _qp(at, "competitors") == "alipay,jd_pay"


def test_unknown_ids_and_bad_dates_are_dropped_with_a_notice(app):
    at = app(None, competitors="alipay,nowhere_pay", **{"from": "2020-99-01"})
    assert _problems(at) == []
    assert at.multiselect(key="f_competitors").value == ["alipay"]
    notices = " ".join(w.value for w in at.warning)
    assert "nowhere_pay" in notices and "from" in notices


def test_metric_choice_comes_from_and_goes_to_the_url(app):
    metric = "market_share_third_party_mobile_payment_iresearch"
    at = app("pages/metrics.py", metric=metric)
    assert at.selectbox(key="w_metric").value == metric
    assert _qp(at, "metric") == metric


def test_changing_competitors_updates_the_url(app):
    at = app("pages/metrics.py")
    at.multiselect(key="f_competitors").set_value(["wechat_pay"]).run()
    assert _problems(at) == []
    assert _qp(at, "competitors") == "wechat_pay"


def test_no_competitor_gives_an_empty_state_not_an_error(app):
    at = app(None, competitors="")
    assert _problems(at) == []
    assert any("Pick at least one competitor" in i.value for i in at.info)


def test_signals_page_takes_signal_from_url(app):
    at = app("pages/signals.py", signal="ai_assistant", mode="net")
    assert _problems(at) == []
    assert at.selectbox(key="w_signal").value == "ai_assistant"
    assert at.selectbox(key="w_mode").value == "net"


def test_compare_says_plainly_when_one_side_has_no_data(app, fixture_store):
    con = duckdb.connect(str(fixture_store), read_only=True)
    bare = con.execute("select platform_id from platforms where platform_id not in "
                       "(select platform_id from metric_values) order by 1 limit 1").fetchone()[0]
    name = con.execute("select short_name from platforms where platform_id = ?", [bare]).fetchone()[0]
    at = app("pages/compare.py", platform="alipay", rival=bare)
    assert _problems(at) == []
    assert any(name in i.value and "no metric values" in i.value for i in at.info)


def test_article_reader_escapes_markup(app, fixture_store):
    con = duckdb.connect(str(fixture_store), read_only=True)
    article_id = con.execute("select min(article_id) from articles").fetchone()[0]
    at = app("pages/articles.py", article=article_id)
    assert _problems(at) == []
    assert at.selectbox(key="w_article").value == article_id
    assert any(":orange-background[" in m.value for m in at.markdown)
