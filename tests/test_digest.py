"""paylens.digest and `paylens digest`: sections for a window with known articles, empty windows, formats."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.digest import MIN_ARTICLES, classify, make_digest, render, safe_url, to_markdown
from tests.conftest import make_fixture_data
from tests.search.corpus import EXTRA, WINDOW, build_store, make_search_data

SINCE, UNTIL = (date.fromisoformat(d) for d in WINDOW)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    data = make_search_data(tmp_path_factory.mktemp("digest") / "data")
    return build_store(data, tmp_path_factory.mktemp("digest_store") / "paylens.duckdb")


@pytest.fixture
def con(store):
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


def test_window_lists_the_articles_added_in_it(con):
    d = make_digest(con, SINCE, UNTIL)
    assert not d.empty
    urls = {a["url"] for a in d.articles}
    assert urls == {"https://example.com/zh/zhixiaobao", "https://example.com/en/tap-to-pay?a=1&b=<2>",
                    "https://example.com/en/old-quickpass"}  # the 2019 story is in by its fetched_at
    assert (d.prev_from, d.prev_to) == (SINCE - timedelta(days=7), SINCE - timedelta(days=1))


def test_new_signals_strengthen_with_counts_and_no_percentage(con):
    d = make_digest(con, SINCE, UNTIL)
    touch = [s for s in d.strengthening if (s.platform_id, s.signal) == ("alipay", "touchless_subsidy")]
    assert touch and touch[0].cur_articles == 2 and touch[0].prev_articles == 0
    assert touch[0].cur_share is None  # fewer than MIN_ARTICLES articles: counts only
    assert not d.weakening
    text = to_markdown(d)
    assert "### New" in text and "### Strengthening" in text and "### Weakening" not in text
    assert "%" not in text.split("### Strengthening")[1]


def test_empty_window_says_so_and_has_no_sections(con):
    d = make_digest(con, date(2031, 1, 1), date(2031, 1, 7))
    assert d.empty and not d.strengthening and not d.weakening
    for fmt in ("md", "html"):
        out = render(d, fmt)
        assert "Nothing new between 2031-01-01 and 2031-01-07" in out
        assert "New" not in out.replace("Nothing new", "") and "Strengthening" not in out
    assert json.loads(render(d, "json"))["empty"] is True


def test_json_lists_each_new_article_with_its_url(con):
    out = json.loads(render(make_digest(con, SINCE, UNTIL), "json"))
    assert sorted(a["url"] for a in out["articles"]) == sorted(
        line.split("url: ", 1)[1].split("\n", 1)[0] for line in EXTRA.values())
    assert all(set(s) >= {"platform_id", "signal", "cur_articles", "cur_total", "prev_articles", "prev_total"}
               for s in out["strengthening"])


def test_html_escapes_untrusted_text(con):
    out = render(make_digest(con, SINCE, UNTIL), "html")
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'href="https://example.com/en/tap-to-pay?a=1&amp;b=%3C2%3E"' in out


def test_markdown_escapes_markup_and_links_only_web_urls(con):
    out = render(make_digest(con, SINCE, UNTIL), "md")
    assert "\\<script\\>" in out and "<script>" not in out
    assert safe_url("javascript:alert(1)") is None and safe_url("https://a.example/x (y)") is None
    assert safe_url("https://a.example/p(1)") == "https://a.example/p%281%29"


def _row(cur, cur_total, prev, prev_total):
    return {"platform_id": "alipay", "platform": "Alipay", "signal": "ai_assistant", "cur_articles": cur,
            "cur_total": cur_total, "prev_articles": prev, "prev_total": prev_total,
            "cur_share": cur / cur_total if cur_total else None,
            "prev_share": prev / prev_total if prev_total else None}


@pytest.mark.parametrize("row, moved, counts_only", [
    (_row(4, 5, 1, 5), True, False),          # 80% vs 20%: a share move
    (_row(3, 10, 3, 11), False, False),       # 30% vs 27%: under the 10-point bar
    (_row(2, 3, 0, 2), True, True),           # a handful: counts decide, no share
    (_row(1, 2, 1, 4), False, True),          # same count on a handful: not reported
])
def test_classify(row, moved, counts_only):
    shift = classify(row)
    assert (shift is not None) == moved
    if shift:
        assert shift.counts_only == counts_only
        assert ("%" in shift.describe()) != counts_only


def _dated_article(i: int, day: date, touch: bool) -> str:
    line = ("Alipay keeps paying merchants cash-back to push tap to pay devices." if touch
            else "Regulators fined Alipay for breaking payment rules.")
    return (f"title: Alipay story {i}\nurl: https://example.com/{i}\npublisher: Fixture Wire\n"
            f"date: {day}\nlang: en\n\n{line} Story number {i}.\n")


def test_share_moves_are_reported_in_percent_with_enough_articles(tmp_path):
    data = make_fixture_data(tmp_path / "data")
    for old in (data / "articles").iterdir():
        old.unlink()
    start = date(2030, 1, 1)
    for i in range(MIN_ARTICLES):   # previous window: 1 of 5 about touchless; this window: 4 of 5
        (data / "articles" / f"p{i}.txt").write_text(_dated_article(i, start + timedelta(days=i), i < 1), "utf-8")
        (data / "articles" / f"c{i}.txt").write_text(
            _dated_article(100 + i, start + timedelta(days=10 + i), i < 4), "utf-8")
    db = build_store(data, tmp_path / "s.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    try:
        d = make_digest(con, start + timedelta(days=10), start + timedelta(days=19))
    finally:
        con.close()
    up = {(s.platform_id, s.signal): s for s in d.strengthening}
    touch = up[("alipay", "touchless_subsidy")]
    assert (touch.cur_articles, touch.cur_total, touch.prev_articles, touch.prev_total) == (4, 5, 1, 5)
    assert "80% (4 of 5 articles), previously 20% (1 of 5 articles)" in touch.describe()
    down = {(s.platform_id, s.signal) for s in d.weakening}
    assert ("alipay", "regulatory_pressure") in down


def test_cli_digest_formats_and_bad_input(store):
    runner = CliRunner()
    base = ["digest", "--since", WINDOW[0], "--until", WINDOW[1], "--db", str(store)]
    md = runner.invoke(cli, base)
    assert md.exit_code == 0 and md.output.startswith("## What changed 2026-03-01 to 2026-03-07")
    js = runner.invoke(cli, [*base, "--format", "json"])
    assert js.exit_code == 0 and len(json.loads(js.output)["articles"]) == 3
    only = runner.invoke(cli, [*base, "--format", "json", "--param", "competitors=unionpay"])
    assert [a["url"] for a in json.loads(only.output)["articles"]] == ["https://example.com/en/old-quickpass"]
    assert runner.invoke(cli, [*base, "--format", "pdf"]).exit_code == 2
    assert runner.invoke(cli, ["digest", "--since", "2026-02-30", "--db", str(store)]).exit_code == 2
    backwards = runner.invoke(cli, ["digest", "--since", "2026-03-07", "--until", "2026-03-01", "--db", str(store)])
    assert backwards.exit_code == 2 and "before --since" in backwards.output


def test_digest_metrics_window_takes_full_source_dates_and_period_ends_only():
    """A partial source date (YYYY, YYYY-MM) never places a value in the window; a full one or the period end does."""
    from paylens import queries
    from paylens.store.build import source_days

    mem = duckdb.connect()
    mem.execute("create table platforms (platform_id varchar, short_name varchar)")
    mem.execute("insert into platforms values ('alipay', 'Alipay')")
    mem.execute("create table metric_catalogue (metric varchar, label varchar)")
    mem.execute("insert into metric_catalogue values ('m', 'M')")
    mem.execute("create table metric_values (platform_id varchar, metric varchar, period varchar, period_end date, "
                "value double, unit varchar, source_publisher varchar, source_date varchar, source_day date, "
                "source_url varchar, confidence varchar)")
    rows = [("full-in", "2020-12-31", "2024-06-10"), ("full-out", "2020-12-31", "2024-07-01"),
            ("month", "2020-12-31", "2024-06"), ("year", "2020-12-31", "2024"),
            ("end-in", "2024-06-30", ""), ("end-in-old-source", "2024-06-30", "2019-01-02")]
    days = source_days(pd.Series([source for _, _, source in rows]))  # the build's own reading of each date
    for (period, end, source), day in zip(rows, days, strict=True):
        mem.execute("insert into metric_values values ('alipay', 'm', ?, ?, 1, 'x', 'p', ?, ?, 'https://e.com', "
                    "'reported')", [period, end, source, day])
    got = queries.run(mem, "digest_metrics", {"from": date(2024, 6, 1), "to": date(2024, 6, 30),
                                              "competitors": [], "limit": 100})
    assert sorted(got["period"]) == ["end-in", "end-in-old-source", "full-in"]


# digest_metrics as defined: a value is in the window by its source day or its period end (one scan, an OR).
DIGEST_METRICS_DEFINITION = """
select v.platform_id, p.short_name as platform, v.metric, c.label, v.period, v.period_end, v.value, v.unit,
       v.source_publisher, v.source_date, v.source_url, v.confidence
