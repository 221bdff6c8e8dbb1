"""paylens.store.build: row counts equal the sources, provenance intact, atomic and deterministic."""

from __future__ import annotations

import csv
import os
from datetime import date

import duckdb
import pytest

from paylens.config import settings
from paylens.errors import InputError
from paylens.store.build import build
from paylens.store.swap import TEMP_MARK
from tests.conftest import snapshot_tree


def _csv_rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_row_counts_equal_source_files(fixture_data, fixture_store):
    con = duckdb.connect(str(fixture_store), read_only=True)
    for table, name in (("platforms", "platforms.csv"), ("metric_values", "metrics.csv"),
                        ("events", "events.csv")):
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == len(_csv_rows(fixture_data / name))
    n_articles = len(list((fixture_data / "articles").glob("*.txt")))
    assert con.execute("select count(*) from articles").fetchone()[0] == n_articles


def test_provenance_survives_the_build(fixture_data, fixture_store):
    con = duckdb.connect(str(fixture_store), read_only=True)
    src = _csv_rows(fixture_data / "metrics.csv")
    got = con.execute("select platform_id, metric, period, value, source_publisher, source_title, source_url, "
                      "source_date, confidence, note, source_line from metric_values order by source_line").fetchall()
    assert len(got) == len(src)
    for row, rec in zip(got, src, strict=True):
        assert row[:3] == (rec["platform_id"], rec["metric"], rec["period"])
        assert row[3] == float(rec["value"])
        assert row[4:10] == (rec["source_publisher"], rec["source_title"], rec["source_url"],
                             rec["source_date"], rec["confidence"], rec["note"])


def test_source_day_is_the_full_source_date_and_null_for_partial_or_missing_ones(fixture_data, fixture_store):
    """source_day (read by the digest's window) is the source date as a day only when it names a whole day."""
    con = duckdb.connect(str(fixture_store), read_only=True)
    got = dict(con.execute("select source_line, source_day from metric_values").fetchall())
    src = _csv_rows(fixture_data / "metrics.csv")
    shapes = {len(r["source_date"]) for r in src}
    assert {0, 4, 7, 10} <= shapes  # the fixture has every shape: empty, YYYY, YYYY-MM, YYYY-MM-DD
    for line, rec in enumerate(src, start=2):
        text = rec["source_date"]
        assert got[line] == (date.fromisoformat(text) if len(text) == 10 else None), (line, text)


def test_full_reference_data_builds(tmp_path):
    result = build(settings(db_path=tmp_path / "full.duckdb"))
    assert result.counts["metric_values"] == len(_csv_rows(settings().data_dir / "metrics.csv"))
    assert result.counts["events"] == len(_csv_rows(settings().data_dir / "events.csv"))
    assert result.counts["articles"] >= 30
    assert result.counts["signal_hits"] > 0


def test_build_is_deterministic(fixture_data, tmp_path):
    a = build(settings(fixture_data, tmp_path / "a.duckdb"))
    b = build(settings(fixture_data, tmp_path / "b.duckdb"))
    assert a.build_id == b.build_id
    tables = ("platforms", "metric_catalogue", "metric_values", "events", "articles", "signal_hits")
    ca = duckdb.connect(str(a.db_path), read_only=True)
    cb = duckdb.connect(str(b.db_path), read_only=True)
    for t in tables:
        q = f"select * from {t} order by all"
        assert ca.execute(q).fetchall() == cb.execute(q).fetchall(), t


def test_bad_source_changes_nothing(data_copy, tmp_path):
    db = tmp_path / "live.duckdb"
    build(settings(data_copy, db))
    before_db = db.read_bytes()
    with (data_copy / "metrics.csv").open("a", encoding="utf-8") as fh:
        fh.write("nowhere_pay,users,2020,2020-01-01,2020-12-31,5,million_users,X,T,https://x.test/a,,reported,\n")
    before_data = snapshot_tree(data_copy)
    with pytest.raises(InputError) as err:
        build(settings(data_copy, db))
    assert "metrics.csv:" in str(err.value) and "unknown platform_id 'nowhere_pay'" in str(err.value)
    assert db.read_bytes() == before_db
    assert snapshot_tree(data_copy) == before_data


def test_rebuild_swaps_a_new_inode_and_cleans_temp_files(fixture_data, tmp_path):
    db = tmp_path / "live.duckdb"
    build(settings(fixture_data, db))
    first = os.stat(db).st_ino
    leftover = db.with_name(db.name + TEMP_MARK + "999-dead")
    leftover.write_bytes(b"half a store")
    build(settings(fixture_data, db))
    assert os.stat(db).st_ino != first
    assert not leftover.exists()
    assert [p.name for p in tmp_path.iterdir() if TEMP_MARK in p.name] == []


def test_untitled_articles_show_their_first_real_line():
    from paylens.store.build import fallback_title

    assert fallback_title("02/17 2025\n537\nAs the allure of touchless payments fades, Alipay looks elsewhere.") == (
        "As the allure of touchless payments fades, Alipay looks elsewhere.")
    long = "word " * 40
    assert fallback_title(long).endswith(" …") and len(fallback_title(long)) <= 92
    assert fallback_title("\n\n") == "Untitled"


# article_list as one statement with ordered DISTINCT aggregates: what the build's spill-friendly steps must equal.
ARTICLE_LIST_REFERENCE = """
with hit_summary as (
    select article_id, count(*) as hits,
           string_agg(distinct signal, ', ' order by signal) as signals,
           string_agg(distinct platform_id, ', ' order by platform_id) as platforms,
           list(distinct platform_id order by platform_id) as platform_ids
    from signal_hits
    group by article_id
)
select a.article_id, a.date, a.title, a.publisher, a.lang, a.url, a.file,
       coalesce(h.hits, 0) as hits, coalesce(h.signals, '') as signals, coalesce(h.platforms, '') as platforms,
       h.platform_ids, h.article_id is null as no_hits,
       row_number() over (order by a.date desc nulls last, a.title) as list_pos
from articles a
left join hit_summary h using (article_id)
order by list_pos
"""


def test_article_list_equals_the_one_statement_summary_and_leaves_no_temp_table(fixture_store):
    import duckdb
    import pandas as pd

    con = duckdb.connect(str(fixture_store), read_only=True)
    try:
        built = con.execute("select * from article_list").df()
        want = con.execute(ARTICLE_LIST_REFERENCE).df()
        several = con.execute("select count(*) from article_list where len(platform_ids) > 1").fetchone()[0]
        temps = con.execute("select table_name from duckdb_tables() where temporary").fetchall()
    finally:
        con.close()
    assert several > 0, "the fixture has articles naming several platforms: the lists' order is tested"
    pd.testing.assert_frame_equal(built, want, check_exact=True)
    assert temps == []
