"""paylens.url_state: URL values parsed, unknown ones reported, never an exception."""

from datetime import date

from paylens.url_state import parse_competitors, parse_date

KNOWN = {"alipay", "jd_pay", "wechat_pay"}


def test_competitors_keep_url_order_and_drop_unknown():
    assert parse_competitors("jd_pay,alipay,nope,, alipay", KNOWN) == (["jd_pay", "alipay"], ["nope"])


def test_missing_competitors_means_default():
    assert parse_competitors(None, KNOWN) == (None, [])
    assert parse_competitors("", KNOWN) == ([], [])


def test_dates():
    assert parse_date("2019-01-01", date(2010, 1, 1)) == (date(2019, 1, 1), True)
    assert parse_date("2019-02-30", date(2010, 1, 1)) == (date(2010, 1, 1), False)
    assert parse_date("'; drop", date(2010, 1, 1)) == (date(2010, 1, 1), False)
    assert parse_date(None, date(2010, 1, 1)) == (date(2010, 1, 1), True)
