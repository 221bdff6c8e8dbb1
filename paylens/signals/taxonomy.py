"""Fixed ids from DESIGN.md: signals, stances and the market pseudo-platform."""

from __future__ import annotations

SIGNAL_IDS: tuple[str, ...] = (
    "touchless_subsidy",
    "ai_assistant",
    "feature_sprawl",
    "social_content",
    "traffic_focus",
    "b_end_empowerment",
    "ecosystem_dependence",
    "competitive_threat",
    "regulatory_pressure",
    "user_experience_complaints",
)
STANCES: tuple[str, ...] = ("positive", "negative", "neutral")
MARKET = "market"
LANGS: tuple[str, ...] = ("en", "zh")
