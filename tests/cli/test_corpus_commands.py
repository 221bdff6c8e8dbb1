"""`paylens search` through click's runner: results, JSON lines, filters, bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from tests.search.corpus import build_store, make_search_data


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    data = make_search_data(tmp_path_factory.mktemp("cli_search") / "data")
    return data, build_store(data, tmp_path_factory.mktemp("cli_search_store") / "paylens.duckdb")


def _run(env, *args):
    data, db = env
    return CliRunner().invoke(cli, ["search", *args, "--data", str(data), "--db", str(db)])


def test_search_prints_sentences_with_their_article(env):
    result = _run(env, "碰一下", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "碰一下" in result.output and "https://example.com/zh/zhixiaobao" in result.output


def test_search_json_lines_with_filters(env):
    result = _run(env, "tap to pay", "--json", "--param", "platform=alipay", "--param", "signal=touchless_subsidy")
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert rows and all(r["platform_id"] == "alipay" and r["signal"] == "touchless_subsidy" for r in rows)
    assert {"sentence", "stance", "publisher", "date", "url", "article_id"} <= set(rows[0])


@pytest.mark.parametrize("args, message", [
    (("the of",), "no words to search for"),
    (("alipay", "--param", "metric=x"), "search takes"),
    (("alipay", "--param", "from=2020-02-30"), "not a date"),
])
def test_bad_input_exits_2(env, args, message):
    result = _run(env, *args)
    assert result.exit_code == 2 and message in result.output
