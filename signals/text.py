"""An RM's note made comparable: language, word tokens with short forms expanded and typos
in the need vocabulary's words corrected.

RMs write fast: "cfo wnts to hedge 50% of USD recievables w/ fwds". Cues are matched on
tokens, so "w/" becomes "with", "fwds" becomes "forwards" and "recievables" becomes
"receivables" before any cue is tried. Only words the vocabulary knows are corrected, and
only when one of them is clearly meant (same first letter, one edit away, two for long
words), so an ordinary word is never turned into a banking term.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from rapidfuzz.distance import OSA

from mi.signals.vocabulary import ABBREVIATIONS

_TOKEN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-zA-Z]")
#: Short forms written with a slash, which the tokeniser would cut in two.
_SLASHED_FORMS = {"a/r": "receivables", "a/p": "payables", "b/g": "bank guarantee", "d/p": "documentary collection",
                  "l/c": "letter of credit", "l/cs": "letters of credit",
                  "b/c": "because", "o/d": "overdraft", "w/c": "working capital", "a/c": "account",
                  "t/d": "term deposit", "i/r": "interest rate", "d/a": "documentary collection",
                  "b/l": "bill of lading", "a/cs": "accounts"}
_SLASHED = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in _SLASHED_FORMS) + r")(?![a-z0-9])")
#: Shortest token a typo is corrected in: shorter words collide with real words too often.
MIN_TYPO_LENGTH = 5


def language_of(text: str) -> str:
    """"zh" when Chinese characters make up at least 30% of the letters, else "en"."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk >= 0.3 * (cjk + latin / 4) else "en"


def tokens(text: str) -> list[str]:
    """Lower-case word tokens with RMs' short forms expanded ("w/ fwds" -> with forwards)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    folded = _SLASHED.sub(lambda m: f" {_SLASHED_FORMS[m.group().replace(' ', '')]} ", folded)
    out: list[str] = []
    for token in _TOKEN.findall(folded):
        out.extend(ABBREVIATIONS.get(token, token).split())
    return out


class Speller:
    """Corrects tokens to the words and prefixes a cue vocabulary uses."""

    def __init__(self, words: Iterable[str], prefixes: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self.prefixes = tuple(sorted({p for p in prefixes if len(p) >= MIN_TYPO_LENGTH}, key=len, reverse=True))
        self._by_initial: dict[str, list[str]] = {}
        for word in self.words:
            if len(word) >= MIN_TYPO_LENGTH:
                self._by_initial.setdefault(word[0], []).append(word)

    def known(self, token: str) -> bool:
        return token in self.words or any(token.startswith(p) for p in self.prefixes)

    def correct(self, token: str) -> str:
        if len(token) < MIN_TYPO_LENGTH or not token.isalpha() or self.known(token):
            return token
        return _closest(token, tuple(self._by_initial.get(token[0], ())), self.prefixes) or token

    def correct_all(self, found: list[str]) -> list[str]:
        return [self.correct(token) for token in found]


@cache
def _allowed(length: int) -> int:
    return 2 if length >= 9 else 1


def _closest(token: str, words: tuple[str, ...], prefixes: tuple[str, ...]) -> str | None:
    """The one vocabulary word (or prefix) ``token`` is a typo of, or None if none or several."""
    best: list[tuple[int, str]] = []
    for word in words:
        if abs(len(word) - len(token)) > 2 or (len(token) == MIN_TYPO_LENGTH and word[:2] != token[:2]):
            continue
        distance = OSA.distance(token, word, score_cutoff=_allowed(len(word)))
        if distance <= _allowed(len(word)):
            best.append((distance, word))
    for prefix in prefixes:
        if prefix[0] != token[0] or len(token) < len(prefix) - 1:
            continue
        distance = min(OSA.distance(token[:k], prefix) for k in (len(prefix) - 1, len(prefix), len(prefix) + 1))
        if distance <= _allowed(len(prefix)):
            best.append((distance, prefix))
    if not best:
        return None
    best.sort()
    tied = {word for distance, word in best if distance == best[0][0]}
    # A whole word and a prefix of it ("mortgage", "mortgag") are one reading, not two.
    whole = {word for word in tied if not any(other != word and other.startswith(word) for other in tied)}
    if len(whole) > 1:
        return None  # two words are as likely: leave it
    return min(whole, key=len)
