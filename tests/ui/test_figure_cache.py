"""paylens.ui.store.figure: a figure is built once for equal inputs (frames counted by the query they came from)."""

from __future__ import annotations

import pytest
import streamlit as st

from paylens.ui import store

PARAMS = {"competitors": ["alipay", "wechat_pay"], "from": "2015-01-01", "to": "2025-12-31"}


@pytest.fixture
def counted(fixture_store, monkeypatch):
    monkeypatch.setenv("PAYLENS_DB", str(fixture_store))
    st.cache_data.clear()
    st.cache_resource.clear()
    calls: list[tuple] = []

    def build(df, title="", n=0):
        calls.append((len(df), title, n))
        return {"rows": len(df), "title": title}

    yield build, calls
    st.cache_data.clear()
    st.cache_resource.clear()


def test_equal_queries_share_one_figure(counted):
    build, calls = counted
    first = store.figure(build, store.run("platforms"), "t")
    again = store.figure(build, store.run("platforms"), "t")   # a new copy of the same query's rows
    assert again is first and len(calls) == 1


def test_other_parameters_titles_or_arguments_build_again(counted):
    build, calls = counted
    store.figure(build, store.run("events", PARAMS), "t")
    store.figure(build, store.run("events", {**PARAMS, "competitors": ["alipay"]}), "t")
    store.figure(build, store.run("events", PARAMS), "other title")
    store.figure(build, store.run("events", PARAMS), "t", n=1)
    assert len(calls) == 4
    store.figure(build, store.run("events", PARAMS), "t", n=1)
    assert len(calls) == 4


def test_a_frame_not_straight_from_a_query_is_never_reused(counted):
    build, calls = counted
    rows = store.run("platforms")
    store.figure(build, rows.head(3), "t")
    store.figure(build, rows.head(3), "t")
    assert len(calls) == 2
    store.figure(build, rows, ["not", "hashable by value"])
    store.figure(build, rows, ["not", "hashable by value"])
    assert len(calls) == 4


def test_chart_rows_of_several_queries_are_keyed_by_all_of_them(counted, fixture_store):
    build, calls = counted
    metrics = list(store.run("metric_catalogue", PARAMS)["metric"])
    view = {"competitors": "alipay,wechat_pay", "from": "2015-01-01", "to": "2025-12-31", "metric": metrics[0]}
    joined = store.chart_rows("metric_series", {**view, "with": metrics[1]})
    assert store.frame_key(joined) is not None
    store.figure(build, joined, "t")
    store.figure(build, store.chart_rows("metric_series", {**view, "with": metrics[1]}), "t")
    store.figure(build, store.chart_rows("metric_series", {**view, "with": metrics[2]}), "t")
    assert len(calls) == 2


def test_large_results_go_to_their_own_small_cache(counted, monkeypatch):
    def refuse(*args):
        raise AssertionError("a large result in the 512-entry cache")

    monkeypatch.setattr(store, "_cached", refuse)
    params = {"platform": "alipay", "rival": "wechat_pay", "from": "2015-01-01", "to": "2025-12-31"}
    assert store.frame_key(store.run("compare_metrics", params)) is not None
    assert "compare_metrics" in store.LARGE and "articles_list" in store.LARGE


def test_distinct_gives_a_columns_sorted_values_without_nulls(counted):
    rows = store.run("articles_list", {})
    assert store.distinct("articles_list", "publisher") == sorted(rows["publisher"].dropna().unique())
    assert store.distinct("platforms", "platform_id") == sorted(store.run("platforms")["platform_id"])
