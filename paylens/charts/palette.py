"""One colour per platform, the same on every chart."""

from __future__ import annotations

COLOURS = {
    "alipay": "#1677ff",
    "wechat_pay": "#07c160",
    "unionpay": "#2f4b7c",  # navy: JD Pay already has the red
    "chinaums": "#a0522d",
    "jd_pay": "#e1251b",
    "douyin_pay": "#111111",
    "meituan_pay": "#ffc300",
    "duoduo_pay": "#e02e24",
    "lakala": "#7b3fe4",
    "one_wallet": "#ff6a00",
    "du_xiaoman_pay": "#2932e1",
    "netsunion": "#00838f",
    "market": "#8c8c8c",
    "alipay_zhixiaobao": "#69b1ff",
    "ant_afu": "#36cfc9",
    "ant_lingguang": "#9254de",
    "tencent_yuanbao": "#52c41a",
    "bytedance_doubao": "#595959",
    "alibaba_qwen": "#615ced",  # Qwen's own indigo (not Alipay's blue: it is Alibaba's, not Ant's)
}
# Distinct fallbacks for ids that arrive later (imports, synthetic data), picked by a stable hash.
FALLBACK = ("#6d4c41", "#c2185b", "#00897b", "#5e35b1", "#f4511e", "#3949ab", "#7cb342", "#8e24aa")
# jd_pay and duoduo_pay are both red brands: keep them apart with a dash pattern.
DASH = {"jd_pay": "dash", "duoduo_pay": "dot", "unionpay": "solid"}


def colour(platform_id: str) -> str:
    """The platform's colour (stable for unknown ids too)."""
    if platform_id in COLOURS:
        return COLOURS[platform_id]
    return FALLBACK[sum(platform_id.encode()) % len(FALLBACK)]


def dash(platform_id: str) -> str:
    """Line dash for platforms whose brand colours are close."""
    return DASH.get(platform_id, "solid")


STANCE_COLOURS = {"positive": "#389e0d", "neutral": "#8c8c8c", "negative": "#cf1322"}
CONFIDENCE_SYMBOLS = {"reported": "circle", "secondary": "diamond", "approximate": "circle-open"}
