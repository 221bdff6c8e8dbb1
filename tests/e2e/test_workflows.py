"""An analyst's everyday tasks, clicked through in Chromium: each test is one task that must complete.

Drill down from the heatmap, share a link that restores every widget, take a snapshot that another browser
reproduces byte for byte, read a chart that does not mislead (one point, mixed period lengths), use a phone.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.e2e.conftest import SCREENSHOTS, App

pytestmark = pytest.mark.e2e

DOWNLOAD_TIMEOUT_MS = 60_000
PHONE = {"width": 390, "height": 844}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


HEATMAP = ".st-key-heatmap .js-plotly-plot"  # the Signals heatmap (the page draws three more charts after it)


def _figures(page, selector: str = ".js-plotly-plot") -> list[dict]:
    """Each drawn Plotly figure's traces (name, type, x, y, customdata) and x-axis settings."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].map(g => ({
        traces: (g.data || []).map(t => ({name: t.name || '', type: t.type, x: t.x, y: t.y,
                                         customdata: t.customdata, showlegend: t.showlegend})),
        xaxis: {type: g._fullLayout.xaxis.type, range: g._fullLayout.xaxis.range},
        xticks: [...g.querySelectorAll('.xtick text')].map(t => t.textContent)}))""", selector)


def _heatmap_cell_centre(page, signal_row: int, platform_col: int) -> tuple[float, float]:
    """Page coordinates of a heatmap cell's centre, from the figure's own axes (row = signal, column = platform)."""
    return page.evaluate("""([row, col]) => {
        const g = document.querySelector('.st-key-heatmap .js-plotly-plot');
        const L = g._fullLayout, box = g.querySelector('.nsewdrag').getBoundingClientRect();
        const x = L.xaxis.l2p(col) + box.left, y = L.yaxis.l2p(row) + box.top;
        return [x, y]; }""", [signal_row, platform_col])


def _download(page, name: str) -> tuple[str, bytes]:
    button = page.get_by_role("button", name=name).first
    button.wait_for(state="visible", timeout=DOWNLOAD_TIMEOUT_MS)
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.failure() is None, download.failure()
    return download.suggested_filename, Path(download.path()).read_bytes()


def _fresh_app(browser, server, viewport=None) -> tuple[App, object]:
    """A tab in a brand-new browser context: no cookies, no session, as a colleague opening a link."""
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000}, accept_downloads=True)
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    return App(tab, server, errors), context


def test_clicking_a_heatmap_cell_shows_that_cells_sentences(app):
    app.open("/signals?competitors=alipay,wechat_pay,douyin_pay&signal=traffic_focus", charts=2)
    assert app.errors() == []
    app.page.wait_for_selector(HEATMAP + " .main-svg", timeout=60_000)
    figure = _figures(app.page, HEATMAP)[0]
    cells = next(t for t in figure["traces"] if t["type"] == "scatter")
    # pick a cell that is not the current choice and has hits: (signal, platform) from the cell markers
    target = next(c for c in cells["customdata"]
                  if c[0] != "traffic_focus" and c[1] != "alipay" and c[2] != "no hits")
    signal, platform = target[0], target[1]
    signals = list(dict.fromkeys(c[0] for c in cells["customdata"]))
    platforms = list(dict.fromkeys(c[1] for c in cells["customdata"]))
    x, y = _heatmap_cell_centre(app.page, signals.index(signal), platforms.index(platform))
    app.page.mouse.click(x + 6, y + 4)  # off-centre: anywhere in the cell counts
    app.page.wait_for_function("s => new URL(location.href).searchParams.get('signal') === s", arg=signal,
                               timeout=30_000)
    app.settle(charts=2)
    assert app.errors() == []
    assert app.query()["signal"] == signal and app.query()["focus"] == platform
    expected = app.server.sql(
        "select count(*) from signal_hits h join articles a using (article_id) where h.signal = ? "
        "and h.platform_id = ?", [signal, platform])[0][0]
    assert expected > 0
    cards = app.page.locator("[data-testid='stMain'] [class*='st-key-evidence_card_']")
    card_text = " ".join(cards.all_inner_texts())
    names = dict(app.server.sql("select platform_id, short_name from platforms"))
    heading = app.page.locator("h3").filter(has_text="Evidence").inner_text()
    assert names[platform] in heading
    # every sentence on the first page of cards belongs to the clicked platform and signal, shown in words
    sentence = app.server.sql(
        "select h.evidence from signal_hits h join articles a using (article_id) where h.signal = ? "
        "and h.platform_id = ? order by a.date desc nulls last, h.article_id, h.sentence_idx limit 1",
        [signal, platform])[0][0]
    assert " ".join(sentence.split())[:60] in " ".join(card_text.split())
    assert signal not in card_text, "cards show signal names, not ids"
    assert f"Why {names[platform]}:" in card_text, "each card says why the hit went to its platform"
    app.screenshot("workflow-heatmap-click")


def test_evidence_cards_show_the_whole_sentence(app):
    longest = app.server.sql(
        "select h.evidence, h.signal, h.platform_id from signal_hits h join articles a using (article_id) "
        "where h.platform_id = 'alipay' and a.date is not null order by length(h.evidence) desc limit 1")[0]
    sentence, signal, _ = longest
    assert len(sentence) > 120
    app.open(f"/signals?competitors=alipay&signal={signal}&focus=alipay", charts=2)
    selector = app.page.get_by_role("combobox", name="Sentences")
    text = " ".join(app.page.locator("[data-testid='stMain']").inner_text().split())
    pages = 1
    while " ".join(sentence.split()) not in text and selector.count() and pages < 30:
        pages += 1
        selector.click()
        options = app.page.get_by_role("option")
        if pages > options.count():
            break
        options.nth(pages - 1).click()
        app.settle(charts=2)
        text = " ".join(app.page.locator("[data-testid='stMain']").inner_text().split())
    assert " ".join(sentence.split()) in text, "the longest sentence is shown whole on one of the card pages"


def test_copy_link_restores_every_widget(app, browser, e2e_server):
    start = ("/metrics?competitors=alipay,wechat_pay&from=2015-01-01&to=2020-12-31"
             "&metric=market_share_third_party_mobile_payment_analysys"
             "&with=market_share_third_party_mobile_payment_iresearch&events=off")
    app.open(start, charts=1)
    assert app.errors() == []
    app.page.get_by_role("button", name="Copy link").click()
    code = app.page.locator("[data-testid='stPopoverBody'] code, [data-testid='stPopover'] code").first
    code.wait_for(timeout=10_000)
    link = code.inner_text().strip()
    assert urlsplit(link).path == "/metrics"
    params = dict(parse_qsl(urlsplit(link).query))
    assert params["with"] == "market_share_third_party_mobile_payment_iresearch" and params["events"] == "off"

    other, context = _fresh_app(browser, e2e_server)
    try:
        other.page.goto(link)
        other.settle(charts=1)
        assert other.errors() == []
        assert other.query() == params, "the link reopens exactly the same view"
        chips = other.page.locator("[data-testid='stMultiSelect'] [data-tag]").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))")
        assert "Alipay" in chips and "WeChat Pay" in chips
        assert any("iResearch" in c for c in chips), chips
        assert not other.page.get_by_role("switch", name="Event markers on charts").is_checked()
        traces = [t["name"] for f in _figures(other.page) for t in f["traces"] if t.get("showlegend") is not False]
        assert any("iResearch" in n for n in traces) and any("Analysys" in n for n in traces), traces
    finally:
        context.close()


def test_snapshot_link_gives_identical_csvs_in_two_fresh_browsers(browser, e2e_server):
    path = ("/snapshots?competitors=alipay,jd_pay&from=2014-01-01&to=2025-12-31"
            "&metric=market_share_third_party_mobile_payment_iresearch&signal=competitive_threat&focus=alipay")
    zips = []
    for _ in range(2):
        tab, context = _fresh_app(browser, e2e_server)
        try:
            tab.open(path)
            assert tab.errors() == []
            _, data = _download(tab.page, "Download snapshot (.zip)")
            zips.append(data)
        finally:
            context.close()
    files = []
    for data in zips:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            files.append({n: zf.read(n) for n in zf.namelist() if n not in ("manifest.json", "snapshot.xlsx")})
    assert files[0] == files[1], "the same link must give byte-identical CSVs"
    compare = _rows(files[0]["compare_signals.csv"]) + _rows(files[0]["compare_metrics.csv"])
    assert compare and {r["platform_id"] for r in compare} <= {"alipay", "jd_pay"}, "Compare follows the pair"
    series = _rows(files[0]["metrics_metric_series.csv"])
    assert {r["metric"] for r in series} == {"market_share_third_party_mobile_payment_iresearch"}
    evidence = _rows(files[0]["signals_evidence.csv"])
    assert evidence and {(r["signal"], r["platform_id"]) for r in evidence} == {("competitive_threat", "alipay")}


def test_snapshot_this_view_carries_the_pages_choices(app):
    app.open("/signals?competitors=alipay,jd_pay&signal=ai_assistant&mode=net", charts=2)
    app.page.get_by_role("link", name="Snapshot this view").click()
    app.page.wait_for_url("**/snapshots?**", timeout=30_000)
    app.settle()
    assert app.errors() == []
    query = app.query()
    assert (query["signal"], query["mode"], query["competitors"]) == ("ai_assistant", "net", "alipay,jd_pay")
    assert (query["platform"], query["rival"]) == ("alipay", "jd_pay")


def test_one_point_series_gets_a_date_axis(app):
    metric, platform = app.server.sql(
        "select metric, platform_id from metric_values group by all having count(*) = 1 "
        "and min(period_start) = min(period_end) order by 1, 2 limit 1")[0]
    app.open(f"/metrics?competitors={platform}&metric={metric}", charts=1)
    assert app.errors() == []
    figure = _figures(app.page)[0]
    assert figure["xaxis"]["type"] == "date"
    assert figure["xticks"] and not any(":" in t for t in figure["xticks"]), figure["xticks"]
    app.screenshot("workflow-one-point")


def test_pboc_value_chart_keeps_yearly_and_quarterly_apart(app):
    app.open("/metrics?competitors=market&metric=nonbank_online_payment_value_pboc", charts=1)
    assert app.errors() == []
    figure = _figures(app.page)[0]
    lines = {t["name"]: [v for v in t["y"] if v is not None] for t in figure["traces"]
             if t["type"] == "scatter" and t.get("showlegend") is False and t["y"] and t["name"]}
    assert set(lines) >= {"Market aggregate · yearly", "Market aggregate · quarterly"}, list(lines)
    assert max(lines["Market aggregate · quarterly"]) < min(lines["Market aggregate · yearly"])
    app.screenshot("workflow-pboc-kinds")


def _settled_boxes(page, locator, tries: int = 20) -> list[dict]:
    """Bounding boxes of the located elements once two readings 300 ms apart agree (Plotly re-lays out after
    its first draw at a new width, and under load that can come late)."""
    read = "els => els.map(e => e.getBoundingClientRect().toJSON())"
    last = locator.evaluate_all(read)
    for _ in range(tries):
        page.wait_for_timeout(300)
        now = locator.evaluate_all(read)
        if now == last and now and all(b["width"] > 0 for b in now):
            return now
        last = now
    return last


def _overlaps(boxes: list[dict]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j
            and a["x"] < b["x"] + b["width"] - 1 and b["x"] < a["x"] + a["width"] - 1
            and a["y"] < b["y"] + b["height"] - 1 and b["y"] < a["y"] + a["height"] - 1]


def test_phone_shows_every_heatmap_label(browser, e2e_server):
    tab, context = _fresh_app(browser, e2e_server, viewport=dict(PHONE))
    try:
        tab.open("/signals", charts=2)
        assert tab.errors() == []
        tab.page.wait_for_selector(HEATMAP + " .main-svg", timeout=60_000)
        figure = _figures(tab.page, HEATMAP)[0]
        heat = figure["traces"][0]
        ticks = tab.page.locator(HEATMAP)
        ylabels = ticks.locator(".ytick text")
        xlabels = ticks.locator(".xtick text")
        assert ylabels.count() == len(heat["y"]) and xlabels.count() == len(heat["x"])
        # Plotly lays the labels out again after its first draw (automargin): measure once they have a size
        tab.page.wait_for_function(
            """() => { const g = document.querySelector('.st-key-heatmap .js-plotly-plot');
                       const t = [...g.querySelectorAll('.xtick text, .ytick text')];
                       return t.length && t.every(e => e.getBoundingClientRect().width > 0); }""", timeout=20_000)
        tab.page.wait_for_timeout(500)
        for labels in (ylabels, xlabels):
            boxes = _settled_boxes(tab.page, labels)
            assert all(b["width"] > 0 for b in boxes)
            assert _overlaps(boxes) == [], "heatmap labels overlap on a phone"
            assert all(b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] + 1 for b in boxes)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(SCREENSHOTS / "workflow-phone-signals.png"))
    finally:
        context.close()


def test_phone_compare_titles_do_not_overlap(browser, e2e_server):
    tab, context = _fresh_app(browser, e2e_server, viewport=dict(PHONE))
    try:
        tab.open("/compare?competitors=alipay,wechat_pay", charts=3)
        assert tab.errors() == []
        titles = tab.page.locator(".js-plotly-plot").first.locator(".annotation-text")
        boxes = _settled_boxes(tab.page, titles)
        assert len(boxes) >= 2
        assert _overlaps(boxes) == [], "Compare's panel titles overlap on a phone"
        tab.page.screenshot(path=str(SCREENSHOTS / "workflow-phone-compare.png"))
    finally:
        context.close()


def test_compare_follows_the_chosen_competitors(app):
    app.open("/compare?competitors=alipay,jd_pay", charts=3)
    assert app.errors() == []
    assert (app.query()["platform"], app.query()["rival"]) == ("alipay", "jd_pay")


def test_compare_threat_sentences_are_drawn_when_their_expander_opens(app):
    """Closed, the pair's threat expanders send no cards (no work for hidden content); opened, the sentences."""
    app.open("/compare?competitors=alipay,wechat_pay", charts=3)
    assert app.errors() == []
    cards = app.page.locator("[class*='st-key-threat_wechat_pay_alipay_card_']")
    assert cards.count() == 0, "a closed expander's cards were built and sent"
    box = app.page.locator("[data-testid='stExpander']").filter(has_text="WeChat Pay threatening Alipay")
    label = box.locator("summary").inner_text()
    shown = int(label.rsplit(": ", 1)[1].split()[0])
    assert shown > 0, label  # the real corpus holds sentences where WeChat Pay threatens Alipay
    box.locator("summary").click()
    app.settle(charts=3)
    cards.first.wait_for(timeout=30_000)
    assert cards.count() == min(shown, 20)
    assert "WeChat Pay" in cards.first.inner_text() or "微信" in cards.first.inner_text()
    assert app.errors() == []


