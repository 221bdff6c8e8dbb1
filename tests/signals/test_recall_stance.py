"""Rules of issue 15's recall and stance round (branch h15-recall): each test fails without its rule."""

from __future__ import annotations

from dataclasses import replace

from paylens.signals.extract import Extractor


def _stances(extractor: Extractor, text: str, signal: str, context: str | None = None) -> dict[str, str]:
    return {h.platform: h.stance for h in extractor.extract(text, default_platform=context) if h.signal == signal}


def _without(extractor: Extractor, kind: str) -> Extractor:
    lexicon = extractor.lexicon
    return Extractor(replace(lexicon, polarity=tuple(t for t in lexicon.polarity if t.label != kind)))


COMPLAINT_ANSWERED = [
    ("After a flood of complaints about intrusive pop-ups, WeChat Pay trimmed the marketing banners on its bill page.",
     "wechat_pay"),
    ("JD Pay said it has dropped the loan advert that users complained about.", "jd_pay"),
    ("针对用户吐槽付款前弹窗太多，抖音支付表示已下线大部分营销弹窗。", "douyin_pay"),
    ("支付宝回应用户对首页广告的抱怨，承诺减少信息流推荐。", "alipay"),
]


def test_a_complaint_answered_by_a_cut_is_positive(extractor: Extractor) -> None:
    for text, platform in COMPLAINT_ANSWERED:
        assert _stances(extractor, text, "user_experience_complaints") == {platform: "positive"}, text
    # without the remedy words the complaint keeps its negative lean
    plain = _without(extractor, "remedy")
    for text, platform in COMPLAINT_ANSWERED:
        assert _stances(plain, text, "user_experience_complaints") == {platform: "negative"}, text


def test_a_negated_remedy_leaves_the_complaint_negative(extractor: Extractor) -> None:
    text = "Users keep complaining about pop-ups, but WeChat Pay has not trimmed the marketing banners."
    assert _stances(extractor, text, "user_experience_complaints") == {"wechat_pay": "negative"}


def test_a_remedy_word_does_not_move_other_themes(extractor: Extractor) -> None:
    # feature sprawl keeps its lean: the one tuning sentence with a remedy word was labelled negative
    text = "Alipay rolled back a homepage redesign that had crammed in short videos, games and loan banners."
    assert _stances(extractor, text, "feature_sprawl") == _stances(_without(extractor, "remedy"), text,
                                                                   "feature_sprawl")


STATED_TARGETS = [
    ("云闪付团队今年的首要考核指标是月活跃用户数。", "unionpay"),
    ("JD Pay has set its wallet team a target of 200 million monthly active users by 2027.", "jd_pay"),
    ("Douyin Pay's product managers are graded on how many minutes users spend in the app.", "douyin_pay"),
]


def test_a_stated_user_target_is_neutral_traffic_chasing(extractor: Extractor, monkeypatch) -> None:
    for text, platform in STATED_TARGETS:
        assert _stances(extractor, text, "traffic_focus") == {platform: "neutral"}, text
    # someone judging it keeps the lean
    judged = "Critics say Douyin Pay's product managers are graded on how many minutes users spend in the app."
    assert _stances(extractor, judged, "traffic_focus") == {"douyin_pay": "negative"}
    # without the rule a stated target reads as traffic chasing's negative default
    from paylens.signals import extract
    monkeypatch.setattr(extract, "TARGET_NEUTRAL", frozenset())
    for text, platform in STATED_TARGETS:
        assert _stances(extractor, text, "traffic_focus") == {platform: "negative"}, text


def test_user_targets_and_quotas_are_traffic_words(extractor: Extractor) -> None:
    for text, platform in [
        ("“Our target is to reach 300 million registered users this year,” a Yunshanfu manager said.", "unionpay"),
        ("Bank staff selling Yunshanfu were given download quotas.", "unionpay"),
    ]:
        assert "traffic_focus" in {h.signal for h in extractor.extract(text, default_platform=platform)}, text


def _with_positive(extractor: Extractor, *words: tuple[str, str]) -> Extractor:
    from paylens.signals.lexicon import Term

    lexicon = extractor.lexicon
    extra = tuple(Term("polarity", "positive", text, lang, 1.0) for lang, text in words)
    return Extractor(replace(lexicon, polarity=lexicon.polarity + extra))


FUNCTION_WORDS = [  # what a product or a rule is for, not a verdict on it
    ("The central bank's new rules enabled users to scan any wallet's QR code at any shop.", "regulatory_pressure",
     ("en", "enabled")),
    ("新条例明确了支付机构小额、便民的服务宗旨。", "regulatory_pressure", ("zh", "便民")),
    ("The ministry required the platforms to remove restrictions on links to each other's services.",
     "regulatory_pressure", ("en", "remove restrictions")),
]


def test_words_for_what_a_thing_is_for_are_no_verdict(extractor: Extractor) -> None:
    for text, signal, word in FUNCTION_WORDS:
        assert _stances(extractor, text, signal, "alipay") == {"alipay": "neutral"}, text
        # listed as positive words (as before), they would judge the sentence positive
        assert _stances(_with_positive(extractor, word), text, signal, "alipay") == {"alipay": "positive"}, text


def test_convenience_stores_are_shops_not_convenience(extractor: Extractor) -> None:
    text = "WeChat Pay is handing out free palm-scanning terminals to convenience stores in Shenzhen."
    assert _stances(extractor, text, "touchless_subsidy") == {"wechat_pay": "neutral"}
    # "convenience" itself is still a positive word
    assert _stances(extractor, "Alipay pitches its tap discs on convenience, and merchants like them.",
                    "touchless_subsidy", "alipay") == {"alipay": "positive"}
    lexicon = extractor.lexicon
    unmasked = Extractor(replace(lexicon, masks=tuple(t for t in lexicon.masks if "convenience" not in t.text)))
    assert _stances(unmasked, text, "touchless_subsidy") == {"wechat_pay": "positive"}


def test_an_assistant_in_a_payment_app_is_an_ai_assistant(extractor: Extractor) -> None:
    text = "Ant's health assistant answers medical questions and books appointments inside Alipay."
    assert ("ai_assistant", "alipay") in {(h.signal, h.platform) for h in extractor.extract(text)}
    # a shop's human assistants are not
    staff = "A shop assistant at the store still asks customers to show an Alipay code."
    assert "ai_assistant" not in {h.signal for h in extractor.extract(staff)}
    unmasked = Extractor(replace(extractor.lexicon, masks=tuple(
        t for t in extractor.lexicon.masks if "assistant" not in t.text)))
    assert "ai_assistant" in {h.signal for h in unmasked.extract(staff)}
    # at the weak tier (0.3, before) "assistant" alone is not enough
    lexicon = extractor.lexicon
    weak = Extractor(replace(lexicon, signals=tuple(
        replace(t, weight=0.3) if (t.label, t.text) == ("ai_assistant", "assistant") else t for t in lexicon.signals)))
    assert "ai_assistant" not in {h.signal for h in weak.extract(text)}
