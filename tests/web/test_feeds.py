"""`paylens watch`: feeds in, on-topic new items ingested, every run logged; a bad feed or page stops nothing."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest
from click.testing import CliRunner

from paylens.cli.main import cli
from paylens.config import PROJECT_ROOT
from paylens.errors import InputError
from paylens.web.feeds import TopicFilter, load_feeds, parse_duration, parse_feed
from tests.web import site
from tests.web.conftest import tree_hash

LEXICON = PROJECT_ROOT / "data" / "lexicon"


@pytest.fixture(scope="module")
def topic() -> TopicFilter:
    return TopicFilter(LEXICON)


@pytest.mark.parametrize(("title", "lead", "verdict"), [
    ("Alipay widens its tap-to-pay push", "", "yes"),
    ("Merchants get new subsidies", "WeChat Pay cut fees for small merchants on Monday.", "yes"),
    ("支付宝碰一下继续补贴", "", "yes"),
    ("雲閃付推出跨境支付新功能", "", "yes"),  # traditional script, folded to the simplified alias
    ("City beat United 3-1 in a derby full of late drama", "Two late goals settle the derby.", "no"),
    ("一群蚂蚁搬家的纪录片", "", "no"),  # 蚂蚁 alone means ants; it needs a payment word beside it
    ("蚂蚁集团发布新的支付产品", "", "yes"),
    ("Ant colonies in the garden", "", "no"),
    ("Why mobile payment fees matter for small shops", "", "maybe"),
])
def test_headline_verdict(topic, title, lead, verdict):
    assert topic.headline_verdict(title, lead) == verdict


def test_body_needs_repeated_mentions_near_payment_words(topic):
    once = " ".join(site.FOOTBALL_PARAGRAPHS)  # one sponsor mention of Alipay: a passing mention
    assert not topic.about("Stadium gates", "", once)
    twice = ("Small shops pay mobile payment fees. Alipay payment fees fell this year. "
             "Many shops said WeChat Pay payment costs rose.")
    assert topic.about("Why mobile payment fees matter", "", twice)


def test_load_feeds_and_errors(tmp_path):
    good = tmp_path / "feeds.toml"
    good.write_text('[[feed]]\nname = "A"\nurl = "https://a.example/rss"\n\n[[feed]]\nname = "B"\n'
                    'url = "https://b.example/atom"\n', encoding="utf-8")
    assert [f.name for f in load_feeds(good)] == ["A", "B"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nname = "A"\nurl = "ftp://a.example/rss"\n\n[[feed]]\nurl = "https://x"\n',
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_feeds(bad)
    assert len(err.value.problems) == 2 and "only http and https" in err.value.problems[0]
    broken = tmp_path / "broken.toml"
    broken.write_text("[[feed]\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        load_feeds(broken)


def test_the_starter_feeds_file_is_valid():
    feeds = load_feeds(PROJECT_ROOT / "data" / "feeds.toml")
    assert len(feeds) >= 6 and all(f.url.startswith(("https://", "http://")) for f in feeds)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in f.name) for f in feeds)  # Chinese outlets too


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("30m", 1800), ("6h", 21600), ("1d", 86400),
                                               ("45", 45)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0h", "six hours", "-1h", "5w"])
def test_parse_duration_refuses(text):
    with pytest.raises(InputError):
        parse_duration(text)


def test_parse_rss_and_atom():
    rss = parse_feed(site.rss("http://h"), "http://h/rss")
    assert [i.title for i in rss][:2] == [site.EN_TITLE, site.ZH_GBK_TITLE] and len(rss) == 5
    atom = parse_feed(site.atom("http://h"), "http://h/atom")
    assert atom[0].link == "http://h/zh/big5-crossborder.html" and atom[0].lead == "雲閃付跨境支付。"


@pytest.fixture
def env(data_copy, fixture_store, tmp_path, allow_private, web_site):
    db = tmp_path / "store" / "paylens.duckdb"
    db.parent.mkdir()
    shutil.copy(fixture_store, db)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "Example RSS"\nurl = "{web_site}/feeds/rss.xml"\n\n'
                     f'[[feed]]\nname = "範例 Atom"\nurl = "{web_site}/feeds/atom.xml"\n\n'
                     f'[[feed]]\nname = "Broken"\nurl = "{web_site}/feeds/broken.xml"\n\n'
                     f'[[feed]]\nname = "Gone"\nurl = "{web_site}/feeds/gone.xml"\n', encoding="utf-8")
    return data_copy, db, feeds


def watch(data, db, feeds, *args):
    return CliRunner().invoke(cli, ["watch", *args, "--feeds", str(feeds), "--data", str(data), "--db", str(db)])


def runs_csv(data):
    with (data / "intake" / "feed_runs.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_watch_once(env, web_site):
    data, db, feeds = env
    before = {p.name for p in (data / "articles").iterdir()}
    res = watch(data, db, feeds, "--once")
    assert res.exit_code == 0, res.output
    added = {p.name for p in (data / "articles").iterdir()} - before
    assert added == {"2025-03-04-alipay-widens-its-tap-to-pay-push-with-new-merchant.md", "2025-03-05-zh-gbk-fees.md",
                     "2025-04-10-zh-big5-crossborder.md"}  # no football, no generic fees story, no repost
    rows = {r["feed"]: r for r in runs_csv(data)}
    counts = {k: tuple(int(r[c]) for c in ("items_seen", "added", "skipped_duplicate", "skipped_off_topic", "errors"))
              for k, r in rows.items()}
    assert counts == {"Example RSS": (5, 2, 0, 2, 1), "範例 Atom": (3, 1, 2, 0, 0), "Broken": (0, 0, 0, 0, 1),
                      "Gone": (0, 0, 0, 0, 1)}
    assert f"{web_site}/missing: HTTP 404" in rows["Example RSS"]["error_detail"]
    assert "not an RSS or Atom feed" in rows["Broken"]["error_detail"]
    assert f"{web_site}/missing: HTTP 404" in res.output  # errors on stderr too
    also_in = (data / "intake" / "also_in.csv").read_text(encoding="utf-8")
    assert "/repost/alipay-tap-story.html" in also_in
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select feed, added, errors from feed_runs order by feed").fetchall() == [
            ("Broken", 0, 1), ("Example RSS", 2, 1), ("Gone", 0, 1), ("範例 Atom", 1, 0)]
        assert con.execute("select count(*) from articles where fetched_at is not null").fetchone() == (3,)
        assert con.execute("select count(*) from article_sources").fetchone() == (1,)
    finally:
        con.close()


def test_a_second_run_adds_nothing_and_is_logged(env):
    data, db, feeds = env
    assert watch(data, db, feeds, "--once").exit_code == 0
    articles = sorted(p.name for p in (data / "articles").iterdir())
    also_in = (data / "intake" / "also_in.csv").read_bytes()
    res = watch(data, db, feeds, "--once")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (data / "articles").iterdir()) == articles
    assert (data / "intake" / "also_in.csv").read_bytes() == also_in
    second = runs_csv(data)[4:]
    assert [int(r["added"]) for r in second] == [0, 0, 0, 0]
    assert [int(r["skipped_duplicate"]) for r in second] == [2, 3, 0, 0]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*), count(distinct run_at) from feed_runs").fetchone() == (8, 2)
    finally:
        con.close()


def test_every_feed_failing_exits_1_but_is_logged(env, web_site, tmp_path):
    data, db, _ = env
    feeds = tmp_path / "down.toml"
    feeds.write_text(f'[[feed]]\nname = "Gone"\nurl = "{web_site}/feeds/gone.xml"\n', encoding="utf-8")
    res = watch(data, db, feeds, "--once")
    assert res.exit_code == 1 and "HTTP 404" in res.output
    assert [r["feed"] for r in runs_csv(data)] == ["Gone"]


@pytest.mark.parametrize("args", [[], ["--once", "--interval", "6h"], ["--interval", "soon"]])
def test_watch_needs_once_or_an_interval(env, args):
    data, db, feeds = env
    state = tree_hash(data, db)
    res = watch(data, db, feeds, *args)
    assert res.exit_code == 2
    assert tree_hash(data, db) == state


def test_a_bad_feeds_file_changes_nothing(env, tmp_path):
    data, db, _ = env
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nname = "x"\nurl = "gopher://x"\n', encoding="utf-8")
    state = tree_hash(data, db)
    res = watch(data, db, bad, "--once")
    assert res.exit_code == 2 and "only http and https" in res.output
    assert tree_hash(data, db) == state


def test_interval_runs_again_after_sleeping(env, monkeypatch):
    import time

    data, db, feeds = env
    naps = []

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt  # stop the loop after two passes

    monkeypatch.setattr(time, "sleep", sleep)
    res = watch(data, db, feeds, "--interval", "30m")
    assert res.exit_code == 1  # click turns the interrupt into "Aborted!"
    assert naps == [1800, 1800]
    assert len(runs_csv(data)) == 8  # two passes of four feeds each, logged before each sleep
