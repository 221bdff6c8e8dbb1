"""Stores for the search tests: the fixture corpus with written-for-test articles, and the real corpus."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paylens.search.tokenize import Tokenizer
from tests.search.corpus import build_store, copy_real_data, make_search_data


@pytest.fixture(scope="session")
def search_data(tmp_path_factory) -> Path:
    return make_search_data(tmp_path_factory.mktemp("search") / "data")


@pytest.fixture(scope="session")
def search_store(search_data, tmp_path_factory) -> Path:
    return build_store(search_data, tmp_path_factory.mktemp("search_store") / "paylens.duckdb")


@pytest.fixture(scope="session")
def tokenizer(search_data) -> Tokenizer:
    return Tokenizer.from_lexicon(search_data / "lexicon")


@pytest.fixture
def search_con(search_store):
    con = duckdb.connect(str(search_store), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def real_store(tmp_path_factory) -> tuple[Path, Path]:
    """(data dir, store) built from a copy of the whole real data/ folder."""
    data = copy_real_data(tmp_path_factory.mktemp("real") / "data")
    return data, build_store(data, tmp_path_factory.mktemp("real_store") / "paylens.duckdb")
