"""Contract: every file in queries/ is one lowercase, parameterised query that runs on the fixture store."""

from __future__ import annotations

import re
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from paylens import queries
from paylens.errors import QueryError

SAMPLES = {
    "competitors": "alipay,wechat_pay,jd_pay",
    "from": "2010-01-01",
    "to": "2026-12-31",
    "metric": "market_share_third_party_mobile_payment_analysys",
    "family": "Market share",
    "categories": "regulation,subsidy",
    "signal": "traffic_focus",
    "signals": "traffic_focus,ai_assistant",
    "platform": "alipay",
    "rival": "wechat_pay",
    "stance": "",
    "limit": "50",
    "max_points": "500",
    "q": "",
    "terms": "alipay,支付宝",
    "publisher": "",
    "depth": "8",
    "page_size": "200",
    "offset": "0",
}
NAMES = sorted(queries.load_all())
# What each query returns, column by column: pages, CSVs and other tools rely on these names and this order.
EXPECTED_COLUMNS = {
    "article_detail": ["article_id", "title", "url", "publisher", "date", "lang", "file", "body"],
    "article_hits": ["sentence_idx", "platform_id", "platform", "signal", "stance", "score", "evidence"],
    "article_sources": ["url", "publisher", "title", "date", "similarity", "found_at"],
    "article_publishers": ["publisher"],
    "articles_count": ["articles"],
    "articles_list": ["article_id", "date", "title", "publisher", "lang", "url", "file", "hits", "signals",
        "platforms"],
    "compare_coverage": ["metric", "metric_label", "family", "platform_values", "rival_values"],
    "compare_events": ["date", "platform_id", "platform", "category", "title", "description", "source_publisher",
        "source_url"],
    "compare_metrics": ["metric", "metric_label", "family", "research_firm", "headline", "platform_id", "platform",
        "platform_zh", "period", "period_kind", "period_start", "period_end", "value", "unit", "source_publisher",
        "source_title", "source_url", "source_date", "confidence", "note"],
    "compare_signals": ["platform_id", "platform", "signal", "articles", "platform_articles", "share", "hits",
        "positive", "negative", "neutral"],
    "corpus_freshness": ["articles", "newest_article", "last_fetched", "last_feed_run", "feed_runs"],
    "coverage": ["platform_id", "platform", "year", "n_metrics", "n_values", "metrics"],
    "digest_articles": ["added_on", "date", "title", "publisher", "url", "lang", "article_id", "platforms", "signals"],
    "digest_metrics": ["platform_id", "platform", "metric", "label", "period", "period_end", "value", "unit",
        "source_publisher", "source_date", "source_url", "confidence"],
    "digest_signal_shift": ["platform_id", "platform", "signal", "cur_articles", "cur_total", "prev_articles",
        "prev_total", "cur_share", "prev_share", "prev_from", "prev_to"],
    "events": ["date", "platform_id", "platform", "category", "title", "description", "source_publisher", "source_url"],
    "feed_runs": ["run_at", "feed", "feed_url", "items_seen", "added", "skipped_duplicate", "skipped_off_topic",
        "errors", "error_detail"],
    "hit_corrections": ["corrected_at", "who", "action", "stance", "right_platform", "right_platform_name", "reason",
        "applied", "hits", "platform_id", "platform", "signal", "article_id", "sentence_idx", "title", "publisher",
        "date", "url"],
    "impact_periods": ["platform_id", "platform", "metric", "metric_label", "period", "period_kind", "period_start",
        "period_end", "value", "unit", "source_publisher", "source_url", "confidence", "signal", "signal_articles",
        "platform_articles", "share"],
    "latest_values": ["platform_id", "platform", "platform_zh", "metric", "metric_label", "family", "period",
        "period_kind", "period_start", "period_end", "value", "unit", "prev_value", "prev_period", "yoy_value",
        "yoy_period", "source_publisher", "source_title", "source_url", "source_date", "confidence"],
    "metric_catalogue": ["metric", "label", "family", "research_firm", "unit", "headline", "description", "n_values",
        "n_platforms", "first_period", "last_period"],
    "metric_series": ["platform_id", "platform", "platform_zh", "metric", "metric_label", "research_firm", "period",
        "period_kind", "period_start", "period_end", "value", "unit", "prev_period", "prev_value", "change",
        "yoy_period", "yoy_value", "yoy_change", "source_publisher", "source_title", "source_url", "source_date",
        "confidence", "note"],
    "platforms": ["platform_id", "name", "short_name", "name_zh", "operator", "parent_group", "launched", "kind",
        "notes"],
    "search_sentences": ["score", "date", "platform_id", "platform", "signal", "stance", "n_hits", "sentence",
        "sentence_idx", "is_title", "title", "publisher", "url", "article_id", "file", "lang", "min_score"],
    "signal_evidence": ["date", "platform_id", "platform", "signal", "stance", "rival", "score", "evidence", "title",
        "publisher", "url", "article_id", "sentence_idx", "lang", "moved_by", "moved_why"],
    "signal_heatmap": ["platform_id", "platform", "platform_zh", "signal", "articles", "platform_articles", "share",
        "hits", "positive", "negative", "neutral", "net_stance"],
    "signal_trend": ["month", "platform_id", "platform", "signal", "articles", "hits", "positive", "negative",
        "neutral"],
    "threat_evidence": ["date", "platform_id", "platform", "rival", "signal", "stance", "score", "evidence", "title",
        "publisher", "url", "article_id", "sentence_idx", "lang"],
    "threat_matrix": ["platform_id", "platform", "platform_zh", "rival_id", "rival", "articles", "platform_articles",
        "share", "hits", "first_date", "last_date"],
    "threat_trend": ["month", "platform_id", "platform", "rival_id", "rival", "articles", "hits"],
}