def test_signals_threats_are_built_when_opened_and_a_link_reopens_the_cell(app):
    """Who threatens Alipay: closed, the Threats expander costs nothing; opened, the matrix, the trend and the
    sentences appear and the URL names the cell; that link opens the section on the same cell."""
    app.open("/signals?competitors=alipay,wechat_pay,jd_pay,douyin_pay", charts=2)
    assert app.errors() == []
    matrix = app.page.locator(".st-key-threats_chart .main-svg")
    cards = app.page.locator("[class*='st-key-threats_evidence_card_']")
    assert matrix.count() == 0 and cards.count() == 0, "the closed Threats section was built and sent"
    assert "threat" not in app.query()
    app.page.locator("[data-testid='stExpander']").filter(has_text="Who threatens whom").locator("summary").click()
    app.settle(charts=4)
    matrix.first.wait_for(timeout=30_000)
    cards.first.wait_for(timeout=30_000)
    app.page.wait_for_function("() => new URLSearchParams(location.search).get('threat')", timeout=30_000)
    cell = app.query()["threat"]
    platform, rival = cell.split(":")
    assert platform in {"alipay", "wechat_pay", "jd_pay", "douyin_pay"}, cell
    assert "threatened by" in cards.first.inner_text()
    app.screenshot("workflow-signals-threats")
    link = app.page.url
    app.open("/")  # elsewhere, then the link: the section opens on its own, on the same cell
    app.page.goto(link)
    app.settle(charts=4)
    matrix.first.wait_for(timeout=30_000)
    assert app.query()["threat"] == cell
    picker = app.page.get_by_role("combobox", name="Sentences for")
    assert picker.count() == 1
    assert app.errors() == []


