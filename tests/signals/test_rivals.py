"""Actor and target of a competitive threat: platform = the threatened one, rival = the one that moves.

Table-driven over subject-verb-object and passive patterns in English and Chinese (simplified and traditional).
"""

from __future__ import annotations

import json

import pytest

from paylens.signals.extract import Extractor, hits_to_json_lines
from paylens.signals.rivals import directions, mutual_rivals

THREAT = "competitive_threat"

# (text, expected {(threatened platform, rival)} over the sentence's competitive_threat hits)
CASES = [
    # the issue's own examples
    ("微信支付正在抢走支付宝的线下商户。", {("alipay", "wechat_pay")}),
    ("Douyin Pay is moving fast to challenge Alipay in local services.", {("alipay", "douyin_pay")}),
    # Chinese: X 抢走/挑战/冲击/蚕食 Y
    ("抖音支付蚕食支付宝的市场份额。", {("alipay", "douyin_pay")}),
    ("京东支付冲击微信支付的线下份额。", {("wechat_pay", "jd_pay")}),
    ("美团支付在到店团购场景频频引导用户绑卡,被视为正面挑战支付宝的本地生活布局。", {("alipay", "meituan_pay")}),
    ("支付宝“碰一下”的快速扩张让微信支付感受到了压力。", {("wechat_pay", "alipay")}),
    ("微信支付的崛起让支付宝倍感压力。", {("alipay", "wechat_pay")}),
    # Chinese passive and "facing X": Y 被 X 抢走, Y 面临来自 X 的竞争, 面对 X 的..., Y
    ("支付宝的线下商户被微信支付抢走。", {("alipay", "wechat_pay")}),
    ("支付寶的線下商戶被微信支付搶走。", {("alipay", "wechat_pay")}),
    ("支付宝面临来自抖音支付的激烈竞争。", {("alipay", "douyin_pay")}),
    ("面对抖音支付在团购和到店场景的步步紧逼，微信支付在本地生活领域加大了返佣力度。", {("wechat_pay", "douyin_pay")}),
    ("面對微信支付在港澳市場的強勢競爭，支付寶近期加快布局。", {("alipay", "wechat_pay")}),
    # English: X challenges/threatens/takes on/eats into Y
    ("WeChat Pay threatens Alipay's lead in offline payments.", {("alipay", "wechat_pay")}),
    ("WeChat Pay takes on Alipay in offline payments.", {("alipay", "wechat_pay")}),
    ("Douyin Pay eats into Alipay's share of online payments.", {("alipay", "douyin_pay")}),
    ("Duoduo Pay's arrival was a direct challenge to WeChat Pay.", {("wechat_pay", "duoduo_pay")}),
    # several movers or several threatened, joined by "and" / "、"
    ("Meituan Pay and Duoduo Pay are newcomers trying to poach Alipay merchants.",
     {("alipay", "meituan_pay"), ("alipay", "duoduo_pay")}),
    ("JD Pay hired field sales staff to win back convenience stores from Alipay and WeChat Pay.",
     {("alipay", "jd_pay"), ("wechat_pay", "jd_pay")}),
    # English passive: Y faces competition from X, Y is threatened by X, Y loses ground to X, Y responds to X
    ("Alipay faces competition from WeChat Pay and JD Pay.", {("alipay", "wechat_pay"), ("alipay", "jd_pay")}),
    ("Alipay is threatened by Douyin Pay in local services.", {("alipay", "douyin_pay")}),
    ("For Alipay, its market position may further erode, threatened by players like WeChat Pay, JD Pay, and "
     "Douyin Pay.", {("alipay", "wechat_pay"), ("alipay", "jd_pay"), ("alipay", "douyin_pay")}),
    ("Alipay is losing ground to WeChat Pay in offline payments.", {("alipay", "wechat_pay")}),
    ("JD Pay had been all but squeezed out of offline checkout as Alipay and WeChat Pay signed up street vendors.",
     {("jd_pay", "alipay"), ("jd_pay", "wechat_pay")}),
    ("WeChat Pay is preparing an NFC sticker programme of its own to counter Alipay's tap push.",
     {("wechat_pay", "alipay")}),
    # no direction: two rivals are each other's; a roll-call of three names none; one platform names none
    ("支付宝与微信支付在线下收单市场的角力已从扫码延伸到“碰一碰”。",
     {("alipay", "wechat_pay"), ("wechat_pay", "alipay")}),
    ("The price war between Alipay, WeChat Pay and UnionPay reached the countryside.",
     {("alipay", ""), ("wechat_pay", ""), ("unionpay", "")}),
    ("Douyin Pay is the newcomer the incumbents worry about most.", {("douyin_pay", "")}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_threat_actor_and_target(extractor: Extractor, text: str, expected: set) -> None:
    hits = [h for h in extractor.extract(text) if h.signal == THREAT and h.rival != h.platform]
    assert {(h.platform, h.rival) for h in hits} == expected
    # every mover also has its own hit, with itself as rival (it is the platform that moves), judged positive
    movers = {rival for _, rival in expected if rival} - {platform for platform, _ in expected}
    if len(expected) > 1 and all(rival for _, rival in expected) and movers:
        own = {(h.platform, h.stance) for h in extractor.extract(text) if h.signal == THREAT and h.rival == h.platform}
        assert own == {(m, "positive") for m in movers}


def test_the_mover_gets_its_own_positive_hit(extractor: Extractor) -> None:
    hits = [h for h in extractor.extract("微信支付的崛起让支付宝倍感压力。") if h.signal == THREAT]
    assert {(h.platform, h.rival, h.stance) for h in hits} == {("alipay", "wechat_pay", "negative"),
                                                               ("wechat_pay", "wechat_pay", "positive")}
    # an AI product moving in brings its payment platform along; without a cue nobody is the mover
    yuanbao = {(h.platform, h.rival) for h in extractor.extract("元宝挑战支付宝的AI入口地位。") if h.signal == THREAT}
    assert {("tencent_yuanbao", "tencent_yuanbao"), ("wechat_pay", "wechat_pay")} <= yuanbao
    mutual = extractor.extract("支付宝与微信支付在线下收单市场的角力已从扫码延伸到“碰一碰”。")
    assert not [h for h in mutual if h.rival == h.platform]


def test_a_weak_word_without_a_cue_between_platforms_is_no_threat(extractor: Extractor) -> None:
    # "takes on" alone is everyday English; it counts only with a rival as its object
    assert not [h for h in extractor.extract("Alipay takes on new merchants as WeChat Pay grows.")
                if h.signal == THREAT]
    assert not [h for h in extractor.extract("美团支付的视频被部分商家质疑“抢走了本该属于店铺的曝光”。")
                if h.signal == THREAT]


def test_other_signals_have_no_rival(extractor: Extractor) -> None:
    hits = extractor.extract("支付宝与微信支付都在加码碰一下补贴，争夺线下商户。")
    assert {h.signal for h in hits} >= {THREAT, "touchless_subsidy"}
    assert all(h.rival == "" for h in hits if h.signal != THREAT)
    assert {h.rival for h in hits if h.signal == THREAT} == {"alipay", "wechat_pay"}


def test_an_ai_product_and_its_own_platform_are_not_rivals() -> None:
    parents = {"alipay_zhixiaobao": "alipay"}
    text = "支小宝挑战支付宝"
    assert directions(text, [(0, 3, "alipay_zhixiaobao"), (5, 8, "alipay")], parents) is None
    assert mutual_rivals(["alipay_zhixiaobao", "alipay"], parents) == {}
    assert mutual_rivals(["alipay_zhixiaobao", "wechat_pay"], parents) == {
        "alipay_zhixiaobao": "wechat_pay", "alipay": "wechat_pay", "wechat_pay": "alipay_zhixiaobao"}


def test_tight_cues_need_the_object_right_after_them() -> None:
    text = "Alipay takes on new merchants as WeChat Pay grows"
    mentions = [(0, 6, "alipay"), (33, 43, "wechat_pay")]
    assert directions(text, mentions, {}) == [("wechat_pay", "alipay")]
    assert directions(text, mentions, {}, tight=True) is None


def test_signals_json_carries_the_rival(extractor: Extractor) -> None:
    hits = extractor.extract("微信支付正在抢走支付宝的线下商户。")
    records = [json.loads(line) for line in hits_to_json_lines("x.txt", hits)]
    assert [(r["platform"], r["signal"], r["rival"]) for r in records] == [("alipay", THREAT, "wechat_pay"),
                                                                          ("wechat_pay", THREAT, "wechat_pay")]


def test_the_texts_platform_is_the_other_side_of_a_threat_naming_one(extractor: Extractor) -> None:
    text = "对微信支付来说，它的支付份额正在被一点点蚕食。"
    hits = {(h.platform, h.rival, h.stance) for h in extractor.extract(text, default_platform="douyin_pay")
            if h.signal == THREAT}
    # the polar word (蚕食) is about the named platform; the text's platform keeps the signal's default
    assert hits == {("wechat_pay", "douyin_pay", "negative"), ("douyin_pay", "wechat_pay", "neutral")}
    # a market-wide text, or one about the named platform's own group, brings in nobody
    for context in ("market", "wechat_pay"):
        assert {(h.platform, h.rival) for h in extractor.extract(text, default_platform=context)
                if h.signal == THREAT} == {("wechat_pay", "")}
    assert {h.platform for h in extractor.extract("元宝的份额正在被蚕食。", default_platform="wechat_pay")
            if h.signal == THREAT} == {"tencent_yuanbao", "wechat_pay"}
