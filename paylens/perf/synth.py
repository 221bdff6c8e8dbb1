"""Deterministic synthetic stores for scale tests, generated inside DuckDB and flagged synthetic.

The store has the same schema and build-time aggregates as a real build (schema.sql, aggregates.sql), so
every named query runs on it. Values come from hash-based SQL over range(): the same seed and sizes give
the same rows. A synthetic store never mixes with real data and is never written to the live store path.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from paylens.config import PROJECT_ROOT, settings
from paylens.errors import InputError, StoreError
from paylens.signals.taxonomy import SIGNAL_IDS, STANCES
from paylens.store.build import AGGREGATES, SCHEMA, lock_for
from paylens.store.catalogue import FAMILY_RULES, describe
from paylens.store.reader import open_store
from paylens.store.sources import read_platforms
from paylens.store.swap import clean_temp_files, replacing
from paylens.url_state import DEFAULT_COMPETITORS, DEFAULT_VIEW

SYNTH_VERSION = 1
DEFAULT_METRIC_ROWS = 10_000_000
DEFAULT_ARTICLES = 100_000
N_METRICS = 200
SYNTHETIC_PLATFORMS = ("synthetic_1", "synthetic_2", "synthetic_3")
SERIES_END = date(2025, 12, 31)      # every series ends here (fixed, so builds are reproducible)
ARTICLE_START = date(2015, 1, 1)
ARTICLE_DAYS = (SERIES_END - ARTICLE_START).days + 1
CHUNK = 1024                         # rows generated per work item (parallelism for the big insert; 64 made the
                                     # work list 1.56M rows of series text at 100M rows, 0.7 GB before any value)
CHUNK_ROWS = 5_000_000               # metric rows per transaction: what bounds the build's memory
# DuckDB's own cap for the build (its sorts, joins and aggregates spill to disk beyond it; default: 80% of RAM).
# With the fixed-size chunks below it is what keeps the build's peak memory flat in the store's size.
MEMORY_LIMIT = "1GB"
ARTICLE_CHUNK = 25_000               # articles generated per slice of dates (their bodies are joined in memory)
DAILY_WEIGHT = 30                    # a daily series gets ~30 rows for every row of a monthly one
ALWAYS = DEFAULT_COMPETITORS               # platforms in every series: the default view is never empty
# The metric the Metrics page opens on is daily here, so the first page shows thousands of points.
FORCED_DAILY = (DEFAULT_VIEW["metric"], "app_mau_questmobile")
FAMILY_UNIT = {
    "Market share": "percent", "Users": "million_users", "Payment volume": "trillion_cny",
    "Finance": "billion_cny", "Touchless (tap)": "million_users", "AI": "million_users",
    "Merchants & ecosystem": "million_merchants", "Cross-border & growth": "percent_growth",
    "App & features": "million_interactions", "Other": "cny",
}
FIRM_SUFFIXES = ("analysys", "iresearch", "questmobile", "")
PUBLISHERS = ("Synthetic Research A", "Synthetic Research B", "Synthetic Wire", "Synthetic Statistics Office",
              "Synthetic Daily", "Synthetic Analytics")
EVENT_CATEGORIES = ("feature_launch", "market_structure", "cross_border", "regulation", "subsidy",
                    "social_content", "partnership", "ai_assistant", "touchless_payment")
# One English and one Chinese phrase per signal; {p} is the platform's name.
SIGNAL_PHRASES = {
    "touchless_subsidy": ("{p} keeps paying merchants cash-back to push tap-to-pay and NFC devices",
                          "{p}继续补贴商户推广碰一下支付"),
    "ai_assistant": ("{p} is putting an AI assistant and agent payments at the centre of its app",
                     "{p}把AI助手和智能体支付放在应用中心"),
    "feature_sprawl": ("{p} added yet another batch of mini-programs and redesigned its home page again",
                       "{p}又一次改版首页并增加了大量小程序"),
    "social_content": ("{p} is testing short video feeds, live streaming and creator content",
                       "{p}正在测试短视频、直播和创作者内容"),
    "traffic_focus": ("{p} is chasing user time and daily active users for their own sake",
                      "{p}一味追求流量和日活"),
    "b_end_empowerment": ("{p} gave merchants new digital operations tools on its open platform",
                          "{p}为商家提供开放平台上的数字化经营工具"),
    "ecosystem_dependence": ("{p} still depends on its parent group's ecosystem for traffic",
                             "{p}仍然依赖母公司生态获取流量"),
    "competitive_threat": ("A rival's move puts {p} under heavy competitive pressure",
                           "竞争对手的动作让{p}面临激烈竞争"),
    "regulatory_pressure": ("Regulators ordered {p} to rectify its business and pay a fine",
                            "监管部门要求{p}整改并处以罚款"),
    "user_experience_complaints": ("Users complain that {p} is cluttered with ads and pop-ups",
                                   "用户抱怨{p}广告和弹窗太多"),
}
STANCE_CLAUSE = {
    "positive": (", which analysts call a smart and successful step", "，分析师认为这是成功的一步"),
    "negative": (", which analysts call a costly mistake", "，分析师认为这是代价高昂的错误"),
    "neutral": (", according to the company", "，公司表示"),
}
FILLERS = (
    ("The synthetic market report covers {p} and several rivals across many cities.",
     "这份合成报告覆盖了{p}和多家竞争对手。"),
    ("Figures for {p} in this synthetic dispatch are generated for load testing only.",
     "本合成稿件中关于{p}的数字仅用于压力测试。"),
    ("Observers expect {p} to publish more numbers next quarter.", "观察人士预计{p}下季度将公布更多数据。"),
    ("The company behind {p} declined to comment on the details.", "{p}背后的公司拒绝就细节置评。"),
)


@dataclass(frozen=True)
class SynthResult:
    """What a synthetic build wrote."""

    db_path: Path
    build_id: str
    counts: dict[str, int]
    seconds: float


def live_paths() -> set[Path]:
    """Store paths a synthetic build must never write: the default live store (repo and $PAYLENS_DATA)."""
    paths = {(PROJECT_ROOT / "data" / "build" / "paylens.duckdb").resolve()}
    paths.add(settings(db_path=settings().data_dir / "build" / "paylens.duckdb").db_path.resolve())
    return paths


def check_target(path: Path) -> None:
    """Refuse the live store path and any existing file that is not a synthetic PayLens store."""
    resolved = path.resolve()
    if resolved in live_paths():
        raise InputError(f"{path}:1: refusing to write synthetic data to the live store path; "
                         "pass another --db (e.g. data/build/synth.duckdb)")
    if not resolved.exists():
        return
    try:
        con = open_store(resolved)
        try:
            row = con.execute("select bool_and(synthetic) from build_info").fetchone()
        finally:
            con.close()
    except (duckdb.Error, StoreError):  # not a DuckDB file, or no build_info: not ours
        row = None
    if not row or row[0] is not True:
        raise InputError(f"{path}:1: refusing to overwrite a file that is not a synthetic PayLens store")


def synth_build_id(metric_rows: int, articles: int, seed: int) -> str:
    """Deterministic build id: the generator version, sizes and seed."""
    text = f"paylens-synth:v{SYNTH_VERSION}:rows={metric_rows}:articles={articles}:seed={seed}"
    return "synthetic-" + hashlib.sha256(text.encode()).hexdigest()[:48]


def _h(seed: int, *parts: object) -> int:
    """A stable 64-bit hash for the small Python-side choices."""
    digest = hashlib.sha256(":".join(str(p) for p in (seed, *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _platforms(data_dir: Path) -> pd.DataFrame:
    rows = read_platforms(data_dir)
    for i, pid in enumerate(SYNTHETIC_PLATFORMS, start=1):
        rows.append({"platform_id": pid, "name": f"Synthetic platform {i} (scale test)",
                     "short_name": f"Synthetic {i}", "name_zh": f"合成平台{i}", "operator": "synthetic",
                     "parent_group": None, "launched": None, "notes": "Synthetic platform for scale tests.",
                     "kind": "payment"})
    return pd.DataFrame(rows)


def _real_metric_units(data_dir: Path) -> dict[str, list[str]]:
    df = pd.read_csv(data_dir / "metrics.csv", usecols=["metric", "unit"], dtype=str)
    return {m: sorted(set(g)) for m, g in df.groupby("metric")["unit"]}


def _catalogue(data_dir: Path, seed: int) -> pd.DataFrame:
    """The real metric ids (so pages' defaults exist) plus synthetic ones up to N_METRICS, across families."""
    units = _real_metric_units(data_dir)
    names = sorted(units)[:N_METRICS]
    keywords = [(fam, needles[0]) for fam, needles in FAMILY_RULES] + [("Other", "misc")]
    k = 0
    while len(names) < N_METRICS:
        family, needle = keywords[k % len(keywords)]
        firm = FIRM_SUFFIXES[_h(seed, "firm", k) % len(FIRM_SUFFIXES)] if family == "Market share" else ""
        name = f"synthetic_{needle.strip('_')}_{k:03d}" + (f"_{firm}" if firm else "")
        units[name] = [FAMILY_UNIT.get(describe(name).family, "cny")]
        names.append(name)
        k += 1
    rows = []
    for m in sorted(names):
        info = describe(m)
        rows.append({"metric": m, "label": info.label, "family": info.family, "research_firm": info.research_firm,
                     "unit": ",".join(units[m]), "headline": info.headline, "description": info.description})
    return pd.DataFrame(rows)


def _series(catalogue: pd.DataFrame, platform_ids: list[str], metric_rows: int, seed: int) -> pd.DataFrame:
    """One row per (metric, platform) series, in sort order, with its length; lengths sum to metric_rows."""
    rows = []
    for rec in catalogue.itertuples(index=False):
        daily = rec.metric in FORCED_DAILY or _h(seed, "daily", rec.metric) % 3 != 0
        units = rec.unit.split(",")
        for pid in platform_ids:
            keep = pid in ALWAYS or _h(seed, "pair", rec.metric, pid) % 100 < 60
            if not keep:
                continue
            rows.append({"metric": rec.metric, "platform_id": pid, "daily": daily,
                         "unit": units[_h(seed, "unit", rec.metric, pid) % len(units)],
                         "percent": units[0].startswith("percent"),
                         "base": 1 + _h(seed, "base", rec.metric, pid) % 5000 / 100.0,
                         "growth": (_h(seed, "growth", rec.metric, pid) % 200 - 50) / 100.0,
                         "publisher": (rec.research_firm if isinstance(rec.research_firm, str)
                                       else PUBLISHERS[_h(seed, "pub", rec.metric) % len(PUBLISHERS)]),
                         "title_prefix": f"Synthetic {rec.metric} for {pid}, ",
                         "url_prefix": f"https://synthetic.invalid/{rec.metric}/{pid}/"})
    series = pd.DataFrame(rows).sort_values(["metric", "platform_id"], kind="stable").reset_index(drop=True)
    weights = series["daily"].map({True: DAILY_WEIGHT, False: 1}).astype("int64")
    total = int(weights.sum())
    share = weights * metric_rows // total
    # monthly series first, then largest remainders, so small stores still get monthly series (by remainders
    # alone, whether the monthly or the daily ones come first flips with the number of platforms)
    order = sorted(range(len(series)),
                   key=lambda i: (int(weights[i]) != 1, -(int(weights[i]) * metric_rows % total), i))
    for i in order[:metric_rows - int(share.sum())]:
        share[i] += 1
    series["len"] = share.astype("int64")
    series = series[series["len"] > 0].reset_index(drop=True)
    series["row0"] = series["len"].cumsum() - series["len"]
    series["seed_sid"] = [_h(seed, "sid", i) >> 2 for i in range(len(series))]
    return series


METRIC_VALUES_SQL = """
insert into metric_values by name
with rows as (
    select c.*, unnest(range(c.t0, least(c.t0 + $chunk, c.len))) as t
    from synth_chunks c
    where c.row0 + c.t0 >= $lo and c.row0 + c.t0 < $hi
),
dated as (
    select *,
           case when daily then $end::date - (len - 1 - t)::integer
                else (date_trunc('month', $end::date) - to_months((len - 1 - t)::integer))::date end as d,
           hash(seed_sid, t) as h
    from rows
)
select platform_id, metric,
       case when daily then d::varchar else left(d::varchar, 7) end as period,
       d as period_start,
       case when daily then d else last_day(d) end as period_end,
       round(case when percent
                  then least(99.0, greatest(0.1, base * (1 + growth * t / len * 0.5)
                                                   * (1 + 0.05 * sin(t / 9.0) + 0.02 * ((h % 1000) / 1000.0 - 0.5))))
                  else base * 10 * (1 + growth * t / len)
                       * (1 + 0.08 * sin(t / 9.0) + 0.04 * ((h % 1000) / 1000.0 - 0.5)) end, 3) as value,
       unit,
       publisher as source_publisher,
       title_prefix || year(d) as source_title,
       url_prefix || year(d) as source_url,
       period_end + (1 + h % 20)::integer as source_day,  -- period_end: the alias above (published 1-20 days later)
       source_day::varchar as source_date,
       case when h % 10 < 2 then 'reported' when h % 10 < 7 then 'secondary' else 'approximate' end as confidence,
       'synthetic' as note,
       'synthetic' as source_file,
       (row0 + t + 1)::integer as source_line,
       true as synthetic
from dated
"""  # rows come out in (metric, platform_id, period_end) order already: series are sorted and t ascends

META_SQL = """
create temp table synth_meta as
with arts as (
    select a, hash($seed, a, 'art') as h
    from range($n_articles) r(a)
)
select a, h,
       $start::date + (h % $days)::integer as d,
       case when h % 3 = 0 then 2 else 1 end as lang_i,
       10 + (hash($seed, a, 'n') % 11)::integer as n_sent,
       $main[1 + (hash($seed, a, 'p') % len($main))::integer] as main_pid,
       $pids[1 + (hash($seed, a, 'q') % len($pids))::integer] as other_pid
from arts
"""

SENTENCES_SQL = """
create or replace temp table sentences as
with sents as (
    select m.*, unnest(range(m.n_sent)) as j
    from synth_meta m
    where m.d between $d_lo and $d_hi
),
picked as (
    select *, hash($seed, a, j, 's') as hs
    from sents
)
select a, d, lang_i, main_pid, j,
       case when j = 0 then null when hs % 100 < 40 then 1 + (hs // 100 % len($signals))::integer end as si,
       1 + (hs // 1000 % len($stances))::integer as sti,
       case when hs // 5000 % 4 = 0 then other_pid else main_pid end as pid,
       hs
from picked
"""

ARTICLES_SQL = """
create or replace temp table synth_articles as
with texts as (
    select s.a, s.d, s.lang_i, s.main_pid, s.j, s.pid, s.hs,
           $signals[s.si] as signal, $stances[s.sti] as stance,
           case when s.j = 0 then
                    case when s.lang_i = 1
                         then 'Synthetic dispatch no. ' || s.a || ' on ' || p.name || ', ' || s.d || '.'
                         else '合成稿件第' || s.a || '号：' || coalesce(p.name_zh, p.name) || '，' || s.d || '。' end
                when s.si is null then
                    replace($fillers[1 + (s.hs // 100 % len($fillers))::integer][s.lang_i], '{p}',
                            case when s.lang_i = 1 then p.short_name else coalesce(p.name_zh, p.short_name) end)
                else
                    replace($phrases[s.si][s.lang_i], '{p}',
                            case when s.lang_i = 1 then p.short_name else coalesce(p.name_zh, p.short_name) end)
                    || $clauses[s.sti][s.lang_i] || case when s.lang_i = 1 then '.' else '。' end
           end as text
    from sentences s
    join platforms p on p.platform_id = s.pid
)
select * from texts
"""


def _events_sql() -> str:
    return """
insert into events by name
with ev as (
    select i, hash($seed, i, 'ev') as h from range($n_events) r(i)
)
select $start::date + (h % $days)::integer as date,
       $all_pids[1 + (h // 7 % len($all_pids))::integer] as platform_id,
       $categories[1 + (h // 1000 % len($categories))::integer] as category,
       'Synthetic event ' || i as title,
       'Generated for scale tests; not a real event.' as description,
       'https://synthetic.invalid/events/' || i as source_url,
       $publishers[1 + (h // 100000 % len($publishers))::integer] as source_publisher,
       (i + 2)::integer as source_line
from ev
order by date, platform_id, title
"""


def write_synthetic(path: Path, metric_rows: int, articles: int, seed: int,
                    data_dir: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, int]]:
    """Create a fresh synthetic store at path; return the still-open connection and row counts."""
    platforms = _platforms(data_dir)
    catalogue = _catalogue(data_dir, seed)
    series = _series(catalogue, list(platforms["platform_id"]), metric_rows, seed)
    # Insertion order is kept (preserve_insertion_order), so metric_values lands sorted without a sort.
    # The allocator's background thread returns freed memory to the system between steps (without it the
    # process kept ~1 GB it no longer used at 30M rows, on top of the next step's own).
    con = duckdb.connect(str(path), config={"preserve_insertion_order": True, "memory_limit": MEMORY_LIMIT,
                                            "allocator_background_threads": True})
    try:
        con.execute("set enable_progress_bar = false")
        con.execute(SCHEMA.read_text())
        for table, frame in (("platforms", platforms), ("metric_catalogue", catalogue)):
            cols = [c for c in con.table(table).columns if c in frame.columns]
            con.register("frame", frame[cols])
            con.execute(f"insert into {table} by name select * from frame")  # noqa: S608
            con.unregister("frame")
        con.register("series_df", series)
        con.execute("create table synth_chunks as select s.*, unnest(range(0, s.len, $chunk)) as t0 "
                    "from series_df s order by row0, t0", {"chunk": CHUNK})
        con.unregister("series_df")
        _write_metric_values(con, metric_rows)
        con.execute("drop table synth_chunks")
        _write_articles(con, articles, seed, list(platforms["platform_id"]))
        n_events = max(50, articles // 200)  # ~24 per platform at the defaults (the real data has ~6)
        con.execute(_events_sql(), {"seed": seed, "n_events": n_events, "start": ARTICLE_START,
                                    "days": ARTICLE_DAYS, "all_pids": list(platforms["platform_id"]),
                                    "categories": list(EVENT_CATEGORIES), "publishers": list(PUBLISHERS)})
        con.execute(AGGREGATES.read_text())
        if articles > 0:  # the full-text index, as a real build writes it (paylens/search/index.py)
            from paylens.search.index import build_index

            build_index(con, data_dir / "lexicon")
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608
                  for t in ("platforms", "metric_catalogue", "metric_values", "events", "articles", "signal_hits")}
    except BaseException:
        con.close()
        raise
    return con, counts


