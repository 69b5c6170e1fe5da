"""Themes and industries of a Chinese document, from data/zh_themes.yaml and data/zh_industries.yaml.

The rules are the English taggers' (keyword_rules, keyword_scoring) in Chinese words: a
term is found where its simplified spelling stands in the text *and* the segmentation
puts a word boundary on at least one side of it (jieba keeps compounds such as 化工行业
whole; a term cut off on both sides is inside another word); a label's score sums weight x title_weight for
a term in the headline and weight x (1 + repeat_bonus x (n - 1)) for n matches in the
body, times lead_weight when the first falls in the first ``lead_chars`` characters. The
industry rules are written by GB/T 4754 section (门类) and reach ISIC through the
reference table, so Chinese and English stories share one industry vocabulary.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from mi.analysis.keyword_rules import rule_file
from mi.analysis.keyword_scoring import LabelEvidence, Match
from mi.analysis.themes import THEMES
from mi.analysis.zh_text import segmenter, to_simplified
from mi.reference.industries import isic_section

_THEMES_FILE = "zh_themes.yaml"
_INDUSTRIES_FILE = "zh_industries.yaml"
GBT_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRST")


@dataclass(frozen=True)
class ZhRules:
    labels: tuple[str, ...]
    names: dict[str, str]
    thresholds: dict[str, float]
    weights: dict[str, tuple[tuple[str, float], ...]]  # simplified term -> (label, weight)
    pattern: re.Pattern[str]  # every term, longest first
    title_weight: float
    repeat_bonus: float
    max_repeats: int
    body_chars: int
    lead_chars: int
    lead_weight: float
    relative_cutoff: float
    version: int


def compile_zh_rules(raw: dict) -> ZhRules:
    weights: dict[str, list[tuple[str, float]]] = {}
    names, thresholds = {}, {}
    default = float(raw.get("threshold", 4.0))
    for label, spec in raw["labels"].items():
        label = str(label)
        names[label] = str(spec.get("name", label))
        thresholds[label] = float(spec.get("threshold", default))
        for term, weight in (spec.get("terms") or {}).items():
            weights.setdefault(to_simplified(str(term)).casefold(), []).append((label, float(weight)))
    ordered = sorted(weights, key=len, reverse=True)
    return ZhRules(
        labels=tuple(names), names=names, thresholds=thresholds,
        weights={term: tuple(w) for term, w in weights.items()},
        pattern=re.compile("|".join(re.escape(t) for t in ordered)),
        title_weight=float(raw.get("title_weight", 2.0)), repeat_bonus=float(raw.get("repeat_bonus", 0.5)),
        max_repeats=int(raw.get("max_repeats", 3)), body_chars=int(raw.get("body_chars", 3000)),
        lead_chars=int(raw.get("lead_chars", 0)), lead_weight=float(raw.get("lead_weight", 1.0)),
        relative_cutoff=float(raw.get("relative_cutoff", 0.0)), version=int(raw.get("version", 1)),
    )


@cache
def zh_theme_rules() -> ZhRules:
    rules = compile_zh_rules(rule_file(_THEMES_FILE))
    unknown = set(rules.labels) - set(THEMES)
    if unknown:
        raise ValueError(f"{_THEMES_FILE} defines themes outside the vocabulary: {sorted(unknown)}")
    return rules


@cache
def zh_industry_rules() -> ZhRules:
    rules = compile_zh_rules(rule_file(_INDUSTRIES_FILE))
    if set(rules.labels) != set(GBT_SECTIONS):
        raise ValueError(f"{_INDUSTRIES_FILE} must define exactly the GB/T 4754 sections A-T")
    return rules


def rule_terms() -> frozenset[str]:
    """Every term of both rule files."""
    return frozenset(zh_theme_rules().weights) | frozenset(zh_industry_rules().weights)


@cache
def zh_lexicon_cues() -> dict[str, float]:
    """The market-news cue words of zh_tone_cues.yaml with signed weights."""
    cues = rule_file("zh_tone_cues.yaml")
    signed = {str(w): float(v) for w, v in (cues.get("positive") or {}).items()}
    signed.update({str(w): -float(v) for w, v in (cues.get("negative") or {}).items()})
    return signed


@cache
def zh_tone_units() -> frozenset[str]:
    """Words the tone rules read as one (zh_tone_cues.yaml): the cues, the words of changes and
    the toneless units (涨跌互现), so that the segmenter does not cut them apart."""
    cues = rule_file("zh_tone_cues.yaml")
    changes = cues.get("changes") or {}
    units = set(zh_lexicon_cues()) | {str(w) for w in cues.get("mixed") or ()}
    for key in ("good_quantities", "bad_quantities", "up", "down", "widen", "narrow"):
        units.update(str(w) for w in changes.get(key) or ())
    return frozenset(units)


@cache
def analysis_words() -> frozenset[str]:
    """Words the segmenter must know as units: the rule terms and the tone words (zh_tone_cues.yaml).

    One set for every Chinese model, so one segmenter (per book) serves them all."""
    return rule_terms() | zh_tone_units()


def zh_tagger_version() -> str:
    return f"zh{zh_theme_rules().version}.{zh_industry_rules().version}"


def find_zh_terms(rules: ZhRules, text: str, extra_words: frozenset[str] = frozenset()) -> dict[str, tuple[int, int]]:
    """Term -> (matches on word boundaries, offset of the first)."""
    if not text:
        return {}
    folded = to_simplified(text).casefold()
    cuts = segmenter(analysis_words() | extra_words).boundaries(text) if len(folded) == len(text) else None
    found: dict[str, tuple[int, int]] = {}
    for match in rules.pattern.finditer(folded):
        start, end = match.span()
        # A term must start or end where a word does: "化工" counts in 化工行业 (化工 | 行业 for a
        # reader, one dictionary word for jieba), "中行" does not in 集中行业 (集中 | 行业).
        if cuts is not None and start not in cuts and end not in cuts:
            continue
        # an ASCII term (LPR, GDP) needs letters not to run on, whatever jieba made of them
        if match.group().isascii() and (_runs_on(folded, start - 1) or _runs_on(folded, end)):
            continue
        count, first = found.get(match.group(), (0, start))
        found[match.group()] = (count + 1, first)
    return found


def _runs_on(text: str, at: int) -> bool:
    return 0 <= at < len(text) and text[at].isascii() and text[at].isalnum()


def zh_evidence(rules: ZhRules, title: str | None, text: str,
                extra_words: frozenset[str] = frozenset()) -> list[LabelEvidence]:
    """Every label with a matching term, best first (the same evidence shape as the English taggers)."""
    in_title = find_zh_terms(rules, title, extra_words) if title else {}
    body = text[: rules.body_chars] if text and text.strip() else (title or "")
    in_body = find_zh_terms(rules, body, extra_words) if body else {}
    per_label: dict[str, list[Match]] = {}
    for term in set(in_title) | set(in_body):
        count, first = in_body.get(term, (0, 0))
        in_lead = count > 0 and first < rules.lead_chars
        n = min(count, rules.max_repeats)
        body_factor = (1.0 + rules.repeat_bonus * (n - 1)) * (rules.lead_weight if in_lead else 1.0) if n else 0.0
        title_factor = rules.title_weight if term in in_title else 0.0
        for label, weight in rules.weights[term]:
            if weight:
                points = weight * (title_factor + body_factor)
                per_label.setdefault(label, []).append(
                    Match(term, weight, term in in_title, count, in_lead, round(points, 3)))
    scores = {label: sum(m.points for m in ms) for label, ms in per_label.items()}
    best = max(scores.values(), default=0.0)
    found = [LabelEvidence(label, round(scores[label], 3), rules.thresholds[label],
                           scores[label] >= rules.thresholds[label] and scores[label] >= rules.relative_cutoff * best,
                           tuple(sorted(ms, key=lambda m: (-m.points, m.phrase))))
             for label, ms in per_label.items()]
    return sorted(found, key=lambda e: (-e.score, e.label))


def tag_zh_themes(title: str | None, text: str, names: frozenset[str] = frozenset()) -> list[str]:
    return [e.label for e in zh_evidence(zh_theme_rules(), title, text or "", names) if e.tagged]


def explain_zh_themes(title: str | None, text: str, names: frozenset[str] = frozenset()) -> list[LabelEvidence]:
    return zh_evidence(zh_theme_rules(), title, text or "", names)


def gbt_to_isic(section: str) -> str | None:
    return isic_section("GBT4754", section)


@cache
def _hint_aliases() -> dict[str, tuple[str, ...]]:
    aliases = rule_file(_INDUSTRIES_FILE).get("hint_aliases", {})
    return {to_simplified(str(name)): tuple(sections) for name, sections in aliases.items()}


def zh_sections_for_hint(hint: str) -> tuple[str, ...]:
    """ISIC sections a Chinese category name stands for (GB/T, CSRC or Shenwan names); else none."""
    gbt = _hint_aliases().get(to_simplified(hint.strip()), ())
    return tuple(s for s in (gbt_to_isic(g) for g in gbt) if s)


@dataclass(frozen=True)
class ZhIndustryEvidence:
    section: str  # ISIC
    gbt_section: str
    name: str  # the GB/T section's Chinese title
    tagged: bool
    keywords: LabelEvidence


def explain_zh_industries(title: str | None, text: str, names: frozenset[str] = frozenset()
                          ) -> list[ZhIndustryEvidence]:
    rules = zh_industry_rules()
    out = []
    for e in zh_evidence(rules, title, text or "", names):
        isic = gbt_to_isic(e.label)
        if isic:
            out.append(ZhIndustryEvidence(isic, e.label, rules.names[e.label], e.tagged, e))
    return out


def tag_zh_industries(title: str | None, text: str, hints: Sequence[str] = (),
                      names: frozenset[str] = frozenset()) -> list[str]:
    """ISIC sections: valid hints first (a letter, or a Chinese or English category name), then by score."""
    from mi.analysis.industries import sections_for_hint  # English names and letters

    hinted: list[str] = []
    for hint in hints:
        for section in zh_sections_for_hint(hint) or sections_for_hint(hint):
            if section not in hinted:
                hinted.append(section)
    tagged = [e.section for e in explain_zh_industries(title, text, names) if e.tagged]
    return hinted + [s for s in tagged if s not in hinted]
