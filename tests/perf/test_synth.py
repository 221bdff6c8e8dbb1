"""paylens.perf.synth: deterministic, flagged synthetic, never the live store, and every query runs on it."""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from paylens import queries
from paylens.cli.main import cli
from paylens.config import PROJECT_ROOT
from paylens.errors import InputError
from paylens.perf.synth import synthesize
from paylens.signals.taxonomy import SIGNAL_IDS, STANCES
from paylens.store.reader import open_store
from tests.test_queries import SAMPLES

ROWS, ARTICLES = 30_000, 120
TABLES = ("platforms", "metric_catalogue", "metric_values", "events", "articles", "signal_hits",
          "signal_monthly", "metric_coverage", "metric_monthly", "metric_values_thin", "article_list")


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    synthesize(db, ROWS, ARTICLES, seed=7)
    return db


def _table(db, table: str) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select * from {table} order by all").df()
    finally:
        con.close()


def test_same_seed_same_store(synth_store, tmp_path):
    again = tmp_path / "again.duckdb"
    synthesize(again, ROWS, ARTICLES, seed=7)
    for table in TABLES:
        pd.testing.assert_frame_equal(_table(synth_store, table), _table(again, table), obj=table)
    assert _table(synth_store, "build_info")["build_id"].tolist() == _table(again, "build_info")["build_id"].tolist()


def test_chunks_change_nothing_not_even_the_row_order(synth_store, tmp_path, monkeypatch):
    import paylens.perf.synth as synth

    monkeypatch.setattr(synth, "CHUNK_ROWS", 7_001)  # five chunks of metric rows, boundaries inside series
    chunked = tmp_path / "chunked.duckdb"
    synthesize(chunked, ROWS, ARTICLES, seed=7)

    def stored(db) -> pd.DataFrame:  # in storage order: the table must land sorted without a sort
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("select * from metric_values order by rowid").df()
        finally:
            con.close()

    one, five = stored(synth_store), stored(chunked)
    pd.testing.assert_frame_equal(one, five)
    assert one.equals(one.sort_values(["metric", "platform_id", "period_end"], kind="stable"))


def test_other_seed_other_values(synth_store, tmp_path):
    other = tmp_path / "other.duckdb"
    synthesize(other, ROWS, ARTICLES, seed=8)
    assert not _table(synth_store, "metric_values")["value"].equals(_table(other, "metric_values")["value"])


def test_sizes_shape_and_flags(synth_store):
    con = duckdb.connect(str(synth_store), read_only=True)
    try:
        one = con.execute
        assert one("select count(*) from metric_values").fetchone()[0] == ROWS
        assert one("select count(*) from articles").fetchone()[0] == ARTICLES
        assert one("select bool_and(synthetic) from metric_values").fetchone()[0] is True
        assert one("select bool_and(synthetic) from articles").fetchone()[0] is True
        synthetic, counts = one("select synthetic, counts from build_info").fetchone()
        assert synthetic is True and json.loads(counts)["metric_values"] == ROWS
        assert one("select count(*) from metric_catalogue").fetchone()[0] == 200
        pids = {r[0] for r in one("select platform_id from platforms").fetchall()}
        real = set(pd.read_csv(PROJECT_ROOT / "data" / "platforms.csv")["platform_id"])
        assert real < pids and all(p.startswith("synthetic_") for p in pids - real) and 18 <= len(pids) <= 25
        assert {r[0] for r in one("select distinct signal from signal_hits").fetchall()} == set(SIGNAL_IDS)
        assert {r[0] for r in one("select distinct stance from signal_hits").fetchall()} == set(STANCES)
        assert one("select count(distinct family) from metric_catalogue").fetchone()[0] >= 8
        periods = {len(r[0]) for r in one("select distinct period from metric_values").fetchall()}
        assert periods == {7, 10}  # monthly (YYYY-MM) and daily (YYYY-MM-DD)
        # every hit's evidence is a sentence of its article, as the extractor would give it
        missing = one("select count(*) from signal_hits h join articles a using (article_id) "
                      "where position(h.evidence in a.body) = 0").fetchone()[0]
        assert missing == 0
    finally:
        con.close()


