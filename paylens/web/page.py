"""Turn a fetched HTML page into an article file: main text, title, publisher, date and language."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from paylens.signals.articles import detect_lang
from paylens.web.charset import decode_html
from paylens.web.dedup import canonical_url
from paylens.web.fetch import Fetched, FetchError

MIN_TEXT_CHARS = 120  # fewer non-space characters than this is a page without an article (index, login wall)
SLUG_CHARS = 60


@dataclass(frozen=True)
class Page:
    """An extracted article, ready to be written as `data/articles/<date>-<slug>.md`."""

    url: str  # canonical URL of the page (after redirects)
    requested_url: str
    title: str | None
    publisher: str
    date: str | None  # YYYY-MM-DD, None when the page shows no date
    lang: str
    body: str
    fetched_at: str  # ISO 8601 UTC, seconds
    charset: str

    @property
    def file_name(self) -> str:
        """`<date>-<slug>.md`; the fetch date stands in when the page has no date."""
        return f"{self.date or self.fetched_at[:10]}-{slug(self.title, self.url)}.md"

    def article_bytes(self) -> bytes:
        """The article file: header (title, url, publisher, date, lang, fetched_at), blank line, body."""
        fields = {"title": self.title, "url": self.url, "publisher": self.publisher, "date": self.date,
                  "lang": self.lang, "fetched_at": self.fetched_at}
        header = "".join(f"{k}: {_one_line(v)}\n" for k, v in fields.items() if v and _one_line(v))
        return (header + "\n" + self.body + "\n").encode("utf-8")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def now_utc() -> str:
    """The current time as the `fetched_at` header writes it."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def slug(title: str | None, url: str) -> str:
    """ASCII words of the title; for a Chinese title, the URL's host and path words; else a hash."""
    def words(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        out = ""
        for word in re.findall(r"[a-z0-9]+", ascii_text):
            if len(out) + len(word) + 1 > SLUG_CHARS:
                break
            out = f"{out}-{word}" if out else word
        return out or "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:SLUG_CHARS]

    from_title = words(title or "")
    if len(from_title) >= 12:
        return from_title
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    host = "" if re.fullmatch(r"[\d.]+|.*:.*", host) else host.split(".")[0]  # no IP addresses in names
    path = re.sub(r"\.(s?html?|php|aspx?)$", "", parts.path, flags=re.I)
    from_url = words(f"{host} {path.replace('/', ' ')}")
    if len(from_url) >= 6:
        return from_url
    return "article-" + hashlib.sha256(url.encode()).hexdigest()[:10]


def _chars(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def drop_title_line(body: str, title: str | None) -> str:
    """The body without a first line that only repeats the headline (it is in the header already)."""
    first, _, rest = body.partition("\n")
    if title and rest.strip() and " ".join(first.split()) == " ".join(title.split()):
        return rest.lstrip("\n")
    return body


def clean_body(text: str) -> str:
    """The extracted text with line ends normalised: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", out)


def extract(html: str, url: str) -> tuple[str | None, str | None, str | None, str]:
    """(title, site name, date, body) with trafilatura and htmldate; body is '' when none is found."""
    import trafilatura
    from htmldate import find_date

    options = {"url": url, "with_metadata": True, "include_comments": False, "include_tables": False,
               "include_images": False, "include_links": False, "deduplicate": False}
    # Precision first: it keeps paragraphs apart and leaves bylines and ad slots out; recall mode only when
    # the precise pass finds no article (short pages).
    doc = trafilatura.bare_extraction(html, favor_precision=True, **options)
    body = clean_body(getattr(doc, "text", None) or "") if doc is not None else ""
    if _chars(body) < MIN_TEXT_CHARS:
        doc = trafilatura.bare_extraction(html, **options) or doc
        body = clean_body(getattr(doc, "text", None) or "") if doc is not None else ""
    title = getattr(doc, "title", None) if doc is not None else None
    body = drop_title_line(body, title)
    site = getattr(doc, "sitename", None) if doc is not None else None
    try:
        date = find_date(html, url=url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        date = None
    if date is None and doc is not None and getattr(doc, "date", None):
        date = str(doc.date)[:10]
    return title, site, date, body


def page_from_html(html: str, url: str, requested_url: str | None = None, charset: str = "utf-8",
                   fetched_at: str | None = None) -> Page:
    """Extract an article from decoded HTML; FetchError when the page holds no article text."""
    title, site, date, body = extract(html, url)
    requested = requested_url or url
    if _chars(body) < MIN_TEXT_CHARS:
        raise FetchError(requested, "no article text found on the page")
    publisher = _one_line(site or "") or (urlsplit(url).hostname or "").removeprefix("www.")
    return Page(url=canonical_url(url), requested_url=requested, title=_one_line(title) if title else None,
                publisher=publisher, date=date, lang=detect_lang(body), body=body,
                fetched_at=fetched_at or now_utc(), charset=charset)


def page_from_fetched(fetched: Fetched) -> Page:
    """Decode a fetched response as a browser would, then extract its article."""
    html, charset = decode_html(fetched.body, fetched.content_type)
    return page_from_html(html, fetched.final_url, fetched.url, charset)
