"""`paylens ingest URL...`: fetch, extract, deduplicate, save under data/articles/ and rebuild, all or nothing.

Same rule as file ingest: every URL is fetched and checked before anything is written; one refused or bad
URL (HTTP error, timeout, not HTML, too big, no article text, private address) raises InputError listing
`URL: message` for each, and data/ and the store stay as they were. Then, under the store's lock, each page
is compared with the corpus as it is at that moment:

- its URL (as given or after redirects, in canonical form) is already an article's or a known repost's:
  nothing to do;
- its body is a near-duplicate of an article (paylens.web.dedup): it is recorded in
  data/intake/also_in.csv as another source of that article, not added again;
- otherwise it is saved as `data/articles/<date>-<slug>.md` with a `fetched_at` header.

The article files and also_in.csv are saved and the store rebuilt in one step (paylens.store.intake).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from paylens.config import Settings
from paylens.errors import InputError
from paylens.signals.articles import ARTICLE_MAX_BYTES, parse_article_bytes
from paylens.store.build import BuildResult, lock_for
from paylens.store.intake import _clean_partial_writes, _commit, _nothing_new, article_files, unused_name
from paylens.store.intake_records import also_in_bytes, also_in_urls
from paylens.store.sources import read_articles
from paylens.web.dedup import Match, ShingleIndex, canonical_url
from paylens.web.fetch import FetchError, fetch
from paylens.web.page import Page, page_from_fetched

URL_PREFIXES = ("http://", "https://")


def looks_like_url(arg: str) -> bool:
    """An argument of the form scheme://...: fetched (and refused unless http or https), not opened as a file."""
    head, sep, _ = arg.partition("://")
    return bool(sep) and head.replace("+", "").replace("-", "").replace(".", "").isalnum() and head[:1].isalpha()


def fetch_page(url: str, timeout: float | None = None) -> Page:
    """Fetch one URL and extract its article (FetchError on any refusal)."""
    page = page_from_fetched(fetch(url, timeout=timeout))
    data = page.article_bytes()
    if len(data) > ARTICLE_MAX_BYTES:
        raise FetchError(url, f"the article text is {len(data):,} bytes; the limit is {ARTICLE_MAX_BYTES:,}")
    return page


@dataclass(frozen=True)
class Outcome:
    """What happened to one URL: `added`, `duplicate_url` (already in the corpus) or `also_in` (a repost)."""

    url: str
    status: str
    file: str  # the saved file, or the corpus file it duplicates
    similarity: float | None = None
    page: Page | None = None


@dataclass
class UrlIntakeResult:
    """Outcomes in argument order, and the build when something was written."""

    outcomes: list[Outcome] = field(default_factory=list)
    build: BuildResult | None = None
    caught_up: bool = False
    saved: list[Path] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass
class Corpus:
    """What a new page is checked against: article URLs, repost URLs and bodies."""

    urls: dict[str, str]  # canonical URL -> the article file it belongs to
    index: ShingleIndex
    bodies: dict[str, str] = field(default_factory=dict)  # body sha256 -> article file (exact copies, any length)


def load_corpus(data_dir: Path) -> Corpus:
    """The corpus as data/ holds it now (read under the lock before deciding)."""
    folder = data_dir / "articles"
    articles = read_articles(data_dir) if folder.exists() else []
    urls: dict[str, str] = {}
    bodies: dict[str, str] = {}
    index = ShingleIndex()
    for art in articles:
        name = Path(art.name).name
        if art.url:
            urls.setdefault(canonical_url(art.url), name)
        bodies.setdefault(art.sha256, name)
        index.add(name, art.url, art.body)
    for url in also_in_urls(data_dir):
        urls.setdefault(canonical_url(url), "data/intake/also_in.csv")
    return Corpus(urls, index, bodies)


def known_url(corpus: Corpus, *urls: str) -> str | None:
    """The corpus file that already has one of these URLs, or None."""
    for url in urls:
        hit = corpus.urls.get(canonical_url(url))
        if hit:
            return hit
    return None


