"""Run a search: tokenise the query as the index was tokenised, bind the terms, run the named query."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from paylens import queries
from paylens.search.tokenize import Tokenizer

QUERY = "search_sentences"
FILTERS = ("competitors", "platform", "signal", "stance", "publisher", "from", "to")
MAX_QUERY_CHARS = 200


def search_params(text: str, tokenizer: Tokenizer, filters: Mapping[str, object] | None = None,
                  limit: int = 50) -> dict[str, object]:
    """Bound parameters of the search query: the query's terms plus the filters it takes (others ignored)."""
    params: dict[str, object] = {k: v for k, v in (filters or {}).items() if k in FILTERS and v not in (None, "")}
    params["terms"] = tokenizer.query_terms(text[:MAX_QUERY_CHARS])
    params["limit"] = limit
    return params


def search(con: duckdb.DuckDBPyConnection, text: str, tokenizer: Tokenizer,
           filters: Mapping[str, object] | None = None, limit: int = 50) -> pd.DataFrame:
    """Sentences and titles matching text, best first (empty frame with the columns for a blank query)."""
    params = search_params(text, tokenizer, filters, limit)
    return run_deepening(lambda p: queries.run(con, QUERY, p), params)


DEPTHS = (8, 64, 0)  # candidate places per result asked for; 0 = every match
HIT_FILTERS = ("platform", "signal", "stance")


def run_deepening(run: Callable[[dict], pd.DataFrame], params: dict[str, object]) -> pd.DataFrame:
    """Run the query on the best-scoring texts first, widening only when the filters leave too few results.

    With depth d the query reads only the texts that hold the first limit x d places (by score, ties kept),
    so a common word in a large corpus does not join every one of its places. When fewer than `limit`
    results pass the filters and some texts were left out (min_score > 0), it runs again deeper. The
    results are the same as a full run: every text left out scores below every result kept. A hit filter
    (platform, signal, stance) reads only the hits that pass it, so it runs in full at once.
    """
    limit = int(params.get("limit", 50))
    depths = (0,) if any(params.get(k) for k in HIT_FILTERS) else DEPTHS
    for depth in depths:
        df = run({**params, "depth": depth})
        if len(df) >= limit or depth == 0 or df.empty and not params.get("terms"):
            return df
        if len(df) and float(df["min_score"].iloc[0]) <= 0:
            return df
    return df


@dataclass(frozen=True)
class QueryCase:
    """A written-down query and where its answer lies: any of the files, in a sentence holding expect_text."""

    query: str
    lang: str
    expect_files: tuple[str, ...]
    expect_text: str


def load_cases(path: Path) -> list[QueryCase]:
    """The query set (query, lang, expect_files as a|b, expect_text, need)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [QueryCase(r["query"], r["lang"], tuple(f for f in r["expect_files"].split("|") if f),
                          r["expect_text"] or "") for r in csv.DictReader(fh)]


def found(results: pd.DataFrame, case: QueryCase) -> bool:
    """Whether a result row is in one of the expected files (and holds the expected text, if one is given)."""
    for row in results.itertuples():
        if Path(str(row.file)).name in case.expect_files and (not case.expect_text or case.expect_text in row.sentence):
            return True
    return False


def recall_at(con: duckdb.DuckDBPyConnection, tokenizer: Tokenizer, cases: list[QueryCase],
              k: int = 10) -> tuple[float, list[QueryCase]]:
    """Share of the cases answered in the top k results, and the cases missed."""
    missed = [c for c in cases if not found(search(con, c.query, tokenizer, limit=k), c)]
    return (1 - len(missed) / len(cases) if cases else 0.0), missed