from metric_values v
join platforms p using (platform_id)
join metric_catalogue c using (metric)
where (v.source_day between $from and $to or v.period_end between $from and $to)
  and (len($competitors) = 0 or list_contains($competitors, v.platform_id))
order by coalesce(v.source_day, v.period_end) desc, v.platform_id, v.metric, v.period_end desc, v.period,
         v.source_url
limit $limit
"""


def digest_windows(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> list[dict]:
    """Random windows (a day to years, inside and around the data), competitor sets and limits."""
    import random

    rnd = random.Random(seed)
    lo, hi = con.execute("select min(period_end), max(coalesce(source_day, period_end)) from metric_values").fetchone()
    platforms = [r[0] for r in con.execute("select distinct platform_id from metric_values order by 1").fetchall()]
    out = []
    for _ in range(n):
        to = lo + timedelta(days=rnd.randrange(0, (hi - lo).days + 60))
        out.append({"from": to - timedelta(days=rnd.choice([0, 1, 7, 30, 365, 3650])), "to": to,
                    "competitors": rnd.sample(platforms, rnd.choice([0, 0, 1, 2])),
                    "limit": rnd.choice([1, 3, 20, 500])})
    return out


def test_digest_metrics_equals_its_definition_on_the_fixture_store(fixture_store):
    """The two one-day branches, each cut to $limit, give exactly the rows and order of the one-scan definition."""
    from paylens import queries

    con = duckdb.connect(str(fixture_store), read_only=True)
    both = con.execute("select count(*) from metric_values where source_day is not null").fetchone()[0]
    assert both > 0
    nonempty = 0
    for params in digest_windows(con, 150, seed=3):
        got = queries.run(con, "digest_metrics", params)
        want = con.execute(DIGEST_METRICS_DEFINITION, params).df()
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)
        nonempty += len(got) > 1
    assert nonempty > 20  # the windows are not all empty


def test_metric_values_read_as_the_metrics_page_writes_them_never_as_raw_unit_ids(con):
    """'¥55.4bn', '300m transactions' (the unit's words, as on the Metrics page), in Markdown and HTML alike."""
    import dataclasses

    rows = [{"platform": "Alipay", "label": "AI agent payments", "period": "2026-05-26", "value": 300.0,
             "unit": "million_transactions", "source_publisher": "Deep News", "source_url": "https://e.com/a"},
            {"platform": "WeChat Pay", "label": "Revenue", "period": "2025", "value": 55.4, "unit": "billion_cny",
             "source_publisher": "Tencent", "source_url": "https://e.com/b"}]
    d = dataclasses.replace(make_digest(con, SINCE, UNTIL), metrics=rows)
    for fmt in ("md", "html"):
        out = render(d, fmt)
        assert "300m transactions" in out and "¥55.4bn" in out, fmt
        assert "million_transactions" not in out and "billion_cny" not in out, fmt


def test_counts_agree_with_their_number_in_md_and_html(con):
    d = make_digest(con, SINCE, UNTIL)
    one = replace(d, articles=d.articles[:1])
    assert "**1 article**" in to_markdown(one) and "<strong>1 article</strong>" in render(one, "html")
    assert f"**{len(d.articles)} articles**" in to_markdown(d)
