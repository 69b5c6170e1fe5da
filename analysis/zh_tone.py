"""Finance tone of Chinese text, of a document and toward each company it names (no I/O).

A lexicon model over segmented words: two published Chinese finance sentiment
dictionaries as shipped (MIT) by the cntext package — Jiang et al. (2020) and Yao et al.
(2021), see data/SOURCE.md — plus market-news cue words written for this project
(data/zh_tone_cues.yaml: 涨停, 跌超, 扭亏, ...), which weigh more. Nothing is trained, so
there is no training data to ship and every score can be explained word by word.

The words are read in their context, all rules of zh_tone_cues.yaml:
- a negator (不, 未, 没有, ...) within a few words before a tone word flips it, and so does
  a failure word right after it (封板失败);
- a degree word before a tone word scales it (大幅增长, 小幅回落);
- a change takes the sign of the quantity it moves: 增长/上升 of a good quantity is good,
  of a bad one (降幅, 亏损, 通胀率, 逆差) is bad; 扩大/收窄 say nothing without the
  quantity, which may stand in an earlier clause of the sentence (降幅收窄；A、B分别收窄…);
- in a change "由下降X转为增长Y" only the state it turns into counts;
- after a contrast (但, 然而, 不过, 却) the sentence's earlier words weigh less;
- a word of the book's names (吉利) is a name, unless a cue weighs it, and a word inside the
  company's own mention (胜 of 胜华新能源) says nothing about it;
- a phrase jieba keeps whole that ends in a cue word (价格上涨, 经济衰退) is read as that cue,
  and so is a one-character move its HMM glued to a name it did not know (铝涨 of 沪铝涨).

The document's tone reads the headline (twice) and the lead sentences. The tone toward a
company reads the clause that names it (Chinese lists "A涨停，B跌超5%" in one sentence, one
clause each); a clause without a clear tone reads on through the clauses after it
("A公告，预计净利润同比增长50%") up to one that names another company of the book
("A公告，B涨停"), then the whole sentence; a company named nowhere takes the document's
tone. In the company's own clause the dictionary words only lean: together they cannot
make a tone without a cue. Where its mentions cancel out (社零同比增长4.3%。…
1—10月同比下降5.9%), the first mention with a tone says it.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
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
_SENTENCE_ENDS = frozenset("。！？!?；;\n")
_CLAUSE_ENDS = _SENTENCE_ENDS | frozenset("，,：:")
_STOPS = frozenset("。！？!?\n")  # where a quantity read in an earlier clause stops applying
_LEAD_SENTENCES = 3
_TITLE_WEIGHT = 2.0
_BEFORE_CONTRAST = 0.5  # weight of a sentence's words before its contrast word
# |net tone| below this is neutral; tuned on the tuning half of the development sets only
# (bench/quality_zh.py), the other half untouched.
_NEUTRAL_BAND = 0.5
_FAR_CUES_ONLY = True  # beyond the company's own clause only cue words count
# In the company's own clause, words only a dictionary weighs add up to at most this (less
# than the band): they lean a cue's way but make no tone alone ("完成…高级…" is no news).
# Chosen on one half of the tune half and confirmed on the other.
_CLAUSE_DICTIONARY_CAP = 0.25


@dataclass(frozen=True)
class ToneWord:
    word: str
    weight: float  # signed, context applied (negation, degree, the quantity a change moves)
    negated: bool
    start: int = 0  # offset in the text read
    cue: bool = True  # a cue word or rule of zh_tone_cues.yaml, not only a dictionary word


@dataclass(frozen=True)
class ZhLexicon:
    weights: dict[str, float]
    cues: frozenset[str]  # the words of weights that zh_tone_cues.yaml weighs (the rest: dictionaries)
    negators: frozenset[str]
    window: int
    version: int
    failures: frozenset[str]  # after a tone word, flip it: 封板失败
    degrees: dict[str, float]  # before a tone word, scale it
    good_quantities: frozenset[str]  # a rise of these is good
    bad_quantities: frozenset[str]  # a rise of these is bad
    selectors: frozenset[str]  # after a quantity: it only picks out which ones
    rises: dict[str, float]  # change words: weight of the change, for a good quantity
    relative: dict[str, float]  # 扩大/收窄: a change with no sign of its own
    turn_from: frozenset[str]  # 由 ... 转为
    not_turn_from: frozenset[str]  # words that begin with 由/从 and are no "from" (由于, 从事)
    turns: frozenset[str]
    contrasts: frozenset[str]
    patterns: tuple[tuple[re.Pattern[str], float], ...]
    undoing_prefixes: frozenset[str]  # 负 of 负增长: a cue word at the end of a token with these before it says nothing


def _words(values: object) -> frozenset[str]:
    return frozenset(str(v) for v in (values or ()))


def _signed(section: object) -> dict[str, float]:
    return {str(w): float(v) for w, v in (section or {}).items()}


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
    cue_words: set[str] = set()
    for word, weight in (cues.get("positive") or {}).items():
        weights[str(word)] = float(weight)
        cue_words.add(str(word))
    for word, weight in (cues.get("negative") or {}).items():
        weights[str(word)] = -float(weight)
        cue_words.add(str(word))
    for word in cues.get("neutral") or ():
        weights.pop(str(word), None)
    changes = cues.get("changes") or {}
    rises = _signed(changes.get("up"))
    rises.update({w: -v for w, v in _signed(changes.get("down")).items()})
    relative = _signed(changes.get("widen"))
    relative.update({w: -v for w, v in _signed(changes.get("narrow")).items()})
    turns = cues.get("turns") or {}
    return ZhLexicon({w: v for w, v in weights.items() if v}, frozenset(cue_words), _words(cues.get("negators")),
                     int(cues.get("negation_window", 3)), int(cues.get("version", 1)),
                     _words(cues.get("failures")), _signed(cues.get("degrees")),
                     _words(changes.get("good_quantities")), _words(changes.get("bad_quantities")),
                     _words(changes.get("selectors")), rises, relative, _words(turns.get("from")),
                     _words(turns.get("not_from")), _words(turns.get("to")),
                     _words(cues.get("contrasts")),
                     tuple((re.compile(str(p)), float(w)) for p, w in (cues.get("patterns") or {}).items()),
                     _words(cues.get("undoing_prefixes")))


def zh_tone_version() -> str:
    return f"zhlex{zh_lexicon().version}"


def _ends(word: str, ends: frozenset[str]) -> bool:
    """Whether a token is punctuation that ends a clause (or sentence)."""
    stripped = word.strip()
    return ("\n" in word and "\n" in ends) or (bool(stripped) and all(ch in ends for ch in stripped))


def tone_words(words: Sequence[Word], names: frozenset[str] = frozenset(),
               guessed: Callable[[str], bool] = lambda word: False) -> list[ToneWord]:
    """The tone words among segmented words, their context applied (see the module's rules).
    A word that is one of ``names`` (the book's companies: 吉利, 阳光电源) and that only a dictionary
    weighs is a name, not a tone word. ``guessed`` tells a word jieba's dictionary lacks (cut by
    its HMM, which glues a one-character cue to an unknown name: 铝涨, 沪锡跌)."""
    lexicon = zh_lexicon()
    content = [w for w in words if w.text.strip() or "\n" in w.text]
    out: list[ToneWord] = []
    clause_quantity: tuple[bool, int] | None = None  # (bad?, index in out of its own tone word or -1)
    sentence_quantity: bool | None = None  # bad? (the latest quantity before a full stop)
    clause_start = 0  # index in content
    turn_from = -1  # index in out where the latest 由 of this clause stood
    for i, word in enumerate(content):
        text = word.text
        if _ends(text, _CLAUSE_ENDS):
            clause_quantity, clause_start, turn_from = None, i + 1, -1
            if _ends(text, _STOPS):
                sentence_quantity = None
            continue
        if text[:1] in lexicon.turn_from and text not in lexicon.not_turn_from:
            # jieba may join 由 to the next character (由前三季度): a word that begins with it
            turn_from = len(out)
        elif text in lexicon.turns and turn_from >= 0:
            # "由下降0.3%转为增长1.6%": what it turned from says nothing
            for k in range(turn_from, len(out)):
                out[k] = ToneWord(out[k].word, 0.0, out[k].negated, out[k].start, out[k].cue)
            turn_from = -1
        is_bad, is_good = text in lexicon.bad_quantities, text in lexicon.good_quantities
        if i + 1 < len(content) and content[i + 1].text in lexicon.selectors:
            is_bad = is_good = False
        if is_bad or is_good:
            sentence_quantity = is_bad
            clause_quantity = (is_bad, len(out) if text in lexicon.weights else -1)
        cue = True
        if text in names and text not in lexicon.cues:
            continue
        text, prefix = _cue_inside(text, lexicon, guessed)
        if text in lexicon.relative:
            if sentence_quantity is None:
                continue
            weight = lexicon.relative[text] * (-1 if sentence_quantity else 1)
        elif text in lexicon.rises and clause_quantity is not None:
            weight = lexicon.rises[text] * (-1 if clause_quantity[0] else 1)
        elif text in lexicon.weights:
            weight, cue = lexicon.weights[text], text in lexicon.cues
        else:
            continue
        if (text in lexicon.relative or text in lexicon.rises) and clause_quantity is not None \
                and clause_quantity[1] >= 0:
            # the quantity's own tone (亏损, 通胀) gives way to the change it undergoes
            k = clause_quantity[1]
            out[k] = ToneWord(out[k].word, 0.0, out[k].negated, out[k].start, out[k].cue)
            clause_quantity = (clause_quantity[0], -1)
        before = [w.text for w in content[max(clause_start, i - lexicon.window):i]]
        after = [w.text for w in content[i + 1:i + 3]]
        negated = any(prior in lexicon.negators for prior in before) != any(a in lexicon.failures for a in after)
        degree = prefix if prefix in lexicon.degrees else before[-1] if before else ""
        if degree in lexicon.degrees:
            weight *= lexicon.degrees[degree]
        # a cue glued to the end of a token stands where it is written (铝涨 of 沪铝涨: after the name)
        out.append(ToneWord(word.text, -weight if negated else weight, negated, word.start + len(prefix), cue))
    return out


def _cue_inside(text: str, lexicon: ZhLexicon, guessed: Callable[[str], bool]) -> tuple[str, str]:
    """(the word to weigh, what stands before it in the token): jieba keeps some phrases whole
    (价格上涨, 经济衰退, 明显提高) that end in a cue word; they are read as that cue (rather
    than as a dictionary word, if one lists them), unless what comes before it undoes it
    (负增长, 零增长: then the token is read as it is)."""
    def moves(word: str) -> bool:
        return word in lexicon.cues or word in lexicon.rises or word in lexicon.relative

    if moves(text) or len(text) < 2:
        return text, ""
    if text[-1] in lexicon.cues and text not in lexicon.weights and guessed(text):
        return text[-1], text[:-1]  # 铝涨: a name jieba did not know, and the move
    for cut in range(1, len(text) - 1):
        tail = text[cut:]
        if moves(tail):
            head = text[:cut]
            return (text, "") if head in lexicon.undoing_prefixes else (tail, head)
    return text, ""


def pattern_words(text: str) -> list[ToneWord]:
    """Tone written in a form no word list holds (zh_tone_cues.yaml ``patterns``)."""
    return [ToneWord(m.group(), weight, False, m.start())
            for pattern, weight in zh_lexicon().patterns for m in pattern.finditer(text)]


def _sentiment(net: float) -> Sentiment:
    score = math.tanh(net / 2.0)
    if abs(net) < _NEUTRAL_BAND:
        return Sentiment("neutral", score)
    return Sentiment("positive" if net > 0 else "negative", score)


@dataclass(frozen=True)
class _Read:
    """A text cut into sentences and clauses (character spans), with its tone words."""
    text: str
    sentences: list[tuple[int, int, list[tuple[int, int]]]]
    words: list[ToneWord]
    contrasts: list[int]  # offsets of contrast words
    names: tuple[tuple[int, str], ...] = ()  # (offset, name) of the book's names as segmented

    def net(self, start: int, end: int, contrast_from: int | None = None, cues_only: bool = False,
            dictionary_cap: float | None = None) -> float:
        """The tone of the words in [start, end); ``dictionary_cap`` bounds what the words that only a
        dictionary weighs add up to (so that they lean a cue's way but cannot make a tone alone)."""
        cued = leaning = 0.0
        for w in self.words:
            if start <= w.start < end and (w.cue or not cues_only):
                late = contrast_from is None or w.start >= contrast_from
                weight = w.weight * (1.0 if late else _BEFORE_CONTRAST)
                if w.cue:
                    cued += weight
                else:
                    leaning += weight
        if dictionary_cap is not None:
            leaning = max(-dictionary_cap, min(dictionary_cap, leaning))
        return cued + leaning

    def sentence_net(self, start: int, end: int, cues_only: bool = False) -> float:
        turns = [c for c in self.contrasts if start <= c < end]
        return self.net(start, end, turns[-1] if turns else None, cues_only)


def _read(text: str, extra_words: frozenset[str]) -> _Read:
    cutter = segmenter(analysis_words() | extra_words)
    words = cutter.words(text)
    contrasts = zh_lexicon().contrasts
    sentences: list[tuple[int, int, list[tuple[int, int]]]] = []
    clauses: list[tuple[int, int]] = []
    sentence_start = clause_start = 0
    for ch_at, ch in enumerate(text):
        if ch in _CLAUSE_ENDS:
            clauses.append((clause_start, ch_at + 1))
            clause_start = ch_at + 1
            if ch in _SENTENCE_ENDS:
                sentences.append((sentence_start, ch_at + 1, clauses))
                sentence_start, clauses = ch_at + 1, []
    if clause_start < len(text):
        clauses.append((clause_start, len(text)))
    if clauses:
        sentences.append((sentence_start, len(text), clauses))
    sentences = [s for s in sentences if text[s[0]:s[1]].strip()]
    found = tone_words(words, extra_words, lambda word: not cutter.base_frequency(word)) + pattern_words(text)
    found.sort(key=lambda w: w.start)
    return _Read(text, sentences, found, [w.start for w in words if w.text in contrasts],
                 tuple((w.start, w.text) for w in words if w.text in extra_words))


def _net(text: str, extra_words: frozenset[str]) -> tuple[float, list[ToneWord]]:
    read = _read(text, extra_words)
    return sum(read.sentence_net(s, e) for s, e, _ in read.sentences), read.words


def zh_document_tone(title: str | None, text: str, extra_words: frozenset[str] = frozenset()) -> Sentiment:
    net = _net(title, extra_words)[0] * _TITLE_WEIGHT if title else 0.0
    if text:
        read = _read(text, extra_words)
        net += sum(read.sentence_net(s, e) for s, e, _ in read.sentences[:_LEAD_SENTENCES])
    return _sentiment(net)


def zh_document_tones(docs: Sequence[tuple[str | None, str]], extra_words: frozenset[str] = frozenset()
                      ) -> list[Sentiment]:
    return [zh_document_tone(title, text, extra_words) for title, text in docs]


def explain_zh_tone(text: str, extra_words: frozenset[str] = frozenset()) -> tuple[Sentiment, list[ToneWord]]:
    net, found = _net(text, extra_words)
    return _sentiment(net), found


def _outside_mentions(read: _Read, needles: Sequence[str]) -> _Read:
    """The read without the tone words inside the company's own name (胜 of 胜华新能源)."""
    spans = [(m.start(), m.end()) for n in needles for m in re.finditer(re.escape(n), read.text)]
    if not spans:
        return read
    words = [w for w in read.words if not any(s <= w.start < e for s, e in spans)]
    return _Read(read.text, read.sentences, words, read.contrasts, read.names)


def _names_other(read: _Read, start: int, end: int, needles: Sequence[str]) -> bool:
    """Whether [start, end) names a company of the book other than the one read for."""
    return any(start <= at < end and not any(n in name or name in n for n in needles) for at, name in read.names)


def _mention_net(read: _Read, needles: Sequence[str]) -> tuple[float, bool]:
    read = _outside_mentions(read, needles)
    net, seen, nets = 0.0, False, []
    for start, end, clauses in read.sentences:
        for at, (c_start, c_end) in enumerate(clauses):
            if not any(n in read.text[c_start:c_end] for n in needles):
                continue
            seen = True
            clause_net = read.net(c_start, c_end, dictionary_cap=_CLAUSE_DICTIONARY_CAP)
            # "A公告，预计净利润同比增长50%", "A、B等个股，盘中涨超5%": read on to the clauses after
            # (not into a clause that names another company of the book: "A公告，B涨停")
            for n_start, n_end in clauses[at + 1:]:
                if abs(clause_net) >= _NEUTRAL_BAND or _names_other(read, n_start, n_end, needles):
                    break
                clause_net += read.net(n_start, n_end, cues_only=_FAR_CUES_ONLY)
            if abs(clause_net) < _NEUTRAL_BAND:
                whole = read.sentence_net(start, end, cues_only=_FAR_CUES_ONLY)
                clause_net = whole if abs(whole) > abs(clause_net) else clause_net
            net += clause_net
            nets.append(clause_net)
    toned = [n for n in nets if abs(n) >= _NEUTRAL_BAND]
    if toned and abs(net) < _NEUTRAL_BAND:
        # mentions that cancel out ("零售总额同比增长4.3%。1—10月…同比下降5.9%"): the lead one says it
        net = toned[0]
    return net, seen


def zh_entity_tone(title: str | None, text: str, mentions: Sequence[str],
                   extra_words: frozenset[str] = frozenset()) -> Sentiment:
    """The tone toward a company written as any of ``mentions`` in this document."""
    needles = [m for m in mentions if m and m.strip()]
    net, seen = 0.0, False
    for weight, part in ((_TITLE_WEIGHT, title or ""), (1.0, text or "")):
        if not part or not needles:
            continue
        part_net, part_seen = _mention_net(_read(part, extra_words), needles)
        net += weight * part_net
        seen = seen or part_seen
    if not seen:
        return zh_document_tone(title, text, extra_words)
    return _sentiment(net)
