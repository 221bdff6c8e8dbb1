"""Signal extraction, table-driven: themes, negation, hard negatives, attribution, stance, JSON."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paylens.signals.articles import parse_article_bytes
from paylens.signals.extract import Extractor, Hit, hits_to_json_lines
from paylens.signals.sentences import split_sentences
from paylens.signals.taxonomy import SIGNAL_IDS

# (text, default_platform, expected {(signal, platform)})
CASES = [
    # English themes, attributed to the platform named in the sentence
    ("Alipay is handing out free devices and cash-back to merchants who adopt its tap-to-pay terminals.", None,
     {("touchless_subsidy", "alipay")}),
    ("WeChat Pay rolled out palm payments at Beijing subway gates.", None, {("touchless_subsidy", "wechat_pay")}),
    ("Alipay launched an AI assistant that books tickets for users.", None, {("ai_assistant", "alipay")}),
    ("The app keeps adding mini programs and redesigned its homepage again.", "alipay",
     {("feature_sprawl", "alipay")}),
    ("JD Pay is betting on livestreaming and short videos to keep shoppers around.", None,
     {("social_content", "jd_pay")}),
    ("Douyin Pay is chasing traffic and daily active users at any cost.", None, {("traffic_focus", "douyin_pay")}),
    ("UnionPay offers SaaS tools that help merchants run digital operations.", None,
     {("b_end_empowerment", "unionpay")}),
    ("Interoperability rules forced Taobao to accept WeChat Pay.", None,
     {("ecosystem_dependence", "wechat_pay"), ("regulatory_pressure", "wechat_pay")}),
    ("Regulators fined Lakala for breaking anti-money laundering rules.", None, {("regulatory_pressure", "lakala")}),
    ("Users complain that the cluttered app is full of pop-ups.", "alipay",
     {("user_experience_complaints", "alipay")}),
    # a competitive threat goes to the threatened platform, the movers as its rivals, and to each mover (test_rivals.py)
    ("Meituan Pay and Duoduo Pay are newcomers trying to poach Alipay merchants.", None,
     {("competitive_threat", "alipay"), ("competitive_threat", "meituan_pay"), ("competitive_threat", "duoduo_pay")}),
    # Chinese themes, simplified and traditional
    ("支付宝向商户免费发放碰一下设备，并提供补贴。", None, {("touchless_subsidy", "alipay")}),
    ("支付寶「碰一下」向商戶派發免費設備。", None, {("touchless_subsidy", "alipay")}),
    ("云闪付不断叠加打车、外卖等小程序，试图成为超级App。", None, {("feature_sprawl", "unionpay")}),
    ("網友吐槽微信支付的廣告彈窗太多。", None, {("user_experience_complaints", "wechat_pay")}),
    ("央行对拉卡拉开出罚单，要求其限期整改。", None, {("regulatory_pressure", "lakala")}),
    ("京东支付与微信支付实现互联互通。", None,
     {("ecosystem_dependence", "jd_pay"), ("ecosystem_dependence", "wechat_pay")}),
    ("银联商务为连锁餐饮提供数字化经营工具。", None, {("b_end_empowerment", "chinaums")}),
    # AI products roll up to their payment platform
    ("支小宝上线了新的智能体功能。", None,
     {("ai_assistant", "alipay_zhixiaobao"), ("ai_assistant", "alipay")}),
    # negation: a sentence that denies the theme is not a hit
    ("Meituan Pay did not offer any cash-back for tap payments this quarter.", None, set()),
    ("Douyin Pay was never fined by regulators.", None, set()),
    ("微信支付并未向商户发放任何设备补贴。", None, set()),
    ("支付宝并没有加入社交功能。", None, set()),
    ("拉卡拉并未受到监管处罚。", None, set()),
    # a clause negation also denies its theme's words before it; a phrase negation ("without") does not
    ("Regulators have never fined JD Pay.", None, set()),
    ("WeChat Pay was not among the payment firms penalised in the central bank's latest enforcement round.", None,
     set()),
    ("截至发稿，监管部门未对多多支付作出任何处罚决定。", None, set()),
    # a denial covers its whole sentence up to a contrast
    ("UnionPay denied reports that it would add a short-video channel to its app.", None, set()),
    ("对于“支付宝将补贴小店”的说法，蚂蚁集团予以否认。", None, set()),
    ("JD Pay denied any wrongdoing, but regulators fined it last week.", None, {("regulatory_pressure", "jd_pay")}),
    ("Alipay tried to win traffic through AI without considering how AI could serve payments.", None,
     {("ai_assistant", "alipay"), ("traffic_focus", "alipay")}),
    # hard negatives: same words, other worlds
    ("Turn off the tap water before you leave.", None, set()),
    ("We were stuck in a traffic jam for an hour.", None, set()),
    ("The football club's new striker is a real threat in the box.", None, set()),
    ("The weather bureau's new AI model forecasts typhoons earlier.", None, set()),
    ("河水流量在暴雨后明显增加。", None, set()),
    ("这篇散文的内容很感人。", None, set()),
    ("Alibaba owns a third of Ant Group.", None, set()),
    # theme words count only in a sentence about payments: a platform, a platform's text or a domain word
    ("The city will subsidize bus fares for pensioners next year.", None, set()),
    ("Students complained about the long queues in the cafeteria.", None, set()),
    ("他轻轻碰一下门铃，屋里没人应答。", None, set()),
    ("交警对违章停放的车辆开出了罚单。", None, set()),
    # users' annoyance is a complaint; a merchant's or developer's is about merchant enablement
    ("Merchants complained about rising transaction fees.", None, {("b_end_empowerment", "market")}),
    ("Users complained about rising transaction fees.", None, {("user_experience_complaints", "market")}),
    ("有小程序开发者抱怨，微信支付的审核规则至今仍不清晰。", None, {("b_end_empowerment", "wechat_pay")}),
    ("顾客轻轻碰一下就能完成付款。", None, {("touchless_subsidy", "market")}),
    # a group's shopping app with a rival's payment is about walled gardens; a roll-call of companies is not
    ("Taobao now allows users to pay with WeChat Pay.", None, {("ecosystem_dependence", "wechat_pay")}),
    ("在京东上购物时，可以跳转至微信支付进行结算。", None, {("ecosystem_dependence", "wechat_pay")}),
    ("Taobao said Alipay remains its default checkout.", None, set()),
    ("Recently, WeChat Pay, Alipay, JD.com, and UnionPay have launched new products.", None, set()),
    # merchants named as the audience of a tap subsidy or a price war are not merchant enablement (yields.csv)...
    ("支付宝“碰一下”在成都推出商户激活奖励，每台设备首月最高补贴50元。", None, {("touchless_subsidy", "alipay")}),
    ("Price wars over merchant fees between Alipay and WeChat Pay have squeezed margins.", None,
     {("competitive_threat", "alipay"), ("competitive_threat", "wechat_pay")}),
    # ...but a merchant tool stated outright still is
    ("支付宝向碰一下商户开放经营分析工具，并提供设备补贴。", None,
     {("touchless_subsidy", "alipay"), ("b_end_empowerment", "alipay")}),
    # everyday senses of AI product names and theme words
    ("市博物馆新展出了一批银元宝和铜钱。", None, set()),
    ("无锡惠山泥人“大阿福”是当地最有名的伴手礼。", None, set()),
    ("Residents can now renew their driving licences online.", None, set()),
    ("运营商宣布下调流量资费，用户每月多得10GB通用流量。", None, set()),
    # a social network as the place users complain is not a social feature
    ("有网友在社交平台上吐槽支付宝首页广告太多。", None, {("user_experience_complaints", "alipay")}),
    # a sentence calling the report false is a denial
    ("微信支付回应称，网传“被罚”消息不实。", None, set()),
    # attribution without a named platform
    ("Subsidies for tap-to-pay terminals keep growing.", "wechat_pay", {("touchless_subsidy", "wechat_pay")}),
    ("Subsidies for tap-to-pay terminals keep growing.", None, {("touchless_subsidy", "market")}),
    ("Alipay reported results. Its subsidies for tap-to-pay terminals keep growing.", None,
     {("touchless_subsidy", "alipay")}),
    # a user asking for a plain wallet is a complaint about sprawl, in every tense and both languages
    ("\"Just let me pay,\" one user wrote under WeChat Pay's official post.", None,
     {("user_experience_complaints", "wechat_pay"), ("feature_sprawl", "wechat_pay")}),
    ("有网友说：“我只想要一个能付钱的钱包，云闪付却越来越像商场。”", None,
     {("user_experience_complaints", "unionpay"), ("feature_sprawl", "unionpay")}),
    # can't find / can't dismiss: "dismissed" inside "cannot be dismissed" is no denial
    ("Longtime JD Pay users say they can no longer find the transfer button.", None,
     {("user_experience_complaints", "jd_pay")}),
    ("Meituan Pay users say the loan banner cannot be dismissed.", None,
     {("user_experience_complaints", "meituan_pay")}),
    # "has not said whether", 未透露: an undisclosed detail hedges the theme, it does not deny it
    ("Meituan has not said whether its new AI agent will settle orders through Meituan Pay.", None,
     {("ai_assistant", "meituan_pay")}),
    ("京东支付未透露AI助手的上线时间。", None, {("ai_assistant", "jd_pay")}),
    ("京东支付并未推出AI助手。", None, set()),
    # reliance on a parent, in every form of the verb and for every parent (not only the first ones listed)
    ("Duoduo Pay relied on Pinduoduo for almost all of its early users.", None,
     {("ecosystem_dependence", "duoduo_pay")}),
    ("多多支付依托拼多多的庞大用户开通了钱包。", None, {("ecosystem_dependence", "duoduo_pay")}),
    # app opens and users pulled back in are traffic chasing
    ("Staff said Meituan Pay was judged on how often users opened the app.", None, {("traffic_focus", "meituan_pay")}),
    ("The red-packet game pulls millions of users back into UnionPay every year.", None,
     {("traffic_focus", "unionpay")}),
    # Qwen is Alibaba's own AI app, not Alipay's: its hits are its own; Alipay counts only where it is named
    ("阿里千问上线了AI点奶茶功能。", "alipay", {("ai_assistant", "alibaba_qwen")}),
    ("Alibaba said its Qwen app would spend 3 billion yuan on free orders.", None,
     {("ai_assistant", "alibaba_qwen")}),
    ("Qwen users can now pay with Alipay AI Pay inside the chat.", None,
     {("ai_assistant", "alibaba_qwen"), ("ai_assistant", "alipay")}),
    # an ecosystem sentence naming only the parent group falls to the platform in context
    ("Alipay grew up inside the Alibaba ecosystem. It still relies on Taobao for traffic.", None,
     {("ecosystem_dependence", "alipay"), ("traffic_focus", "alipay")}),
]


@pytest.mark.parametrize(("text", "default", "expected"), CASES)
def test_extract_cases(extractor: Extractor, text: str, default: str | None, expected: set) -> None:
    hits = extractor.extract(text, default_platform=default)
    assert {(h.signal, h.platform) for h in hits} == expected
    for hit in hits:
        assert hit.evidence in text and hit.evidence == hit.evidence.strip()
        assert 0.0 < hit.score <= 1.0 and round(hit.score, 3) == hit.score


@pytest.mark.parametrize(("text", "signal", "platform", "stance"), [
    ("Users frequently complain about Alipay's cluttered interface.", "user_experience_complaints", "alipay",
     "negative"),
    ("支付宝大力整治营销弹窗，用户体验明显改善。", "user_experience_complaints", "alipay", "positive"),
    ("Regulators fined Lakala heavily.", "regulatory_pressure", "lakala", "negative"),
    # the rising rival is the hit's `rival`, not a platform of its own (test_rivals.py)
    ("微信支付的崛起让支付宝倍感压力。", "competitive_threat", "alipay", "negative"),
    ("Alipay's tap-to-pay rollout was a big success with merchants.", "touchless_subsidy", "alipay", "positive"),
    ("Alipay's tap-to-pay rollout was not a success.", "touchless_subsidy", "alipay", "negative"),
    ("Alipay announced its tap-to-pay service.", "touchless_subsidy", "alipay", "neutral"),
    ("UnionPay offers SaaS tools to merchants.", "b_end_empowerment", "unionpay", "positive"),
    ("商家抱怨京东支付的商户后台功能太少。", "b_end_empowerment", "jd_pay", "negative"),
    ("Merchants complained that JD Pay's back office lacks basic tools.", "b_end_empowerment", "jd_pay", "negative"),
    # names, not judgements: the "payment success" page, partner merchants
    ("京东支付在付款成功页加入了好友点评和晒单动态。", "social_content", "jd_pay", "neutral"),
    ("微信支付推出刷掌付款，首批合作商户可免费获得设备。", "touchless_subsidy", "wechat_pay", "neutral"),
])
def test_stance(extractor: Extractor, text: str, signal: str, platform: str, stance: str) -> None:
    hits = [h for h in extractor.extract(text) if h.signal == signal and h.platform == platform]
    assert [h.stance for h in hits] == [stance]


def test_hedge_lowers_the_score(extractor: Extractor) -> None:
    plain = extractor.extract("Alipay launched an AI assistant.")[0].score
    hedged = extractor.extract("Alipay may launch an AI assistant.")[0].score
    assert hedged < plain


def test_context_attribution_scores_lower_than_a_named_platform(extractor: Extractor) -> None:
    named = extractor.extract("Alipay launched an AI assistant.")[0].score
    context = extractor.extract("They launched an AI assistant.", default_platform="alipay")[0]
    assert context.platform == "alipay" and context.score < named


def test_hits_are_sorted_and_evidence_is_the_sentence(extractor: Extractor) -> None:
    body = ("Regulators fined Lakala.\nAlipay launched an AI assistant and redesigned its homepage.\n"
            "支付宝的碰一下补贴仍在继续。")
    hits = extractor.extract(body)
    keys = [(h.sentence_idx, h.signal, h.platform) for h in hits]
    assert keys == sorted(keys)
    assert [h.sentence_idx for h in hits] == [0, 1, 1, 2]
    assert hits[0].evidence == "Regulators fined Lakala."
    assert hits[3].evidence == "支付宝的碰一下补贴仍在继续。"
    assert extractor.extract(body) == hits  # deterministic


def test_extract_article_uses_the_body(extractor: Extractor) -> None:
    art = parse_article_bytes("title: Test\nlang: zh\n\n支付宝推出AI助手。".encode(), "a.txt")
    assert [(h.signal, h.platform) for h in extractor.extract_article(art)] == [("ai_assistant", "alipay")]


def test_no_terms_no_hits(extractor: Extractor) -> None:
    assert extractor.extract("") == []
    assert extractor.extract("The weather was pleasant all week.") == []


def test_hits_to_json_lines() -> None:
    hits = [Hit("alipay", "ai_assistant", "neutral", "支付宝推出“支小宝”。", 3, 0.9)]
    lines = hits_to_json_lines("data/articles/x.txt", hits)
    assert lines == ['{"file": "data/articles/x.txt", "platform": "alipay", "signal": "ai_assistant", '
                     '"stance": "neutral", "evidence": "支付宝推出“支小宝”。", "sentence_idx": 3, "score": 0.9, '
                     '"rival": ""}']
    assert list(json.loads(lines[0])) == ["file", "platform", "signal", "stance", "evidence", "sentence_idx",
                                          "score", "rival"]


_WORDS = ["Alipay", "WeChat Pay", "支付宝", "微信支付", "not", "不", "subsidies", "补贴", "AI assistant", "流量",
          "traffic jam", "tap-to-pay", "regulators", "吐槽", "mini programs", "。", ". ", "\n", ", ", "but ", "并未",
          "and ", "users ", "的", "Taobao ", "interoperability", "may ", "great ", "failed "]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), max_size=40).map("".join))
def test_hits_are_well_formed_for_any_text(extractor: Extractor, body: str) -> None:
    sentences = {s.idx: s.text for s in split_sentences(body)}
    hits = extractor.extract(body)
    assert hits == sorted(hits, key=lambda h: (h.sentence_idx, h.signal, h.platform))
    for hit in hits:
        assert hit.evidence == sentences[hit.sentence_idx]
        assert hit.signal in SIGNAL_IDS and hit.stance in ("positive", "negative", "neutral")
        assert 0.0 < hit.score <= 1.0


def test_a_back_reference_carries_the_previous_sentences_hits(extractor: Extractor) -> None:
    body = "支付宝向商户免费发放碰一下设备，并给出激活奖励。此举真正瞄准的是线下小店。"
    hits = extractor.extract(body)
    carried = [h for h in hits if h.sentence_idx == 1]
    assert [(h.signal, h.platform) for h in carried] == [("touchless_subsidy", "alipay")]
    assert carried[0].evidence == "此举真正瞄准的是线下小店。"  # the later sentence, verbatim
    assert carried[0].score < hits[0].score
    # the same second sentence without "此举" refers to nothing: no hit
    plain = extractor.extract("支付宝向商户免费发放碰一下设备，并给出激活奖励。业内人士真正关注的是线下小店。")
    assert [h.sentence_idx for h in plain] == [0]


def test_the_company_is_the_platform_named_just_before(extractor: Extractor) -> None:
    text = "Alipay launched a new wallet feature. The company was fined by regulators for breaking payment rules."
    hits = [(h.sentence_idx, h.signal, h.platform) for h in extractor.extract(text, default_platform="wechat_pay")]
    assert hits == [(1, "regulatory_pressure", "alipay")]
    other = "Alipay launched a new wallet feature. Regulators fined it for breaking payment rules."
    assert [h.platform for h in extractor.extract(other, default_platform="wechat_pay")] == ["wechat_pay"]


def test_a_platform_named_in_passing_gets_no_theme(extractor: Extractor) -> None:
    passing = extractor.extract("抖音支付不断增加小程序和新功能，想做超级App，不同于老牌的微信支付。")
    assert {(h.signal, h.platform) for h in passing} == {("feature_sprawl", "douyin_pay")}
    both = extractor.extract("抖音支付不断增加小程序和新功能，想做超级App，微信支付也一样。")
    assert {h.platform for h in both if h.signal == "feature_sprawl"} == {"douyin_pay", "wechat_pay"}


def test_an_ai_apps_feature_list_is_not_feature_sprawl(extractor: Extractor) -> None:
    text = "Yuanbao added more functions and features: ride-hailing, short videos and news feeds."
    signals = {h.signal for h in extractor.extract(text)}
    assert "ai_assistant" in signals and "feature_sprawl" not in signals
    # the same sentence without yields.csv's "feature_sprawl yields to ai_assistant" reads as feature sprawl
    unyielding = Extractor(extractor.lexicon)
    unyielding._yields = {k: v for k, v in extractor._yields.items() if k != ("feature_sprawl", "ai_assistant")}
    unyielding._ai_products = frozenset()  # (the sentence names only an AI app, which ai_products.csv also covers)
    assert "feature_sprawl" in {h.signal for h in unyielding.extract(text)}


def test_generic_words_alone_are_no_ecosystem_dependence(extractor: Extractor, monkeypatch) -> None:
    import paylens.signals.extract as extract

    text = "根据阿里巴巴的财报，淘宝天猫2024财年的商品交易额超过7万亿元，电商场景仍是最大的。"
    assert extractor.extract(text, default_platform="alipay") == []
    monkeypatch.setattr(extract, "GENERIC_NEEDS_CONTEXT", frozenset())  # the old rule: four generic words fire
    assert [h.signal for h in extractor.extract(text, default_platform="alipay")] == ["ecosystem_dependence"]
    said = "支付宝的线上交易仍高度依赖淘宝天猫的电商场景。"
    assert "ecosystem_dependence" in {h.signal for h in extractor.extract(said)}


def test_a_reported_feature_launch_is_neutral(extractor: Extractor) -> None:
    def stance(text: str) -> str:
        return next(h.stance for h in extractor.extract(text) if h.signal == "feature_sprawl")
    assert stance("Alipay redesigned its home page again and added a travel channel.") == "neutral"
    assert stance("Critics say Alipay redesigned its home page again.") == "negative"  # someone judges
    assert stance("支付宝今年再度改版，首页新增了三个入口。") == "neutral"
    assert stance("支付宝一次次改版，首页越来越臃肿。") == "negative"  # a polar word
