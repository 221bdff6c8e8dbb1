"""Signal engine: article parsing, sentence splitting, lexicon matching, extraction, evaluation."""

from paylens.signals.articles import ARTICLE_MAX_BYTES, Article, parse_article, parse_article_bytes
from paylens.signals.extract import Extractor, Hit, hits_to_json_lines
from paylens.signals.sentences import Sentence, split_sentences
from paylens.signals.taxonomy import SIGNAL_IDS, STANCES

__all__ = [
    "ARTICLE_MAX_BYTES",
    "Article",
    "Extractor",
    "Hit",
    "SIGNAL_IDS",
    "STANCES",
    "Sentence",
    "hits_to_json_lines",
    "parse_article",
    "parse_article_bytes",
    "split_sentences",
]
