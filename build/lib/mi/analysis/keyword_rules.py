"""Weighted keyword rules kept as data, shared by the theme and industry taggers.

A rule file (YAML, under data/) lists for each label the phrases that speak for it, with
weights. Matching is on whole words: the text is lower-cased and cut into word tokens,
and a phrase matches a run of tokens.

- A phrase word ending in "*" matches any word starting with it ("devalu*"); "(s)" or
  "(es)" after a word makes the plural optional ("tanker(s)"); "<num>" matches a number
  or number word ("12", "mln"), so a file can say that "<num> francs" is an amount of
  money rather than currency news.
- At one position the longest phrase of the file wins, across all labels, so "palm oil"
  (agriculture) is not also read as "oil" (petroleum). A weight of 0 marks a phrase
  listed only for that; a negative weight speaks against a label.
- A phrase directly followed by one of the file's company_suffixes ("Dome Mines Ltd") is
  part of a company name: it says what that company does, not what the story is about,
  so it is not counted (a linked company's industry reaches the tagger as a hint).

A label's score sums, over its phrases, weight x title_weight when the phrase is in the
title, plus weight x (1 + repeat_bonus x (min(n, max_repeats) - 1)) for n matches in the
body, times lead_weight when the first of them falls within the first lead_words words:
news puts the point first, so the lead counts more than a late aside. A label is tagged
when its score reaches its threshold and is at least relative_cutoff x the best label's
score, so a passing mention inside a story about something else does not tag it. Every
tag keeps the phrases that made it, for audit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

_POSSESSIVE = re.compile(r"['\u2019]s\b")
_WORD = re.compile(r"[a-z0-9]+")
_OPTIONAL_SUFFIX = re.compile(r"^(.*)\((s|es)\)$")
NUMBER = "<num>"
NUMBER_WORDS = frozenset(
    {"mln", "million", "millions", "bln", "billion", "billions", "trillion", "thousand", "hundred"}
)


@dataclass(frozen=True)
class Term:
    source: str  # the phrase as written in the rule file, shown to analysts
    weights: tuple[tuple[str, float], ...]  # (label, weight); one phrase may serve several labels


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # one spelling of a term; each word exact, or a prefix ending in "*"
    term: Term


@dataclass(frozen=True)
class RuleSet:
    labels: tuple[str, ...]
    names: dict[str, str]
    thresholds: dict[str, float]
    exact_first: dict[str, tuple[Phrase, ...]]  # first word -> phrases, longest first
    prefix_first: dict[str, tuple[Phrase, ...]]  # first-word prefix -> phrases, longest first
    prefix_lengths: tuple[int, ...]
    title_weight: float
    repeat_bonus: float
    max_repeats: int
    body_chars: int
    lead_words: int
    lead_weight: float
    relative_cutoff: float
    company_suffixes: frozenset[str]
    version: int
    # token -> phrases that may start at it, longest first; filled by keyword_scoring as
    # tokens are seen, because looking up exact words, numbers and every prefix length
    # per token is the bulk of the matching time on long texts
    start_cache: dict[str, tuple[Phrase, ...]] = field(default_factory=dict, compare=False, repr=False)


def word_tokens(text: str) -> list[str]:
    return _WORD.findall(_POSSESSIVE.sub("", text.lower()))


def _expand(phrase: str) -> list[tuple[str, ...]]:
    """All word sequences a written phrase stands for ("tanker(s)" -> tanker, tankers)."""
    variants: list[list[str]] = [[]]
    for raw in phrase.lower().split():
        if raw == NUMBER:
            variants = [v + [NUMBER] for v in variants]
            continue
        optional = _OPTIONAL_SUFFIX.match(raw)
        forms = [optional.group(1), optional.group(1) + optional.group(2)] if optional else [raw]
        spelled: list[str] = []
        for form in forms:
            star = form.endswith("*")
            # Punctuation inside a word ("sell-off", "s&p") splits it the way the text is split.
            parts = word_tokens(form.rstrip("*")) or [form.rstrip("*")]
            if star:
                parts[-1] += "*"
            spelled.append(" ".join(parts))
        variants = [v + s.split() for v in variants for s in spelled]
    return [tuple(v) for v in variants]


def compile_rules(raw: dict) -> RuleSet:
    """A rule set from a parsed rule file: {labels: {label: {name, threshold, terms}}, ...}."""
    weights_of: dict[str, list[tuple[str, float]]] = {}
    source_of: dict[tuple[str, ...], str] = {}
    thresholds: dict[str, float] = {}
    names: dict[str, str] = {}
    default_threshold = float(raw.get("threshold", 3.0))
    for label, spec in raw["labels"].items():
        label = str(label)
        names[label] = str(spec.get("name", label))
        thresholds[label] = float(spec.get("threshold", default_threshold))
        for phrase, weight in (spec.get("terms") or {}).items():
            source = str(phrase)
            weights_of.setdefault(source, []).append((label, float(weight)))
            for words in _expand(source):
                # One spelling written two ways ("bank(s)" and "banks") would be counted
                # under whichever came first; refuse it so the file stays unambiguous.
                if source_of.setdefault(words, source) != source:
                    raise ValueError(f"{' '.join(words)!r} is written both as {source_of[words]!r} and {source!r}")
    terms = {source: Term(source, tuple(weights)) for source, weights in weights_of.items()}
    exact: dict[str, list[Phrase]] = {}
    prefix: dict[str, list[Phrase]] = {}
    for words, source in source_of.items():
        entry = Phrase(words, terms[source])
        first = words[0]
        if first.endswith("*"):
            prefix.setdefault(first[:-1], []).append(entry)
        else:
            exact.setdefault(first, []).append(entry)

    def longest_first(table: dict[str, list[Phrase]]) -> dict[str, tuple[Phrase, ...]]:
        return {k: tuple(sorted(v, key=lambda p: (-len(p.words), -len(" ".join(p.words))))) for k, v in table.items()}

    return RuleSet(
        labels=tuple(names),
        names=names,
        thresholds=thresholds,
        exact_first=longest_first(exact),
        prefix_first=longest_first(prefix),
        prefix_lengths=tuple(sorted({len(k) for k in prefix}, reverse=True)),
        title_weight=float(raw.get("title_weight", 2.0)),
        repeat_bonus=float(raw.get("repeat_bonus", 0.5)),
        max_repeats=int(raw.get("max_repeats", 3)),
        body_chars=int(raw.get("body_chars", 5000)),
        lead_words=int(raw.get("lead_words", 0)),
        lead_weight=float(raw.get("lead_weight", 1.0)),
        relative_cutoff=float(raw.get("relative_cutoff", 0.0)),
        company_suffixes=frozenset(str(w).lower() for w in raw.get("company_suffixes", ())),
        version=int(raw.get("version", 1)),
    )


@cache
def rule_file(filename: str) -> dict:
    """The parsed rule file data/<filename>, read once per process."""
    return yaml.safe_load(resources.files("mi.analysis").joinpath("data", filename).read_text("utf-8"))


@cache
def load_rules(filename: str) -> RuleSet:
    """The compiled rule file data/<filename>."""
    return compile_rules(rule_file(filename))