def _write_metric_values(con: duckdb.DuckDBPyConnection, metric_rows: int, chunk_rows: int | None = None) -> None:
    """Insert metric_values in chunks of ~chunk_rows, each its own transaction, committed in order.

    Memory stays flat in the row count: an uncommitted chunk is held by its transaction, so one INSERT of
    every row (or two halves, the first version) kept ~120 bytes a row until its commit (12.4 GB at 100M rows).
    One INSERT of unnested ranges runs on about one core, so two connections (cursors) take turns: while one
    commits chunk k the other already generates chunk k+1; a chunk commits only after the one before it, so
    the rows land in sort order and at most two chunks are uncommitted at a time.
    """
    chunk_rows = chunk_rows or CHUNK_ROWS
    bounds = [(lo, min(lo + chunk_rows, metric_rows)) for lo in range(0, metric_rows, chunk_rows)] or [(0, 0)]
    committed = [threading.Event() for _ in bounds]
    errors: list[BaseException] = []

    def worker(first: int) -> None:
        cur = con.cursor()
        try:
            for k in range(first, len(bounds), 2):
                if errors:
                    return
                lo, hi = bounds[k]
                cur.execute("begin transaction")
                try:
                    cur.execute(METRIC_VALUES_SQL, {"end": SERIES_END, "chunk": CHUNK, "lo": lo, "hi": hi})
                    if k:
                        committed[k - 1].wait()
                    cur.execute("rollback" if errors else "commit")
                finally:
                    committed[k].set()  # set even on failure, so the other worker never waits forever
        except BaseException as exc:  # recorded, re-raised by the caller's thread
            errors.append(exc)
            for event in committed:
                event.set()
        finally:
            cur.close()

    second = threading.Thread(target=worker, args=(1,))
    second.start()
    worker(0)
    second.join()
    if errors:
        raise errors[0]


