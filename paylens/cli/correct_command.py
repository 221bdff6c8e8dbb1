"""`paylens correct HIT_KEY ...`: mark a hit as wrong platform, wrong stance or not this signal."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from paylens.cli.app import cli, data_option, db_option, handled  # registers on the shared group
from paylens.config import settings
from paylens.errors import InputError
from paylens.signals.taxonomy import STANCES
from paylens.wording import counted


def _default_who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


@cli.command()
@click.argument("hit_key")
@click.option("--wrong-platform", is_flag=True,
              help="The sentence is not about this platform: drop the hit (or move it, with --right-platform).")
@click.option("--right-platform", default="", metavar="PLATFORM_ID",
              help="With --wrong-platform: the platform the sentence is about; the hit moves there.")
@click.option("--stance", type=click.Choice(STANCES), help="The right stance: replace the hit's stance.")
@click.option("--not-signal", is_flag=True, help="The sentence does not show this signal: drop the hit.")
@click.option("--reason", required=True, help="Why the hit is wrong (one line).")
@click.option("--who", default=None, help="Who corrects it (default: the login name).")
@data_option
@db_option
@handled
def correct(hit_key: str, wrong_platform: bool, right_platform: str, stance: str | None, not_signal: bool,
            reason: str, who: str | None, data_dir: Path | None, db: Path | None) -> None:
    """Correct one hit, HIT_KEY = article_id:sentence_idx:platform_id:signal; saved in data/corrections.csv.

    The correction is applied at every build (the hit dropped or moved, or its stance replaced) and counted in
    the store.
    """
    from paylens.store.correct import correct_hit

    chosen = [name for name, on in (("wrong_platform", wrong_platform), ("stance", stance is not None),
                                    ("not_signal", not_signal)) if on]
    if len(chosen) != 1:
        raise InputError("correct:1: give exactly one of --wrong-platform, --stance S, --not-signal")
    if right_platform and not wrong_platform:
        raise InputError("correct:1: --right-platform goes with --wrong-platform")
    result = correct_hit(settings(data_dir, db), hit_key, chosen[0], stance or "", reason,
                         who if who is not None else _default_who(), right_platform=right_platform)
    fix = result.correction
    what = f"stance set to {fix.stance}" if fix.action == "stance" else \
        f"moved to {fix.right_platform}" if fix.right_platform else f"dropped ({fix.action.replace('_', ' ')})"
    click.echo(f"corrected {hit_key}: {what}; saved in data/corrections.csv; "
               f"{counted(result.corrected_hits, 'hit')} corrected by analysts (build {result.build.build_id[:12]})")
