"""AppTest timings of one dashboard page for `paylens bench` (perf may use streamlit; the core never does)."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest


def _problems(at: AppTest) -> list[str]:
    return [str(e.value)[:200] for e in at.exception] + [str(e.value)[:200] for e in at.error]


def time_page(dashboard: Path, page: str, competitor_sets: list[list[str]],
              timeout: float = 120.0) -> tuple[float, list[float], list[str]]:
    """Seconds for the page's first render with empty caches, then for each rerun after setting the
    Competitors filter to the next set; plus any exception or error the page showed."""
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(dashboard), default_timeout=timeout)
        at.switch_page(page)
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        problems = _problems(at)
        warm = []
        for comps in competitor_sets:
            widget = at.multiselect(key="f_competitors")
            start = time.perf_counter()
            widget.set_value(comps).run()
            warm.append(time.perf_counter() - start)
            problems += _problems(at)
        return cold, warm, problems
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
