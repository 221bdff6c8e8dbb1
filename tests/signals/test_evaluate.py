"""Gold-set scoring: label parsing, sentence-level counts, accuracies and the report table."""

from __future__ import annotations

import shutil

import pytest

from paylens.errors import InputError
from paylens.signals.evaluate import (
    GoldRow,
    Label,
    evaluate,
    evaluate_corrections,
    format_corrections,
    format_report,
    load_corrections,
    load_gold,
    parse_labels,
)
from paylens.signals.extract import Extractor


def test_parse_labels() -> None:
    assert parse_labels("") == ()
    assert parse_labels("ai_assistant:alipay:neutral; traffic_focus:market:negative") == (
        Label("ai_assistant", "alipay", "neutral"), Label("traffic_focus", "market", "negative"))
    for bad in ("ai_assistant:alipay", "nope:alipay:neutral", "ai_assistant:alipay:angry", "ai_assistant::neutral"):
        with pytest.raises(ValueError):
            parse_labels(bad)


def test_load_gold_reports_bad_rows(tmp_path) -> None:
    path = tmp_path / "gold.csv"
    path.write_text(
        "id,split,lang,platform_context,text,labels,source_url,note\n"
        "a,train,en,alipay,Alipay launched an AI assistant.,ai_assistant:alipay:neutral,,\n"
        "b,test,en,,Some text.,ai_assistant:alipay:sideways,,\n"
        "c,test,en,market,,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_gold(path)
    assert [p.split(": ")[0] for p in info.value.problems] == [f"{path}:3", f"{path}:4"]


def rows() -> list[GoldRow]:
    """A tiny gold set with one of each outcome."""
    def row(i: str, split: str, ctx: str | None, text: str, labels: str) -> GoldRow:
        return GoldRow(i, split, "en", ctx, text, parse_labels(labels))
    return [
        row("1", "train", None, "Alipay launched an AI assistant.", "ai_assistant:alipay:neutral"),
        row("2", "train", "wechat_pay", "Regulators fined the company.", "regulatory_pressure:wechat_pay:negative"),
        row("3", "train", None, "The weather was pleasant.", "traffic_focus:market:neutral"),
        row("4", "train", None, "Alipay launched an AI assistant.", ""),
        row("5", "test", None, "JD Pay launched an AI assistant.", "ai_assistant:alipay:positive"),
    ]


def test_evaluate_counts(extractor: Extractor) -> None:
    report = evaluate(rows(), extractor, "train")
    assert report.rows == 4
    ai = report.score("ai_assistant")
    assert (ai.tp, ai.fp, ai.fn) == (1, 1, 0)
    assert (ai.precision, ai.recall) == (0.5, 1.0)
    traffic = report.score("traffic_focus")
    assert (traffic.tp, traffic.fp, traffic.fn, traffic.recall) == (0, 0, 1, 0.0)
    micro = report.micro
    assert (micro.tp, micro.fp, micro.fn) == (2, 1, 1)
    assert micro.f1 == pytest.approx(2 / 3)
    assert (report.platform_correct, report.platform_total) == (2, 2)
    assert (report.stance_correct, report.stance_total) == (2, 2)


def test_evaluate_split_and_accuracies(extractor: Extractor) -> None:
    report = evaluate(rows(), extractor, "test")
    assert report.rows == 1 and report.score("ai_assistant").tp == 1
    assert (report.platform_correct, report.platform_total) == (0, 1)
    assert (report.stance_correct, report.stance_total) == (0, 1)
    assert evaluate(rows(), extractor, None).rows == 5


def test_format_report(extractor: Extractor) -> None:
    text = format_report(evaluate(rows(), extractor, "train"))
    lines = text.splitlines()
    assert lines[0] == "split: train  rows: 4"
    assert any(line.startswith("ai_assistant") and line.split()[1:4] == ["1", "1", "0"] for line in lines)
    assert any(line.startswith("micro") for line in lines)
    assert "stance accuracy" in text and "platform accuracy" in text


def test_confusion_counts_stance_on_signal_and_platform(extractor: Extractor) -> None:
    def row(i: str, text: str, labels: str) -> GoldRow:
        return GoldRow(i, "dev", "en", None, text, parse_labels(labels))
    gold = [
        row("1", "Regulators fined Alipay for breaking payment rules.", "regulatory_pressure:alipay:negative"),
        row("2", "Regulators fined Alipay for breaking payment rules.", "regulatory_pressure:alipay:neutral"),
        row("3", "Regulators fined Alipay for breaking payment rules.", "regulatory_pressure:jd_pay:negative"),
    ]
    report = evaluate(gold, extractor)
    predicted = {h.stance for r in report.results for h in r.hits}
    assert len(predicted) == 1  # one sentence, one stance
    stance = predicted.pop()
    cells = report.confusion["regulatory_pressure"]
    # row 3's platform was not hit: it counts for platform accuracy, not in the confusion matrix
    assert sum(cells.values()) == 2
    assert cells.get(("negative", stance), 0) >= 1 and cells.get(("neutral", stance), 0) >= 1
    assert report.stance_agreement("regulatory_pressure") == (1, 2)
    text = format_report(report)
    assert any(line.startswith("regulatory_pressure") and line.split()[1:3] == ["2", "0.500"]
               for line in text.splitlines())


def test_article_rows_are_extracted_as_one_text(tmp_path, extractor: Extractor) -> None:
    path = tmp_path / "articles.csv"
    path.write_text(
        "id,split,lang,platform_context,text,labels,source_url,note,article\n"
        "a1,dev,en,,Alipay launched an AI assistant.,ai_assistant:alipay:neutral,,,A\n"
        "a2,dev,en,,Regulators fined the company over it.,regulatory_pressure:alipay:negative,,,A\n"
        "b1,dev,en,,Regulators fined the company over it.,,,,B\n", encoding="utf-8")
    gold = load_gold(path)
    assert [r.article for r in gold] == ["A", "A", "B"]
    report = evaluate(gold, extractor)
    by_id = {r.row.id: r for r in report.results}
    # the second sentence of A is about Alipay only through the first: its hit comes back to row a2
    assert {(h.signal, h.platform) for h in by_id["a2"].hits} == {("regulatory_pressure", "alipay")}
    assert {h.signal for h in by_id["a1"].hits} == {"ai_assistant"}
    assert all(h.evidence == by_id[h_id].row.text for h_id in by_id for h in by_id[h_id].hits)
    assert not by_id["b1"].hits  # B stands alone: no platform to carry
    same_rows_alone = evaluate([GoldRow(r.id, r.split, r.lang, r.platform_context, r.text, r.labels) for r in gold],
                               extractor)
    assert not {r.row.id: r for r in same_rows_alone.results}["a2"].hits


def test_corrections_score_the_corrected_hits(tmp_path, extractor: Extractor) -> None:
    body = "Alipay launched an AI assistant.\nRegulators fined WeChat Pay for breaking payment rules."
    hits = {(h.sentence_idx, h.platform, h.signal): h for h in extractor.extract(body)}
    assert (0, "alipay", "ai_assistant") in hits and (1, "wechat_pay", "regulatory_pressure") in hits
    aid = "0123456789abcdef"
    path = tmp_path / "corrections.csv"
    path.write_text(
        "article_id,sentence_idx,platform_id,signal,action,stance,reason,who,corrected_at\n"
        f"{aid},0,alipay,ai_assistant,stance,negative,first thought,ann,2026-12-01T00:00:00\n"
        f"{aid},0,alipay,ai_assistant,not_signal,,a demo not a launch,ann,2026-12-02T00:00:00\n"
        f"{aid},1,wechat_pay,regulatory_pressure,stance,negative,a fine,ann,2026-12-01T00:00:00\n"
        f"{aid},1,alipay,regulatory_pressure,stance,negative,missed,ann,2026-12-01T00:00:00\n"
        "fedcba9876543210,0,alipay,ai_assistant,not_signal,,gone,ann,2026-12-01T00:00:00\n", encoding="utf-8")
    fixes = load_corrections(path, {"alipay", "wechat_pay"})
    report = evaluate_corrections(fixes, {aid: body}, extractor)
    assert (report.corrections, report.missing_articles) == (4, 1)  # the latest row for the first hit wins
    assert (report.drops, report.drops_found) == (1, 1)
    assert (report.stance_fixes, report.stance_found) == (2, 1)
    score = report.score
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)
    predicted = hits[(1, "wechat_pay", "regulatory_pressure")].stance
    assert report.confusion == {"regulatory_pressure": {("negative", predicted): 1}}
    assert "still found: 1" in format_corrections(report)


