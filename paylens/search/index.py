"""Build the search index inside a store that already holds `articles`.

DuckDB's fts extension cannot be used here: it drops Han characters, has no Chinese tokenizer, and its signed
binary installs from the network or a wheel pinned to another DuckDB patch release. So the index is three
plain tables, written at build time (index.sql):

- `search_texts(text_id, text, dl)`: each distinct sentence or title text once, with its length in terms;
- `search_docs(text_id, article_id, sentence_idx, date, publisher)`: where each text occurs (title: -1);
- `search_postings(term, text_id, weight)`: BM25 weight of a term in a text, sorted by term.

Texts are deduplicated so a sentence repeated across articles (reposts, synthetic templates) is tokenised
and posted once; document frequencies still count every occurrence.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from paylens.search.tokenize import Tokenizer, tokenizer_for
from paylens.signals.sentences import sentence_spans

INDEX_SQL = Path(__file__).with_name("index.sql")
TITLE_IDX = -1
BATCH = 20_000


def build_index(con: duckdb.DuckDBPyConnection, lexicon_dir: Path, tokenizer: Tokenizer | None = None) -> int:
    """Index every article's title and sentences; return the number of indexed units."""
    tk = tokenizer or tokenizer_for(str(lexicon_dir))
    text_ids: dict[str, int] = {}
    doc_article: list[str] = []
    doc_idx: list[int] = []
    doc_text: list[int] = []
    cur = con.cursor()
    try:
        cur.execute("select article_id, title, body from articles order by article_id")
        while rows := cur.fetchmany(BATCH):
            for article_id, title, body in rows:
                units = [(TITLE_IDX, title or "")]
                units.extend((i, body[s:e]) for i, (s, e) in enumerate(sentence_spans(body or "")))
                for idx, text in units:
                    if not text.strip():
                        continue
                    tid = text_ids.setdefault(text, len(text_ids))
                    doc_article.append(article_id)
                    doc_idx.append(idx)
                    doc_text.append(tid)
    finally:
        cur.close()
    texts = list(text_ids)
    term_col: list[str] = []
    tid_col: list[int] = []
    tf_col: list[int] = []
    lengths: list[int] = []
    for tid, text in enumerate(texts):
        counts = tk.counts(text)
        lengths.append(sum(counts.values()))
        for term, tf in counts.items():
            term_col.append(term)
            tid_col.append(tid)
            tf_col.append(tf)
    frames = {
        "search_stage_docs": pd.DataFrame({"text_id": pd.Series(doc_text, dtype="int32"),
                                           "article_id": pd.Series(doc_article, dtype=object),
                                           "sentence_idx": pd.Series(doc_idx, dtype="int32")}),
        "search_stage_texts": pd.DataFrame({"text_id": pd.Series(range(len(texts)), dtype="int32"),
                                            "text": pd.Series(texts, dtype=object),
                                            "dl": pd.Series(lengths, dtype="int32")}),
        "search_stage_terms": pd.DataFrame({"term": pd.Series(term_col, dtype=object),
                                            "text_id": pd.Series(tid_col, dtype="int32"),
                                            "tf": pd.Series(tf_col, dtype="int32")}),
    }
    for name, frame in frames.items():
        con.register("stage_frame", frame)
        con.execute(f"create temp table {name} as select * from stage_frame")  # noqa: S608 (our own names)
        con.unregister("stage_frame")
    con.execute(INDEX_SQL.read_text(encoding="utf-8"))
    return len(doc_text)