def test_same_platform_and_rival_says_so(app):
    app.open("/compare?platform=wechat_pay&rival=wechat_pay", charts=3)
    assert app.errors() == []
    notice = app.page.locator("[data-testid='stAlertContentWarning']").inner_text()
    assert "with itself" in notice and "unknown" not in notice.lower()


def test_out_of_range_dates_are_clamped_and_the_session_survives(app):
    app.open("/metrics?from=1999-12-31&to=2031-01-01", charts=1)
    assert app.errors() == []
    notices = " ".join(app.page.locator("[data-testid='stAlertContentWarning']").all_inner_texts())
    assert "from=1999-12-31" in notices and "to=2031-01-01" in notices
    assert (app.query()["from"], app.query()["to"]) == ("2000-01-01", "2030-12-31")
    app.page.get_by_role("link", name="Signals").first.click()
    app.page.wait_for_url("**/signals**", timeout=30_000)
    app.settle(charts=2)
    assert app.errors() == [], "the session stays usable after the bad link"


def test_link_values_never_render_as_markdown(app):
    foreign: list[str] = []

    def record(route):
        host = urlsplit(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    app.page.route("**/*", record)
    hostile = ("alipay,[SESSION EXPIRED - click to log in](https://evil.example/login),"
               "![t](https://evil.example/pixel.png),:red[RED],$$x^2$$")
    app.open(f"/metrics?competitors={hostile}&from=[x](https://evil.example/d)", charts=1)
    app.page.wait_for_timeout(1500)
    assert app.errors() == []
    main = app.page.locator("[data-testid='stApp']")
    notices = " ".join(app.page.locator("[data-testid='stAlertContentWarning']").all_inner_texts())
    notices = notices.replace("\u200b", "")  # the zero-width space that keeps a bare URL from linking
    assert "[SESSION EXPIRED - click to log in](https://evil.example/login)" in notices, notices
    assert main.locator("a[href*='evil.example']").count() == 0
    assert main.locator("img[src*='evil.example']").count() == 0
    assert main.locator(".katex").count() == 0, "LaTeX from a link must not render"
    assert foreign == [], f"the page fetched other hosts: {foreign}"
    app.screenshot("workflow-hostile-link")


def test_story_vs_numbers_click_a_bar_for_that_periods_sentences(app):
    app.open("/impact?competitors=alipay,wechat_pay&subject=alipay&themes=competitive_threat"
             "&series=market_share_third_party_mobile_payment_iresearch", charts=1)
    assert app.errors() == []
    bars = next(t for t in _figures(app.page)[0]["traces"] if t["type"] == "bar")
    index = next(i for i, c in enumerate(bars["customdata"]) if c[4] > 0)
    period, start = bars["customdata"][index][3], bars["customdata"][index][1]
    bar = app.page.locator(".js-plotly-plot .barlayer .trace").first.locator(".point").nth(index)
    box = bar.bounding_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 3)
    app.page.wait_for_function("s => new URL(location.href).searchParams.get('at') === s", arg=start,
                               timeout=30_000)
    app.settle(charts=1)
    assert app.errors() == []
    cards = " ".join(app.page.locator("[class*='st-key-impact_evidence_card_']").all_inner_texts())
    assert "Competitive threat" in cards, f"no sentences shown for {period}"
    app.screenshot("workflow-impact")


