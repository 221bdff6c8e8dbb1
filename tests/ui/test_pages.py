"""AppTest for every page: renders without exception, draws its charts, offers downloads, honours the URL."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from paylens import queries
from paylens.charts import tables
from paylens.config import PROJECT_ROOT
from paylens.csv_export import to_csv_bytes
from paylens.snapshot import CHARTS
from paylens.url_state import DEFAULT_COMPETITORS

PAGES = {
    "pages/overview.py": 1,
    "pages/metrics.py": 1,
    "pages/signals.py": 2,  # heatmap, trend (the threat matrix and trend only while their expander is open)
    "pages/articles.py": 0,
    "pages/compare.py": 3,
    "pages/impact.py": 1,
    "pages/snapshots.py": 0,
}


@pytest.fixture
def app(fixture_store, fixture_data, monkeypatch):
    monkeypatch.setenv("PAYLENS_DB", str(fixture_store))
    monkeypatch.setenv("PAYLENS_DATA", str(fixture_data))

    def make(page: str | None = None, /, **params: str) -> AppTest:
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


def _shown(markdown: str) -> str:
    """Text as an alert shows it: the backslash escapes that keep link values inert disappear when rendered."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _problems(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


@pytest.mark.parametrize("page, charts", PAGES.items())
def test_page_renders_charts_and_downloads(app, page, charts):
    at = app(page)
    assert _problems(at) == []
    assert len(at.get("plotly_chart")) == charts
    assert len(at.get("download_button")) >= (3 * charts or 1)  # CSV, Excel and Parquet for every chart


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
    notices = _shown(" ".join(w.value for w in at.warning))
    assert "nowhere_pay" in notices and "from='2020-99-01'" in notices


def test_link_whose_competitors_are_all_unknown_falls_back_to_the_defaults(app):
    at = app("pages/metrics.py", competitors="foo")
    assert _problems(at) == []
    assert at.multiselect(key="f_competitors").value == list(DEFAULT_COMPETITORS)
    notices = _shown(" ".join(w.value for w in at.warning))
    assert "foo" in notices and "default set" in notices


