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
# What the pages, CSV readers and the digest call each signal (taxonomy order).
SIGNAL_LABELS: dict[str, str] = {
    "touchless_subsidy": "Touchless & subsidies",
    "ai_assistant": "AI assistant push",
    "feature_sprawl": "Feature sprawl",
    "social_content": "Social & content",
    "traffic_focus": "Traffic chasing",
    "b_end_empowerment": "Merchant enablement",
    "ecosystem_dependence": "Parent-ecosystem dependence",
    "competitive_threat": "Competitive threat",
    "regulatory_pressure": "Regulatory pressure",
    "user_experience_complaints": "User complaints",
}
STANCES: tuple[str, ...] = ("positive", "negative", "neutral")
MARKET = "market"
LANGS: tuple[str, ...] = ("en", "zh")
