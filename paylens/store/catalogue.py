"""The metric catalogue: label, family, research firm and description derived from metric ids."""

from __future__ import annotations

from dataclasses import dataclass

# Research firm / statistics body encoded as the metric id's suffix (DESIGN: the firm is in the name).
FIRMS = {
    "analysys": "Analysys (易观)",
    "iresearch": "iResearch (艾瑞)",
    "questmobile": "QuestMobile",
    "pboc": "PBoC (中国人民银行)",
    "pcac": "PCAC (支付清算协会)",
    "forward_research": "Forward Industry Research",
}
# First matching keyword decides the family; order matters (market share before users, ...).
FAMILY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Market share", ("market_share", "share_of_payment_volume", "qr_code_share", "mobile_share")),
    ("Touchless (tap)", ("tap_",)),
    ("AI", ("ai_",)),
    ("Cross-border & growth", ("inbound", "outbound", "crossborder", "international", "growth")),
    ("App & features", ("install_size", "circles", "red_envelopes", "interactions")),
    ("Finance", ("revenue", "profit", "valuation", "fee", "subsidy_budget")),
    ("Payment volume", ("volume", "value", "transactions", "gmv", "payment_value")),
    ("Users", ("users", "mau", "dau", "accounts", "penetration", "adoption", "downloads", "collectors",
               "participants", "visitors", "survey")),
    ("Merchants & ecosystem", ("merchants", "mini_program", "services_in_app", "brands", "creators", "wallets",
                               "cards_issued")),
)
HEADLINE = (
    "market_share_third_party_mobile_payment_analysys",
    "market_share_third_party_mobile_payment_iresearch",
    "market_share_comprehensive_payment_analysys",
    "monthly_active_users",
    "app_mau_questmobile",
    "group_dedup_mau_questmobile",
    "annual_active_users",
    "tencent_fintech_business_services_revenue",
    "ant_group_net_profit_estimate",
    "nonbank_online_payment_value_pboc",
    "tap_users",
    "merchants",
)
FAMILY_TEXT = {
    "Market share": "Share of a payment market as published by one research firm; firms' definitions differ.",
    "Users": "User counts (registered, monthly or daily active) as published by the source.",
    "Payment volume": "Payment value or transaction counts for the period.",
    "Finance": "Company-level financial figures (revenue, profit, valuation, fees).",
    "Touchless (tap)": "Alipay Tap (碰一下) / NFC roll-out figures: users, merchants, devices, subsidies.",
    "AI": "AI assistant and agent-payment figures.",
    "Merchants & ecosystem": "Merchants, mini programs, creators and partner wallets.",
    "Cross-border & growth": "Cross-border payments and growth rates as stated by the source.",
    "App & features": "App size, feature usage and campaign figures.",
    "Other": "Other sourced figures.",
}


@dataclass(frozen=True)
class MetricInfo:
    """One catalogue entry."""

    metric: str
    label: str
    family: str
    research_firm: str | None
    headline: bool
    description: str


def firm_of(metric: str) -> str | None:
    """Research firm named by the metric id's suffix, if any."""
    for suffix, firm in FIRMS.items():
        if metric.endswith("_" + suffix):
            return firm
    return None


def family_of(metric: str) -> str:
    """Family by the first keyword rule that matches."""
    for family, needles in FAMILY_RULES:
        if any(n in metric for n in needles):
            return family
    return "Other"


def label_of(metric: str) -> str:
    """Readable label: id words with the firm moved into brackets."""
    words = metric
    for suffix in FIRMS:
        if words.endswith("_" + suffix):
            words = words[: -len(suffix) - 1]
    text = words.replace("_", " ")
    text = text.replace("mau", "MAU").replace("dau", "DAU").replace("ai ", "AI ").replace("pboc", "PBoC")
    text = text[:1].upper() + text[1:]
    firm = firm_of(metric)
    return f"{text} ({firm.split(' (')[0]})" if firm else text


def describe(metric: str) -> MetricInfo:
    """Catalogue entry for a metric id."""
    family = family_of(metric)
    firm = firm_of(metric)
    desc = FAMILY_TEXT[family] + (f" Published by {firm}." if firm else "")
    return MetricInfo(metric, label_of(metric), family, firm, metric in HEADLINE, desc)
