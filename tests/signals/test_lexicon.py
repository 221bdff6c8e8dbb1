"""The lexicon files: they load, cover every platform, and bad rows are reported by line."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from paylens.config import PROJECT_ROOT
from paylens.errors import InputError
from paylens.signals.lexicon import load_lexicon
from paylens.signals.taxonomy import SIGNAL_IDS

LEXICON_DIR = PROJECT_ROOT / "data" / "lexicon"


def test_real_lexicon_loads_and_covers_every_signal() -> None:
    lexicon = load_lexicon(LEXICON_DIR)
    for signal in SIGNAL_IDS:
        en = [t for t in lexicon.signals if t.label == signal and t.lang == "en"]
        zh = [t for t in lexicon.signals if t.label == signal and t.lang == "zh"]
        assert len(en) >= 20 and len(zh) >= 20, signal
    assert {t.label for t in lexicon.polarity} == {"positive", "negative", "negation", "denial", "hedge", "remedy"}
    assert set(lexicon.default_stance) == set(SIGNAL_IDS)


def test_every_platform_has_english_and_chinese_aliases() -> None:
    with (PROJECT_ROOT / "data" / "platforms.csv").open(encoding="utf-8") as fh:
        ids = {row["platform_id"] for row in csv.DictReader(fh)} - {"market"}
    lexicon = load_lexicon(LEXICON_DIR)
    for pid in sorted(ids):
        langs = {t.lang for t in lexicon.aliases if t.label == pid}
        assert langs == {"en", "zh"}, pid
    assert {t.label for t in lexicon.aliases} <= ids


def test_qwen_is_alibabas_not_alipays() -> None:
    lexicon = load_lexicon(LEXICON_DIR)
    qwen = {t.text for t in lexicon.aliases if t.label == "alibaba_qwen"}
    assert {"Qwen", "千问", "通义千问"} <= qwen
    assert "alibaba_qwen" not in lexicon.parents  # Alipay is Ant Group's; Qwen's news is not Alipay's


def test_parent_groups_are_not_aliases() -> None:
    aliases = {t.text.lower() for t in load_lexicon(LEXICON_DIR).aliases}
    for parent in ("alibaba", "taobao", "tencent", "bytedance", "阿里巴巴", "腾讯", "淘宝"):
        assert parent not in aliases


def _problems_after_appending(tmp_path, name: str, rows: str) -> tuple[Path, int, list[str]]:
    """Copy the real lexicon, append rows to one file; (that file, its last line number, load problems)."""
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, folder)
    path = folder / name
    with path.open("a", encoding="utf-8") as fh:
        fh.write(rows)
    with pytest.raises(InputError) as info:
        load_lexicon(folder)
    return path, path.read_text(encoding="utf-8").count("\n"), info.value.problems


def test_bad_rows_are_reported_with_file_and_line(tmp_path) -> None:
    path, lines, problems = _problems_after_appending(
        tmp_path, "signals.csv", "no_such_signal,en,foo,0.5\nai_assistant,fr,bar,0.5\nai_assistant,en,baz,2\n")
    assert problems == [
        f"{path}:{lines - 2}: unknown signal 'no_such_signal'",
        f"{path}:{lines - 1}: lang must be one of en, zh, not 'fr'",
        f"{path}:{lines}: weight must be a number in (0, 1], not '2'",
    ]


def test_missing_column_is_reported(tmp_path) -> None:
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, folder)
    (folder / "polarity.csv").write_text("lang,term\nen,good\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_lexicon(folder)
    assert info.value.problems == [f"{folder / 'polarity.csv'}:1: missing column(s) kind, weight"]


def test_commerce_surfaces_map_to_their_group_and_are_matchable() -> None:
    lexicon = load_lexicon(LEXICON_DIR)
    assert lexicon.surfaces["taobao"] == "alipay"
    assert lexicon.surfaces["京东"] == "jd_pay"
    eco_terms = {t.text.lower() for t in lexicon.signals if t.label == "ecosystem_dependence"}
    assert set(lexicon.surfaces) <= eco_terms  # the automaton must find every surface


def test_bad_surface_row_is_reported(tmp_path) -> None:
    path, lines, problems = _problems_after_appending(tmp_path, "commerce_surfaces.csv", "Not An Id,Shop,en\n")
    assert problems == [f"{path}:{lines}: bad platform_id 'Not An Id'"]


def test_yields_load_as_signal_pairs() -> None:
    lexicon = load_lexicon(LEXICON_DIR)
    assert lexicon.yields[("b_end_empowerment", "touchless_subsidy")] == 0.9
    assert all(a in SIGNAL_IDS and b in SIGNAL_IDS and a != b for a, b in lexicon.yields)


def test_bad_yield_rows_are_reported(tmp_path) -> None:
    path, lines, problems = _problems_after_appending(
        tmp_path, "yields.csv",
        "no_such_signal,ai_assistant,0.9\nai_assistant,ai_assistant,0.9\nai_assistant,traffic_focus,2\n")
    assert problems == [
        f"{path}:{lines - 2}: unknown signal 'no_such_signal'",
        f"{path}:{lines - 1}: a signal cannot yield to itself",
        f"{path}:{lines}: weight must be a number in (0, 1], not '2'",
    ]


def test_ai_products_load_as_platform_ids(tmp_path) -> None:
    lexicon = load_lexicon(LEXICON_DIR)
    assert {"tencent_yuanbao", "alibaba_qwen"} <= lexicon.ai_products and "alipay" not in lexicon.ai_products
    assert set(lexicon.parents) <= lexicon.ai_products  # every product with a payment platform is an AI product
    path, lines, problems = _problems_after_appending(tmp_path, "ai_products.csv", "Not An Id\n")
    assert problems == [f"{path}:{lines}: bad platform_id 'Not An Id'"]


def test_article_rules_load_as_settings() -> None:
    assert load_lexicon(LEXICON_DIR).article_rules.name_lead_sentences == 0  # off: see the README


@pytest.mark.parametrize(("rows", "problem"), [
    ("name_lead_sentences,two\n", "name_lead_sentences must be a whole number, not 'two'"),
    ("name_lead_sentences,2\nlead_everything,3\n", "unknown setting 'lead_everything'"),
    ("", "missing setting(s) name_lead_sentences"),
])
def test_bad_article_rules_are_reported(tmp_path, rows: str, problem: str) -> None:
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, folder)
    (folder / "article_rules.csv").write_text("setting,value\n" + rows, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_lexicon(folder)
    assert any(problem in p and "article_rules.csv" in p for p in info.value.problems), info.value.problems
