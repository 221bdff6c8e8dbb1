"""Text helpers for hover labels: plotly renders a small HTML subset, so data is escaped first."""

from __future__ import annotations

import html
import textwrap


def esc(text: object) -> str:
    """Escape untrusted text for plotly's hover/label HTML subset."""
    return html.escape("" if text is None else str(text), quote=True)


def wrap(text: str, width: int = 60) -> str:
    """Wrap long text onto several hover lines, escaping each line."""
    return "<br>".join(esc(line) for line in textwrap.wrap(text, width))