def decide(corpus: Corpus, folder: Path, pages: list[Page]) -> tuple[list[Outcome], dict[Path, bytes], list[dict]]:
    """Sort pages into duplicates, reposts and new articles; updates `corpus` as pages are accepted."""
    outcomes, files, rows = [], {}, []
    for page in pages:
        original = known_url(corpus, page.requested_url, page.url)
        if original:
            outcomes.append(Outcome(page.requested_url, "duplicate_url", original, page=page))
            continue
        sha = hashlib.sha256(page.body.encode("utf-8")).hexdigest()
        match = Match(corpus.bodies[sha], None, 1.0) if sha in corpus.bodies else corpus.index.best(page.body)
        if match:
            rows.append({"article_file": match.key, "url": page.url, "publisher": page.publisher,
                         "title": page.title, "date": page.date, "similarity": f"{match.score:.3f}",
                         "found_at": page.fetched_at})
            corpus.urls[canonical_url(page.url)] = match.key
            outcomes.append(Outcome(page.requested_url, "also_in", match.key, match.score, page))
            continue
        stem, _, suffix = page.file_name.rpartition(".")
        name = unused_name(folder, stem, f".{suffix}", sha, files).name
        corpus.urls[canonical_url(page.url)] = name
        corpus.urls.setdefault(canonical_url(page.requested_url), name)
        corpus.index.add(name, page.url, page.body)
        corpus.bodies[sha] = name
        files[folder / name] = page.article_bytes()
        outcomes.append(Outcome(page.requested_url, "added", name, page=page))
    return outcomes, files, rows


def _parse_files(paths: list[Path]) -> tuple[list[tuple[Path, bytes, str]], list[str]]:
    """Article files given beside URLs, checked as `paylens ingest FILE` checks them: (path, bytes, sha256)."""
    out, problems = [], []
    for path in article_files(paths):
        if path.suffix not in (".txt", ".md"):
            problems.append(f"{path}:1: articles must be .txt or .md files")
            continue
        try:
            data = path.read_bytes()[: ARTICLE_MAX_BYTES + 1]
            out.append((path, data, parse_article_bytes(data, str(path)).sha256))
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(f"{path}:1: cannot read: {exc.strerror}")
    return out, problems


def ingest_urls(cfg: Settings, urls: list[str], paths: list[Path] | None = None, *,
                fetcher: Callable[[str], Page] | None = None) -> UrlIntakeResult:
    """Fetch and add URLs (and article files given with them) to the corpus, all or nothing."""
    fetcher = fetcher or fetch_page
    before = load_corpus(cfg.data_dir)
    problems: list[str] = []
    pages: list[Page] = []
    early: dict[str, Outcome] = {}
    urls = list(dict.fromkeys(u.strip() for u in urls))  # the same URL twice in one call is fetched once
    for url in urls:
        original = known_url(before, url)
        if original:
            early[url] = Outcome(url, "duplicate_url", original)
            continue
        try:
            pages.append(fetcher(url))
        except InputError as exc:
            problems.extend(exc.problems)
    files, file_problems = _parse_files(list(paths or []))
    problems.extend(file_problems)
    if problems:
        raise InputError(problems)
    folder = cfg.data_dir / "articles"
    with lock_for(cfg.db_path):
        _clean_partial_writes({folder, cfg.data_dir / "intake"})
        corpus = load_corpus(cfg.data_dir)
        decided, to_save, rows = decide(corpus, folder, pages)
        known_hashes = {a.sha256 for a in read_articles(cfg.data_dir)} if folder.exists() else set()
        for path, data, sha in files:
            if sha in known_hashes:
                continue
            known_hashes.add(sha)
            to_save[unused_name(folder, path.stem, path.suffix, sha, to_save)] = data
        if rows:
            path, data = also_in_bytes(cfg.data_dir, rows)
            to_save[path] = data
        fetched = iter(decided)  # in the order the pages were fetched, which is argument order
        outcomes = [early[u] if u in early else next(fetched) for u in urls]
        if not to_save:
            nothing = _nothing_new(cfg, len(outcomes))
            return UrlIntakeResult(outcomes, nothing.build, nothing.caught_up)
        build = _commit(cfg, to_save)
        return UrlIntakeResult(outcomes, build, saved=sorted(to_save))
