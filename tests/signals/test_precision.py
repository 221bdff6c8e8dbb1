"""Precision rules of issue 15's precision round: each test fails without its rule."""

from __future__ import annotations

from paylens.signals.extract import Extractor

CHALLENGE = ("Duoduo Pay's launch was a direct challenge to WeChat Pay, which had handled most Pinduoduo orders "
             "for years.")


def _pairs(extractor: Extractor, text: str, context: str | None = None) -> set[tuple[str, str]]:
    return {(h.signal, h.platform) for h in extractor.extract(text, default_platform=context)}


def test_a_shopping_app_in_a_threat_sentence_is_no_ecosystem_dependence(extractor: Extractor) -> None:
    # a rival's orders on a group's shopping app, in a sentence about a challenge: the threat, not dependence
    assert _pairs(extractor, CHALLENGE) == {("competitive_threat", "duoduo_pay"), ("competitive_threat", "wechat_pay")}
    # without yields.csv's "ecosystem_dependence yields to competitive_threat" the shopping app reads as dependence
    unyielding = Extractor(extractor.lexicon)
    unyielding._yields = {k: v for k, v in extractor._yields.items()
                          if k != ("ecosystem_dependence", "competitive_threat")}
    assert ("ecosystem_dependence", "wechat_pay") in _pairs(unyielding, CHALLENGE)


def test_a_strong_dependence_word_stands_beside_a_threat(extractor: Extractor) -> None:
    text = "Alipay still leans heavily on Taobao, and WeChat Pay is now a direct challenge at its checkout."
    pairs = _pairs(extractor, text)
    assert ("ecosystem_dependence", "alipay") in pairs and ("competitive_threat", "alipay") in pairs


ADS = "2025年春节，腾讯为元宝开启了大规模投放：朋友圈、视频号、公众号里都能看到它的广告。"


def test_an_ai_apps_placements_are_not_social_content(extractor: Extractor) -> None:
    assert "social_content" not in {s for s, _ in _pairs(extractor, ADS)}
    # the same placements for a payment platform are social content
    assert ("social_content", "wechat_pay") in _pairs(extractor, ADS.replace("元宝", "微信支付"))
    # without the AI-product rule the AI app (and its payment platform) would get social content
    plain = Extractor(extractor.lexicon)
    plain._ai_products = frozenset()
    assert ("social_content", "tencent_yuanbao") in _pairs(plain, ADS)


def test_an_ai_apps_feature_list_in_its_own_text_is_not_feature_sprawl(extractor: Extractor) -> None:
    text = "这一版本又上线了打车、外卖、酒店预订等生活服务功能。"
    assert "feature_sprawl" not in {s for s, _ in _pairs(extractor, text, "alibaba_qwen")}
    assert ("feature_sprawl", "alipay") in _pairs(extractor, text, "alipay")


def test_a_platform_switched_to_copied_or_set_aside_is_named_in_passing(extractor: Extractor) -> None:
    def platforms(text: str, signal: str) -> set[str]:
        return {p for s, p in _pairs(extractor, text) if s == signal}
    # switching back to a platform: the complaint is about the checkout that hides it
    assert platforms("有用户吐槽，抖音支付的收银台想换回微信支付要多点好几下。",
                     "user_experience_complaints") == {"douyin_pay"}
    assert platforms("Users complain that switching back to WeChat Pay takes five taps on Douyin Pay's checkout page.",
                     "user_experience_complaints") == {"douyin_pay"}
    # the platform copied is not the one adding social features
    assert platforms("支付宝首页加了“朋友”频道和动态，被批评抄微信的社交玩法。", "social_content") == {"alipay"}
    # "不是 X，而是 Y": X is set aside
    assert platforms("一位分析师称，真正让支付宝感到压力的不是微信，而是抖音在内容电商上的扩张。",
                     "social_content") == {"alipay"}
    # a plain "不是" before a platform is no such cue
    assert platforms("这不是支付宝第一次在首页塞进短视频，微信支付也跟进了。",
                     "social_content") == {"alipay", "wechat_pay"}


FINE = "JD Pay was fined 20 million yuan by the central bank for breaches of merchant-management rules."
NOTICE = "央行发布通知，要求支付机构降低小微企业和个体工商户的支付手续费。"


def test_merchants_named_by_a_regulator_are_not_merchant_enablement(extractor: Extractor) -> None:
    assert _pairs(extractor, FINE) == {("regulatory_pressure", "jd_pay")}
    assert _pairs(extractor, NOTICE) == {("regulatory_pressure", "market")}
    # a platform's own merchant tool, with no regulator in the sentence, still is
    assert _pairs(extractor, "京东支付为小微商户推出经营分析工具和手续费减免。") == {("b_end_empowerment", "jd_pay")}
    # without yields.csv's "b_end_empowerment yields to regulatory_pressure" both read as merchant enablement too
    unyielding = Extractor(extractor.lexicon)
    unyielding._yields = {k: v for k, v in extractor._yields.items()
                          if k != ("b_end_empowerment", "regulatory_pressure")}
    assert ("b_end_empowerment", "jd_pay") in _pairs(unyielding, FINE)
    assert ("b_end_empowerment", "market") in _pairs(unyielding, NOTICE)