def _day_slices(con: duckdb.DuckDBPyConnection, chunk: int) -> list[tuple[date, date]]:
    """Consecutive date ranges holding up to `chunk` articles each (a day is never split)."""
    slices: list[list[date]] = []
    count = 0
    for day, n in con.execute("select d, count(*) from synth_meta group by d order by d").fetchall():
        if slices and count + n <= chunk:
            slices[-1][1] = day
            count += n
        else:
            slices.append([day, day])
            count = n
    return [(lo, hi) for lo, hi in slices]


def _write_articles(con: duckdb.DuckDBPyConnection, articles: int, seed: int, pids: list[str]) -> None:
    """Articles and their hits, a slice of dates at a time (ARTICLE_CHUNK articles), oldest first.

    Bodies are joined with an ordered string_agg, which cannot spill: all of 1M articles at once ran out of
    the build's memory. Slices by date keep the articles table in (date, article_id) order, as before.
    """
    if articles <= 0:
        return
    main = [p for p in pids if p in ALWAYS] * 3 + [p for p in pids if p != "market"]
    con.execute(META_SQL, {"seed": seed, "n_articles": articles, "start": ARTICLE_START, "days": ARTICLE_DAYS,
                           "main": main, "pids": pids})
    for d_lo, d_hi in _day_slices(con, ARTICLE_CHUNK):
        _write_article_slice(con, seed, d_lo, d_hi)
    for temp in ("synth_meta", "sentences", "synth_articles", "article_ids"):
        con.execute(f"drop table if exists {temp}")


