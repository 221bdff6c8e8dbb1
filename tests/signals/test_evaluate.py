"""Gold-set scoring: label parsing, sentence-level counts, accuracies and the report table."""

from __future__ import annotations

import pytest

from paylens.errors import InputError
from paylens.signals.evaluate import GoldRow, Label, evaluate, format_report, load_gold, parse_labels
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
