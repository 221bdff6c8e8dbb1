"""`paylens search` and `paylens digest`: find sentences in the corpus, and say what changed in a window."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from paylens.cli.app import cli, data_option, db_option, handled, parse_params  # registers on the shared group
from paylens.config import settings
from paylens.errors import InputError

DAY = click.DateTime(formats=["%Y-%m-%d"])
SEARCH_FILTERS = ("competitors", "platform", "signal", "stance", "publisher", "from", "to")


@cli.command()
@click.argument("text")
@click.option("--param", "params", multiple=True,
              help="k=v filters: competitors=a,b, platform, signal, stance, publisher, from, to.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per result.")
@data_option
@db_option
@handled
def search(text: str, params: tuple[str, ...], limit: int, as_json: bool, data_dir: Path | None,
           db: Path | None) -> None:
    """Full-text search over the corpus' sentences and titles (EN and ZH)."""
    from paylens.search.engine import search as run_search
    from paylens.search.tokenize import tokenizer_for
    from paylens.store.reader import open_store

    filters = parse_params(params)
    unknown = sorted(set(filters) - set(SEARCH_FILTERS))
    if unknown:
        raise InputError(f"--param {', '.join(unknown)}: search takes {', '.join(SEARCH_FILTERS)}")
    cfg = settings(data_dir, db)
    tokenizer = tokenizer_for(str(cfg.data_dir / "lexicon"))
    if not tokenizer.query_terms(text):
        raise InputError(f"search:1: {text!r} has no words to search for")
    con = open_store(cfg.db_path)
    try:
        df = run_search(con, text, tokenizer, filters, limit)
    finally:
        con.close()
    for row in df.to_dict("records"):
        if as_json:
            keys = ("sentence", "platform_id", "signal", "stance", "publisher", "title", "url", "article_id",
                    "sentence_idx", "score")
            out = {k: _plain(row[k]) for k in keys}
            out["date"] = _day(row["date"])
            click.echo(json.dumps(out, ensure_ascii=False, default=str))
            continue
        tags = " · ".join(str(row[k]) for k in ("platform_id", "signal", "stance") if isinstance(row[k], str))
        click.echo(f"{row['score']:6.2f}  {_day(row['date']) or 'undated'}  {tags or '-'}")
        click.echo(f"        {' '.join(str(row['sentence']).split())}")
        click.echo(f"        {row['title']} ({row['publisher'] or 'unknown publisher'}) {row['url'] or ''}")
    if not as_json:
        click.echo(f"{len(df)} result(s)", err=True)


def _plain(value: object) -> object:
    """A result value for JSON: missing (NaN/NA) as null."""
    import pandas as pd

    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _day(value: object) -> str | None:
    """A result's date as YYYY-MM-DD (None when undated)."""
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


@cli.command()
@click.option("--since", type=DAY, required=True, help="First day of the window (YYYY-MM-DD).")
@click.option("--until", type=DAY, default=None, help="Last day of the window (default: today).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--param", "params", multiple=True, help="competitors=a,b to follow only some platforms.")
@data_option
@db_option
@handled
def digest(since: datetime, until: datetime | None, fmt: str, params: tuple[str, ...], data_dir: Path | None,
           db: Path | None) -> None:
    """What changed in a window: new articles, signal shares that moved, new metric values and events."""
    from paylens.digest import make_digest, render
    from paylens.queries import coerce
    from paylens.store.reader import open_store

    filters = parse_params(params)
    if set(filters) - {"competitors"}:
        raise InputError(f"--param {', '.join(sorted(set(filters) - {'competitors'}))}: digest takes competitors")
    competitors = coerce("competitors", filters.get("competitors", ""))
    con = open_store(settings(data_dir, db).db_path)
    try:
        result = make_digest(con, since.date(), until.date() if until else None, competitors)
    finally:
        con.close()
    click.echo(render(result, fmt), nl=False)