def test_metric_pivot_tab_is_built_when_opened_and_downloads_its_rows(app):
    app.open("/metrics?competitors=alipay,wechat_pay", charts=1)
    page = app.page
    pivot_download = page.locator(".st-key-dl_pivot")
    assert pivot_download.count() == 0, "the pivot is not built while its tab is closed"
    page.get_by_role("tab", name="Pivot: period x platform").click()
    pivot_download.first.wait_for(state="visible", timeout=DOWNLOAD_TIMEOUT_MS)
    app.settle(charts=1)
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        pivot_download.get_by_role("button").first.click()
    name, rows = info.value.suggested_filename, _rows(Path(info.value.path()).read_bytes())
    assert name.startswith("paylens_metric_pivot_") and rows, name
    assert {"Alipay", "WeChat Pay"} & set(rows[0]), list(rows[0])  # one column per platform
    page.get_by_role("tab", name="Rows with sources").click()
    app.settle(charts=1)
    assert app.errors() == []


def test_whats_new_metric_values_read_as_on_the_metrics_page_and_link_their_source(app):
    """Overview's digest words a new value as the Metrics page does (unit words, not ids) and links its source."""
    # the sidebar's end date caps the window, so this 365-day window is fixed whatever today is
    app.open("/?changed=365&to=2026-06-30&competitors=alipay")
    assert app.errors() == []
    new = app.page.get_by_test_id("stExpander").filter(has_text="metric values").first
    text = new.inner_text()
    assert "Alipay · AI agent payment transactions cumulative 2026-02-12: 120m transactions" in text
    assert "million_transactions" not in text and "million_users" not in text
    link = new.get_by_role("link", name="Deep News (via itiger.com)").first
    assert link.get_attribute("href") == "https://www.itiger.com/news/1141364274"