@pytest.mark.parametrize("page", [p for p in PAGES if p != "pages/articles.py"])
def test_every_page_treats_an_empty_competitor_choice_alike(app, page):
    at = app(page, competitors="")
    assert _problems(at) == []
    assert any("Pick at least one competitor" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 0


@pytest.mark.parametrize(("param", "value", "clamped"), [("from", "1999-12-31", "2000-01-01"),
                                                         ("to", "2031-01-01", "2030-12-31")])
def test_url_date_outside_the_inputs_range_is_clamped_with_a_notice(app, param, value, clamped):
    at = app("pages/metrics.py", **{param: value})
    assert _problems(at) == []
    assert str(at.date_input(key=f"f_{param}").value) == clamped
    assert f"{param}={value}" in _shown(" ".join(w.value for w in at.warning))
    at.switch_page("pages/signals.py").run()  # the session is not left broken
    assert _problems(at) == []


def test_articles_with_no_competitor_say_they_list_the_whole_corpus(app):
    at = app("pages/articles.py", competitors="")
    assert _problems(at) == []
    assert any("every article in the corpus" in i.value for i in at.info)


def test_unknown_url_parameter_is_named_in_a_notice(app):
    at = app("pages/metrics.py", metrc="x")
    assert "metrc" in _shown(" ".join(w.value for w in at.warning))


def test_link_values_in_notices_are_escaped(app):
    hostile = "alipay,[SESSION EXPIRED](https://evil.example/login),![t](https://evil.example/p.png),:red[x],$$x$$"
    at = app("pages/metrics.py", competitors=hostile)
    raw = " ".join(w.value for w in at.warning)
    assert "evil.example" in _shown(raw)
    unescaped = re.findall(r"(?<!\\)[\[\]()!$:]", raw)  # markup characters without a backslash before them
    assert unescaped == [], raw
    assert "SESSION EXPIRED" in _shown(raw)


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
    assert any(c.value.startswith("Net stance =") for c in at.caption)


def test_signals_page_builds_threats_only_for_a_link_that_names_a_cell(app):
    closed = app("pages/signals.py", competitors="alipay,wechat_pay,jd_pay,douyin_pay")
    assert _problems(closed) == []
    assert len(closed.get("plotly_chart")) == 2
    assert "threat" not in closed.query_params
    opened = app("pages/signals.py", competitors="alipay,wechat_pay,jd_pay,douyin_pay", threat="alipay:wechat_pay")
    assert _problems(opened) == []
    assert len(opened.get("plotly_chart")) == 4  # plus the threat matrix and its trend
    assert opened.selectbox(key="w_threat").value == "alipay:wechat_pay"
    assert _qp(opened, "threat") == "alipay:wechat_pay"


def test_signals_page_explains_net_stance_only_in_that_mode(app):
    at = app("pages/signals.py", mode="share")
    assert _problems(at) == []
    assert not any(c.value.startswith("Net stance =") for c in at.caption)


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


# ------------------------------------------------------------------------------------------ downloads
# Download buttons get a zero-argument function (st.download_button runs it only on click), so AppTest
# cannot read their bytes from the element. `downloads` records what each button was given, by key, and
# the tests call it as Streamlit would on a click, then compare with the named query run directly.


@pytest.fixture
def downloads(monkeypatch) -> dict[str, dict]:
    seen: dict[str, dict] = {}
    real = st.download_button

    def spy(label, data, *args, **kwargs):
        seen[kwargs["key"]] = {"label": label, "data": data, **kwargs}
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return seen


def _deferred(at: AppTest) -> dict[str, bool]:
    """Per download button on the page: True when its file is generated on click (no bytes sent)."""
    return {b.proto.id: bool(b.proto.deferred_file_id) and not b.proto.url for b in at.get("download_button")}


def test_metrics_csv_is_built_on_click_with_exactly_the_charted_rows(app, downloads, fixture_store):
    metric = "market_share_third_party_mobile_payment_analysys"
    at = app("pages/metrics.py", competitors="alipay,jd_pay", metric=metric,
             **{"from": "2016-01-01", "to": "2020-12-31"})
    assert _problems(at) == []
    assert _deferred(at) and all(_deferred(at).values()), "every download is generated on click"
    button = downloads[f"dl_metric_series_{metric}"]
    assert callable(button["data"]) and not button["disabled"]
    assert button["file_name"] == f"paylens_metric_series_{metric}_alipay-jd_pay_2016-01-01_2020-12-31.csv"
    con = duckdb.connect(str(fixture_store), read_only=True)
    rows = queries.run(con, "metric_series", {"competitors": "alipay,jd_pay", "from": "2016-01-01",
                                              "to": "2020-12-31", "metric": metric})
    assert not rows.empty
    assert button["data"]() == to_csv_bytes(rows)


def test_empty_frame_gives_a_disabled_button_with_nothing_to_generate():
    def script():
        from datetime import date

        import pandas as pd

        from paylens.ui.filters import Filters
        from paylens.ui.widgets import download_csv

        f = Filters(["alipay"], date(2020, 1, 1), date(2020, 12, 31))
        download_csv(pd.DataFrame({"a": [1]}), "full", f)
        download_csv(pd.DataFrame({"a": []}), "empty", f)

    at = AppTest.from_function(script).run()
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download CSV", "Excel", "Parquet"] * 2
    for full in buttons[:3]:
        assert not full.proto.disabled and full.proto.deferred_file_id
    for empty in buttons[3:]:
        assert empty.proto.disabled and not empty.proto.deferred_file_id and not empty.proto.url


def test_snapshot_zip_is_built_only_on_click_and_verifies(app, downloads, monkeypatch):
    import paylens.ui.snapshot as ui_snapshot

    builds = []
    real_build = ui_snapshot.build_bundle
    monkeypatch.setattr(ui_snapshot, "build_bundle", lambda *a, **k: builds.append(a) or real_build(*a, **k))
    at = app("pages/snapshots.py", competitors="alipay,jd_pay", **{"from": "2016-01-01", "to": "2020-12-31"})
    assert _problems(at) == []
    assert builds == [], "rendering the page must not build the bundle"
    assert all(_deferred(at).values())
    assert not any("bytes" in c.value for c in at.caption)
    assert any(f"{len(CHARTS)} CSV files" in c.value for c in at.caption)
    button = downloads["dl_snapshot"]
    assert button["file_name"] == "paylens_snapshot_alipay-jd_pay_2016-01-01_2020-12-31.zip"

    data = button["data"]()  # what a click runs
    assert len(builds) == 1
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        files = {n: zf.read(n) for n in zf.namelist() if n not in ("manifest.json", "snapshot.xlsx")}
        workbook = zf.read("snapshot.xlsx")
    assert {e["file"] for e in manifest["queries"]} == set(files) == {c[0] for c in CHARTS}
    assert hashlib.sha256(workbook).hexdigest() == manifest["workbook"]["sha256"]
    assert manifest["workbook"]["sheets"] == [c[0].removesuffix(".csv") for c in CHARTS]
    for entry in manifest["queries"]:
        assert hashlib.sha256(files[entry["file"]]).hexdigest() == entry["sha256"]
    filters = manifest["filters"]
    assert (filters["competitors"], filters["from"], filters["to"]) == ("alipay,jd_pay", "2016-01-01", "2020-12-31")


# ------------------------------------------------------------------------------------------ articles paging


@pytest.fixture
def two_per_page(monkeypatch):
    """Two articles per page, so the tiny fixture corpus spans several pages (the page imports it each run)."""
    monkeypatch.setattr(tables, "ARTICLES_PER_PAGE", 2)
    return 2


def _corpus(fixture_store):
    con = duckdb.connect(str(fixture_store), read_only=True)
    return queries.run(con, "articles_list", {})


def test_articles_table_shows_one_page_and_the_csv_all_rows(app, downloads, two_per_page, fixture_store):
    corpus = _corpus(fixture_store)
    total = len(corpus)
    assert total > 2 * two_per_page - 1, "the fixture corpus should span at least two pages"
    at = app("pages/articles.py", competitors="", page="2")
    assert _problems(at) == []
    assert at.selectbox(key="w_page").value == "2"
    assert len(at.selectbox(key="w_page").options) == -(-total // two_per_page)
    stop = min(4, total)
    assert any(f"rows 3–{stop} of {total}" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table["title"]) == list(corpus["title"].iloc[2:stop])
    assert _qp(at, "page") == "2"
    # the reader offers the articles of this page
    assert at.selectbox(key="w_article").options == list(tables.articles_table(corpus, 2, stop)["label"])
    assert at.selectbox(key="w_article").value == corpus["article_id"].iloc[2]
    button = downloads["dl_articles_"]
    assert "not only this page" in button["help"]
    assert button["data"]() == to_csv_bytes(corpus), "Download CSV gives the whole filtered list"


def test_an_article_linked_from_another_page_stays_open(app, two_per_page, fixture_store):
    corpus = _corpus(fixture_store)
    last = str(corpus["article_id"].iloc[-1])
    at = app("pages/articles.py", competitors="", article=last)
    assert _problems(at) == []
    assert at.selectbox(key="w_page").value == "1"
    assert at.selectbox(key="w_article").value == last
    at.selectbox(key="w_page").set_value("2").run()
    assert at.selectbox(key="w_article").value == last, "turning pages keeps the article being read"


def test_articles_page_reads_one_page_and_the_whole_list_only_when_a_download_is_clicked(
        app, downloads, two_per_page, fixture_store, monkeypatch):
    asked: list[dict] = []
    real = queries.run

    def spy(con, name, params=None):
        if name == "articles_list":
            asked.append(dict(params or {}))
        return real(con, name, params)

    monkeypatch.setattr(queries, "run", spy)
    corpus = _corpus(fixture_store)
    asked.clear()
    st.cache_data.clear()
    at = app("pages/articles.py", competitors="", page="2")
    assert _problems(at) == []
    listed = [p for p in asked if not p.get("article_id")]  # not the reader's one-article look-ups
    assert [(p["page_size"], p["offset"]) for p in listed] == [(two_per_page, 2)], "one page, from the store"
    asked.clear()
    assert downloads["dl_articles_"]["data"]() == to_csv_bytes(corpus)
    assert [p.get("page_size", 0) for p in asked] == [0], "the click runs the whole list once"


def test_articles_outside_the_dates_show_the_empty_state(app, downloads):
    at = app("pages/articles.py", competitors="", **{"from": "1990-01-01", "to": "1990-12-31"})
    assert _problems(at) == []
    assert any("No articles in this date range" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.key == "w_page"] and not at.dataframe
    assert downloads["dl_articles_"]["disabled"] is True


@pytest.mark.parametrize("bad", ["0", "abc", "999"])
def test_invalid_page_in_the_link_is_dropped_with_a_notice(app, two_per_page, bad):
    at = app("pages/articles.py", competitors="", page=bad)
    assert _problems(at) == []
    assert at.selectbox(key="w_page").value == "1"
    assert any(f"page={bad!r}" in _shown(w.value) for w in at.warning)
    assert "page" not in at.query_params, "page 1 is the default and stays out of the URL"


def test_excel_and_parquet_hold_the_same_rows_as_the_csv(app, downloads):
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    at = app("pages/metrics.py", competitors="alipay,wechat_pay")
    assert _problems(at) == []
    csv_rows = list(csv.DictReader(io.StringIO(downloads["dl_metric_series_" + _qp(at, "metric")]["data"]()
                                               .decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(downloads[f"dl_metric_series_{_qp(at, 'metric')}_xlsx"]["data"]()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    xlsx_rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    parquet = pq.read_table(io.BytesIO(downloads[f"dl_metric_series_{_qp(at, 'metric')}_parquet"]["data"]()))
    assert csv_rows and len(csv_rows) == len(xlsx_rows) == parquet.num_rows
    assert [r["platform_id"] for r in csv_rows] == [r["platform_id"] for r in xlsx_rows]
    assert [float(r["value"]) for r in csv_rows] == [r["value"] for r in xlsx_rows]
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["competitors"] == "alipay, wechat_pay" and about["build id"] and about["created at (UTC)"]


def test_impact_page_sets_a_metric_against_signals_from_the_url(app, downloads, fixture_store):
    con = duckdb.connect(str(fixture_store), read_only=True)
    metric = con.execute("select metric from metric_values where platform_id = 'alipay' "
                         "and period_end - period_start between 89 and 92 group by 1 order by count(*) desc "
                         "limit 1").fetchone()[0]
    at = app("pages/impact.py", competitors="alipay,wechat_pay", subject="alipay", series=metric,
             themes="touchless_subsidy,ai_assistant")
    assert _problems(at) == []
    assert at.selectbox(key="w_series").value == metric
    assert (_qp(at, "series"), _qp(at, "themes")) == (metric, "touchless_subsidy,ai_assistant")
    rows = downloads[f"dl_impact_periods_alipay_{metric}"]["data"]()
    expected = queries.run(con, "impact_periods", {"platform": "alipay", "metric": metric,
                                                   "signals": ["touchless_subsidy", "ai_assistant"],
                                                   "from": "2010-01-01", "to": "2026-12-31"})
    assert rows == to_csv_bytes(expected)
    assert any("Too few periods" in m.value or "rank correlation" in m.value for m in at.markdown)


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_a_missing_or_damaged_store_says_how_to_recover(tmp_path, fixture_data, monkeypatch, damage):
    db = tmp_path / "paylens.duckdb"
    if damage == "garbage":
        db.write_bytes(b"this is not a duckdb file" * 100)
    monkeypatch.setenv("PAYLENS_DB", str(db))
    monkeypatch.setenv("PAYLENS_DATA", str(fixture_data))
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
    assert [e.value for e in at.exception] == [], "a traceback reached the page"
    errors = _shown(" ".join(e.value for e in at.error))
    assert "paylens build" in errors, errors


def test_read_only_dashboard_offers_no_write(app, monkeypatch):
    monkeypatch.setenv("PAYLENS_READ_ONLY", "1")
    at = app("pages/articles.py", competitors="alipay")
    assert _problems(at) == []
    assert any("read-only" in c.value for c in at.caption), "Add from URL says it is off"
    labels = [b.label for b in at.button]
    assert "Fetch" not in labels and not any(label.startswith("Add") for label in labels)


def test_read_only_upload_previews_but_cannot_add(monkeypatch, fixture_store, fixture_data):
    monkeypatch.setenv("PAYLENS_DB", str(fixture_store))
    monkeypatch.setenv("PAYLENS_DATA", str(fixture_data))

    def script():
        import streamlit as st

        from paylens.ui.upload import upload_box

        class Up:
            name = "note.txt"

            def getvalue(self):
                return b"title: t\n\nAlipay keeps pushing tap-to-pay subsidies to merchants.\n"

        st.file_uploader = lambda *a, **k: [Up()]
        upload_box()

    for flag, can_add in (("1", False), ("", True)):
        monkeypatch.setenv("PAYLENS_READ_ONLY", flag)
        at = AppTest.from_function(script).run()
        assert [e.value for e in at.exception] == []
        assert any(b.label.startswith("Add 1") for b in at.button) is can_add, flag
