"""Every page in a real browser: renders cleanly, draws its charts, shows Chinese, restores deep links."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.e2e

# (screenshot name, path, main heading, plotly charts drawn with the default filters)
PAGES = [
    ("overview", "/", "PayLens · Alipay and its rivals", 1),
    ("metrics", "/metrics", "Metrics", 1),
    ("signals", "/signals", "Signals", 2),
    ("articles", "/articles", "Articles", 0),
    ("compare", "/compare", "Compare", 3),
    ("impact", "/impact", "Story vs numbers", 1),
    ("snapshots", "/snapshots", "Snapshots", 0),
]
DEEP_METRIC = "market_share_third_party_mobile_payment_iresearch"
DEEP_LINK = f"/metrics?competitors=alipay,jd_pay&from=2016-01-01&to=2020-12-31&metric={DEEP_METRIC}"


def _competitor_tags(page) -> list[str]:
    """Names shown as chips in the sidebar's Competitors multiselect."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has=page.get_by_role("combobox", name="Competitors"))
    return box.locator("[data-tag]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")


def _date_shown(page, label: str) -> str:
    """The date a sidebar date input shows, as YYYY-MM-DD."""
    field = page.locator("[data-testid='stSidebar']").get_by_role("group", name=label, exact=True)
    return re.sub(r"[^0-9-]", "", field.inner_text())


def _plot_traces(page) -> list[int]:
    """Number of traces in each drawn Plotly figure."""
    return page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(g => (g.data || []).length)")


@pytest.mark.parametrize("name, path, heading, charts", PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_without_errors(app, name, path, heading, charts):
    app.open(path, charts=charts)
    assert app.errors() == [], f"{path} shows an error: {app.errors()}"
    assert app.page.locator("h1").first.inner_text().strip() == heading
    traces = _plot_traces(app.page)
    assert len(traces) >= charts, f"{path}: expected {charts} charts, found {len(traces)}"
    assert all(n > 0 for n in traces), f"{path}: a chart has no traces: {traces}"
    assert app.query().get("competitors"), f"{path}: filters not mirrored in the URL: {app.page.url}"
    app.screenshot(name)
    assert app.js_errors == [], f"{path}: uncaught JavaScript errors: {app.js_errors}"


def test_chinese_article_text_renders(app):
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
        assert fonts.strip(), "no CJK font installed: apt-get install fonts-noto-cjk (`make test` does it)"
    article_id, title = app.server.sql(
        "select article_id, title from articles where lang = 'zh' and title like '%支付宝%' "
        "order by date desc, article_id limit 1")[0]
    app.open(f"/articles?article={article_id}")
    assert app.errors() == []
    assert title in app.page.get_by_role("combobox", name="Article").input_value()
    assert app.page.locator("h4").filter(has_text=title).count() == 1
    assert "支付宝" in app.page.locator("[data-testid='stMain']").inner_text()
    assert app.query().get("article") == article_id
    app.screenshot("articles-zh")


def test_deep_link_restores_filters(app):
    sql = "select family || ' · ' || label from metric_catalogue where metric = ?"
    label = app.server.sql(sql, [DEEP_METRIC])[0][0]
    names = dict(app.server.sql("select platform_id, short_name from platforms"))
    app.open(DEEP_LINK, charts=1)
    assert app.errors() == []
    assert _competitor_tags(app.page) == [names["alipay"], names["jd_pay"]]
    assert _date_shown(app.page, "From") == "2016-01-01"
    assert _date_shown(app.page, "To") == "2020-12-31"
    assert app.page.get_by_role("combobox", name="Metric").input_value().startswith(label + " · ")
    query = app.query()
    assert query["competitors"] == "alipay,jd_pay"
    assert (query["from"], query["to"], query["metric"]) == ("2016-01-01", "2020-12-31", DEEP_METRIC)


def test_unknown_competitor_is_dropped_with_a_notice(app):
    app.open("/metrics?competitors=alipay,bogus", charts=1)
    assert app.errors() == []
    notice = app.page.locator("[data-testid='stAlertContentWarning']").filter(has_text="bogus")
    assert notice.count() == 1 and notice.is_visible()
    names = dict(app.server.sql("select platform_id, short_name from platforms"))
    assert _competitor_tags(app.page) == [names["alipay"]]
    assert app.query()["competitors"] == "alipay"
