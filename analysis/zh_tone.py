"""Finance tone of Chinese text, of a document and toward each company it names (no I/O).

A lexicon model over segmented words: two published Chinese finance sentiment
dictionaries as shipped (MIT) by the cntext package — Jiang et al. (2020) and Yao et al.
(2021), see data/SOURCE.md — plus market-news cue words written for this project
(data/zh_tone_cues.yaml: 涨停, 跌超, 扭亏, ...), which weigh more. A negator (不, 未, 没有, ...)
within a few words before a tone word flips it. Nothing is trained, so there is no
training data to ship and every score can be explained word by word.

The document's tone reads the headline (twice) and the lead sentences. The tone toward a
company reads the clause that names it (Chinese lists "A涨停，B跌超5%" in one sentence, one
clause each); a clause without tone words takes its sentence's, a sentence without them
the document's.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from mi.analysis.keyword_rules import rule_file
from mi.analysis.sentiment import Sentiment
from mi.analysis.zh_tags import analysis_words
from mi.analysis.zh_text import Word, segmenter

_CUES_FILE = "zh_tone_cues.yaml"
_DICTIONARIES = {  # file -> {category: polarity}
    "zh_lexicon_jiang2020.yaml": {"pos": 1, "neg": -1},
    "zh_lexicon_yao2021.yaml": {"正式-肯定情绪": 1, "非正式-肯定情绪": 1, "正式-否定情绪": -1, "非正式-否定情绪": -1},
}
_DICTIONARY_WEIGHT = 0.25  # the cue words decide; a dictionary word only leans (tuned, tune half)
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_CLAUSE_END = re.compile(r"(?<=[，,。！？!?；;：:])|\n+")
_LEAD_SENTENCES = 3
_TITLE_WEIGHT = 2.0
# |net tone| below this is neutral; tuned on the tuning half of the development sets only
# (bench/quality_zh.py), the other half untouched.
_NEUTRAL_BAND = 0.5


@dataclass(frozen=True)
class ToneWord:
    word: str
    weight: float  # signed; a negated word has its sign flipped
    negated: bool


@dataclass(frozen=True)
class ZhLexicon:
    weights: dict[str, float]
    negators: frozenset[str]
    window: int
    version: int


@cache
def zh_lexicon() -> ZhLexicon:
    weights: dict[str, float] = {}
    for filename, polarity in _DICTIONARIES.items():
        entries = rule_file(filename)["Dictionary"]
        for category, sign in polarity.items():
            for word in entries.get(category) or ():
                word = str(word).strip()
                # a word in both lists (a few are) says nothing
                weights[word] = 0.0 if weights.get(word, sign * _DICTIONARY_WEIGHT) != sign * _DICTIONARY_WEIGHT \
                    else sign * _DICTIONARY_WEIGHT
    cues = rule_file(_CUES_FILE)
    for word, weight in (cues.get("positive") or {}).items():
        weights[str(word)] = float(weight)
    for word, weight in (cues.get("negative") or {}).items():
        weights[str(word)] = -float(weight)
    for word in cues.get("neutral") or ():
        weights.pop(str(word), None)
    return ZhLexicon({w: v for w, v in weights.items() if v}, frozenset(map(str, cues.get("negators") or ())),
                     int(cues.get("negation_window", 3)), int(cues.get("version", 1)))


def zh_tone_version() -> str:
    return f"zhlex{zh_lexicon().version}"


def tone_words(words: Sequence[Word]) -> list[ToneWord]:
    """The tone words among segmented words, negation applied."""
    lexicon = zh_lexicon()
    out: list[ToneWord] = []
    content = [w.text for w in words if w.text.strip()]
    for i, word in enumerate(content):
        weight = lexicon.weights.get(word)
        if weight is None:
            continue
        negated = any(prior in lexicon.negators for prior in content[max(0, i - lexicon.window):i])
        out.append(ToneWord(word, -weight if negated else weight, negated))
    return out


def _net(text: str, extra_words: frozenset[str]) -> tuple[float, list[ToneWord]]:
    found = tone_words(segmenter(analysis_words() | extra_words).words(text))
    return sum(t.weight for t in found), found


def _sentiment(net: float) -> Sentiment:
    score = math.tanh(net / 2.0)
    if abs(net) < _NEUTRAL_BAND:
        return Sentiment("neutral", score)
    return Sentiment("positive" if net > 0 else "negative", score)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def zh_document_tone(title: str | None, text: str, extra_words: frozenset[str] = frozenset()) -> Sentiment:
    net = _net(title, extra_words)[0] * _TITLE_WEIGHT if title else 0.0
    for sentence in _sentences(text)[:_LEAD_SENTENCES]:
        net += _net(sentence, extra_words)[0]
    return _sentiment(net)


def zh_document_tones(docs: Sequence[tuple[str | None, str]], extra_words: frozenset[str] = frozenset()
                      ) -> list[Sentiment]:
    return [zh_document_tone(title, text, extra_words) for title, text in docs]


def explain_zh_tone(text: str, extra_words: frozenset[str] = frozenset()) -> tuple[Sentiment, list[ToneWord]]:
    net, found = _net(text, extra_words)
    return _sentiment(net), found


def zh_entity_tone(title: str | None, text: str, mentions: Sequence[str],
                   extra_words: frozenset[str] = frozenset()) -> Sentiment:
    """The tone toward a company written as any of ``mentions`` in this document."""
    needles = [m for m in mentions if m and m.strip()]
    net, seen = 0.0, False
    for weight, part in ((_TITLE_WEIGHT, title or ""), (1.0, text or "")):
        for sentence in _sentences(part):
            clauses = [c for c in _CLAUSE_END.split(sentence) if c]
            for at, clause in enumerate(clauses):
                if not any(n in clause for n in needles):
                    continue
                seen = True
                clause_net = _net(clause, extra_words)[0]
                if not clause_net and at + 1 < len(clauses):
                    # "A、B等个股，盘中涨超5%": the list's verb may come in the next clause
                    clause_net = _net(clauses[at + 1], extra_words)[0]
                if not clause_net:
                    clause_net = _net(sentence, extra_words)[0]
                net += weight * clause_net
    if not seen:
        return zh_document_tone(title, text, extra_words)
    return _sentiment(net)
