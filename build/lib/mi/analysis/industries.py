"""Industries of a news document as ISIC Rev.4 sections (A-U), from data/industries.yaml.

Keyword rules decide from the text; callers may add hints from structured knowledge (the
section of a linked company, a feed's declared sector). Hints are deliberate, so a valid
hint is always in the result, even when the text alone would not reach the threshold.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from mi.analysis.keyword_rules import RuleSet, load_rules, rule_file, word_tokens
from mi.analysis.keyword_scoring import LabelEvidence, evidence

ISIC_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
_RULES_FILE = "industries.yaml"


@dataclass(frozen=True)
class IndustryEvidence:
    """Why a section was or was not tagged: the keyword evidence and any hints naming it."""

    section: str
    name: str
    tagged: bool
    keywords: LabelEvidence | None
    hints: tuple[str, ...]


def industry_rules() -> RuleSet:
    rules = load_rules(_RULES_FILE)
    if set(rules.labels) != set(ISIC_SECTIONS):
        raise ValueError(f"{_RULES_FILE} must define exactly the ISIC sections A-U")
    return rules


def industries_version() -> int:
    """Version of the industry rule file, for recording which rules produced a tag."""
    return industry_rules().version


def section_name(section: str) -> str:
    return industry_rules().names[section]


@cache
def _hint_aliases() -> dict[tuple[str, ...], tuple[str, ...]]:
    aliases = rule_file(_RULES_FILE).get("hint_aliases", {})
    return {tuple(word_tokens(name)): tuple(sections) for name, sections in aliases.items()}


def sections_for_hint(hint: str) -> tuple[str, ...]:
    """Sections a hint names: a letter A-U as is, or a known category name; else none."""
    cleaned = hint.strip()
    if len(cleaned) == 1 and cleaned.upper() in ISIC_SECTIONS:
        return (cleaned.upper(),)
    return _hint_aliases().get(tuple(word_tokens(cleaned)), ())


def explain_industries(title: str | None, text: str, hints: Sequence[str] = ()) -> list[IndustryEvidence]:
    """Sections with keyword matches or hints, tagged ones first, strongest first."""
    by_section = {e.label: e for e in evidence(industry_rules(), title, text or "")}
    hinted: dict[str, list[str]] = {}
    for hint in hints:
        for section in sections_for_hint(hint):
            hinted.setdefault(section, []).append(hint)
    found = []
    for section in set(by_section) | set(hinted):
        keywords = by_section.get(section)
        tagged = section in hinted or (keywords is not None and keywords.tagged)
        found.append(IndustryEvidence(section, section_name(section), tagged, keywords, tuple(hinted.get(section, ()))))
    found.sort(key=lambda e: (not e.tagged, not e.hints, -(e.keywords.score if e.keywords else 0.0), e.section))
    return found


def tag_industries(title: str | None, text: str, hints: Sequence[str] = ()) -> list[str]:
    """ISIC sections of one document: hinted ones first, then by keyword score."""
    return [e.section for e in explain_industries(title, text, hints) if e.tagged]


def tag_industries_batch(
    docs: Sequence[tuple[str | None, str]], hints: Sequence[Sequence[str]] | None = None
) -> list[list[str]]:
    """Sections of many (title, text) documents, with optional hints per document."""
    per_doc = hints if hints is not None else [()] * len(docs)
    if len(per_doc) != len(docs):
        raise ValueError("hints must have one entry per document")
    return [tag_industries(title, text, doc_hints) for (title, text), doc_hints in zip(docs, per_doc, strict=True)]
