"""One tokenizer for the index and the query: English words beside jieba words and Han bigrams.

Text is folded first (NFKC, lower case, traditional -> simplified Chinese with the lexicon's table), then cut
into runs. A Latin/digit run gives words (light plural stemming, a few stop words dropped). A Han run gives
its character bigrams (so any two-character substring is found, whatever the segmenter thinks) plus the
jieba words of three or more characters, jieba knowing the lexicon's payment and platform terms (碰一下,
支小宝, 云闪付) from a user dictionary; a one-character run is kept as it is.
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[.'][a-z0-9]+)*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
STOP_WORDS = frozenset("""
    a an and are as at be been but by for from had has have he her his i if in into is it its of on or our
    she so than that the their them then there these they this those to was we were which who will with would
    you your s
""".split())
USER_DICT_FILES = (("signals.csv", "term"), ("platforms_aliases.csv", "alias"), ("domain.csv", "term"),
                   ("commerce_surfaces.csv", "surface"))


def stem(word: str) -> str:
    """A light English stem: possessive and plural endings only (payments -> payment, Alipay's -> alipay)."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class Tokenizer:
    """Folds and cuts text into index terms; the same instance tokenises the corpus and the query."""

    def __init__(self, user_terms: list[str] | None = None, traditional: dict[str, str] | None = None) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._fold_table = str.maketrans(traditional or {})
        self._jieba = jieba.Tokenizer()
        for term in sorted(set(user_terms or ())):
            folded = self.fold(term)
            if len(folded) >= 2 and all(_HAN.match(c) for c in folded):
                self._jieba.add_word(folded, freq=200_000)
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_lexicon(cls, lexicon_dir: Path) -> Tokenizer:
        """A tokenizer whose jieba knows the lexicon's Chinese terms, folding traditional characters."""
        terms: list[str] = []
        for name, column in USER_DICT_FILES:
            path = lexicon_dir / name
            if path.exists():
                with path.open(encoding="utf-8", newline="") as fh:
                    terms.extend(row[column] for row in csv.DictReader(fh) if row.get(column))
        traditional: dict[str, str] = {}
        trad = lexicon_dir / "traditional_chars.csv"
        if trad.exists():
            with trad.open(encoding="utf-8", newline="") as fh:
                traditional = {r["traditional"]: r["simplified"] for r in csv.DictReader(fh)
                               if len(r["traditional"]) == 1 and len(r["simplified"]) == 1}
        return cls(terms, traditional)

    def fold(self, text: str) -> str:
        """NFKC, lower case, curly apostrophes straightened, traditional characters simplified."""
        text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
        return text.translate(self._fold_table)

    def tokens(self, text: str) -> tuple[str, ...]:
        """The index terms of a text, in order, repeats kept (term frequency counts them); cached."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        result = self.terms(text)
        if len(self._cache) < 500_000:
            self._cache[text] = result
        return result

    def terms(self, text: str) -> tuple[str, ...]:
        """The index terms of a text, uncached: the index build sees each distinct text once."""
        out: list[str] = []
        for match in _RUNS.finditer(self.fold(text)):
            run = match.group()
            if _HAN.match(run):
                out.extend(self._han(run))
            else:
                for part in run.split("."):
                    word = stem(part)
                    if word and word not in STOP_WORDS:
                        out.append(word)
        return tuple(out)

    def _han(self, run: str) -> list[str]:
        if len(run) == 1:
            return [run]
        grams = [run[i:i + 2] for i in range(len(run) - 1)]
        words = [w for w in self._jieba.lcut(run, HMM=False) if len(w) >= 3] if len(run) >= 3 else []
        return grams + words

    def query_terms(self, query: str) -> list[str]:
        """Distinct terms of a query, in order."""
        return list(dict.fromkeys(self.tokens(query)))


@lru_cache(maxsize=4)
def tokenizer_for(lexicon_dir: str) -> Tokenizer:
    """One tokenizer per lexicon folder per process (jieba's dictionary loads in about a second)."""
    return Tokenizer.from_lexicon(Path(lexicon_dir))
