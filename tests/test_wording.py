"""paylens.wording: counts agree with their number; lists read as English."""

from __future__ import annotations

from paylens.wording import counted, listed


def test_counted_is_singular_only_for_one():
    assert counted(1, "article") == "1 article"
    assert counted(0, "article") == "0 articles"
    assert counted(1204, "metric value") == "1,204 metric values"
    assert counted(2, "query", "queries") == "2 queries"


def test_listed_joins_with_and():
    assert listed(["Alipay"]) == "Alipay"
    assert listed(["Alipay", "JD Pay"]) == "Alipay and JD Pay"
    assert listed(["Alipay", "JD Pay", "Meituan Pay"]) == "Alipay, JD Pay and Meituan Pay"
