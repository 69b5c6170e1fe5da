"""The sentences a brief's reasons are made of, in the RM's language (English, Simplified Chinese).

A reason is data composed for one RM ("names your customer Apple Inc.; 3 outlets"), so it
is written here in that RM's language; the templates translate their own labels through
their Babel catalogues. Every placeholder is filled with plain text; renderers escape it.
"""
from __future__ import annotations

from typing import Any

from mi.analysis.industries import section_name

PHRASES: dict[str, dict[str, str]] = {
    "names_customer": {"en": "names your customer {customer}", "zh": "提及您的客户{customer}"},
    "holds": {"en": "{count} products held, balance {balance}", "zh": "持有{count}项产品，余额{balance}"},
    "holds_one": {"en": "1 product held, balance {balance}", "zh": "持有1项产品，余额{balance}"},
    "outlets": {"en": "reported by {count} outlets", "zh": "{count}家媒体报道"},
    "tone": {"en": "tone {tone}", "zh": "语气{tone}"},
    "on_unusual_market": {"en": "on a market that moved unusually today", "zh": "涉及今日异常波动的市场"},
    "book_share": {"en": "{share} of your customers are in {industry}", "zh": "您{share}的客户属于{industry}"},
    "pulse": {"en": "news volume {ratio}x its usual level, {label}", "zh": "新闻量为常态的{ratio}倍，{label}"},
    "sentiment_shift": {"en": "sentiment {direction} by {shift}", "zh": "情绪{direction}{shift}"},
    "industry_event": {"en": "today's story in {industry}", "zh": "今日{industry}行业要闻"},
    "move_for": {"en": "matters to {count} of your customers ({who})", "zh": "影响您的{count}位客户（{who}）"},
    "anomaly": {"en": "an unusual move (score {score})", "zh": "异常波动（评分{score}）"},
    "forecast": {"en": "next: {low} to {high} (80% band)", "zh": "预测区间：{low}至{high}（80%）"},
    "competitor": {"en": "{count} of your customers hold {category} products",
                   "zh": "您有{count}位客户持有{category}类产品"},
    "suggest": {"en": "{customer} is in the news on {theme} and holds no {product} yet",
                "zh": "{customer}涉及{theme}新闻，尚未持有{product}"},
    "suggest_move": {"en": "{customer} is exposed to {series} and holds no {product} yet",
                     "zh": "{customer}受{series}影响，尚未持有{product}"},
    "your_note": {"en": "your note of {date}: {text}", "zh": "您{date}的记录：{text}"},
    "colleague_note": {"en": "a colleague's note of {date}: {text}", "zh": "同事{date}的记录：{text}"},
    "heating": {"en": "heating up", "zh": "升温"},
    "cooling": {"en": "cooling down", "zh": "降温"},
    "steady": {"en": "steady", "zh": "平稳"},
    "up": {"en": "up", "zh": "上升"},
    "down": {"en": "down", "zh": "下降"},
    "positive": {"en": "positive", "zh": "正面"},
    "negative": {"en": "negative", "zh": "负面"},
    "neutral": {"en": "neutral", "zh": "中性"},
    "and_more": {"en": "{names} and {count} more", "zh": "{names}等{total}位"},
    "separator": {"en": "; ", "zh": "；"},
    "list_separator": {"en": ", ", "zh": "、"},
}

THEME_NAMES: dict[str, dict[str, str]] = {
    "fx": {"en": "currencies", "zh": "汇率"}, "rates": {"en": "interest rates", "zh": "利率"},
    "commodities": {"en": "commodities", "zh": "大宗商品"}, "equities": {"en": "equity markets", "zh": "股市"},
    "credit": {"en": "credit", "zh": "信贷"}, "m_and_a": {"en": "mergers and acquisitions", "zh": "并购"},
    "earnings": {"en": "earnings", "zh": "业绩"}, "trade_policy": {"en": "trade policy", "zh": "贸易政策"},
    "regulation": {"en": "regulation", "zh": "监管"}, "macro": {"en": "the economy", "zh": "宏观"},
}


#: ISIC Rev.4 sections in Chinese (the UN's Chinese edition), for zh briefs.
SECTION_NAMES_ZH = {
    "A": "农业、林业及渔业", "B": "采矿和采石", "C": "制造业", "D": "电、煤气、蒸汽和空调供应",
    "E": "供水、污水处理和废物管理", "F": "建筑业", "G": "批发和零售业", "H": "运输和储存", "I": "食宿服务",
    "J": "信息和通信", "K": "金融和保险", "L": "房地产", "M": "专业、科学和技术活动", "N": "行政和辅助服务",
    "O": "公共管理与国防", "P": "教育", "Q": "卫生和社会工作", "R": "艺术、娱乐和文娱", "S": "其他服务",
    "T": "家庭作为雇主的活动", "U": "域外组织和机构",
}


def industry_name(language: str, section: str) -> str:
    """An ISIC section's name in the RM's language."""
    if language == "zh" and section in SECTION_NAMES_ZH:
        return SECTION_NAMES_ZH[section]
    return section_name(section)


def say(language: str, key: str, **values: Any) -> str:
    """The phrase ``key`` in ``language`` (English when the language has none), filled in."""
    forms = PHRASES[key]
    return forms.get(language, forms["en"]).format(**values)


def theme_name(language: str, theme: str) -> str:
    names = THEME_NAMES.get(theme)
    return (names.get(language) or names["en"]) if names else theme


def join(language: str, parts: list[str]) -> str:
    return say(language, "separator").join(part for part in parts if part)


def names_list(language: str, names: list[str], shown: int = 3) -> str:
    if len(names) <= shown:
        return say(language, "list_separator").join(names)
    listed = say(language, "list_separator").join(names[:shown])
    return say(language, "and_more", names=listed, count=len(names) - shown, total=len(names))


def amount(value: float) -> str:
    """A balance as people say it: 950k, 12.4m, 1.3bn (the bank's currency)."""
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:.0f}"
