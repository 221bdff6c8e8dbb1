"""Signals against a metric: the aligned periods and rank correlations at lags, said plainly when too few."""

from __future__ import annotations

import numpy as np
import pandas as pd

LAGS = range(-4, 5)
MIN_PAIRS = 8  # fewer periods with both a value and articles than this, and no correlation is given


def aligned_table(df: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """One row per period: the metric's value (or 'no value for P') and each signal's share with its counts."""
    if df.empty:
        return pd.DataFrame()
    first = df.drop_duplicates("period_start").set_index("period_start")
    out = pd.DataFrame({"Period": first["period"],
                        "Value": [f"{v:,.4g} {u.replace('_', ' ')}" if pd.notna(v) else f"no value for {p}"
                                  for v, u, p in zip(first["value"], first["unit"].fillna(""), first["period"],
                                                     strict=True)],
                        "Articles on the platform": first["platform_articles"].astype(int)})
    for signal, part in df.groupby("signal", sort=False):
        part = part.set_index("period_start").reindex(out.index)
        counts = zip(part["share"], part["signal_articles"].astype(int), part["platform_articles"].astype(int),
                     strict=True)
        out[labels.get(signal, signal)] = ["no articles" if not b else f"{s:.0%} ({a} of {b})" for s, a, b in counts]
    return out.reset_index(drop=True)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (ties share their average rank); NaN when either side is constant."""
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def lagged_correlations(df: pd.DataFrame, signal: str, lags: range = LAGS, min_pairs: int = MIN_PAIRS) -> pd.DataFrame:
    """Rank correlation of the signal's share at period t with the metric at t + lag, for each lag.

    Only real periods pair up: the calendar position decides what "lag 1" is, and a period without a value or
    without articles is left out, never filled. Each row has its n; rho is empty below `min_pairs`.
    """
    part = df[df["signal"] == signal].sort_values("period_start").reset_index(drop=True)
    share = part["share"].to_numpy(dtype=float)
    value = part["value"].to_numpy(dtype=float)
    rows = []
    for lag in lags:
        pairs = [(share[t], value[t + lag]) for t in range(len(part))
                 if 0 <= t + lag < len(part) and not np.isnan(share[t]) and not np.isnan(value[t + lag])]
        n = len(pairs)
        rho = spearman(*map(np.array, zip(*pairs, strict=True))) if n >= min_pairs else float("nan")
        rows.append({"lag": lag, "n": n, "rho": None if np.isnan(rho) else round(rho, 3)})
    return pd.DataFrame(rows)


def verdict(corr: pd.DataFrame, min_pairs: int = MIN_PAIRS) -> str:
    """A plain sentence on what the data can support."""
    most = int(corr["n"].max()) if len(corr) else 0
    if most < min_pairs:
        return (f"Too few periods to say anything: at most {most} period(s) have both a value and articles about "
                f"the platform (at least {min_pairs} are needed). The chart shows what there is; no correlation is "
                "computed.")
    best = corr.dropna(subset=["rho"])
    if best.empty:
        return "The share or the metric does not vary over these periods, so there is nothing to correlate."
    top = best.loc[best["rho"].abs().idxmax()]
    return (f"The strongest rank correlation is {top['rho']:+.2f} at lag {int(top['lag']):+d} (n = {int(top['n'])}). "
            "With this few periods, read it as a hint to look at the sentences, not as evidence of cause.")
