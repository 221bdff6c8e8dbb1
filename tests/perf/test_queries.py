"""paylens bench: a smoke run on a tiny synthetic store prints one JSON object with every key (no timing asserts)."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from paylens import queries
from paylens.charts.tables import ARTICLES_PER_PAGE
from paylens.cli.main import cli
from paylens.perf import queries as bench
from paylens.perf.synth import synthesize
from paylens.store.reader import open_store


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("bench") / "tiny.duckdb"
    synthesize(db, 5_000, 30, seed=1)
    return db


def test_bench_json_has_every_key(tiny_store):
    result = CliRunner().invoke(cli, ["bench", "--db", str(tiny_store), "--json", "--repeat", "1",
                                      "--warm-runs", "1", "--naive-runs", "1", "--signals-seconds", "0.2",
                                      "--min-sample-seconds", "0"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for key in ("queries", "pages", "signals_articles_per_s", "build_s", "peak_rss_mb", "naive"):
        assert key in report
    variants = {"articles_list:last_page", "articles_list:every_row"} | {
        f"{name}:{days}_days" for name in bench.DIGEST_QUERIES for days in bench.DIGEST_WINDOW_DAYS}
    assert {q["name"] for q in report["queries"]} == set(queries.load_all()) | variants
    rows = {q["name"]: q["rows"] for q in report["queries"]}
    con = open_store(tiny_store)
    try:
        sample = bench.representative_params(con)
        shared = {k: sample[k] for k in ("competitors", "from", "to")}
        total = int(queries.run(con, "articles_count", shared).iloc[0, 0])
    finally:
        con.close()
    assert 0 < total == rows["articles_list:every_row"], "every row: what the CSV gives"
    assert rows["articles_list"] == rows["articles_list:last_page"] == min(total, ARTICLES_PER_PAGE)
    # the Overview's windows end on the newest article, so the 30-day digest lists at least that one
    assert 0 < rows["digest_articles:30_days"] <= rows["digest_articles:365_days"] <= rows["digest_articles"]
    for q in report["queries"]:
        assert set(q) == {"name", "rows", "p50_ms", "p95_ms", "raw_p50_ms", "raw_p95_ms", "ratio"}
    assert {p["page"] for p in report["pages"]} == set(bench.page_files())
    for p in report["pages"]:
        assert {"page", "cold_ms", "warm_p95_ms"} <= set(p)
        assert "errors" not in p, p
    assert {"p95_ms", "peak_rss_mb"} <= set(report["naive"])
    assert report["naive"]["p95_ms"] is not None
    assert report["naive"]["rows"] == next(q["rows"] for q in report["queries"] if q["name"] == "metric_series")
    assert report["build_s"] is not None and report["signals_articles_per_s"] > 0


def test_bench_can_build_first_and_prints_a_table(tmp_path):
    db = tmp_path / "built.duckdb"
    result = CliRunner().invoke(cli, ["bench", "--db", str(db), "--build-rows", "2000", "--build-articles", "5",
                                      "--repeat", "1", "--no-pages", "--no-naive", "--signals-seconds", "0.1",
                                      "--min-sample-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert "metric_series" in result.output and "measured" in result.output
    # the long variant names keep the columns lined up: every row's ratio ends where the header's does
    table = result.output.split("\n\n")[1].splitlines()
    assert len({len(line) for line in table}) == 1, table


def test_bench_build_rows_refuses_a_foreign_file_as_bad_input(tmp_path):
    db = tmp_path / "notes.duckdb"
    db.write_bytes(b"not a store")
    result = CliRunner().invoke(cli, ["bench", "--db", str(db), "--build-rows", "10", "--no-pages", "--no-naive"])
    assert result.exit_code == 2 and "not a synthetic" in result.output
    assert db.read_bytes() == b"not a store"


def test_a_crashed_synth_child_is_exit_1_not_bad_input(tmp_path, monkeypatch):
    def crashed(args, **kwargs):
        return subprocess.CompletedProcess(args, -9, "", "Traceback (most recent call last):\nMemoryError")

    monkeypatch.setattr(bench.subprocess, "run", crashed)
    result = CliRunner().invoke(cli, ["bench", "--db", str(tmp_path / "s.duckdb"), "--build-rows", "10",
                                      "--no-pages", "--no-naive"])
    assert result.exit_code == 1, result.output
    assert "synth failed in its child process: MemoryError" in result.output


def test_bench_needs_a_store(tmp_path):
    result = CliRunner().invoke(cli, ["bench", "--db", str(tmp_path / "missing.duckdb"), "--json"])
    assert result.exit_code == 1 and "paylens synth" in result.output


def test_percentile_is_nearest_rank():
    assert bench.percentile([5, 1, 4, 2, 3], 50) == 3
    assert bench.percentile(list(range(1, 21)), 95) == 19
