"""Chinese text: which script it is written in, one spelling for comparison, and words (no I/O).

Chinese is written without spaces, so every Chinese model here reads words cut by jieba
(a dictionary + HMM segmenter), with the words that matter to the bank added to its
dictionary: the book's company names and the keyword rules' terms. A term counts only
where the segmentation puts a word boundary on both sides of it, so "中行" (Bank of China)
is not found inside "集中行业" (集中 | 行业).

Traditional and simplified spellings of one story are the same story: comparisons and
keyword rules read the simplified form (OpenCC t2s, a character and phrase table, so the
offsets of the original text are kept: the conversion maps one character to one character).
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jieba
from opencc import OpenCC

jieba.setLogLevel(logging.WARNING)  # its dictionary load logs at INFO on every process start

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}]")
_KANA_HANGUL = re.compile("[\u3040-\u30ff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
# A text is Chinese when at least this share of its letters are Han characters (and it has
# no kana or hangul, which would make it Japanese or Korean).
_HAN_SHARE = 0.3
_MIN_HAN = 4  # "A股" is not yet a Chinese text
_SCRIPT_SAMPLE = 2_000
_lock = threading.Lock()


def is_chinese_code(language: str | None) -> bool:
    return bool(language) and language.split("-")[0].lower() == "zh"


def looks_chinese(text: str) -> bool:
    """Whether a text is written in Chinese, however short (a headline of ten characters counts)."""
    han = len(_HAN_CHAR.findall(text))
    letters = len(_LETTER.findall(text))
    if han < _MIN_HAN or not letters or _KANA_HANGUL.search(text):
        return False
    return han / letters >= _HAN_SHARE


@lru_cache(maxsize=2)
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


def to_simplified(text: str) -> str:
    """The simplified spelling; simplified text comes back unchanged."""
    return _converter("t2s").convert(text) if text else text


def chinese_script(text: str) -> str:
    """"zh-Hant" when the text uses traditional-only characters more than simplified-only ones, else "zh-Hans"."""
    sample = text[:_SCRIPT_SAMPLE]
    as_simplified = to_simplified(sample)
    as_traditional = _converter("s2t").convert(sample)
    traditional_only = sum(a != b for a, b in zip(sample, as_simplified, strict=False))
    simplified_only = sum(a != b for a, b in zip(sample, as_traditional, strict=False))
    return "zh-Hant" if traditional_only > simplified_only else "zh-Hans"


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


class Segmenter:
    """jieba with extra dictionary words; cuts the simplified form and keeps the original's offsets."""

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        self.extra_words = frozenset(w for w in (to_simplified(x.strip()) for x in extra_words) if w)
        self._jieba = jieba.Tokenizer()
        with _lock:  # the dictionary load writes jieba's cache file once
            self._jieba.initialize()
        # how common each word is in general text, before this book's names raise it
        self._base_freq = {w: self._jieba.FREQ.get(w, 0) for w in self.extra_words}
        # longest first, so a full name is added before the short names inside it
        for word in sorted(self.extra_words, key=len, reverse=True):
            # a high frequency makes the word win over the ways the base dictionary would cut it
            self._jieba.add_word(word, freq=max(1000, 200 * len(word)))

    def base_frequency(self, word: str) -> int:
        """How often jieba's own dictionary counts the word in general text (0: not a word there)."""
        word = to_simplified(word)
        return self._base_freq.get(word, self._jieba.FREQ.get(word, 0))

    def words(self, text: str) -> list[Word]:
        """The words of ``text`` (spaces and punctuation included as their own tokens)."""
        if not text:
            return []
        simplified = to_simplified(text)
        same_length = len(simplified) == len(text)
        return [Word(text[start:end] if same_length else word, start, end)
                for word, start, end in self._jieba.tokenize(simplified, HMM=True)]

    def boundaries(self, text: str) -> frozenset[int]:
        """Offsets where one word ends and the next begins (0 and len(text) included)."""
        cuts = {0, len(text)}
        for word in self.words(text):
            cuts.add(word.start)
            cuts.add(word.end)
        return frozenset(cuts)


@lru_cache(maxsize=4)
def segmenter(extra_words: frozenset[str] = frozenset()) -> Segmenter:
    """A segmenter per set of extra words, kept for the process (a new book builds a new one)."""
    return Segmenter(extra_words)


def char_shingles(text: str, size: int = 3) -> set[str]:
    """Overlapping character n-grams of the simplified, punctuation-free text: what dedupe compares."""
    cleaned = "".join(ch for ch in to_simplified(text).casefold() if ch.isalnum())
    if len(cleaned) <= size:
        return {cleaned} if cleaned else set()
    return {cleaned[i:i + size] for i in range(len(cleaned) - size + 1)}


def joined_words(words: Iterable[Word]) -> str:
    """Words shown as an analyst reads a segmentation: 工行 | 净利润 | 增长."""
    return " | ".join(w.text for w in words if w.text.strip())
