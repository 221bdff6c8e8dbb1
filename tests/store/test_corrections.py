"""Corrections: data/corrections.csv validated like every input, applied at every build, counted in the store."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import duckdb
import pytest
from click.testing import CliRunner

from paylens import queries
from paylens.cli.main import cli
from paylens.config import settings
from paylens.errors import InputError
from paylens.store.build import build
from paylens.store.corrections import (
    COLUMNS,
    LEGACY_COLUMNS,
    Correction,
    apply_corrections,
    hit_key,
    parse_hit_key,
    read_corrections,
)
from tests.conftest import snapshot_tree

PLATFORMS = {"alipay", "wechat_pay"}
A = "0123456789abcdef"
HEADER = ",".join(LEGACY_COLUMNS) + "\n"  # the first version of the file: most rows below are written in it


def write(folder, *rows: str, header: str = HEADER) -> None:
    (folder / "corrections.csv").write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")


def fix(action="not_signal", stance="", idx=3, platform="alipay", signal="competitive_threat", when="2026-12-01",
        right=""):
    return Correction(A, idx, platform, signal, action, stance, "why", "ana", datetime.fromisoformat(when), right)


def hit(idx=3, platform="alipay", signal="competitive_threat", rival="", stance="neutral"):
    return {"article_id": A, "sentence_idx": idx, "platform_id": platform, "signal": signal, "stance": stance,
            "evidence": "x", "score": 0.9, "rival": rival}


def test_no_file_means_no_corrections(tmp_path):
    assert read_corrections(tmp_path, PLATFORMS) == []


def test_rows_are_read_typed(tmp_path):
    write(tmp_path, f"{A},3,alipay,ai_assistant,stance,negative,\"Qwen is Alibaba's, not Alipay's\",ana,"
                    "2026-12-01T10:00:00Z")
    [c] = read_corrections(tmp_path, PLATFORMS)
    assert c.key == (A, 3, "alipay", "ai_assistant")
    assert (c.action, c.stance, c.reason, c.who) == ("stance", "negative", "Qwen is Alibaba's, not Alipay's", "ana")
    assert c.corrected_at == datetime(2026, 12, 1, 10, 0)


@pytest.mark.parametrize(("row", "message"), [
    ("xyz,3,alipay,ai_assistant,not_signal,,why,ana,2026-12-01T10:00:00", "article_id 'xyz'"),
    (f"{A},-1,alipay,ai_assistant,not_signal,,why,ana,2026-12-01T10:00:00", "sentence_idx '-1'"),
    (f"{A},3,nobody,ai_assistant,not_signal,,why,ana,2026-12-01T10:00:00", "unknown platform_id 'nobody'"),
    (f"{A},3,alipay,vibes,not_signal,,why,ana,2026-12-01T10:00:00", "unknown signal 'vibes'"),
    (f"{A},3,alipay,ai_assistant,delete,,why,ana,2026-12-01T10:00:00", "action 'delete'"),
    (f"{A},3,alipay,ai_assistant,stance,,why,ana,2026-12-01T10:00:00", "stance '' is not one of"),
    (f"{A},3,alipay,ai_assistant,not_signal,negative,why,ana,2026-12-01T10:00:00", "stance is only given"),
    (f"{A},3,alipay,ai_assistant,not_signal,,,ana,2026-12-01T10:00:00", "reason is empty"),
    (f"{A},3,alipay,ai_assistant,not_signal,,=HYPERLINK(1),ana,2026-12-01T10:00:00", "formula"),
    (f"{A},3,alipay,ai_assistant,not_signal,,why,ana,yesterday", "corrected_at 'yesterday'"),
    (f"{A},3,alipay,ai_assistant,not_signal,,why,ana", "expected 9 fields"),
])
def test_bad_rows_name_file_and_line(tmp_path, row, message):
    write(tmp_path, f"{A},1,alipay,ai_assistant,not_signal,,fine,ana,2026-12-01T10:00:00", row)
    with pytest.raises(InputError) as err:
        read_corrections(tmp_path, PLATFORMS)
    assert any(p.startswith("data/corrections.csv:3: ") and message in p for p in err.value.problems), \
        err.value.problems


def test_every_bad_row_is_listed_and_a_bad_header_is_line_1(tmp_path):
    write(tmp_path, f"{A},3,nobody,ai_assistant,not_signal,,why,ana,2026-12-01T10:00:00",
          f"{A},4,alipay,vibes,not_signal,,why,ana,2026-12-01T10:00:00")
    with pytest.raises(InputError) as err:
        read_corrections(tmp_path, PLATFORMS)
    assert [p.split(": ")[0] for p in err.value.problems] == ["data/corrections.csv:2", "data/corrections.csv:3"]
    (tmp_path / "corrections.csv").write_text("who,why\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"data/corrections.csv:1: bad header"):
        read_corrections(tmp_path, PLATFORMS)


def test_apply_drops_restances_and_the_latest_correction_wins():
    hits = [hit(rival="wechat_pay"), hit(rival="jd_pay"), hit(idx=4), hit(idx=5, signal="ai_assistant")]
    fixes = [fix("stance", "negative", idx=3), fix("not_signal", idx=3, when="2026-12-02"),  # the later wins
             fix("stance", "positive", idx=4), fix("wrong_platform", idx=9)]                # 9: no such hit
    out, rows = apply_corrections(hits, fixes)
    assert [(h["sentence_idx"], h["signal"], h["stance"]) for h in out] == [(4, "competitive_threat", "positive"),
                                                                          (5, "ai_assistant", "neutral")]
    assert [(r["action"], r["applied"], r["hits"]) for r in rows] == [
        ("stance", False, 0), ("not_signal", True, 2), ("stance", True, 1), ("wrong_platform", False, 0)]


def test_rows_of_the_current_version_carry_the_right_platform(tmp_path):
    write(tmp_path, f"{A},3,alipay,traffic_focus,wrong_platform,,Tencent's red packets,ana,2026-12-01T10:00:00,"
                    "wechat_pay", f"{A},4,alipay,traffic_focus,not_signal,,no,ana,2026-12-01T10:00:00,",
          header=",".join(COLUMNS) + "\n")
    moved, dropped = read_corrections(tmp_path, PLATFORMS)
    assert (moved.action, moved.right_platform) == ("wrong_platform", "wechat_pay")
    assert (dropped.action, dropped.right_platform) == ("not_signal", "")


@pytest.mark.parametrize(("row", "message"), [
    (f"{A},3,alipay,ai_assistant,wrong_platform,,why,ana,2026-12-01T10:00:00,nobody", "unknown right_platform"),
    (f"{A},3,alipay,ai_assistant,wrong_platform,,why,ana,2026-12-01T10:00:00,alipay", "the hit's own platform"),
    (f"{A},3,alipay,ai_assistant,not_signal,,why,ana,2026-12-01T10:00:00,wechat_pay", "only given with action"),
    (f"{A},3,alipay,ai_assistant,wrong_platform,,why,ana,2026-12-01T10:00:00", "expected 10 fields"),
])
def test_bad_right_platforms_name_file_and_line(tmp_path, row, message):
    write(tmp_path, row, header=",".join(COLUMNS) + "\n")
    with pytest.raises(InputError) as err:
        read_corrections(tmp_path, PLATFORMS)
    assert any(p.startswith("data/corrections.csv:2: ") and message in p for p in err.value.problems), \
        err.value.problems


def test_apply_moves_a_hit_to_its_right_platform_without_doubling_it():
    hits = [hit(idx=3, rival="wechat_pay"), hit(idx=3, rival="jd_pay"), hit(idx=4, signal="traffic_focus"),
            hit(idx=4, platform="wechat_pay", signal="traffic_focus")]
    fixes = [fix("wrong_platform", idx=3, right="wechat_pay"),
             fix("wrong_platform", idx=4, signal="traffic_focus", right="wechat_pay")]
    out, rows = apply_corrections(hits, fixes)
    got = sorted((h["sentence_idx"], h["platform_id"], h["signal"], h["rival"], h["stance"]) for h in out)
    # the rival that is the right platform becomes unnamed; WeChat Pay's own hit at 4 is not doubled
    assert got == [(3, "wechat_pay", "competitive_threat", "", "neutral"),
                   (3, "wechat_pay", "competitive_threat", "jd_pay", "neutral"),
                   (4, "wechat_pay", "traffic_focus", "", "neutral")]
    assert [(r["right_platform"], r["applied"], r["hits"]) for r in rows] == [("wechat_pay", True, 2),
                                                                           ("wechat_pay", True, 1)]


def test_hit_keys_round_trip_and_bad_ones_are_input_errors():
    key = hit_key(A, 12, "alipay", "competitive_threat")
    assert parse_hit_key(key, PLATFORMS) == (A, 12, "alipay", "competitive_threat")
    with pytest.raises(InputError, match="HIT_KEY:1: .* is not article_id:sentence_idx:platform_id:signal"):
        parse_hit_key("abc", PLATFORMS)
    with pytest.raises(InputError, match="unknown platform_id"):
        parse_hit_key(f"{A}:1:nobody:ai_assistant", PLATFORMS)


# ------------------------------------------------------------------ end to end: CLI, file, build, store


@pytest.fixture
def store(data_copy, tmp_path):
    db = tmp_path / "s.duckdb"
    build(settings(data_copy, db))
    return data_copy, db


def _query(db, sql, *params):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _a_threat(db):
    return _query(db, "select article_id, sentence_idx, platform_id, signal, count(*) from signal_hits "
                      "where signal = 'competitive_threat' and rival <> '' group by all order by all limit 1")[0]


def test_correct_drops_a_hit_saves_the_file_and_counts_it(store):
    data, db = store
    article_id, idx, platform, signal, rows = _a_threat(db)
    key = hit_key(article_id, idx, platform, signal)
    result = CliRunner().invoke(cli, ["correct", key, "--not-signal", "--reason", "a list of names, not a threat",
                                      "--who", "ana", "--data", str(data), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{rows} hit{'s' if rows != 1 else ''} corrected by analysts" in result.output
    text = (data / "corrections.csv").read_text(encoding="utf-8")
    assert text.startswith(",".join(COLUMNS) + "\n")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["article_id"], row["sentence_idx"], row["platform_id"], row["signal"]) == (
        article_id, str(idx), platform, signal)
    assert (row["action"], row["stance"], row["reason"], row["who"]) == (
        "not_signal", "", "a list of names, not a threat", "ana")
    assert datetime.fromisoformat(row["corrected_at"]).year >= 2026
    left = "select count(*) from signal_hits where article_id = ? and sentence_idx = ? and platform_id = ? " \
           "and signal = ?"
    assert _query(db, left, article_id, idx, platform, signal) == [(0,)]
    assert _query(db, "select who, applied, hits from hit_corrections") == [("ana", True, rows)]
    # a rebuild from data/ alone reproduces the correction
    build(settings(data, db))
    assert _query(db, left, article_id, idx, platform, signal) == [(0,)]


def test_correct_stance_replaces_it_and_the_latest_wins(store):
    data, db = store
    article_id, idx, platform, signal, _ = _a_threat(db)
    key = hit_key(article_id, idx, platform, signal)
    for stance in ("positive", "negative"):
        result = CliRunner().invoke(cli, ["correct", key, "--stance", stance, "--reason", "reads the other way",
                                          "--who", "bo", "--data", str(data), "--db", str(db)])
        assert result.exit_code == 0, result.output
    stances = _query(db, "select distinct stance from signal_hits where article_id = ? and sentence_idx = ? "
                         "and platform_id = ? and signal = ?", article_id, idx, platform, signal)
    assert stances == [("negative",)]
    assert _query(db, "select stance, applied from hit_corrections order by stance") == [
        ("negative", True), ("positive", False)]


@pytest.mark.parametrize(("args", "message"), [
    (["--not-signal", "--wrong-platform"], "exactly one of"),
    ([], "exactly one of"),
    (["--not-signal", "--reason", " "], "reason is empty"),
    (["--not-signal", "--key", "0123456789abcdef:999:alipay:ai_assistant"], "no hit"),
])
def test_bad_corrections_exit_2_and_write_nothing(store, args, message):
    data, db = store
    article_id, idx, platform, signal, _ = _a_threat(db)
    key = hit_key(article_id, idx, platform, signal)
    if "--key" in args:
        key = args[args.index("--key") + 1]
        args = [a for a in args if a not in ("--key", key)]
    if "--reason" not in args:
        args = [*args, "--reason", "why"]
    before = snapshot_tree(data)
    result = CliRunner().invoke(cli, ["correct", key, *args, "--who", "ana", "--data", str(data), "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert snapshot_tree(data) == before


def test_correct_wrong_platform_moves_the_hit_and_upgrades_a_first_version_file(store):
    data, db = store
    article_id, idx, platform, signal, rows = _a_threat(db)
    write(data, f"{article_id},{idx},{platform},{signal},stance,negative,earlier,ana,2026-12-01T10:00:00Z")
    right = next(p for (p,) in _query(db, "select platform_id from platforms order by 1") if p != platform)
    key = hit_key(article_id, idx, platform, signal)
    result = CliRunner().invoke(cli, ["correct", key, "--wrong-platform", "--right-platform", right, "--reason",
                                      "about the other one", "--who", "bo", "--data", str(data), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"moved to {right}" in result.output
    lines = (data / "corrections.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS)  # rewritten whole in the current version, the earlier row kept
    assert lines[1] == f"{article_id},{idx},{platform},{signal},stance,negative,earlier,ana,2026-12-01T10:00:00,"
    assert lines[2].endswith(f",wrong_platform,,about the other one,bo,{lines[2].split(',')[8]},{right}")
    moved = "select count(*) from signal_hits where article_id = ? and sentence_idx = ? and platform_id = ? " \
            "and signal = ?"
    assert _query(db, moved, article_id, idx, platform, signal) == [(0,)]
    assert _query(db, moved, article_id, idx, right, signal)[0][0] >= 1
    assert _query(db, "select right_platform, applied, hits from hit_corrections where applied") == [
        (right, True, rows)]
    # the pages list it for either platform: the one it left and the one it moved to
    con = duckdb.connect(str(db), read_only=True)
    try:
        for chosen in (platform, right):
            listed = queries.run(con, "hit_corrections", {"competitors": [chosen]})
            assert list(listed[listed["action"] == "wrong_platform"]["right_platform"]) == [right], chosen
        # and its evidence card says who moved it and why
        cards = queries.run(con, "signal_evidence", {"signal": signal, "platform": right, "stance": "",
                                                     "competitors": "", "from": "1900-01-01", "to": "2100-12-31",
                                                     "limit": 5000})
        mine = cards[(cards["article_id"] == article_id) & (cards["sentence_idx"] == idx)]
        assert set(mine["moved_by"]) == {"bo"} and set(mine["moved_why"]) == {"about the other one"}
        assert cards.drop(mine.index)["moved_by"].isna().all()
    finally:
        con.close()


@pytest.mark.parametrize(("args", "message"), [
    (["--stance", "negative", "--right-platform", "wechat_pay"], "goes with --wrong-platform"),
    (["--wrong-platform", "--right-platform", "nobody"], "unknown right_platform 'nobody'"),
])
def test_bad_right_platforms_exit_2_and_write_nothing(store, args, message):
    data, db = store
    key = hit_key(*_a_threat(db)[:4])
    before = snapshot_tree(data)
    result = CliRunner().invoke(cli, ["correct", key, *args, "--reason", "why", "--who", "ana", "--data", str(data),
                                      "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert snapshot_tree(data) == before


def test_a_bad_corrections_file_stops_the_build_with_its_line(store):
    data, db = store
    write(data, f"{A},3,nobody,ai_assistant,not_signal,,why,ana,2026-12-01T10:00:00")
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--db", str(db)])
    assert result.exit_code == 2
    assert "data/corrections.csv:2: unknown platform_id 'nobody'" in result.stderr
