"""The whole-article pass: an AI app's name stops being evidence of the AI theme once the article has introduced it."""

from __future__ import annotations

import shutil

from paylens.signals.extract import Extractor
from tests.signals.conftest import LEXICON_DIR

LINGGUANG = [
    "蚂蚁集团推出AI应用灵光，用户一句话就能生成小应用。",  # 0: introduced, with another AI word
    "上线首周，灵光的下载量突破百万。",  # 1: second sentence naming it: still its lead
    "灵光团队规模不足百人，多数成员来自蚂蚁内部的技术部门。",  # 2: only its name: the team, not the AI push
    "灵光还接入了新的大模型，能回答更复杂的问题。",  # 3: its name and another AI word
]


def _pairs(hits, idx: int) -> set[tuple[str, str]]:
    return {(h.signal, h.platform) for h in hits if h.sentence_idx == idx}


def test_a_running_app_name_alone_is_not_ai_evidence(extractor: Extractor) -> None:
    hits = extractor.extract("\n".join(LINGGUANG))
    assert ("ai_assistant", "ant_lingguang") in _pairs(hits, 0)
    assert ("ai_assistant", "ant_lingguang") in _pairs(hits, 1)
    assert not {s for s, _ in _pairs(hits, 2)} & {"ai_assistant"}  # neither the app nor its payment platform
    assert ("ai_assistant", "ant_lingguang") in _pairs(hits, 3)  # 大模型 says it, not the name
    texts = "\n".join(LINGGUANG)
    assert all(h.evidence in texts for h in hits)  # evidence is still a sentence of the body, verbatim


def test_an_app_the_article_has_not_introduced_keeps_its_hit(extractor: Extractor) -> None:
    body = "\n".join([*LINGGUANG[:3], "与此同时，腾讯的元宝下载量也在上涨，灵光的用户仍在观望。"])
    hits = extractor.extract(body)
    assert not _pairs(hits, 2) & {("ai_assistant", "ant_lingguang")}
    # 元宝 is named for the first time: its name is evidence, for it and for the app named beside it
    assert ("ai_assistant", "tencent_yuanbao") in _pairs(hits, 3)


def test_a_dropped_hit_is_not_carried_into_a_back_reference(extractor: Extractor) -> None:
    body = "\n".join([*LINGGUANG[:3], "此举被视为蚂蚁在通用AI入口之争中的一步。"])
    hits = extractor.extract(body)
    assert ("ai_assistant", "ant_lingguang") not in _pairs(hits, 3)  # 此举 refers back to sentence 2
    assert ("ai_assistant", "alipay") in _pairs(hits, 3)  # the sentence's own AI word, for 蚂蚁


def test_english_names_count_too(extractor: Extractor) -> None:
    body = ("Tencent pushed its Yuanbao chatbot into WeChat. Yuanbao downloads doubled in a week. "
            "Yuanbao's product team moved to a new office in Shenzhen.")
    hits = extractor.extract(body)
    assert ("ai_assistant", "tencent_yuanbao") in _pairs(hits, 1)
    assert not _pairs(hits, 2) & {("ai_assistant", "tencent_yuanbao"), ("ai_assistant", "wechat_pay")}


def test_the_lead_is_a_setting_and_zero_switches_the_rule_off(extractor: Extractor, tmp_path) -> None:
    assert ("ai_assistant", "ant_lingguang") not in _pairs(extractor.extract("\n".join(LINGGUANG)), 2)
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, folder)
    (folder / "article_rules.csv").write_text("setting,value\nname_lead_sentences,0\n", encoding="utf-8")
    off = Extractor.from_dir(folder)
    assert ("ai_assistant", "ant_lingguang") in _pairs(off.extract("\n".join(LINGGUANG)), 2)
