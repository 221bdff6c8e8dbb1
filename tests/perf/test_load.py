"""paylens.perf.load: the websocket client reads Streamlit's ForwardMsgs and writes the BackMsg a browser sends
(no server, no timing)."""

from __future__ import annotations

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from paylens.perf.load import Session, competitor_sets


def _competitors_delta() -> bytes:
    msg = ForwardMsg()
    widget = msg.delta.new_element.multiselect
    widget.id = "$$ID-abc-f_competitors"
    widget.label = "Competitors"
    widget.options.extend(["Alipay", "WeChat Pay", "JD Pay"])
    return msg.SerializeToString()


def test_a_page_run_is_read_until_script_finished():
    s = Session("metrics")
    nav = ForwardMsg()
    nav.navigation.page_script_hash = "pagehash"
    page = ForwardMsg()
    page.page_info_changed.query_string = "competitors=alipay&from=2010-01-01"
    done = ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY)
    assert s.absorb(nav.SerializeToString()) is None
    assert s.absorb(_competitors_delta()) is None
    assert s.absorb(page.SerializeToString()) is None
    assert s.absorb(done.SerializeToString()) == ForwardMsg.FINISHED_SUCCESSFULLY
    assert (s.page_hash, s.competitors_id, s.options) == ("pagehash", "$$ID-abc-f_competitors",
                                                          ["Alipay", "WeChat Pay", "JD Pay"])
    assert s.query_string.startswith("competitors=alipay")
    assert s.errors == []


def test_a_filter_change_sends_the_widget_state_page_and_cached_hashes():
    s = Session("signals")
    first = BackMsg()
    first.ParseFromString(s.rerun())
    assert first.rerun_script.page_name == "signals" and not first.rerun_script.widget_states.widgets
    big = ForwardMsg(hash="h1")
    big.metadata.cacheable = True
    big.delta.new_element.markdown.body = "x"
    s.absorb(big.SerializeToString())
    s.absorb(_competitors_delta())
    nav = ForwardMsg()
    nav.navigation.page_script_hash = "sig"
    s.absorb(nav.SerializeToString())
    change = BackMsg()
    change.ParseFromString(s.rerun(["Alipay", "JD Pay"]))
    state = change.rerun_script
    assert state.page_script_hash == "sig" and state.page_name == ""
    assert list(state.cached_message_hashes) == ["h1"]
    (widget,) = state.widget_states.widgets
    assert widget.id == "$$ID-abc-f_competitors"
    assert list(widget.string_array_value.data) == ["Alipay", "JD Pay"]


def test_errors_on_the_page_and_unknown_references_are_counted():
    s = Session("metrics")
    boom = ForwardMsg()
    boom.delta.new_element.exception.type = "ValueError"
    boom.delta.new_element.exception.message = "bad"
    alert = ForwardMsg()
    alert.delta.new_element.alert.format = Alert.Format.ERROR
    alert.delta.new_element.alert.body = "store missing"
    info = ForwardMsg()
    info.delta.new_element.alert.format = Alert.Format.INFO
    info.delta.new_element.alert.body = "pick a competitor"
    for msg in (boom, alert, info, ForwardMsg(ref_hash="never-sent")):
        s.absorb(msg.SerializeToString())
    assert len(s.errors) == 3
    assert any("ValueError" in e for e in s.errors) and any("store missing" in e for e in s.errors)


def test_cached_messages_expire_after_two_runs_unless_referenced():
    s = Session("metrics")
    big = ForwardMsg(hash="old")
    big.metadata.cacheable = True
    big.delta.new_element.markdown.body = "x"
    s.absorb(big.SerializeToString())
    done = ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY).SerializeToString()
    for _ in range(3):
        s.absorb(done)
    assert "old" not in s.cached


def test_miss_mode_gives_new_sets_and_cycle_mode_the_bench_sets():
    names = {p: p.upper() for p in ("alipay", "wechat_pay", "jd_pay", "unionpay", "lakala", "douyin_pay", "x")}
    miss = competitor_sets(names, 0, "miss")
    sets = [tuple(sorted(next(miss))) for _ in range(20)]
    assert len(set(sets)) > 10 and all(2 <= len(c) <= 6 for c in sets)
    cycle = competitor_sets(names, 0, "cycle")
    assert next(cycle) == ["alipay", "wechat_pay"]
