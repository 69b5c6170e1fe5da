"""Reading a field note for the need it expresses: a product category and a need theme.

Each need of ``mi.signals.vocabulary`` scores the cues found in the note (every cue once),
plus a little for the RM's tags that point at it. The best need is the note's need when
it scores at least ``THRESHOLD`` and beats the next one; a tie (forwards, but receivables
or payables?) reads as no need, which is better than a wrong one: the note then goes to
the fallback grouping. Chinese cues are matched in the raw text; English cues in the
normalised tokens of any note, so "SCF" inside a Chinese note still counts. A Chinese
note nothing can be read from is marked, and grouped by its tags (``mi.signals.grouping``).
Pure functions, no database.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from mi.signals.text import Speller, language_of, tokens
from mi.signals.trade_terms import DRILL_TERMS, FIELD_TERMS, STANDARD_TERMS, TRADE_TERMS
from mi.signals.vocabulary import BY_KEY, GENERIC_TAGS, NEEDS, Need

#: A need is read when its cues weigh at least this much: one strong cue plus support,
#: or two strong ones. A lone "supplier" or "deposit" is not enough.
THRESHOLD = 2.5
TAG_WEIGHT = 0.5
#: Bump when the vocabulary or the reading changes: stored readings are then redone.
READER_VERSION = "needs-4"
_PLURAL = re.compile(r"^(.*)\(s\)$")
#: What ``<ccy>`` in a cue matches: the currencies RMs name most.
CURRENCY_CODES = frozenset({"usd", "eur", "gbp", "jpy", "cny", "rmb", "chf", "sgd", "hkd", "cad", "aud", "sek",
                            "nok", "dkk", "pln", "czk", "huf", "try", "inr", "mxn", "brl", "zar", "krw"})


@dataclass(frozen=True)
class Reading:
    need: str | None  # key of the need, None when nothing could be read
    score: float
    language: str  # en or zh
    cues: tuple[str, ...] = ()  # what was found, for audit ("receivable(s)", "forward(s)")
    #: Chinese note no cue could read: grouped by its tags instead.
    unread: bool = False

    @property
    def category(self) -> str | None:
        return BY_KEY[self.need].category if self.need else None


@dataclass(frozen=True)
class _Matcher:
    source: str
    weight: float
    words: tuple[tuple[str, str], ...]  # (kind, value): exact, plural, prefix


def _compile(cue: str, weight: float) -> _Matcher:
    words = []
    for word in cue.split():
        plural = _PLURAL.match(word)
        if word == "<ccy>":
            words.append(("ccy", ""))
        elif word.endswith("*"):
            words.append(("prefix", word[:-1]))
        elif plural:
            words.append(("plural", plural.group(1)))
        else:
            words.append(("exact", word))
    return _Matcher(cue, weight, tuple(words))


@cache
def _matchers() -> dict[str, tuple[tuple[_Matcher, ...], tuple[tuple[str, float], ...]]]:
    found = {}
    for need in NEEDS:
        extra, extra_zh = TRADE_TERMS.get(need.key, ((), ()))
        for more in (FIELD_TERMS, DRILL_TERMS, STANDARD_TERMS):
            field, field_zh = more.get(need.key, ((), ()))
            extra, extra_zh = extra + field, extra_zh + field_zh
        cues = dict(need.cues) | {c: w for c, w in extra if c not in dict(need.cues)}
        cues_zh = dict(need.cues_zh) | {c: w for c, w in extra_zh if c not in dict(need.cues_zh)}
        found[need.key] = (tuple(_compile(c, w) for c, w in cues.items()), tuple(cues_zh.items()))
    return found


@cache
def _speller() -> Speller:
    words: set[str] = set()
    prefixes: set[str] = set()
    for matchers, _ in _matchers().values():
        for matcher in matchers:
            for kind, value in matcher.words:
                if kind == "ccy":
                    continue
                if kind == "prefix":
                    prefixes.add(value)
                else:
                    words.update((value, value + "s") if kind == "plural" else (value,))
    # Whole words behind short prefixes ("hedg*"), so their typos are caught too.
    words.update(("hedge", "hedges", "hedging", "hedged", "unhedged", "acquisition", "acquire", "mortgage",
                  "reconcile", "reconciliation", "imports", "importing", "exports", "exporting", "refinancing",
                  "purchase", "purchasing", "buying"))
    return Speller(words, prefixes)


def _word_matches(kind: str, value: str, token: str) -> bool:
    if kind == "ccy":
        return token in CURRENCY_CODES
    if kind == "exact":
        return token == value
    if kind == "plural":
        return token in (value, value + "s", value + "es")
    return token.startswith(value)


def _found(matcher: _Matcher, words: list[str]) -> bool:
    """The cue's words in a run, allowing one extra word inside a phrase of three or more
    ("buying a smaller competitor" for "buying a competitor")."""
    first_kind, first_value = matcher.words[0]
    rest = matcher.words[1:]
    for start, token in enumerate(words):
        if _word_matches(first_kind, first_value, token) and _rest_found(rest, words, start + 1,
                                                                         skips=int(len(matcher.words) >= 3)):
            return True
    return False


def _rest_found(rest: tuple[tuple[str, str], ...], words: list[str], at: int, skips: int) -> bool:
    if not rest:
        return True
    if at >= len(words):
        return False
    kind, value = rest[0]
    if _word_matches(kind, value, words[at]) and _rest_found(rest[1:], words, at + 1, skips):
        return True
    return skips > 0 and _rest_found(rest, words, at + 1, skips - 1)


@cache
def single_word_cues() -> Callable[[str], bool]:
    """Whether a word is, alone, a cue of some need ("suppliers", "hedging"): such a word
    is evidence of a known need, never of an unknown one (``mi.signals.themes``)."""
    single = [m.words[0] for matchers, _ in _matchers().values() for m in matchers
              if len(m.words) == 1 and m.words[0][0] != "ccy"]
    exact = frozenset(value for kind, value in single if kind == "exact")
    plural = frozenset(value for kind, value in single if kind == "plural")
    prefixes = tuple(sorted({value for kind, value in single if kind == "prefix"}))

    def is_cue(word: str) -> bool:
        return (word in exact or word in plural or (word.endswith("s") and word[:-1] in plural)
                or (word.endswith("es") and word[:-2] in plural) or word.startswith(prefixes))
    return is_cue


def normalised_words(text: str) -> list[str]:
    """The note's tokens as cues see them: short forms expanded, typos corrected."""
    return list(_normalised(text))


