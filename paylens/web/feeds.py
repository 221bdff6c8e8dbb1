"""`paylens watch`: read RSS/Atom feeds, keep the items about tracked platforms, ingest the new ones.

Each run reads every feed in data/feeds.toml (`[[feed]]` tables with `name` and `url`). An item is kept
when it is about a platform PayLens tracks (platform aliases from data/lexicon/platforms_aliases.csv):

- an alias in its title or lead (a short or generic alias such as "Ant", "WeChat" or 蚂蚁 needs a
  payment word beside it there too), or
- in the page text, at least REPEATED_MENTIONS alias mentions each within NEAR_CHARS characters of a
  payment word (data/lexicon/domain.csv); the page is only fetched for this when the title or lead has a
  payment word, so a football story is skipped without a request.

New items are fetched and checked like `paylens ingest URL` (same fetcher, same dedup); one bad feed or
page is counted as an error of its feed and never stops the others. Each run appends one row per feed
to data/intake/feed_runs.csv (time, feed, items seen, added, skipped as duplicate or off topic, errors
and their messages); the new articles, reposts and the run rows are saved and the store rebuilt in one
step.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from paylens.config import Settings
from paylens.errors import InputError
from paylens.signals.articles import parse_article_bytes
from paylens.store.build import BuildResult, lock_for
from paylens.store.intake import _clean_partial_writes, _commit
from paylens.store.intake_records import also_in_bytes, feed_runs_bytes
from paylens.web.dedup import canonical_url
from paylens.web.fetch import FEED_TYPES, FetchError, check_scheme, fetch
from paylens.web.intake import decide, fetch_page, known_url, load_corpus
from paylens.web.page import Page

FEEDS_FILE = "feeds.toml"
LEAD_CHARS = 400
NEAR_CHARS = 80
REPEATED_MENTIONS = 2
MAX_ITEMS_PER_FEED = 100
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Feed:
    """One `[[feed]]` table of feeds.toml."""

    name: str
    url: str


@dataclass(frozen=True)
class Item:
    """One feed entry: its link, title and lead (summary text without markup)."""

    link: str
    title: str
    lead: str


@dataclass
class FeedRun:
    """What one run did with one feed (a row of feed_runs.csv)."""

    feed: Feed
    items_seen: int = 0
    added: int = 0
    skipped_duplicate: int = 0
    skipped_off_topic: int = 0
    errors: list[str] = field(default_factory=list)
    saved: list[str] = field(default_factory=list)

    def row(self, run_at: str) -> dict[str, object]:
        return {"run_at": run_at, "feed": self.feed.name, "feed_url": self.feed.url, "items_seen": self.items_seen,
                "added": self.added, "skipped_duplicate": self.skipped_duplicate,
                "skipped_off_topic": self.skipped_off_topic, "errors": len(self.errors),
                "error_detail": " | ".join(self.errors)}


@dataclass
class WatchResult:
    """One run over every feed."""

    run_at: str
    runs: list[FeedRun]
    build: BuildResult | None = None


def parse_duration(text: str) -> float:
    """Seconds in `90s`, `30m`, `6h`, `1d` (a bare number is seconds); InputError otherwise."""
    match = _DURATION.match(text or "")
    if not match or float(match.group(1)) <= 0:
        raise InputError(f"--interval {text!r}: expected a duration such as 30m, 6h or 1d")
    return float(match.group(1)) * _SECONDS[match.group(2).lower()]


def load_feeds(path: Path) -> list[Feed]:
    """The feeds of a feeds.toml file; InputError naming every bad table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}:1: cannot read feeds file: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None) or 1
        raise InputError(f"{path}:{line}: not valid TOML: {exc}") from exc
    tables = data.get("feed", [])
    if not isinstance(tables, list) or not tables:
        raise InputError(f"{path}:1: no [[feed]] tables (each needs name = \"...\" and url = \"https://...\")")
    feeds, problems, names = [], [], set()
    for i, table in enumerate(tables, 1):
        name, url = table.get("name"), table.get("url")
        where = f"{path}:1: [[feed]] #{i}"
        if not isinstance(name, str) or not name.strip() or not isinstance(url, str):
            problems.append(f"{where}: needs a name and a url")
            continue
        try:
            check_scheme(url)
        except FetchError as exc:
            problems.append(f"{where} ({name}): {exc.reason}")
            continue
        if name in names:
            problems.append(f"{where}: duplicate feed name {name!r}")
            continue
        names.add(name)
        feeds.append(Feed(name.strip(), url.strip()))
    if problems:
        raise InputError(problems)
    return feeds


def text_of(fragment: str) -> str:
    """Plain text of a feed's HTML summary."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment or "")).split())


def parse_feed(data: bytes, url: str) -> list[Item]:
    """Entries of an RSS or Atom document (feedparser); FetchError when it is not a feed."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = getattr(parsed, "bozo_exception", None)
        raise FetchError(url, f"not an RSS or Atom feed{f' ({reason})' if reason else ''}")
    items = []
    for entry in parsed.entries[:MAX_ITEMS_PER_FEED]:
        link = entry.get("link") or ""
        if not link:
            continue
        lead = entry.get("summary") or ""
        if not lead and entry.get("content"):
            lead = entry["content"][0].get("value", "")
        items.append(Item(link=link.strip(), title=text_of(entry.get("title", "")), lead=text_of(lead)))
    return items


