"""paylens CLI through click's runner: build, export, snapshot, signals, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.snapshot import sha256

METRIC = "market_share_third_party_mobile_payment_analysys"


@pytest.fixture
def runner():
    return CliRunner()


def test_build_prints_counts(runner, fixture_data, tmp_path):
    result = runner.invoke(cli, ["build", "--data", str(fixture_data), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    assert "metric_values" in result.output and (tmp_path / "s.duckdb").exists()


def test_export_gives_only_the_chosen_platforms_with_sources(runner, fixture_store):
    result = runner.invoke(cli, ["export", "metric_series", "--param", f"metric={METRIC}",
                                 "--param", "competitors=alipay,wechat_pay", "--db", str(fixture_store)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["platform_id"] for r in rows} == {"alipay", "wechat_pay"}
    assert all(r["source_url"].startswith("http") and r["source_publisher"] for r in rows)


def test_export_to_file(runner, fixture_store, tmp_path):
    out = tmp_path / "x.csv"
    result = runner.invoke(cli, ["export", "platforms", "--out", str(out), "--db", str(fixture_store)])
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfplatform_id,")


@pytest.mark.parametrize("args, message", [
    (["export", "nope"], "unknown query 'nope'"),
    (["export", "metric_series", "--param", "metric"], "expected key=value"),
    (["export", "metric_series", "--param", "metric=x", "--param", "from=2020-02-30"], "not a date"),
])
def test_export_bad_input_exits_2(runner, fixture_store, args, message):
    result = runner.invoke(cli, [*args, "--db", str(fixture_store)])
    assert result.exit_code == 2
    assert message in result.output


def test_export_without_store_says_how_to_build(runner, tmp_path):
    result = runner.invoke(cli, ["export", "platforms", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 1
    assert "paylens build" in result.output


def test_snapshot_manifest_hashes_match_files(runner, fixture_store, fixture_data, tmp_path):
    out = tmp_path / "snap.zip"
    result = runner.invoke(cli, ["snapshot", "--param", "competitors=alipay,jd_pay", "--out", str(out),
                                 "--data", str(fixture_data), "--db", str(fixture_store)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["filters"]["competitors"] == "alipay,jd_pay"
        assert "competitors=alipay,jd_pay" in manifest["url"]
        assert len(manifest["build_id"]) == 64
        for entry in manifest["queries"]:
            data = zf.read(entry["file"])
            assert sha256(data) == entry["sha256"]
            assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1 == entry["rows"]
        assert sha256(zf.read("snapshot.xlsx")) == manifest["workbook"]["sha256"]
    assert set(manifest["data_files"]) >= {"data/metrics.csv", "data/platforms.csv", "data/events.csv"}
    assert manifest["data_files"]["data/metrics.csv"] == sha256((fixture_data / "metrics.csv").read_bytes())


def test_signals_json_lines(runner, fixture_data):
    seed = next((fixture_data / "articles").glob("*traffic-anxiety*"))
    result = runner.invoke(cli, ["signals", str(seed), "--json", "--data", str(fixture_data)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines
    body = seed.read_text(encoding="utf-8")
    for hit in lines:
        assert set(hit) == {"file", "platform", "signal", "stance", "evidence", "sentence_idx", "score", "rival"}
        assert hit["evidence"] in body
    assert {"traffic_focus", "ai_assistant"} <= {h["signal"] for h in lines}


def test_signals_bad_file_exits_2_naming_the_line(runner, fixture_data, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("title: x\ndate: 2020-13-45\n\nAlipay body.", encoding="utf-8")
    result = runner.invoke(cli, ["signals", str(bad), "--data", str(fixture_data)])
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.output


def test_queries_lists_every_query(runner):
    result = runner.invoke(cli, ["queries"])
    assert result.exit_code == 0 and "metric_series" in result.output and "signal_heatmap" in result.output


def _gold_file(path, rows):
    """A small labelled CSV in the gold format."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "split", "lang", "platform_context", "text", "labels", "source_url", "note"])
        writer.writerows(rows)
    return path


def test_eval_signals_reports_every_split_in_the_file(runner, tmp_path):
    gold = _gold_file(tmp_path / "g.csv", [
        ["a", "train", "en", "alipay", "Alipay launched an AI assistant.", "ai_assistant:alipay:neutral", "", ""],
        ["b", "dev", "en", "market", "The weather was fine.", "", "", ""],
    ])
    result = runner.invoke(cli, ["eval-signals", str(gold)])
    assert result.exit_code == 0, result.output
    assert "== split: train ==" in result.output and "== split: dev ==" in result.output
    assert "== split: test ==" not in result.output
    train = result.output.split("== split: dev ==")[0]
    assert "ai_assistant                    1    0    0  1.000  1.000  1.000" in train


def test_eval_signals_unknown_split_exits_2(runner, tmp_path):
    gold = _gold_file(tmp_path / "g.csv", [["a", "dev", "en", "market", "Nothing here.", "", "", ""]])
    result = runner.invoke(cli, ["eval-signals", str(gold), "--split", "test"])
    assert result.exit_code == 2
    assert "no rows with split 'test'" in result.output


def test_snapshot_workbook_has_a_sheet_per_chart_with_its_rows(runner, fixture_store, fixture_data, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "snap.zip"
    result = runner.invoke(cli, ["snapshot", "--param", "competitors=alipay,wechat_pay", "--out", str(out),
                                 "--data", str(fixture_data), "--db", str(fixture_store)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        book = load_workbook(io.BytesIO(zf.read("snapshot.xlsx")))
    rows = {e["file"].removesuffix(".csv"): e["rows"] for e in manifest["queries"]}
    assert book.sheetnames == [*rows, "About"]
    for name, n in rows.items():
        assert book[name].max_row - 1 == n or (n == 0 and book[name].max_row == 1), name