def test_metric_values_are_stored_in_sort_order(synth_store):
    con = duckdb.connect(str(synth_store), read_only=True)
    try:
        out_of_order = con.execute(
            "select count(*) from (select metric, platform_id, period_end, "
            "lag((metric, platform_id, period_end)) over (order by rowid) as prev from metric_values) "
            "where prev is not null and prev > (metric, platform_id, period_end)").fetchone()[0]
    finally:
        con.close()
    assert out_of_order == 0


def test_source_day_is_every_synthetic_source_date_as_a_day(synth_store):
    con = duckdb.connect(str(synth_store), read_only=True)
    try:
        n, wrong = con.execute("select count(*), count(*) filter (where source_day is distinct from "
                               "source_date::date) from metric_values").fetchone()
    finally:
        con.close()
    assert n > 0 and wrong == 0


def test_digest_metrics_equals_its_definition_on_the_synthetic_store(synth_store):
    """On 30k rows (every source day 1-20 days after its period end), cut to small limits too."""
    from tests.test_digest import DIGEST_METRICS_DEFINITION, digest_windows

    con = open_store(synth_store)
    try:
        full = 0
        for params in digest_windows(con, 60, seed=11):
            got = queries.run(con, "digest_metrics", params)
            want = con.execute(DIGEST_METRICS_DEFINITION, params).df()
            pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                          check_dtype=False)
            full += len(got) == params["limit"] > 1
    finally:
        con.close()
    assert full > 5  # windows with more rows than the limit, where each branch's own cut matters


def test_refuses_the_live_store(tmp_path):
    with pytest.raises(InputError, match="live store"):
        synthesize(PROJECT_ROOT / "data" / "build" / "paylens.duckdb", 100, 1)
    result = CliRunner().invoke(cli, ["synth", "--db", "data/build/paylens.duckdb", "--metrics-rows", "10"])
    assert result.exit_code == 2 and "live store" in result.output


def test_refuses_to_overwrite_a_real_store(fixture_store, tmp_path):
    before = fixture_store.read_bytes()
    with pytest.raises(InputError, match="not a synthetic"):
        synthesize(fixture_store, 100, 1)
    assert fixture_store.read_bytes() == before
    stray = tmp_path / "notes.duckdb"
    stray.write_text("not a database")
    with pytest.raises(InputError, match="not a synthetic"):
        synthesize(stray, 100, 1)