def _write_article_slice(con: duckdb.DuckDBPyConnection, seed: int, d_lo: date, d_hi: date) -> None:
    con.execute(SENTENCES_SQL, {"seed": seed, "d_lo": d_lo, "d_hi": d_hi, "signals": list(SIGNAL_IDS),
                                "stances": list(STANCES)})
    con.execute(ARTICLES_SQL, {
        "fillers": [list(f) for f in FILLERS],
        "phrases": [list(SIGNAL_PHRASES[s]) for s in SIGNAL_IDS],
        "clauses": [list(STANCE_CLAUSE[s]) for s in STANCES],
        "signals": list(SIGNAL_IDS), "stances": list(STANCES),
    })
    con.execute("""
        create or replace temp table article_ids as
        select a, d, lang_i, main_pid, body, left(sha256(body), 16) as article_id
        from (select a, any_value(d) as d, any_value(lang_i) as lang_i, any_value(main_pid) as main_pid,
                     rtrim(string_agg(text || case when lang_i = 1 then ' ' else '' end, '' order by j)) as body
              from synth_articles group by a)
    """)
    con.execute("""
        insert into articles by name
        select i.article_id, 'synthetic/' || lpad(i.a::varchar, 7, '0') || '.txt' as file,
               'Synthetic article ' || i.a || ': ' || p.short_name || ', ' || i.d as title,
               'https://synthetic.invalid/articles/' || i.a as url,
               $publishers[1 + (hash($seed, i.a, 'pub') % len($publishers))::integer] as publisher,
               i.d as date, case when i.lang_i = 1 then 'en' else 'zh' end as lang, i.body, true as synthetic
        from article_ids i
        join platforms p on p.platform_id = i.main_pid
        order by i.d, i.article_id
    """, {"seed": seed, "publishers": list(PUBLISHERS)})
    con.execute("""
        insert into signal_hits by name
        select i.article_id, t.pid as platform_id, t.signal, t.stance, t.text as evidence, t.j as sentence_idx,
               round(0.5 + (t.hs // 10000000 % 50) / 100.0, 3) as score
        from synth_articles t
        join article_ids i using (a)
        where t.signal is not null
        order by i.article_id, t.j, t.signal, t.pid
    """)


