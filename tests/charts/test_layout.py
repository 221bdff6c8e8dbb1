"""The shared layout: every finished figure is drawn with the plotly_white template."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

from paylens.charts.layout import TEMPLATE, empty_figure, finish


def _template(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))["layout"]["template"]


def test_a_finished_figure_carries_plotly_white():
    fig = finish(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="Alipay")), "Share")
    assert TEMPLATE == "plotly_white"
    assert _template(fig) == json.loads(json.dumps(pio.templates["plotly_white"].to_plotly_json()))
    assert _template(fig) != json.loads(json.dumps(pio.templates["plotly"].to_plotly_json()))


def test_the_empty_state_figure_carries_it_too():
    assert _template(empty_figure("No data")) == json.loads(json.dumps(pio.templates["plotly_white"].to_plotly_json()))


def test_plotly_white_even_when_another_default_was_set_later(monkeypatch):
    # importing streamlit sets pio.templates.default = "streamlit"; figures must not change look with import order
    monkeypatch.setattr(pio.templates, "default", "streamlit" if "streamlit" in pio.templates else "plotly")
    fig = finish(go.Figure(go.Bar(x=["a"], y=[1])))
    assert _template(fig) == json.loads(json.dumps(pio.templates["plotly_white"].to_plotly_json()))
