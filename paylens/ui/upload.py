"""Article upload: preview signals, then add through the same ingest path as the CLI."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from paylens.article_view import escape_markdown
from paylens.charts.tables import readable_hits
from paylens.config import settings
from paylens.errors import PaylensError
from paylens.signals.articles import ARTICLE_MAX_BYTES, parse_article_bytes
from paylens.store.intake import ingest_articles
from paylens.ui.evidence import evidence_cards
from paylens.ui.filters import platform_names
from paylens.ui.store import extractor
from paylens.ui.widgets import show_error
from paylens.wording import counted


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).name).strip("-.") or "upload"
    return stem if stem.endswith((".txt", ".md")) else stem + ".txt"


def upload_box() -> None:
    """File uploader (.txt/.md, 2 MB each) with a signal preview and an Add to corpus button."""
    files = st.file_uploader("Upload articles (.txt or .md, at most 2 MB each)", type=["txt", "md"],
                             accept_multiple_files=True, key="upload", max_upload_size=2)
    if not files:
        return
    cfg = settings()
    good: list[tuple[str, bytes]] = []
    for n, up in enumerate(files):
        data = up.getvalue()
        if len(data) > ARTICLE_MAX_BYTES:
            show_error(f"{up.name}: {len(data):,} bytes; the limit is {ARTICLE_MAX_BYTES:,}.")
            continue
        try:
            art = parse_article_bytes(data, _safe_name(up.name))
        except PaylensError as exc:
            show_error(exc)
            continue
        hits = extractor(str(cfg.data_dir / "lexicon")).extract_article(art)
        st.markdown(f"**{escape_markdown(_safe_name(up.name))}** · {escape_markdown(art.lang)} · "
                    f"{counted(len(hits), 'signal hit')}")
        if hits:
            evidence_cards(readable_hits(pd.DataFrame(list(hits)), platform_names()), key=f"upload_{n}")
        good.append((_safe_name(up.name), data))
    if good and cfg.read_only:
        st.caption("This dashboard is read-only (PAYLENS_READ_ONLY=1): the preview is all it does.")
        return
    if good and st.button(f"Add {len(good)} to corpus", type="primary", key="add_to_corpus"):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for name, data in good:
                (Path(tmp) / name).write_bytes(data)
                paths.append(Path(tmp) / name)
            try:
                result = ingest_articles(cfg, paths)
            except PaylensError as exc:
                show_error(exc)
                return
        st.success(f"Added {counted(result.added, 'article')}; {result.skipped} already in the corpus. "
                   "The store was rebuilt; the table above shows them on the next interaction.")
