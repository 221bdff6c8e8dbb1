"""Threats: who threatens whom (threatened platform x rival), and the sentences behind the chosen cell."""

from __future__ import annotations

import streamlit as st

from paylens.charts.tables import readable_hits
from paylens.charts.threats import UNNAMED, cell_id, parse_cell, threat_figure, threat_trend_figure
from paylens.ui.evidence import count_line, evidence_cards
from paylens.ui.filters import Filters, platform_names, set_choice, url_choice
from paylens.ui.store import figure, run
from paylens.ui.widgets import chart_selection, download_csv, empty_state, sources

EVIDENCE_LIMIT = 500  # like the Signals evidence: the newest 500 sentences of a cell


def threats_section(f: Filters, key: str = "threats") -> dict[str, str]:
    """Draw the threat matrix, the chosen platform's threats over time and the sentences of one cell.

    A click on a cell (or the picker under the chart) chooses it; the choice lives in the URL as
    `threat=alipay:wechat_pay` (`alipay:unnamed` for sentences that name no rival). Returns this section's URL
    parameters: pass them to `sync_url` with the page's own.
    """
    names = platform_names()
    matrix = run("threat_matrix", f.params())
    st.caption("Rows are the threatened platforms, columns the rival the sentence says is moving in "
               "(“微信支付正在抢走支付宝的线下商户”, “Douyin Pay … challenge Alipay”); *unnamed* when it names none. "
               "Each cell: share of the threatened platform's articles, and the counts behind it. "
               "Click a cell for its sentences.")
    cells = [cell_id(p, r) for p, r in zip(matrix["platform_id"], matrix["rival_id"], strict=True)]
    clicked = chart_selection(f"{key}_chart")
    if clicked and len(clicked) >= 2:
        value = cell_id(str(clicked[0]), str(clicked[1]))
        if value in cells and value != st.session_state.get(f"_{key}_last"):
            st.session_state[f"_{key}_last"] = value
            set_choice("threat", value)
    st.plotly_chart(figure(threat_figure, matrix, "Share of the threatened platform's articles"), width="stretch",
                    key=f"{key}_chart", on_select="rerun", selection_mode="points", config={"displaylogo": False})
    download_csv(matrix, "threat_matrix", f, key=f"dl_{key}_matrix")
    if matrix.empty:
        return {}

    def label(value: str) -> str:
        platform, rival = parse_cell(value) or ("", "")
        by = names.get(rival, rival) if rival else f"{UNNAMED} rival"
        return f"{names.get(platform, platform)} threatened by {by}"

    named = matrix[matrix["rival_id"] != ""]
    top = named if len(named) else matrix
    best = top.sort_values(["articles", "hits"], ascending=False).iloc[0]
    choice = url_choice("Sentences for", "threat", cells, cell_id(best["platform_id"], best["rival_id"]),
                        format_func=label) or cells[0]
    platform, rival = parse_cell(choice) or ("", "")
    trend = run("threat_trend", {**f.params(), "platform": platform})
    title = f"Who threatens {names.get(platform, platform)}, per {{period}}"
    st.plotly_chart(figure(threat_trend_figure, trend, title), width="stretch", key=f"{key}_trend",
                    config={"displaylogo": False})
    download_csv(trend, "threat_trend", f, platform, key=f"dl_{key}_trend")
    params = {**f.params(), "platform": platform, "rival": rival, "limit": EVIDENCE_LIMIT}
    evidence = run("threat_evidence", params)
    if evidence.empty:
        empty_state("No sentence for this cell in the chosen dates.")
    else:
        st.caption(count_line(len(evidence), EVIDENCE_LIMIT))
        evidence_cards(readable_hits(evidence, names), key=f"{key}_evidence")
    download_csv(evidence, "threat_evidence", f, choice.replace(":", "_by_"), key=f"dl_{key}_evidence")
    sources(evidence, f"{key}_sources")
    return {"threat": choice}