@pytest.fixture(scope="module")
def con(fixture_store):
    c = duckdb.connect(str(fixture_store), read_only=True)
    yield c
    c.close()


def test_there_are_queries():
    assert {"metric_series", "latest_values", "coverage", "events", "platforms"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_query_file_shape(name):
    q = queries.get(name)
    assert q.purpose, "first line is '-- <purpose>'"
    code = "\n".join(line for line in q.sql.splitlines() if not line.strip().startswith("--"))
    assert code.strip(), "one query per file"
    assert ";" not in code.strip().rstrip(";"), "one statement only"
    assert not re.search(r"\b(SELECT|FROM|WHERE|JOIN|GROUP BY|ORDER BY|WITH)\b", code), "lowercase SQL"
    assert "{" not in code and "%s" not in code, "values are bound, never formatted"


@pytest.mark.parametrize("name", NAMES)
def test_query_runs_on_fixture_store(con, name):
    q = queries.get(name)
    missing = [p for p in q.params if p not in SAMPLES and p != "article_id"]
    assert not missing, f"add samples for {missing}"
    params = {p: SAMPLES[p] for p in q.params if p in SAMPLES}
    if "article_id" in q.params:
        params["article_id"] = con.execute("select min(article_id) from articles").fetchone()[0]
    df = queries.run(con, name, params)
    assert name in EXPECTED_COLUMNS, f"add {name}'s columns to EXPECTED_COLUMNS"
    assert list(df.columns) == EXPECTED_COLUMNS[name]


def test_metric_series_returns_only_chosen_platforms_with_sources(con):
    df = queries.run(con, "metric_series", {"metric": SAMPLES["metric"], "competitors": "alipay,wechat_pay"})
    assert set(df["platform_id"]) == {"alipay", "wechat_pay"}
    for col in ("platform_id", "period", "period_start", "period_end", "value", "unit",
                "source_publisher", "source_url", "confidence"):
        assert col in df.columns
    assert df["source_url"].str.startswith("http").all()


def test_date_range_filters_rows(con):
    df = queries.run(con, "metric_series", {"metric": SAMPLES["metric"], "from": "2016-01-01",
                                            "to": "2016-12-31"})
    assert not df.empty
    assert (df["period_end"] >= pd.Timestamp(date(2016, 1, 1))).all()
    assert (df["period_start"] <= pd.Timestamp(date(2016, 12, 31))).all()


def test_hostile_parameter_is_data_not_sql(con):
    df = queries.run(con, "metric_series", {"metric": "x' or 1=1 --", "competitors": "alipay'; drop table x"})
    assert df.empty
    assert con.execute("select count(*) from metric_values").fetchone()[0] > 0


@pytest.mark.parametrize("params, message", [
    ({"metric": "m", "nope": "1"}, "does not take nope"),
    ({"metric": "m", "from": "2020-13-01"}, "not a date"),
    ({}, "needs parameter metric"),
])
def test_bad_parameters_raise_query_error(con, params, message):
    with pytest.raises(QueryError, match=message):
        queries.run(con, "metric_series", params)


def test_unknown_query_names_the_known_ones():
    with pytest.raises(QueryError, match="metric_series"):
        queries.get("drop_everything")


def test_articles_list_follows_the_competitors(con):
    everything = queries.run(con, "articles_list", {})
    jd = queries.run(con, "articles_list", {"competitors": "jd_pay"})
    assert len(jd) < len(everything)
    hit_free = set(everything.loc[everything["hits"] == 0, "article_id"])
    for row in jd.itertuples():
        assert row.article_id in hit_free or "jd_pay" in row.platforms.split(", ")


@pytest.mark.parametrize("competitors", ["", "alipay,wechat_pay"])
def test_articles_list_pages_add_up_to_the_whole_list_and_its_count(con, competitors):
    params = {"competitors": competitors}
    everything = queries.run(con, "articles_list", params)
    total = queries.run(con, "articles_count", params)["articles"].iloc[0]
    assert total == len(everything) > 2
    pages = [queries.run(con, "articles_list", {**params, "page_size": 2, "offset": start})
             for start in range(0, total + 2, 2)]
    assert [len(p) for p in pages] == [2] * (total // 2) + [total % 2] * (total % 2) + [0]
    pd.testing.assert_frame_equal(pd.concat(pages[:-1], ignore_index=True), everything)


def test_articles_list_answers_for_one_article_within_the_filters(con):
    everything = queries.run(con, "articles_list", {})
    jd = set(queries.run(con, "articles_list", {"competitors": "jd_pay"})["article_id"])
    outside = next(a for a in everything["article_id"] if a not in jd)
    inside = next(iter(jd))
    one = queries.run(con, "articles_list", {"competitors": "jd_pay", "article_id": inside})
    assert list(one["article_id"]) == [inside]
    assert queries.run(con, "articles_list", {"competitors": "jd_pay", "article_id": outside}).empty


def test_article_publishers_are_the_list_s_publishers_once(con):
    listed = queries.run(con, "articles_list", {})["publisher"].dropna()
    assert queries.run(con, "article_publishers", {})["publisher"].tolist() == sorted(set(listed)) != []


# The evidence list as a plain scan of every hit: what signal_evidence must return, however it finds the rows.
EVIDENCE_SCAN = """
select a.date, h.platform_id, p.short_name as platform, h.signal, h.stance, nullif(h.rival, '') as rival,
       h.score, h.evidence, a.title, a.publisher, a.url, h.article_id, h.sentence_idx, a.lang, m.moved_by, m.moved_why
from signal_hits h join articles a using (article_id) join platforms p using (platform_id)
left join (select article_id, sentence_idx, right_platform as platform_id, signal,
                  string_agg(distinct who, ', ' order by who) as moved_by, min(reason) as moved_why
           from hit_corrections where applied and right_platform <> '' group by all) m
       using (article_id, sentence_idx, platform_id, signal)
where ($signal = '' or h.signal = $signal) and ($platform = '' or h.platform_id = $platform)
  and ($stance = '' or h.stance = $stance)
  and (len($competitors) = 0 or list_contains($competitors, h.platform_id))
  and (a.date is null or a.date between $from and $to)
order by a.date desc nulls last, h.article_id, h.sentence_idx, h.platform_id, h.signal, h.rival
limit $limit
"""


def evidence_cases(con) -> list[dict]:
    """Parameter sets that make signal_evidence stop at a month (small limits), cut months at either end, or
    run out of hits (large limits), for every signal and stance."""
    dates = [("1900-01-01", "2100-12-31"), ("2019-03-15", "2024-10-20"), ("2020-02-01", "2020-02-29")]
    cases = []
    signals = [""] + [r[0] for r in con.execute("select distinct signal from signal_hits order by 1").fetchall()]
    for i, signal in enumerate(signals):
        for limit in (1, 3, 10, 60, 5000):
            d_from, d_to = dates[(i + limit) % len(dates)]
            cases.append({"signal": signal, "limit": limit, "from": d_from, "to": d_to,
                          "stance": ("", "positive", "negative", "neutral")[(i + limit) % 4],
                          "platform": ("", "alipay")[limit % 2],
                          "competitors": ("", "alipay,wechat_pay,jd_pay")[i % 2]})
    return cases


def test_signal_evidence_equals_a_scan_of_every_hit(con):
    filled = []
    for params in evidence_cases(con):
        got = queries.run(con, "signal_evidence", params)
        bound = queries.bind(queries.get("signal_evidence"), params)
        want = queries.to_frame(con.cursor().execute(EVIDENCE_SCAN, bound))
        pd.testing.assert_frame_equal(got, want, obj=str(params))
        filled.append(len(got) == params["limit"])
    assert any(filled) and not all(filled), "both kinds: lists cut at a month and lists that run out of hits"


@pytest.mark.parametrize("name, value, message", [
    ("limit", "99999999999999999999", "out of range"),
    ("limit", "-1", "out of range"),
    ("limit", "0", "out of range"),
    ("limit", "1_000", "not an integer"),
    ("limit", "٥", "not an integer"),
    ("max_points", "-5", "out of range"),
    ("max_points", "9" * 5000, "out of range"),
])
def test_integer_parameters_are_range_checked_when_bound(name, value, message):
    query, required = ("signal_evidence", "signal") if name == "limit" else ("metric_series", "metric")
    with pytest.raises(QueryError, match=message):
        queries.bind(queries.get(query), {required: "x", name: value})


def test_integer_parameters_in_range_are_bound_as_int():
    bound = queries.bind(queries.get("signal_evidence"), {"signal": "x", "limit": " +25 "})
    assert bound["limit"] == 25
    low, high = queries.INT_RANGES["limit"]
    assert queries.coerce("limit", str(high)) == high and queries.coerce("limit", low) == low


def test_a_duckdb_error_inside_a_named_query_becomes_a_query_error(tmp_path):
    """A store without the query's tables (old or damaged) fails with a message naming the query and the fix."""
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    try:
        with pytest.raises(QueryError, match=r"query platforms failed: .*run `paylens build`") as info:
            queries.run(con, "platforms", {})
    finally:
        con.close()
    assert info.value.exit_code == 1  # not the user's input: a store problem


# Articles of a platform (per signal, and in all) counted by a scan of every hit: what impact_periods and
# digest_signal_shift must report, however they count (they sum platform_days / signal_days, built with the store).
HIT_SCAN = """
select count(distinct h.article_id) filter (where h.signal = $signal) as signal_articles,
       count(distinct h.article_id) as platform_articles
from signal_hits h join articles a using (article_id)
where h.platform_id = $platform and {day} between $lo and $hi
"""
DATED = HIT_SCAN.format(day="a.date")
ADDED = HIT_SCAN.format(day="coalesce(a.fetched_at::date, a.date)")
WINDOWS = [(date(1900, 1, 1), date(2100, 12, 31)), (date(2019, 3, 15), date(2024, 10, 20)),
           (date(2021, 2, 1), date(2021, 2, 28)), (date(2023, 7, 9), date(2025, 1, 3))]


def _scan(con, sql: str, **params) -> tuple[int, int]:
    return tuple(int(v) for v in con.cursor().execute(sql, params).fetchone())


def test_impact_periods_counts_equal_a_scan_of_every_hit(con):
    signals = [r[0] for r in con.execute("select distinct signal from signal_hits order by 1").fetchall()]
    pairs = con.execute("select distinct v.metric, v.platform_id from metric_values v "
                        "semi join signal_hits h using (platform_id) order by 1, 2").fetchall()
    checked = 0
    for i, (metric, platform) in enumerate(pairs):
        d_from, d_to = WINDOWS[i % len(WINDOWS)]
        got = queries.run(con, "impact_periods", {"metric": metric, "platform": platform, "from": d_from,
                                                  "to": d_to, "signals": signals[i % 3::2]})
        for r in got.itertuples():
            lo, hi = max(d_from, r.period_start.date()), min(d_to, r.period_end.date())
            want = _scan(con, DATED, platform=platform, signal=r.signal, lo=lo, hi=hi)
            assert (r.signal_articles, r.platform_articles) == want, (metric, platform, r.period, r.signal)
            checked += want[0] > 0
        dated = con.execute("select min(a.date), max(a.date) from signal_hits h join articles a using (article_id) "
                            "where h.platform_id = $p and a.date between $lo and $hi",
                            {"p": platform, "lo": d_from, "hi": d_to}).fetchone()
        if len(got) and dated[0] is not None:  # the calendar reaches every dated article of the platform
            assert got.period_start.min().date() <= dated[0] and got.period_end.max().date() >= dated[1]
    assert checked > 0, "some periods have articles with the signal"


def test_digest_signal_shift_counts_equal_a_scan_of_every_hit(con):
    checked = 0
    # windows that start and end on a day an article was added, so off-by-one-day edges show
    days = [r[0] for r in con.execute("select distinct coalesce(fetched_at::date, date) as d from articles "
                                      "where d is not null order by d").fetchall()]
    assert len(days) >= 2
    edged = [(days[len(days) // 2], days[-1]), (days[0], days[1]), (days[-2], days[-1])]
    for d_from, d_to in WINDOWS[1:] + edged:
        for competitors in ([], ["alipay", "wechat_pay"]):
            got = queries.run(con, "digest_signal_shift", {"from": d_from, "to": d_to, "competitors": competitors})
            prev_from, prev_to = d_from - (d_to - d_from) - timedelta(days=1), d_from - timedelta(days=1)
            pairs = con.execute(
                "select distinct h.platform_id, h.signal from signal_hits h join articles a using (article_id) "
                "where coalesce(a.fetched_at::date, a.date) between $lo and $hi "
                "and (len($c) = 0 or list_contains($c, h.platform_id)) order by 1, 2",
                {"lo": prev_from, "hi": d_to, "c": competitors}).fetchall()
            assert list(zip(got.platform_id, got.signal, strict=True)) == pairs
            for r in got.itertuples():
                cur = _scan(con, ADDED, platform=r.platform_id, signal=r.signal, lo=d_from, hi=d_to)
                prev = _scan(con, ADDED, platform=r.platform_id, signal=r.signal, lo=prev_from, hi=prev_to)
                assert (r.cur_articles, r.cur_total, r.prev_articles, r.prev_total) == (*cur, *prev), r
                checked += 1
    assert checked > 0, "some windows hold hits"