def test_signals_one_day_reads_right(app):
    """One day, one sentence: a chosen platform with no signal is named under the heatmap rather than silently
    missing; the trend ticks months, not fractions of a second; the count says "1 sentence"; the card's "Why"
    quotes the platform's name as its sentence spells it (支付寶 in a traditional-character text)."""
    signal, day = app.server.sql(
        "select h.signal, a.date::varchar from signal_hits h join articles a using (article_id) "
        "where h.platform_id = 'alipay' and a.date is not null group by all "
        "having count(*) = 1 and bool_or(h.evidence like '%支付寶%') order by 2 desc, 1 limit 1")[0]
    others = app.server.sql(
        "select count(*) from signal_hits h join articles a using (article_id) "
        "where h.platform_id = 'meituan_pay' and a.date = ?::date", [day])[0][0]
    assert others == 0, "the chosen day must have no Meituan Pay hit for this test to mean anything"
    app.open(f"/signals?competitors=alipay,meituan_pay&signal={signal}&focus=alipay&from={day}&to={day}", charts=2)
    assert app.errors() == []
    main = app.page.locator("[data-testid='stMain']")
    assert "No column for Meituan Pay" in main.inner_text()
    assert "No column for Alipay" not in main.inner_text()
    cards = app.page.locator("[data-testid='stMain'] [class*='st-key-evidence_card_']")
    cards.first.wait_for(timeout=30_000)
    quoted = []
    for text in cards.all_inner_texts():
        name = text.split('Why Alipay: named as "', 1)[1].split('"', 1)[0]
        assert name in text.split("Why Alipay")[0], f"{name!r} is not written in its card's sentence"
        quoted.append(name)
    assert quoted == ["支付寶"]
    assert "1 sentence, newest first. It is quoted" in main.inner_text()
    ticks = app.page.locator(".st-key-trend .xtick text").all_text_contents()
    assert ticks and all(":" not in t for t in ticks), ticks
    assert any(t.endswith(day[:4]) for t in ticks), ticks
    _bars_are_drawn(app, "trend")
    app.screenshot("workflow-signals-one-day")