def test_rebuilds_over_its_own_store_atomically(tmp_path):
    db = tmp_path / "s.duckdb"
    synthesize(db, 500, 5, seed=1)
    synthesize(db, 800, 5, seed=1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from metric_values").fetchone()[0] == 800
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.duckdb", "s.duckdb.lock"]


def test_cli_synth(tmp_path):
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(cli, ["synth", "--db", str(db), "--metrics-rows", "2000", "--articles", "10",
                                      "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "metric_values" in result.output and db.exists()


@pytest.mark.parametrize("name", sorted(queries.load_all()))
def test_every_query_runs_on_the_synthetic_store(synth_store, name):
    con = open_store(synth_store)
    try:
        q = queries.get(name)
        params = {p: SAMPLES[p] for p in q.params if p in SAMPLES}
        if "article_id" in q.params:
            params["article_id"] = con.execute("select min(article_id) from articles").fetchone()[0]
        df = queries.run(con, name, params)
        # the Arrow fetch gives exactly what DuckDB's .df() gives
        cur = con.cursor()
        try:
            expected = cur.execute(q.sql, queries.bind(q, params)).df()
        finally:
            cur.close()
        pd.testing.assert_frame_equal(df, expected)
    finally:
        con.close()


def test_metric_series_keeps_at_most_max_points_real_rows(synth_store):
    con = open_store(synth_store)
    try:
        metric = "market_share_third_party_mobile_payment_analysys"
        full = queries.run(con, "metric_series", {"metric": metric, "competitors": "alipay", "max_points": 0})
        thin = queries.run(con, "metric_series", {"metric": metric, "competitors": "alipay", "max_points": 10})
    finally:
        con.close()
    assert len(full) > 10 and len(thin) == 10
    assert thin.merge(full, how="left", indicator=True)["_merge"].eq("both").all()  # actual rows, untouched
    assert thin["period_end"].iloc[-1] == full["period_end"].iloc[-1]  # the last bucket ends on the last row


# Row-scan references for what the pre-aggregated queries must return exactly (the queries' original form).
REFERENCE = {
    "metric_catalogue": """
        with chosen as (
            select metric, platform_id, period_end from metric_values
            where (len($competitors) = 0 or list_contains($competitors, platform_id))
              and period_end >= $from and period_start <= $to),
        per_metric as (
            select metric, count(*) as n_values, count(distinct platform_id) as n_platforms,
                   min(period_end) as first_period, max(period_end) as last_period
            from chosen group by metric)
        select c.metric, c.label, c.family, c.research_firm, c.unit, c.headline, c.description,
               m.n_values, m.n_platforms, m.first_period, m.last_period
        from metric_catalogue c join per_metric m using (metric)
        order by c.family, c.headline desc, m.n_values desc, c.metric""",
    "compare_coverage": """
        with pair as (
            select platform_id, metric, count(*) as n_values from metric_values
            where platform_id in ($platform, $rival) and period_end >= $from and period_start <= $to
            group by platform_id, metric)
        select c.metric, c.label as metric_label, c.family,
               coalesce(sum(n_values) filter (where platform_id = $platform), 0)::bigint as platform_values,
               coalesce(sum(n_values) filter (where platform_id = $rival), 0)::bigint as rival_values
        from pair join metric_catalogue c using (metric) group by all order by c.family, c.metric""",
    "latest_values": """
        with chosen as (
            select v.*, period_kind(v.period_start, v.period_end, v.unit) as period_kind
            from metric_values v join metric_catalogue c using (metric)
            where c.headline and (len($competitors) = 0 or list_contains($competitors, v.platform_id))
              and v.period_end >= $from and v.period_start <= $to),
        ranked as (
            select *, row_number() over (partition by platform_id, metric
                                         order by period_end desc, source_date desc nulls last, source_url) as rn
            from chosen),
        latest as (select * from ranked where rn = 1)
        select r.platform_id, r.metric, r.period, r.period_end, r.value, r.unit,
               (select arg_max(v.value, v.source_date) from metric_values v
                where v.platform_id = r.platform_id and v.metric = r.metric and v.unit = r.unit
                  and v.period_start = previous_start(r.period_kind, r.period_start)
                  and v.period_end = r.period_start - 1) as prev_value,
               period_label(r.period_kind, previous_start(r.period_kind, r.period_start)) as prev_period,
               r.source_url
        from latest r order by r.platform_id, r.metric, r.unit""",
}
LONG_METRIC = "market_share_third_party_mobile_payment_analysys"


@pytest.fixture(scope="module")
def long_series_store(tmp_path_factory):
    """A small synthetic store plus one 1,200-day series (long enough to be thinned), aggregates rebuilt."""
    from paylens.store.build import AGGREGATES

    db = tmp_path_factory.mktemp("long") / "long.duckdb"
    synthesize(db, 20_000, 20, seed=5)
    con = duckdb.connect(str(db))
    try:
        # drop whatever aggregates.sql creates (read from it, so a new aggregate needs no edit here)
        script = AGGREGATES.read_text()
        for table in re.findall(r"^create table (\w+)", script, re.MULTILINE):
            con.execute(f"drop table if exists {table}")
        for macro in re.findall(r"^create macro (\w+)\(.*\) as table", script, re.MULTILINE):
            con.execute(f"drop macro table if exists {macro}")
        con.execute("""
            insert into metric_values
            select p, $m, d::varchar, d, d, 40 + (i % 17), 'percent', 'Synthetic', 'long series',
                   'https://synthetic.invalid/long/' || p, (d + 3)::varchar, d + 3,
                   case when i % 3 = 0 then 'reported' else 'secondary' end, null, 'synthetic', i::integer, true
            from (select unnest(['alipay', 'wechat_pay']) as p), range(1200) r(i),
                 lateral (select (date '2021-02-10' + i::integer) as d)
        """, {"m": LONG_METRIC})
        con.execute(AGGREGATES.read_text())
        assert con.execute("select count(*) from metric_series_stats where thinned").fetchone()[0] >= 2
    finally:
        con.close()
    return db


@pytest.mark.parametrize("dates", [("2010-01-01", "2026-12-31"), ("2021-06-15", "2026-12-31"),
                                   ("2010-01-01", "2022-03-10"), ("2022-02-14", "2023-01-03"),
                                   ("2022-05-05", "2022-05-20"), ("2030-01-01", "2031-01-01")])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_pre_aggregated_queries_equal_a_row_scan(long_series_store, name, dates):
    con = open_store(long_series_store)
    try:
        q = queries.get(name)
        sample = {"competitors": "alipay,wechat_pay,jd_pay", "from": dates[0], "to": dates[1],
                  "platform": "alipay", "rival": "wechat_pay"}
        params = {p: sample[p] for p in q.params if p in sample}
        got = queries.run(con, name, params)
        cur = con.cursor()
        try:
            want = cur.execute(REFERENCE[name], queries.bind(q, params)).df()
        finally:
            cur.close()
    finally:
        con.close()
    if name == "latest_values":
        got = got[list(want.columns)].sort_values(["platform_id", "metric", "unit"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("dates", [("2010-01-01", "2026-12-31"), ("2022-02-14", "2023-01-03"),
                                   ("2022-05-05", "2022-05-20")])
def test_compare_metrics_thins_long_series_to_real_month_end_rows(long_series_store, dates):
    con = open_store(long_series_store)
    try:
        params = {"platform": "alipay", "rival": "wechat_pay", "from": dates[0], "to": dates[1]}
        got = queries.run(con, "compare_metrics", params)
        rows = con.execute("select * from metric_values where platform_id in ('alipay', 'wechat_pay') "
                           "and period_end >= $f and period_start <= $t",
                           {"f": dates[0], "t": dates[1]}).df()
    finally:
        con.close()
    long = got[got["metric"] == LONG_METRIC]
    raw = rows[rows["metric"] == LONG_METRIC]
    # one row per platform and month: the month's last row inside the dates, with its own provenance
    expected = raw.sort_values("period_end").groupby(["platform_id", raw["period_end"].dt.to_period("M")]).tail(1)
    got_keys = sorted(zip(long["platform_id"], long["period_end"], strict=True))
    assert got_keys == sorted(zip(expected["platform_id"], expected["period_end"], strict=True))
    merged = long.merge(raw, on=["platform_id", "period_end", "value", "source_url", "source_date"], how="left")
    assert merged["metric_y"].notna().all()
    # short series come whole
    short = got[got["metric"] != LONG_METRIC]
    shared = short.groupby(["metric", "unit"])["platform_id"].nunique().eq(2).all()
    assert shared


def test_article_slices_change_nothing(synth_store, tmp_path, monkeypatch):
    import paylens.perf.synth as synth

    monkeypatch.setattr(synth, "ARTICLE_CHUNK", 25)  # five or more slices of dates for 120 articles
    sliced = tmp_path / "sliced.duckdb"
    synthesize(sliced, ROWS, ARTICLES, seed=7)
    for table in ("articles", "signal_hits", "article_list", "signal_monthly", "search_docs"):
        pd.testing.assert_frame_equal(_table(synth_store, table), _table(sliced, table), obj=table)
    con = duckdb.connect(str(sliced), read_only=True)
    try:  # still stored oldest first, as one insert sorted them
        stored = con.execute("select date, article_id from articles order by rowid").fetchall()
    finally:
        con.close()
    assert stored == sorted(stored)
