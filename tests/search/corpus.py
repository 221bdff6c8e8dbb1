"""Test corpora for search and digest: the tiny fixture data plus three articles written for these tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from paylens.config import PROJECT_ROOT, settings
from paylens.store.build import build
from tests.conftest import make_fixture_data

EXTRA = {
    # Chinese, with the AI assistant's name and the tap payment, in the digest window by its date.
    "2026-03-02-zhixiaobao-fixture.txt": (
        "title: 支付宝推出支小宝新功能\nurl: https://example.com/zh/zhixiaobao\npublisher: 测试财经\n"
        "date: 2026-03-02\nlang: zh\n\n"
        "支付宝今天宣布,支小宝可以帮用户订餐和缴费。\n"
        "与此同时,支付宝继续补贴商户推广碰一下支付,每笔返现一元。\n"
        "分析人士认为,微信支付面临更激烈的竞争。\n"),
    # English, with a hostile title, in the digest window by its date.
    "2026-03-03-tap-to-pay-fixture.txt": (
        "title: <script>alert(1)</script> Alipay & WeChat Pay fight over tap to pay\n"
        "url: https://example.com/en/tap-to-pay?a=1&b=<2>\npublisher: Fixture Wire\n"
        "date: 2026-03-03\nlang: en\n\n"
        "Alipay keeps paying merchants cash-back to push tap to pay devices in convenience stores.\n"
        "WeChat Pay answered with its own NFC stickers, a costly mistake according to analysts.\n"
        "Regulators have not commented on the subsidies.\n"),
    # Dated long ago but fetched inside the window: the digest places it by fetched_at.
    "2019-01-01-fetched-late-fixture.md": (
        "title: Old story fetched late about UnionPay QuickPass\nurl: https://example.com/en/old-quickpass\n"
        "publisher: Fixture Archive\ndate: 2019-01-01\nlang: en\nfetched_at: 2026-03-04T09:30:00Z\n\n"
        "UnionPay promoted QuickPass contactless payments with subsidies for merchants.\n"),
}
WINDOW = ("2026-03-01", "2026-03-07")


def make_search_data(target: Path) -> Path:
    """The tiny fixture data plus EXTRA articles."""
    make_fixture_data(target)
    for name, text in EXTRA.items():
        (target / "articles" / name).write_text(text, encoding="utf-8")
    return target


def build_store(data_dir: Path, db: Path) -> Path:
    build(settings(data_dir, db))
    return db


def copy_real_data(target: Path) -> Path:
    """A copy of the whole versioned data/ folder (no store), for measurements on the real corpus."""
    shutil.copytree(PROJECT_ROOT / "data", target, ignore=shutil.ignore_patterns("build", "*.lock"))
    return target
