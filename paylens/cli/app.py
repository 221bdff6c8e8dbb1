"""What every `paylens` command shares: the click group `cli`, error handling and the common options.

`cli/main.py` (and the command modules it loads) and `perf/cli.py` register their commands on `cli`; each imports
this module, never the other, so no command module imports another.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from paylens.errors import InputError, PaylensError


def handled(fn):
    """Turn PaylensError into `message` on stderr and its exit code; anything else exits 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PaylensError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except Exception as exc:  # a DuckDB error the core did not explain: still a message, not a traceback
            if type(exc).__module__.split(".")[0] not in ("duckdb", "_duckdb"):
                raise
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            click.echo(f"error: {first}; if the store is damaged, run `paylens build` to rebuild it from data/",
                       err=True)
            sys.exit(1)

    return wrapper


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """`k=v` pairs into a dict; a pair without '=' is bad input."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--param {pair!r}: expected key=value")
        out[key.strip()] = value
    return out


db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                         help="Store path (default data/build/paylens.duckdb or $PAYLENS_DB).")
data_option = click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                           default=None, help="Source data folder (default ./data or $PAYLENS_DATA).")


@click.group()
@click.version_option(package_name="paylens")
def cli() -> None:
    """PayLens: Alipay and its rivals in numbers and in the press."""
