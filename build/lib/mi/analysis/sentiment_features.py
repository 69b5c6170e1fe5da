"""Text features for the sentiment model: normalisation, finance cue phrases, tokens.

Kept apart from the model so the same normalisation serves training, prediction and the
explanation an analyst sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_URL = re.compile(r"(?:https?://|www\.)\S+")
# "$AAPL" and "$BRK.B" are cashtags; "$60" is a price and is left for _NUMBER.
_CASHTAG = re.compile(r"\$[A-Za-z][A-Za-z.]{0,6}\b")
# A signed percentage is how headlines report a move ("shares -2.7%"); the sign carries
# the sentiment, so it becomes a word before numbers are flattened.
_PCT_UP = re.compile(r"(?<![\w.])\+\s?\d+(?:[.,]\d+)?\s?%")
_PCT_DOWN = re.compile(r"(?<![\w.])[-\u2212\u2013]\s?\d+(?:[.,]\d+)?\s?%")
_NUMBER = re.compile(r"\$?\d+(?:[.,]\d+)*")
# "target cut to $54 from $60", "shr 23 cts vs 12 cts": the direction of a figure against
# its previous value is the news, and is lost once numbers are flattened.
_FIGURE = r"\$?(\d[\d,]*(?:\.\d+)?)"
_UNIT = r"(?:[a-z%]{1,4}\s+)?"  # "cts", "pct", "%"
_CHANGE = re.compile(
    rf"(?:\bto\s+{_FIGURE}\s*{_UNIT}from|{_FIGURE}\s*{_UNIT}(?:vs\.?|versus))"
    rf"\s+(?:prior\s+|previous\s+)?{_FIGURE}",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NEGATION_WINDOW = 3
_PREFIX_LEN = 5  # shared stem of downgrade/downgraded/downgrades, without a stemmer

# How the placeholder words read in an explanation.
_DISPLAY = {"pctup": "+N%", "pctdown": "-N%"}

POS_CUE = "__pos__"
NEG_CUE = "__neg__"


@dataclass(frozen=True)
class Cue:
    """A finance phrase found in a text and the side it counts for."""

    phrase: str
    polarity: int  # +1 good news, -1 bad news (already flipped when negated)
    weight: int
    negated: bool


@dataclass(frozen=True)
class _Lexicon:
    # first token -> [(phrase tokens, polarity, weight)], longest phrase first
    by_first: dict[str, list[tuple[tuple[str, ...], int, int]]]
    negators: frozenset[str]
    version: int


def normalise(text: str) -> str:
    """Lower-case text with URLs, cashtags, signed percentages and numbers made uniform."""
    text = _URL.sub(" ", text)
    text = _CASHTAG.sub(" tkr ", text)
    text = _PCT_UP.sub(" pctup ", text)
    text = _PCT_DOWN.sub(" pctdown ", text)
    text = _NUMBER.sub(" 0 ", text)
    return text.lower()


def tokens(normalised: str) -> list[str]:
    return _TOKEN.findall(normalised)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(resources.files("mi.analysis").joinpath("data/sentiment_lexicon.yaml").read_text("utf-8"))
    by_first: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
    for side, polarity in (("positive", 1), ("negative", -1)):
        for phrase, weight in raw[side].items():
            # spelled the way texts are normalised, so "chapter 11" reads "chapter 0"
            words = tuple(tokens(normalise(str(phrase))))
            by_first.setdefault(words[0], []).append((words, polarity, int(weight)))
    for entries in by_first.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return _Lexicon(by_first, frozenset(raw["negators"]), int(raw["version"]))


def lexicon_version() -> int:
    return _lexicon().version


def figure_changes(text: str) -> list[int]:
    """+1 for each "to X from Y" / "X vs Y" where the new figure is higher, -1 where lower."""
    found = []
    for match in _CHANGE.finditer(text):
        new, old = match.group(1) or match.group(2), match.group(3)
        try:
            delta = float(new.replace(",", "")) - float(old.replace(",", ""))
        except ValueError:
            continue
        if delta:
            found.append(1 if delta > 0 else -1)
    return found


def find_cues(toks: list[str]) -> list[Cue]:
    """Cue phrases in token order; at one position the longest phrase wins."""
    lex = _lexicon()
    found: list[Cue] = []
    i = 0
    while i < len(toks):
        entries = lex.by_first.get(toks[i])
        matched = None
        if entries:
            for words, polarity, weight in entries:
                if tuple(toks[i : i + len(words)]) == words:
                    matched = (words, polarity, weight)
                    break
        if matched is None:
            i += 1
            continue
        words, polarity, weight = matched
        negated = any(t in lex.negators for t in toks[max(0, i - _NEGATION_WINDOW) : i])
        phrase = " ".join(_DISPLAY.get(w, w) for w in words)
        found.append(Cue(phrase, -polarity if negated else polarity, weight, negated))
        i += len(words)
    return found


def analyse(text: str) -> list[str]:
    """Features of one raw text for the vectoriser: words, stems, word pairs and cues.

    The cue tokens are repeated by weight so the TF-IDF count reflects how strong the
    phrases are; a separate token says which side dominates, which is what the model
    needs when a headline mixes good and bad words.
    """
    toks = tokens(normalise(text))
    features = list(toks)
    features.extend(t[:_PREFIX_LEN] + "~" for t in toks if len(t) > _PREFIX_LEN)
    features.extend(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    balance = 0
    for cue in find_cues(toks):
        features.extend([POS_CUE if cue.polarity > 0 else NEG_CUE] * cue.weight)
        balance += cue.polarity * cue.weight
    features.extend("__figup__" if d > 0 else "__figdown__" for d in figure_changes(text))
    if balance:
        features.append("__netpos__" if balance > 0 else "__netneg__")
    return features
