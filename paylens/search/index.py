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

from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd

from paylens.search.tokenize import Tokenizer, tokenizer_for
from paylens.signals.sentences import sentence_spans

INDEX_SQL = Path(__file__).with_name("index.sql")
TITLE_IDX = -1
BATCH = 20_000


def build_index(con: duckdb.DuckDBPyConnection, lexicon_dir: Path, tokenizer: Tokenizer | None = None,
                batch: int = BATCH) -> int:
    """Index every article's title and sentences; return the number of indexed units."""
    tk = tokenizer or tokenizer_for(str(lexicon_dir))
    # Memory stays flat in the corpus size: Python holds one batch at a time, and the distinct texts are found
    # by DuckDB (which spills). Holding every text in Python lists and a dict made this step the synthetic
    # build's peak: 3.7 GB at 300k articles, 1.5 GB now (BENCHMARKS.md, "The scale curve, second pass").
    n_units = _stage_units(con, batch)
    con.execute("""
        create temp table search_stage_ids as
        select text, (row_number() over (order by first_seq) - 1)::integer as text_id
        from (select text, min(seq) as first_seq from search_stage_units group by text)
        order by text_id
    """)
    con.execute("""
        create temp table search_stage_docs as
        select i.text_id, u.article_id, u.sentence_idx
        from search_stage_units u
        join search_stage_ids i using (text)
        order by u.seq
    """)
    con.execute("drop table search_stage_units")
    _stage_terms(con, tk, batch)
    con.execute("""
        create temp table search_stage_texts as
        select i.text_id, i.text, l.dl
        from search_stage_ids i
        join search_stage_lengths l using (text_id)
        order by text_id
    """)
    con.execute("drop table search_stage_ids")
    con.execute("drop table search_stage_lengths")
    con.execute(INDEX_SQL.read_text(encoding="utf-8"))
    return n_units


def _stage_units(con: duckdb.DuckDBPyConnection, batch: int) -> int:
    """Write every non-blank title and sentence to search_stage_units(seq, article_id, sentence_idx, text)."""
    con.execute("create temp table search_stage_units (seq bigint, article_id varchar, sentence_idx integer, "
                "text varchar)")
    seq = 0
    cur = con.cursor()
    try:
        cur.execute("select article_id, title, body from articles order by article_id")
        while rows := cur.fetchmany(batch):
            ids: list[str] = []
            idxs: list[int] = []
            texts: list[str] = []
            for article_id, title, body in rows:
                units = [(TITLE_IDX, title or "")]
                units.extend((i, body[s:e]) for i, (s, e) in enumerate(sentence_spans(body or "")))
                for idx, text in units:
                    if text.strip():
                        ids.append(article_id)
                        idxs.append(idx)
                        texts.append(text)
            _append(con, "insert into search_stage_units by name select * from stage_frame", {
                "seq": pd.Series(range(seq, seq + len(texts)), dtype="int64"),
                "article_id": pd.Series(ids, dtype=object), "sentence_idx": pd.Series(idxs, dtype="int32"),
                "text": pd.Series(texts, dtype=object)})
            seq += len(texts)
    finally:
        cur.close()
    return seq


def _stage_terms(con: duckdb.DuckDBPyConnection, tk: Tokenizer, batch: int) -> None:
    """Tokenise each distinct text once: search_stage_lengths(text_id, dl) and search_stage_terms."""
    con.execute("create temp table search_stage_lengths (text_id integer, dl integer)")
    con.execute("create temp table search_stage_terms (term varchar, text_id integer, tf integer)")
    # Temp tables are private to their connection, so batches are read by text_id range (sorted: zone maps).
    n_texts = con.execute("select count(*) from search_stage_ids").fetchone()[0]
    for lo in range(0, n_texts, batch):
        rows = con.execute("select text_id, text from search_stage_ids where text_id >= $lo and text_id < $hi "
                           "order by text_id", {"lo": lo, "hi": lo + batch}).fetchall()
        lengths: list[int] = []
        term_col: list[str] = []
        tid_col: list[int] = []
        tf_col: list[int] = []
        for tid, text in rows:
            counts = Counter(tk.terms(text))  # uncached: a cache of every text would grow with the corpus
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                term_col.append(term)
                tid_col.append(tid)
                tf_col.append(tf)
        _append(con, "insert into search_stage_lengths by name select * from stage_frame", {
            "text_id": pd.Series([r[0] for r in rows], dtype="int32"), "dl": pd.Series(lengths, dtype="int32")})
        _append(con, "insert into search_stage_terms by name select * from stage_frame", {
            "term": pd.Series(term_col, dtype=object), "text_id": pd.Series(tid_col, dtype="int32"),
            "tf": pd.Series(tf_col, dtype="int32")})


def _append(con: duckdb.DuckDBPyConnection, insert: str, columns: dict[str, pd.Series]) -> None:
    """Run an insert that reads one batch of columns as `stage_frame`."""
    con.register("stage_frame", pd.DataFrame(columns))
    con.execute(insert)
    con.unregister("stage_frame")