def test_a_moved_hit_is_a_negative_for_its_platform_and_a_positive_for_the_right_one(tmp_path, extractor) -> None:
    body = "Alipay launched an AI assistant.\nRegulators fined WeChat Pay for breaking payment rules."
    aid = "0123456789abcdef"
    path = tmp_path / "corrections.csv"
    path.write_text(
        "article_id,sentence_idx,platform_id,signal,action,stance,reason,who,corrected_at,right_platform\n"
        f"{aid},1,wechat_pay,regulatory_pressure,wrong_platform,,it was Alipay,ann,2026-12-01T00:00:00,alipay\n"
        f"{aid},0,alipay,ai_assistant,wrong_platform,,WeChat's,ann,2026-12-01T00:00:00,wechat_pay\n",
        encoding="utf-8")
    report = evaluate_corrections(load_corrections(path, {"alipay", "wechat_pay"}), {aid: body}, extractor)
    assert (report.drops, report.drops_found, report.moves, report.moves_found) == (2, 2, 2, 0)
    assert (report.score.tp, report.score.fp, report.score.fn) == (0, 2, 2)
    assert "moved to the right platform: 2; found for it: 0" in format_corrections(report)


def test_load_corrections_lists_bad_rows(tmp_path) -> None:
    path = tmp_path / "fixes.csv"
    path.write_text(
        "article_id,sentence_idx,platform_id,signal,action,stance,reason,who,corrected_at\n"
        "0123456789abcdef,x,alipay,ai_assistant,not_signal,,why,ann,2026-12-01T00:00:00\n"
        "0123456789abcdef,1,nowhere,ai_assistant,not_signal,,why,ann,2026-12-01T00:00:00\n"
        "0123456789abcdef,1,alipay,ai_assistant,stance,sideways,why,ann,2026-12-01T00:00:00\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_corrections(path, {"alipay"})
    assert [p.split(": ")[0] for p in info.value.problems] == [f"{path}:2", f"{path}:3", f"{path}:4"]


def test_cli_eval_signals_corrections(tmp_path) -> None:
    from click.testing import CliRunner

    from paylens.cli.main import cli
    from tests.signals.conftest import LEXICON_DIR

    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    shutil.copytree(LEXICON_DIR, data / "lexicon")
    body = "Regulators fined WeChat Pay for breaking payment rules."
    (data / "articles" / "a.txt").write_text(f"title: A\nlang: en\n\n{body}\n", encoding="utf-8")
    from paylens.store.sources import read_articles

    aid = read_articles(data)[0].sha256[:16]
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("article_id,sentence_idx,platform_id,signal,action,stance,reason,who,corrected_at\n"
                     f"{aid},0,wechat_pay,regulatory_pressure,not_signal,,test,ann,2026-12-01T00:00:00\n",
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval-signals", "--corrections", str(fixes), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "still found: 1 (false positives)" in result.output
    assert CliRunner().invoke(cli, ["eval-signals", "--data", str(data)]).exit_code == 2


def test_no_context_scores_rows_as_the_store_extracts_them(tmp_path, extractor: Extractor) -> None:
    # A sentence naming no platform: with its row's context it is WeChat Pay's; without, nobody's subject.
    row = GoldRow(id="1", split="dev", lang="en", platform_context="wechat_pay",
                  text="Regulators fined the company for breaking payment rules.",
                  labels=(Label("regulatory_pressure", "wechat_pay", "negative"),), source_url="", note="")
    given = evaluate([row], extractor, None)
    dropped = evaluate([row], extractor, None, context=False)
    assert (given.pairs.tp, given.pairs.fn) == (1, 0)
    assert (dropped.pairs.tp, dropped.pairs.fn) == (0, 1)
    assert row.platform_context == "wechat_pay", "the caller's rows are left as they were"

    from click.testing import CliRunner

    from paylens.cli.main import cli

    gold = tmp_path / "gold.csv"
    gold.write_text("id,split,lang,platform_context,text,labels,source_url,note\n"
                    f'1,dev,en,wechat_pay,"{row.text}",regulatory_pressure:wechat_pay:negative,,\n',
                    encoding="utf-8")
    out = CliRunner().invoke(cli, ["eval-signals", str(gold), "--no-context"])
    assert out.exit_code == 0, out.output
    assert "(no platform_context)" in out.output