def synthesize(db_path: Path, metric_rows: int = DEFAULT_METRIC_ROWS, articles: int = DEFAULT_ARTICLES,
               seed: int = 0, data_dir: Path | None = None) -> SynthResult:
    """Build a synthetic store at db_path atomically (temp file + os.replace), under the store's lock."""
    if metric_rows < 0 or articles < 0:
        raise InputError("synth:1: --metrics-rows and --articles must be >= 0")
    check_target(db_path)
    data_dir = data_dir or settings().data_dir
    started = time.perf_counter()
    with lock_for(db_path):
        clean_temp_files(db_path)
        build_id = synth_build_id(metric_rows, articles, seed)
        with replacing(db_path) as tmp:
            con, counts = write_synthetic(tmp, metric_rows, articles, seed, data_dir)
            try:
                info = {**counts, "synth_seed": seed, "synth_version": SYNTH_VERSION}
                con.execute("insert into build_info values ($id, $at, true, $counts)",
                            {"id": build_id, "at": datetime.now(UTC).replace(tzinfo=None),
                             "counts": json.dumps(info, sort_keys=True)})
                con.execute("checkpoint")
                # The build time is recorded in the store itself so `paylens bench` can report it.
                info["synth_build_ms"] = round((time.perf_counter() - started) * 1000)
                con.execute("update build_info set counts = $counts", {"counts": json.dumps(info, sort_keys=True)})
                con.execute("checkpoint")
            finally:
                con.close()
    return SynthResult(db_path, build_id, counts, time.perf_counter() - started)
