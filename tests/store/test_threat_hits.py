"""The store keeps who threatens whom: signal_hits.rival beside the threatened platform_id."""

from __future__ import annotations

import duckdb


def test_threat_hits_name_their_rival(fixture_store) -> None:
    con = duckdb.connect(str(fixture_store), read_only=True)
    try:
        rows = con.execute("select platform_id, rival, evidence from signal_hits "
                           "where signal = 'competitive_threat' and rival <> '' order by rival").fetchall()
        others = con.execute("select count(*) from signal_hits "
                             "where signal <> 'competitive_threat' and rival <> ''").fetchone()[0]
    finally:
        con.close()
    seed = [(p, r) for p, r, e in rows if "threatened by players like WeChat Pay, JD Pay, and Douyin Pay" in e]
    threatened = [(p, r) for p, r in seed if p != r]
    assert threatened == [("alipay", "douyin_pay"), ("alipay", "jd_pay"), ("alipay", "wechat_pay")]
    # each mover also has its own hit, with itself as rival (left out of the Threats matrix)
    assert sorted((p, r) for p, r in seed if p == r) == [("douyin_pay", "douyin_pay"), ("jd_pay", "jd_pay"),
                                                          ("wechat_pay", "wechat_pay")]
    assert others == 0