@lru_cache(maxsize=1 << 17)
def _normalised(text: str) -> tuple[str, ...]:
    # A note is read for cues, for its word vectors and for its letter grams, each pass over
    # the whole window: the typo correction, most of the cost, is done once per text. The
    # cache holds more notes than a window of a large bank's (20,000 at scale 10), or the
    # second pass would find the first one's entries evicted.
    return tuple(_speller().correct_all(tokens(text)))


def specific_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """The tags that say something about a need, normalised and sorted."""
    cleaned = {" ".join(str(tag).casefold().split()).replace(" ", "-") for tag in tags}
    return tuple(sorted(tag for tag in cleaned if tag and tag not in GENERIC_TAGS))


def score_needs(text: str, tags: Iterable[str] = ()) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Every need with cues in the note: its score and the cues found."""
    words = normalised_words(text)
    tagged = set(specific_tags(tags))
    scores: dict[str, tuple[float, tuple[str, ...]]] = {}
    for need in NEEDS:
        matchers, chinese = _matchers()[need.key]
        found = [m for m in matchers if _found(m, words)]
        found_zh = [(cue, weight) for cue, weight in chinese if cue in text]
        tag_hits = sorted(tagged & set(need.tags))
        total = (sum(m.weight for m in found) + sum(w for _, w in found_zh)
                 + TAG_WEIGHT * min(len(tag_hits), 2))
        if found or found_zh:
            scores[need.key] = (total, tuple([m.source for m in found] + [c for c, _ in found_zh]
                                             + [f"tag:{t}" for t in tag_hits]))
    return scores


def read_need(text: str, tags: Iterable[str] = ()) -> Reading:
    """The need ``text`` expresses (see the module docstring for the rule)."""
    tags = tuple(tags)
    language = language_of(text)
    ranked = sorted(score_needs(text, tags).items(), key=lambda item: (-item[1][0], item[0]))
    if ranked:
        best_key, (best, cues) = ranked[0]
        second = ranked[1][1][0] if len(ranked) > 1 else 0.0
        if best >= THRESHOLD and best > second:
            return Reading(best_key, round(best, 2), language, cues)
    return Reading(None, round(ranked[0][1][0], 2) if ranked else 0.0, language, unread=language == "zh")


def need_of(key: str) -> Need:
    return BY_KEY[key]
