"""The whole-article pass: the body's subject, and an AI app's name as evidence only where the article introduces it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paylens.signals.article_scoring import article_subject
from paylens.signals.extract import Extractor
from tests.signals.conftest import LEXICON_DIR


def _with_lead(folder: Path, lead: int) -> Extractor:
    """An extractor over a copy of the real lexicon with name_lead_sentences set."""
    shutil.copytree(LEXICON_DIR, folder)
    (folder / "article_rules.csv").write_text(f"setting,value\nname_lead_sentences,{lead}\n", encoding="utf-8")
    return Extractor.from_dir(folder)


@pytest.fixture(scope="module")
def lead2(tmp_path_factory) -> Extractor:
    """The running-name rule switched on (it is off in data/lexicon: see its README)."""
    return _with_lead(tmp_path_factory.mktemp("lead2") / "lexicon", 2)

LINGGUANG = [
    "蚂蚁集团推出AI应用灵光，用户一句话就能生成小应用。",  # 0: introduced, with another AI word
    "上线首周，灵光的下载量突破百万。",  # 1: second sentence naming it: still its lead
    "灵光团队规模不足百人，多数成员来自蚂蚁内部的技术部门。",  # 2: only its name: the team, not the AI push
    "灵光还接入了新的大模型，能回答更复杂的问题。",  # 3: its name and another AI word
]


def _pairs(hits, idx: int) -> set[tuple[str, str]]:
    return {(h.signal, h.platform) for h in hits if h.sentence_idx == idx}


def test_a_running_app_name_alone_is_not_ai_evidence(lead2: Extractor) -> None:
    hits = lead2.extract("\n".join(LINGGUANG))
    assert ("ai_assistant", "ant_lingguang") in _pairs(hits, 0)
    assert ("ai_assistant", "ant_lingguang") in _pairs(hits, 1)
    assert not {s for s, _ in _pairs(hits, 2)} & {"ai_assistant"}  # neither the app nor its payment platform
    assert ("ai_assistant", "ant_lingguang") in _pairs(hits, 3)  # 大模型 says it, not the name
    texts = "\n".join(LINGGUANG)
    assert all(h.evidence in texts for h in hits)  # evidence is still a sentence of the body, verbatim


def test_an_app_the_article_has_not_introduced_keeps_its_hit(lead2: Extractor) -> None:
    body = "\n".join([*LINGGUANG[:3], "与此同时，腾讯的元宝下载量也在上涨，灵光的用户仍在观望。"])
    hits = lead2.extract(body)
    assert not _pairs(hits, 2) & {("ai_assistant", "ant_lingguang")}
    # 元宝 is named for the first time: its name is evidence, for it and for the app named beside it
    assert ("ai_assistant", "tencent_yuanbao") in _pairs(hits, 3)


def test_a_dropped_hit_is_not_carried_into_a_back_reference(lead2: Extractor) -> None:
    body = "\n".join([*LINGGUANG[:3], "此举被视为蚂蚁在通用AI入口之争中的一步。"])
    hits = lead2.extract(body)
    assert ("ai_assistant", "ant_lingguang") not in _pairs(hits, 3)  # 此举 refers back to sentence 2
    assert ("ai_assistant", "alipay") in _pairs(hits, 3)  # the sentence's own AI word, for 蚂蚁


def test_english_names_count_too(lead2: Extractor) -> None:
    body = ("Tencent pushed its Yuanbao chatbot into WeChat. Yuanbao downloads doubled in a week. "
            "Yuanbao's product team moved to a new office in Shenzhen.")
    hits = lead2.extract(body)
    assert ("ai_assistant", "tencent_yuanbao") in _pairs(hits, 1)
    assert not _pairs(hits, 2) & {("ai_assistant", "tencent_yuanbao"), ("ai_assistant", "wechat_pay")}


def test_the_rule_is_a_setting_off_in_the_shipped_lexicon(extractor: Extractor, lead2: Extractor) -> None:
    body = "\n".join(LINGGUANG)
    assert ("ai_assistant", "ant_lingguang") not in _pairs(lead2.extract(body), 2)
    assert ("ai_assistant", "ant_lingguang") in _pairs(extractor.extract(body), 2)  # name_lead_sentences 0


def test_the_subject_is_the_platform_named_in_most_sentences() -> None:
    assert article_subject([("wechat_pay", "alipay"), ("alipay",), ("tencent_yuanbao", "wechat_pay")]) == "wechat_pay"
    assert article_subject([("alipay",), ("wechat_pay",)]) == "alipay"  # a tie: the first named
    assert article_subject([]) == "market"


@pytest.mark.parametrize("body", [
    " ".join(["Alipay opened the week with a new campaign.",
              "WeChat Pay said WeChat Pay users, used to WeChat Pay red packets, would see no change.",
              "Users complained about the pop-up ads.",  # names no platform: the whole body is Alipay's
              "Alipay later removed the pop-ups.",
              "Alipay also cut its fees for small shops."]),
    "\n".join(["用户抱怨首页弹窗太多。",  # before any platform is named
                "支付宝随后减少了弹窗。",
                "评论者拿它和微信支付比较：微信支付的首页更干净，微信支付也更少打扰用户。",
                "支付宝还下调了小商户费率。"]),
])
def test_a_sentence_naming_no_platform_goes_to_the_whole_bodys_subject(extractor: Extractor, body: str) -> None:
    # WeChat Pay has the most mentions (three, in one sentence); Alipay is named in the most sentences
    unnamed = 2 if body.isascii() else 0
    assert {h.platform for h in extractor.extract(body) if h.sentence_idx == unnamed} == {"alipay"}
    given = extractor.extract(body, default_platform="wechat_pay")  # a subject given by the caller still wins
    assert {h.platform for h in given if h.sentence_idx == unnamed} == {"wechat_pay"}
