"""Story vs numbers' lower sections: the lead/lag reading per signal and the sentences of one chosen period."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from paylens.charts.signals import signal_label
from paylens.impact import lagged_correlations, verdict
from paylens.ui.evidence import evidence_list
from paylens.ui.filters import url_choice
from paylens.ui.store import run


def lead_lag(rows: pd.DataFrame, themes: list[str]) -> None:
    """Per signal: a one-line verdict and, folded away, the rank correlation at each lag."""
    st.subheader("Does the share lead or follow the metric?")
    for signal in themes:
        corr = lagged_correlations(rows, signal)
        st.markdown(f"**{signal_label(signal)}.** {verdict(corr)}")
        with st.expander(f"Rank correlation by lag for {signal_label(signal)} (lag +1: the share one period before "
                         "the value)"):
            st.dataframe(corr, hide_index=True, width="stretch",
                         column_config={"lag": "Lag (periods)", "n": "Periods paired", "rho": "Spearman rho"})


def period_sentences(rows: pd.DataFrame, subject: str, themes: list[str], names: dict[str, str]) -> str:
    """A period picker (set by a click on a bar too) and the subject's sentences of these signals in it."""
    periods = rows.drop_duplicates("period_start")
    starts = [d.strftime("%Y-%m-%d") for d in periods["period_start"]]
    period_names = dict(zip(starts, periods["period"], strict=True))
    st.subheader("Sentences of a period")
    at = url_choice("Period", "at", ["", *starts], "", format_func=lambda d: period_names.get(d, "Choose a period"))
    if at:
        end = periods.set_index(periods["period_start"].dt.strftime("%Y-%m-%d")).loc[at, "period_end"]
        evidence = run("signal_evidence", {"competitors": [subject], "platform": subject, "from": at,
                                           "to": end.date().isoformat(), "limit": 500})
        evidence_list(evidence[evidence["signal"].isin(themes)], names,
                      f"No sentence about {names[subject]} shows these signals in {period_names[at]}.",
                      key="impact_evidence")
    return at