def _ticks(app, key: str) -> list[str]:
    return app.page.locator(f".st-key-{key} .xtick text").all_text_contents()


def _bars_are_drawn(app, key: str, min_px: float = 20) -> None:
    """Every bar of a chart is wide enough to see (a lone date bar can be drawn a millisecond wide)."""
    bars = app.page.locator(f".st-key-{key} .barlayer .point path")
    assert bars.count(), f"no bars in {key}"
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert min(widths) >= min_px, widths


def test_one_day_story_and_threat_trend_tick_dates_not_fractions_of_a_second(app):
    """A one-day window leaves one period or one month: its axis reads in months, never "23:59:59.9996"."""
    day = app.server.sql(
        "select a.date::varchar from signal_hits h join articles a using (article_id) "
        "where h.signal = 'competitive_threat' and h.platform_id = 'alipay' and h.rival not in ('', 'alipay') "
        "and a.date is not null order by a.date desc limit 1")[0][0]
    app.open(f"/signals?competitors=alipay,wechat_pay&from={day}&to={day}&threat=alipay:wechat_pay", charts=4)
    assert app.errors() == []
    app.page.locator(".st-key-threats_trend .xtick text").first.wait_for(timeout=30_000)
    ticks = _ticks(app, "threats_trend")
    assert ticks and all(":" not in t for t in ticks) and any(t.endswith(day[:4]) for t in ticks), ticks
    _bars_are_drawn(app, "threats_trend")
    app.open(f"/impact?competitors=alipay&from={day}&to={day}&subject=alipay", charts=1)
    assert app.errors() == []
    ticks = _ticks(app, "impact")
    assert ticks and all(":" not in t for t in ticks), ticks
    _bars_are_drawn(app, "impact", min_px=5)  # the bar of a month on an axis of a year and more
    app.screenshot("workflow-one-day-impact")


