"""paylens.units: values read with their units."""

import math

import pytest

from paylens.units import axis_title, format_value


@pytest.mark.parametrize("value, unit, text", [
    (55.39, "percent", "55.4%"),
    (0.8, "percent", "0.8%"),
    (13.6, "billion_cny", "¥13.6bn"),
    (0.6545, "billion_usd", "US$0.654bn"),
    (893, "million_users", "893m users"),
    (1266, "million_users", "1,266m users"),
    (-3.5, "percent_growth", "-3.5% growth"),
    (7, "wallets", "7 wallets"),
    (float("nan"), "percent", "–"),
    (None, "percent", "–"),
])
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


def test_axis_titles():
    assert axis_title("trillion_cny") == "CNY (trillions)"
    assert axis_title("brands_and_merchants") == "Brands and merchants"
    assert not math.isnan(len(axis_title("percent")))
