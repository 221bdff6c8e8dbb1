"""threat_matrix and threat_evidence: who threatens whom, and the sentences behind each cell, agree."""

from __future__ import annotations

import duckdb
import pytest

from paylens import queries


@pytest.fixture(scope="module")
def con(fixture_store):
    c = duckdb.connect(str(fixture_store), read_only=True)
    yield c
    c.close()


def test_the_seed_article_answers_who_threatens_alipay(con):
    df = queries.run(con, "threat_matrix", {"competitors": "alipay,wechat_pay"})
    alipay = df[df["platform_id"] == "alipay"]
    assert {"wechat_pay", "jd_pay", "douyin_pay"} <= set(alipay["rival_id"])
    assert set(df["platform_id"]) <= {"alipay", "wechat_pay"}
    named = alipay[alipay["rival_id"] != ""]
    assert (named["rival"] != "unnamed").all()
    assert (alipay.loc[alipay["rival_id"] == "", "rival"] == "unnamed").all()
    assert (df["share"] == (df["articles"] / df["platform_articles"]).round(4)).all()
    assert (df["share"] <= 1).all() and (df["articles"] <= df["hits"]).all()


def test_each_cell_counts_the_articles_its_evidence_shows(con):
    df = queries.run(con, "threat_matrix", {"competitors": ""})
    assert len(df) > 0
    for row in df.itertuples():
        ev = queries.run(con, "threat_evidence", {"platform": row.platform_id, "rival": row.rival_id,
                                                  "limit": 100_000})
        assert ev["article_id"].nunique() == row.articles
        assert len(ev) == row.hits
        assert set(ev["signal"]) == {"competitive_threat"}
        assert set(ev["rival"]) == {row.rival_id}


def test_evidence_is_newest_first_and_limited(con):
    ev = queries.run(con, "threat_evidence", {"platform": "alipay", "rival": "", "limit": 3})
    assert 0 < len(ev) <= 3
    assert list(ev["date"]) == sorted(ev["date"], reverse=True)
    for col in ("title", "publisher", "date", "url", "evidence", "article_id", "sentence_idx"):
        assert col in ev.columns


def test_dates_filter_the_matrix_and_its_evidence(con):
    everything = queries.run(con, "threat_matrix", {})
    none = queries.run(con, "threat_matrix", {"from": "1990-01-01", "to": "1990-12-31"})
    assert len(everything) > 0 and none.empty
    ev = queries.run(con, "threat_evidence", {"platform": "alipay", "rival": "wechat_pay",
                                              "from": "1990-01-01", "to": "1990-12-31"})
    assert ev.empty


def test_the_trend_adds_up_to_the_matrix(con):
    matrix = queries.run(con, "threat_matrix", {"competitors": "alipay"})
    trend = queries.run(con, "threat_trend", {"platform": "alipay", "competitors": "alipay"})
    assert set(trend["platform_id"]) == {"alipay"}
    per_rival = trend.groupby("rival_id")["articles"].sum().to_dict()
    assert per_rival == dict(zip(matrix["rival_id"], matrix["articles"], strict=True))
    assert list(trend["month"]) == sorted(trend["month"])