def test_one_value_reads_singular_on_metrics_and_compare(app):
    """A window holding one value of a series says "1 value", not "1 values", and no line-joining note for a
    single point; Compare's expander says "1 metric only one side reports"."""
    metric, day = app.server.sql(
        "select metric, period_end::varchar from metric_values where platform_id = 'alipay' "
        "group by all having count(*) = 1 order by 2 desc, 1 limit 1")[0]
    app.open(f"/metrics?competitors=alipay&metric={metric}&from={day}&to={day}", charts=1)
    assert app.errors() == []
    text = app.page.locator("[data-testid='stMain']").inner_text()
    assert " 1 value." in text and "1 values" not in text, text[:600]
    assert "not joined into a line" not in text
    only = app.server.sql(
        "select count(distinct metric) from metric_values where period_end = ?::date and platform_id = 'alipay' "
        "and metric not in (select metric from metric_values where period_end = ?::date "
        "and platform_id = 'wechat_pay')", [day, day])[0][0]
    app.open(f"/compare?competitors=alipay,wechat_pay&platform=alipay&rival=wechat_pay&from={day}&to={day}",
             charts=1)
    assert app.errors() == []
    text = app.page.locator("[data-testid='stMain']").inner_text()
    assert f"{only} metric{'s' if only != 1 else ''} only one side reports" in text
    assert "1 metrics" not in text


def test_whats_new_counts_read_singular_for_one(app):
    """"New: 1 article, ..." for a window holding one article, not "1 articles"."""
    day = app.server.sql(
        "select a.date::varchar from articles a where a.date is not null and a.fetched_at is null and "
        "(select count(*) from articles b where b.date between a.date - 29 and a.date) = 1 "
        "order by a.date desc limit 1")[0][0]
    app.open(f"/?competitors=alipay,wechat_pay,jd_pay,douyin_pay,unionpay,meituan_pay&from={day}&to={day}")
    assert app.errors() == []
    label = app.page.locator("[data-testid='stExpander'] summary").filter(has_text="New:").first.inner_text()
    assert "New: 1 article," in label and "1 articles" not in label, label
    assert re.search(r"(?:\b1 metric value\b|\b(?:0|[2-9]|\d\d+) metric values\b)", label), label


def test_search_and_compare_threat_counts_read_as_english(app):
    """"10 results, best match first" and "WeChat Pay threatening Alipay: 7 sentences", never "result(s)"."""
    app.open("/articles?competitors=alipay,wechat_pay&q=碰一下")
    assert app.errors() == []
    caption = app.page.get_by_text(re.compile(r"best match first")).first.inner_text()
    n = int(re.match(r"([\d,]+) result", caption).group(1).replace(",", ""))
    assert caption.startswith(f"{n:,} result{'s' if n != 1 else ''}") and "(s)" not in caption, caption
    app.open("/compare?competitors=alipay,wechat_pay&platform=alipay&rival=wechat_pay", charts=1)
    assert app.errors() == []
    labels = app.page.locator("[data-testid='stExpander'] summary").filter(has_text="threatening").all_inner_texts()
    assert labels and all("(s)" not in label for label in labels), labels
    assert all(re.search(r": (1 sentence|\d[\d,]* sentences)$", label.strip()) for label in labels), labels