class TopicFilter:
    """Decides whether a story is about a tracked platform (see the module docstring)."""

    def __init__(self, lexicon_dir: Path) -> None:
        from paylens.signals.lexicon import load_lexicon
        from paylens.signals.matcher import Matcher

        lex = load_lexicon(lexicon_dir)
        aliases = [t for t in lex.aliases if t.label != "market"]
        self._matcher = Matcher([*aliases, *lex.domain, *lex.masks], lex.traditional)

    @staticmethod
    def _weak(text: str, exact_case: bool) -> bool:
        """Short or generic names (Ant, WeChat, 蚂蚁) that also mean other things."""
        return exact_case or text.lower() in ("wechat", "weixin") or (not text.isascii() and len(text) <= 2)

    def _hits(self, text: str) -> tuple[list[tuple[int, int, bool]], list[int]]:
        aliases, domain = [], []
        for start, end, term in self._matcher.find(text):
            if term.kind == "alias":
                aliases.append((start, end, self._weak(term.text, term.exact_case)))
            elif term.kind == "domain":
                domain.append(start)
        return aliases, domain

    def headline_verdict(self, title: str, lead: str) -> str:
        """`yes` (alias in title or lead), `maybe` (payment words there: read the page) or `no`."""
        aliases, domain = self._hits(f"{title}\n{lead[:LEAD_CHARS]}")
        if any(not weak for *_, weak in aliases) or (aliases and domain):
            return "yes"
        return "maybe" if domain else "no"

    def about(self, title: str, lead: str, body: str = "") -> bool:
        """Title or lead names a platform, or the body names one repeatedly near payment words."""
        verdict = self.headline_verdict(title, lead or body[:LEAD_CHARS])
        if verdict != "maybe" or not body:
            return verdict == "yes"
        aliases, domain = self._hits(body)
        near = sum(1 for start, end, _ in aliases if any(start - NEAR_CHARS <= d <= end + NEAR_CHARS for d in domain))
        return near >= REPEATED_MENTIONS


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _read_feed(feed: Feed) -> list[Item]:
    fetched = fetch(feed.url, accept=FEED_TYPES)
    return parse_feed(fetched.body, fetched.final_url)


def watch_once(cfg: Settings, feeds: list[Feed], *, read_feed: Callable[[Feed], list[Item]] | None = None,
               get_page: Callable[[str], Page] | None = None) -> WatchResult:
    """One pass over the feeds: ingest new on-topic items, log the run; a failing feed or page is an error row."""
    read_feed = read_feed or _read_feed
    get_page = get_page or fetch_page
    topic = TopicFilter(cfg.data_dir / "lexicon")
    run_at = _now()
    corpus = load_corpus(cfg.data_dir)
    runs: list[FeedRun] = []
    pages: list[tuple[FeedRun, Page]] = []
    seen: set[str] = set()  # an item in two feeds is read once
    for feed in feeds:
        run = FeedRun(feed)
        runs.append(run)
        try:
            items = read_feed(feed)
        except InputError as exc:
            run.errors.extend(exc.problems)
            continue
        except Exception as exc:  # noqa: BLE001 - one broken feed never stops the others
            run.errors.append(f"{feed.url}: {type(exc).__name__}: {exc}")
            continue
        run.items_seen = len(items)
        for item in items:
            key = canonical_url(item.link)
            if key in seen or known_url(corpus, item.link):
                run.skipped_duplicate += 1
                continue
            seen.add(key)
            verdict = topic.headline_verdict(item.title, item.lead)
            if verdict == "no":
                run.skipped_off_topic += 1
                continue
            try:
                page = get_page(item.link)
                parse_article_bytes(page.article_bytes(), page.file_name)  # what build will read back
            except InputError as exc:
                run.errors.extend(exc.problems)
                continue
            except Exception as exc:  # noqa: BLE001 - one broken page never stops the others
                run.errors.append(f"{item.link}: {type(exc).__name__}: {exc}")
                continue
            if verdict == "maybe" and not topic.about(item.title or page.title or "", item.lead, page.body):
                run.skipped_off_topic += 1
                continue
            pages.append((run, page))
    folder = cfg.data_dir / "articles"
    with lock_for(cfg.db_path):
        _clean_partial_writes({folder, cfg.data_dir / "intake"})
        outcomes, to_save, rows = decide(load_corpus(cfg.data_dir), folder, [p for _, p in pages])
        for (run, _), outcome in zip(pages, outcomes, strict=True):
            if outcome.status == "added":
                run.added += 1
                run.saved.append(outcome.file)
            else:
                run.skipped_duplicate += 1
        if rows:
            path, data = also_in_bytes(cfg.data_dir, rows)
            to_save[path] = data
        path, data = feed_runs_bytes(cfg.data_dir, [r.row(run_at) for r in runs])
        to_save[path] = data
        build = _commit(cfg, to_save)
    return WatchResult(run_at, runs, build)
