"""Pure display tables: paging of the article list and its labels."""

from __future__ import annotations

import pandas as pd
import pytest

from paylens.charts.tables import article_label, articles_table, page_count, page_span, rows_caption


@pytest.mark.parametrize("total, size, pages", [(0, 200, 1), (1, 200, 1), (200, 200, 1), (201, 200, 2),
                                                (70_707, 200, 354)])
def test_page_count(total, size, pages):
    assert page_count(total, size) == pages


@pytest.mark.parametrize("page, total, span", [(1, 450, (0, 200)), (2, 450, (200, 400)), (3, 450, (400, 450)),
                                               (9, 450, (400, 450)), (0, 450, (0, 200)), (1, 0, (0, 0))])
def test_page_span_is_clamped_to_existing_pages(page, total, span):
    assert page_span(page, total, 200) == span


def test_every_row_is_on_exactly_one_page():
    total, size = 1_003, 200
    covered = [i for p in range(1, page_count(total, size) + 1) for i in range(*page_span(p, total, size))]
    assert covered == list(range(total))


def test_rows_caption():
    assert rows_caption(200, 400, 70_707) == "rows 201–400 of 70,707"
    assert rows_caption(0, 0, 0) == "no rows"


def corpus() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a", "b", "c"],
        "date": pd.to_datetime(["2025-01-02", None, "2024-06-01"]),
        "title": ["First", "<b>Second</b>", "第三"],
        "publisher": ["P", None, "Q"], "lang": ["en", "en", "zh"], "url": ["https://x.test", None, None],
        "file": ["a.txt", "b.txt", "c.txt"], "hits": [3, 0, 1], "signals": ["x", "", "y"],
        "platforms": ["alipay", "", "wechat_pay"],
    })


def test_articles_table_shows_one_page_with_dates_as_text():
    out = articles_table(corpus(), 1, 3)
    assert list(out["article_id"]) == ["b", "c"]
    assert list(out["date"]) == ["undated", "2024-06-01"]
    assert list(out["label"]) == ["undated · <b>Second</b>", "2024-06-01 · 第三"]
    assert "file" not in out.columns and "platforms" not in out.columns
    assert articles_table(corpus().head(0)).empty


def test_article_label_finds_an_article_off_the_page():
    assert article_label(corpus(), "a") == "2025-01-02 · First"
    assert article_label(corpus(), "zzz") == "zzz"
