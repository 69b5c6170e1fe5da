"""Market themes of a news document, from the keyword rules in data/themes.yaml.

The vocabulary is fixed (THEMES); a document gets every theme whose rules reach their
threshold, strongest first, and explain_themes() shows the phrases behind each score.
"""
from __future__ import annotations

from collections.abc import Sequence

from mi.analysis.keyword_rules import RuleSet, load_rules
from mi.analysis.keyword_scoring import LabelEvidence, evidence, tag, tag_batch

THEMES = (
    "fx", "rates", "commodities", "equities", "credit",
    "m_and_a", "earnings", "trade_policy", "regulation", "macro",
)
_RULES_FILE = "themes.yaml"


def theme_rules() -> RuleSet:
    rules = load_rules(_RULES_FILE)
    # A theme outside the agreed vocabulary would leak into the warehouse unnoticed.
    unknown = set(rules.labels) - set(THEMES)
    if unknown:
        raise ValueError(f"{_RULES_FILE} defines themes outside the vocabulary: {sorted(unknown)}")
    return rules


def themes_version() -> int:
    """Version of the theme rule file, for recording which rules produced a tag."""
    return theme_rules().version


def tag_themes(title: str | None, text: str) -> list[str]:
    """Themes of one document, strongest first."""
    return tag(theme_rules(), title, text or "")


def tag_themes_batch(docs: Sequence[tuple[str | None, str]]) -> list[list[str]]:
    """Themes of many (title, text) documents."""
    return tag_batch(theme_rules(), [(title, text or "") for title, text in docs])


def explain_themes(title: str | None, text: str) -> list[LabelEvidence]:
    """Every theme with at least one matching phrase: score, threshold, whether tagged, phrases."""
    return evidence(theme_rules(), title, text or "")
