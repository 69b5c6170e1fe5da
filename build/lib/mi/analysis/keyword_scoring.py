"""Matching a compiled rule file (keyword_rules.RuleSet) against a document and scoring it.

How phrases match and how scores are formed is described in keyword_rules.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mi.analysis.keyword_rules import NUMBER, NUMBER_WORDS, Phrase, RuleSet, Term, word_tokens

_MAX_CACHED_TOKENS = 500_000


@dataclass(frozen=True)
class Match:
    """One phrase that counted for a label."""

    phrase: str  # as written in the rule file
    weight: float
    in_title: bool
    body_count: int  # a headline without a body is read as its own body
    in_lead: bool
    points: float  # what it added to the label's score


@dataclass(frozen=True)
class LabelEvidence:
    label: str
    score: float
    threshold: float
    tagged: bool
    matches: tuple[Match, ...]

    def terms(self) -> list[str]:
        return [m.phrase for m in self.matches]


def _is_number(token: str) -> bool:
    return token[0].isdigit() or token in NUMBER_WORDS


def _word_matches(pattern: str, token: str) -> bool:
    if pattern == NUMBER:
        return _is_number(token)
    return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern


def _starting_with(rules: RuleSet, token: str) -> tuple[Phrase, ...]:
    cached = rules.start_cache.get(token)
    if cached is None:
        if len(rules.start_cache) > _MAX_CACHED_TOKENS:
            rules.start_cache.clear()  # numbers and typos would grow it without end
        candidates: list[Phrase] = list(rules.exact_first.get(token, ()))
        if _is_number(token):
            candidates.extend(rules.exact_first.get(NUMBER, ()))
        for length in rules.prefix_lengths:
            if len(token) >= length:
                candidates.extend(rules.prefix_first.get(token[:length], ()))
        candidates.sort(key=lambda p: -len(p.words))
        cached = rules.start_cache[token] = tuple(candidates)
    return cached


def _phrase_at(rules: RuleSet, toks: list[str], i: int) -> Phrase | None:
    """The longest phrase starting at toks[i], if any."""
    for phrase in _starting_with(rules, toks[i]):
        words = phrase.words
        n = len(words)
        if n == 1:
            return phrase
        if i + n > len(toks):
            continue
        # Written out rather than all(...) over a generator: this loop runs for nearly
        # every word of every document.
        for k in range(1, n):
            word, token = words[k], toks[i + k]
            if word != token and not _word_matches(word, token):
                break
        else:
            return phrase
    return None


def find_terms(rules: RuleSet, text: str) -> dict[Term, tuple[int, int]]:
    """Term -> (number of non-overlapping matches, word position of the first one).

    At each position the longest phrase wins.
    """
    toks = word_tokens(text)
    found: dict[Term, tuple[int, int]] = {}
    i = 0
    while i < len(toks):
        phrase = _phrase_at(rules, toks, i)
        if phrase is None:
            i += 1
            continue
        end = i + len(phrase.words)
        if end < len(toks) and toks[end] in rules.company_suffixes:
            i = end
            continue
        count, first = found.get(phrase.term, (0, i))
        found[phrase.term] = (count + 1, first)
        i = end
    return found


def evidence(rules: RuleSet, title: str | None, text: str) -> list[LabelEvidence]:
    """Every label with at least one matching phrase, best score first."""
    in_title = find_terms(rules, title) if title else {}
    # A headline with no body (a flash, a bare feed item) is its own lead; otherwise the
    # thresholds, set for headline plus story, would ask more of it than it can give.
    body = text[: rules.body_chars] if text and text.strip() else (title or "")
    in_body = find_terms(rules, body) if body else {}
    per_label: dict[str, list[Match]] = {}
    for term in set(in_title) | set(in_body):
        count, first = in_body.get(term, (0, 0))
        in_lead = count > 0 and first < rules.lead_words
        n = min(count, rules.max_repeats)
        body_factor = (1.0 + rules.repeat_bonus * (n - 1)) * (rules.lead_weight if in_lead else 1.0) if n else 0.0
        title_factor = rules.title_weight if term in in_title else 0.0
        for label, weight in term.weights:
            if weight == 0:
                continue  # listed only so that a shorter phrase inside it is not read
            points = weight * (title_factor + body_factor)
            match = Match(term.source, weight, term in in_title, count, in_lead, round(points, 3))
            per_label.setdefault(label, []).append(match)
    scores = {label: sum(m.points for m in matches) for label, matches in per_label.items()}
    best = max(scores.values(), default=0.0)
    found = []
    for label, matches in per_label.items():
        score = scores[label]
        threshold = rules.thresholds[label]
        tagged = score >= threshold and score >= rules.relative_cutoff * best
        ordered = tuple(sorted(matches, key=lambda m: (-m.points, m.phrase)))
        found.append(LabelEvidence(label, round(score, 3), threshold, tagged, ordered))
    found.sort(key=lambda e: (-e.score, e.label))
    return found


def tag(rules: RuleSet, title: str | None, text: str) -> list[str]:
    return [e.label for e in evidence(rules, title, text) if e.tagged]


def tag_batch(rules: RuleSet, docs: Sequence[tuple[str | None, str]]) -> list[list[str]]:
    return [tag(rules, title, text) for title, text in docs]
