"""One cached read-only connection per store file generation, and cached named queries."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from paylens import queries
from paylens.config import settings
from paylens.store.reader import StoreHandle


@st.cache_resource(show_spinner=False)
def handle(db_path: str) -> StoreHandle:
    """The process-wide handle for a store path."""
    return StoreHandle(Path(db_path))


def db_path() -> str:
    """The store path from env/defaults, read once per call (cheap)."""
    return str(settings().db_path)


@st.cache_data(show_spinner=False, max_entries=512, ttl=6 * 3600)
def _cached(name: str, items: tuple, build: str, path: str) -> pd.DataFrame:
    """One query's rows; `build` (the store's build id) is only part of the cache key: a rebuild misses."""
    con, _ = handle(path).current()
    return queries.run(con, name, dict(items))


# Queries whose results run to tens of MB at scale (compare_metrics: 66,676 rows, 28 MB at 10M metric rows;
# articles_list: 70,707 rows): a cache of their own with 8 entries (~230 MB at most), not 512 of them.
LARGE = frozenset({"compare_metrics", "articles_list"})


@st.cache_data(show_spinner=False, max_entries=8, ttl=6 * 3600)
def _cached_large(name: str, items: tuple, build: str, path: str) -> pd.DataFrame:
    """`_cached` for the LARGE queries."""
    con, _ = handle(path).current()
    return queries.run(con, name, dict(items))


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def run(name: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run a named query through the cache keyed by name, parameters and build id."""
    path = db_path()
    _, build = handle(path).current()
    bound = queries.bind(queries.get(name), params)
    items = tuple(sorted((k, _key(v)) for k, v in bound.items()))
    frame = (_cached_large if name in LARGE else _cached)(name, items, build, path)
    _remember(frame, (name, items, build, path))
    return frame


class ListedArticle:
    """`article_id in listed`: whether articles_list holds that article for these filters, asked of the store
    for that one id (a link may open an article on another page of the list than the one shown)."""

    def __init__(self, params: Mapping[str, object]) -> None:
        self.params = dict(params)

    def row(self, article_id: str) -> pd.DataFrame:
        """The article's row of the list (empty when the filters leave it out)."""
        return run("articles_list", {**self.params, "article_id": article_id, "page_size": 1})

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and bool(article_id) and not self.row(article_id).empty

    def label(self, article_id: str) -> str:
        """'2024-06-01 · Title' of the article, or the id itself if the list lacks it."""
        from paylens.charts.tables import articles_table

        rows = articles_table(self.row(article_id))
        return rows["label"].iloc[0] if len(rows) else article_id


def deferred_run(name: str, params: Mapping[str, object] | None = None) -> Callable[[], pd.DataFrame]:
    """A zero-argument function running a named query on the store when called (a download's click).

    Not cached: a whole list (articles_list: 707,810 rows at 1M articles) is read once per click, not kept.
    """
    path = db_path()
    bound = queries.bind(queries.get(name), params)  # bad parameters fail now, on the page, not on the click
    return lambda: queries.run(handle(path).current()[0], name, bound)


@st.cache_data(show_spinner=False, max_entries=32, ttl=6 * 3600)
def _distinct(name: str, column: str, items: tuple, build: str, path: str) -> list:
    con, _ = handle(path).current()
    return sorted(queries.run(con, name, dict(items))[column].dropna().unique())


def distinct(name: str, column: str, params: Mapping[str, object] | None = None) -> list:
    """The sorted distinct non-null values of one column of a named query, cached by build: a picker's options
    without copying the whole result out of the cache on every rerun (articles_list: 31 MB, ~35 ms)."""
    path = db_path()
    _, build = handle(path).current()
    bound = queries.bind(queries.get(name), params)
    return _distinct(name, column, tuple(sorted((k, _key(v)) for k, v in bound.items())), build, path)


# Which query (name, bound parameters, build id) a frame handed out by `run` holds, by the frame's identity:
# a figure built from such frames is a pure function of those keys, so equal keys can share one figure.
_FRAMES: dict[int, tuple[weakref.ref, tuple]] = {}
_FRAMES_LOCK = threading.Lock()


def _remember(frame: pd.DataFrame, key: tuple) -> None:
    ident = id(frame)

    def forget(ref: weakref.ref, ident: int = ident) -> None:
        with _FRAMES_LOCK:
            if _FRAMES.get(ident, (None,))[0] is ref:
                del _FRAMES[ident]

    with _FRAMES_LOCK:
        _FRAMES[ident] = (weakref.ref(frame, forget), key)


def frame_key(frame: object) -> tuple | None:
    """The query key of a frame exactly as `run`/`chart_rows` returned it (None for any other frame)."""
    entry = _FRAMES.get(id(frame))
    return entry[1] if entry is not None and entry[0]() is frame else None


# 128 figures: every chart of every page for the bench's 12 competitor sets (~10 charts a set) stays cached;
# at 32, Signals' four figures x 12 sets evicted each other in turn and every change rebuilt all four.
@st.cache_resource(show_spinner=False, max_entries=128, ttl=6 * 3600)
def _figure(builder: str, key: tuple, _build: Callable, _args: tuple, _kwargs: dict):
    """A built figure, shared by every session while its inputs' keys are equal (never mutated afterwards:
    st.plotly_chart serialises a copy)."""
    return _build(*_args, **_kwargs)


def figure(build: Callable, *args, **kwargs):
    """`build(*args, **kwargs)`, reused for equal inputs: DataFrames count by the query they came from (name,
    bound parameters, build id), everything else by value. A frame not straight from `run`/`chart_rows` (sliced,
    joined, edited) or an argument of another type means no reuse: the figure is simply built."""
    key = []
    for name, item in [*enumerate(args), *sorted(kwargs.items())]:
        if isinstance(item, pd.DataFrame):
            known = frame_key(item)
            if known is None:
                return build(*args, **kwargs)
            key.append((name, "frame", known))
        elif item is None or isinstance(item, str | int | float | bool):
            key.append((name, type(item).__name__, item))
        else:
            return build(*args, **kwargs)
    return _figure(f"{build.__module__}.{build.__qualname__}", tuple(key), build, args, kwargs)


def current_build_id() -> str:
    """Build id of the store the app is reading."""
    return handle(db_path()).current()[1]


@st.cache_resource(show_spinner=False)
def extractor(lexicon_dir: str):
    """The signal extractor, built once per lexicon folder."""
    from paylens.signals.extract import Extractor

    return Extractor.from_dir(Path(lexicon_dir))



def chart_rows(name: str, view: Mapping[str, object]) -> pd.DataFrame:
    """The rows behind one chart for a view, through the snapshot's own translation (so page and zip agree)."""
    from paylens.snapshot import chart_frame

    keys: list[tuple | None] = []

    def recorded(query: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        frame = run(query, params)
        keys.append(frame_key(frame))
        return frame

    frame = chart_frame(recorded, name, view)
    if None not in keys:  # a frame of several queries (a metric with `with=` series) is keyed by all of them
        _remember(frame, ("rows", name, tuple(keys)))
    return frame


@st.cache_resource(show_spinner=False)
def lexicon(lexicon_dir: str):
    """The lexicon, loaded once per folder (for attribution reasons beside evidence)."""
    from paylens.signals.lexicon import load_lexicon

    return load_lexicon(Path(lexicon_dir))
