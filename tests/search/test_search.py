"""Full-text search on a built store: EN and ZH terms found, every filter honoured, recall on the written set."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from paylens import queries
from paylens.config import PROJECT_ROOT
from paylens.search.engine import load_cases, recall_at, search
from paylens.search.tokenize import Tokenizer

QUERY_SET = PROJECT_ROOT / "tests" / "data" / "search_queries.csv"
# Measured on the real corpus (38 articles, 42 queries, 2026-12-06): recall@10 = 1.00, recall@3 = 1.00,
# recall@1 = 0.95. The floors leave room for corpus edits, not for a broken index.
RECALL_AT_10_FLOOR = 0.90
RECALL_AT_1_FLOOR = 0.80


def _files(df: pd.DataFrame) -> set[str]:
    return {Path(f).name for f in df["file"]}


@pytest.mark.parametrize("query, file", [
    ("支小宝", "2026-03-02-zhixiaobao-fixture.txt"),
    ("碰一下", "2026-03-02-zhixiaobao-fixture.txt"),
    ("tap to pay", "2026-03-03-tap-to-pay-fixture.txt"),
    ("NFC stickers", "2026-03-03-tap-to-pay-fixture.txt"),
    ("QuickPass", "2019-01-01-fetched-late-fixture.md"),
])
def test_finds_english_and_chinese_terms(search_con, tokenizer, query, file):
    df = search(search_con, query, tokenizer, limit=10)
    assert file in _files(df.head(3))
    top = df.iloc[0]
    assert top["sentence"] and top["url"].startswith("https://example.com/")


def test_a_match_is_a_sentence_of_its_article_with_its_hit(search_con, tokenizer):
    df = search(search_con, "碰一下 返现", tokenizer, limit=5)
    top = df.iloc[0]
    assert "碰一下" in top["sentence"] and "返现" in top["sentence"]
    body = search_con.execute("select body from articles where article_id = ?", [top["article_id"]]).fetchone()[0]
    assert top["sentence"] in body
    assert top["signal"] == "touchless_subsidy" and top["stance"] in ("positive", "negative", "neutral")


def test_every_term_matched_ranks_first(search_con, tokenizer):
    df = search(search_con, "NFC stickers costly mistake", tokenizer, limit=10)
    assert "NFC stickers" in df.iloc[0]["sentence"]
    assert df["score"].is_monotonic_decreasing


def test_blank_or_stop_word_query_finds_nothing(search_con, tokenizer):
    assert search(search_con, "", tokenizer).empty
    assert search(search_con, "the and of", tokenizer).empty


@pytest.mark.parametrize("name, value", [
    ("platform", "alipay"), ("signal", "touchless_subsidy"), ("stance", "negative"),
    ("publisher", "Fixture Wire"),
])
def test_each_filter_keeps_only_matching_rows(search_con, tokenizer, name, value):
    everything = search(search_con, "Alipay WeChat Pay tap 支付宝 碰一下", tokenizer, limit=500)
    column = {"platform": "platform_id"}.get(name, name)
    assert (everything[column] != value).any(), "the filter must have something to remove"
    kept = search(search_con, "Alipay WeChat Pay tap 支付宝 碰一下", tokenizer, {name: value}, limit=500)
    assert not kept.empty and (kept[column] == value).all()


def test_date_range_and_competitors(search_con, tokenizer):
    text = "Alipay 支付宝 payment"
    everything = search(search_con, text, tokenizer, limit=500)
    march = search(search_con, text, tokenizer, {"from": "2026-03-01", "to": "2026-03-31"}, limit=500)
    assert 0 < len(march) < len(everything)
    assert march["date"].between(pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-31")).all()
    jd = search(search_con, text, tokenizer, {"competitors": ["jd_pay"]}, limit=500)
    assert len(jd) < len(everything)
    assert jd["platform_id"].isna().all() or set(jd["platform_id"].dropna()) <= {"jd_pay"}


def test_hostile_query_text_is_data(search_con, tokenizer):
    df = search(search_con, "x' or 1=1; drop table articles --", tokenizer)
    assert isinstance(df, pd.DataFrame)
    assert search_con.execute("select count(*) from articles").fetchone()[0] > 0


def test_terms_bind_as_a_list_parameter():
    bound = queries.bind(queries.get("search_sentences"), {"terms": "alipay,支付宝"})
    assert bound["terms"] == ["alipay", "支付宝"] and bound["publisher"] == ""


def test_index_counts_every_sentence_and_title(search_store):
    from paylens.signals.sentences import sentence_spans

    con = duckdb.connect(str(search_store), read_only=True)
    try:
        bodies = con.execute("select body from articles").fetchall()
        docs = con.execute("select count(*) from search_docs").fetchone()[0]
        hits_keyed = con.execute("select count(*) from search_doc_hits").fetchone()[0]
        hits = con.execute("select count(*) from signal_hits").fetchone()[0]
    finally:
        con.close()
    assert docs == sum(len(sentence_spans(b)) for (b,) in bodies) + len(bodies)
    assert hits_keyed == hits  # every hit is reachable from its sentence


def test_recall_on_the_written_query_set(real_store):
    data, db = real_store
    cases = load_cases(QUERY_SET)
    assert len(cases) >= 36 and {c.lang for c in cases} == {"en", "zh"}
    tokenizer = Tokenizer.from_lexicon(data / "lexicon")
    con = duckdb.connect(str(db), read_only=True)
    try:
        at10, missed10 = recall_at(con, tokenizer, cases, k=10)
        at1, _ = recall_at(con, tokenizer, cases, k=1)
    finally:
        con.close()
    assert at10 >= RECALL_AT_10_FLOOR, [c.query for c in missed10]
    assert at1 >= RECALL_AT_1_FLOOR


def test_synthetic_store_is_indexed_and_searchable(tmp_path, tokenizer):
    from paylens.perf.synth import synthesize

    db = tmp_path / "synth.duckdb"
    synthesize(db, 2_000, 60, seed=3)
    con = duckdb.connect(str(db), read_only=True)
    try:
        en = search(con, "tap-to-pay NFC devices", tokenizer, limit=5)
        zh = search(con, "碰一下", tokenizer, limit=5)
    finally:
        con.close()
    assert not en.empty and "NFC" in en.iloc[0]["sentence"]
    assert not zh.empty and "碰一下" in zh.iloc[0]["sentence"]


@pytest.mark.parametrize("text, filters", [
    ("Alipay 支付宝", {}),
    ("Alipay 支付宝 payment", {"stance": "negative"}),
    ("payment", {"competitors": ["wechat_pay"]}),
    ("支付宝 微信支付", {"publisher": "Fixture Wire"}),
])
def test_deepening_gives_the_results_of_a_full_run(search_con, tokenizer, text, filters):
    from paylens.search.engine import QUERY, search_params

    params = search_params(text, tokenizer, filters, limit=3)
    full = queries.run(search_con, QUERY, {**params, "depth": 0})
    shallow = queries.run(search_con, QUERY, {**params, "depth": 1})
    deepened = search(search_con, text, tokenizer, filters, limit=3)
    key = ["article_id", "sentence_idx"]
    assert deepened[key].values.tolist() == full[key].values.tolist()
    if filters == {}:
        assert shallow["min_score"].iloc[0] > 0, "depth 1 must leave texts out, or this test proves nothing"


INDEX_TABLES = ("search_texts", "search_articles", "search_article_platforms", "search_docs", "search_doc_hits",
                "search_postings")


def _rebuilt(store: Path, dst: Path, batch: int, tokenizer: Tokenizer) -> dict[str, pd.DataFrame]:
    """The index tables of a copy of store, rebuilt with build_index in batches of `batch` articles."""
    from paylens.search.index import build_index

    dst.write_bytes(store.read_bytes())
    con = duckdb.connect(str(dst))
    try:
        for table in INDEX_TABLES:
            con.execute(f"drop table {table}")  # noqa: S608 (our own names)
        build_index(con, Path("unused"), tokenizer, batch=batch)
        return {t: con.execute(f"select * from {t}").df() for t in INDEX_TABLES}  # noqa: S608
    finally:
        con.close()


def test_index_built_in_small_batches_equals_one_batch_and_leaves_the_token_cache_empty(search_store, tmp_path,
                                                                                          search_data):
    # The build streams articles and texts in batches (its memory stays flat in the corpus size): batches must
    # not change a text's id, a document or a weight.
    fresh = Tokenizer.from_lexicon(search_data / "lexicon")
    whole = _rebuilt(search_store, tmp_path / "whole.duckdb", 1_000_000, fresh)
    assert fresh._cache == {}, "each distinct text is tokenised once: caching them would grow with the corpus"
    small = _rebuilt(search_store, tmp_path / "small.duckdb", 2, fresh)
    for table in INDEX_TABLES:
        assert len(whole[table]) > 0, table
        pd.testing.assert_frame_equal(whole[table], small[table], obj=table)
