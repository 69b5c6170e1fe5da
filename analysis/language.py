"""Which documents the English models may read (no I/O).

Tagging rules, the sentiment model and the linker's context cues are English. A document
in another language is marked with its language and gets no English-rule tags or tone; it
can still be linked by exact names, tickers and identifiers. Chinese has models of its
own (the zh_* modules): it is told apart by its script, however short the headline, and
marked "zh-Hans" (simplified) or "zh-Hant" (traditional).
"""
from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from mi.analysis.zh_text import chinese_script, is_chinese_code, looks_chinese

SUPPORTED = frozenset({"en"})
_MIN_CHARS = 20  # shorter texts are left undecided
_MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 4_000


def detect_language(title: str | None, text: str | None) -> str | None:
    """ISO 639-1 code of the text, or None when it is too short or the classifier unsure."""
    sample = " ".join(filter(None, (title, text)))[:_SAMPLE_CHARS]
    if looks_chinese(sample):  # a ten-character headline is plainly Chinese; langid needs more
        return chinese_script(sample)
    if len(sample.strip()) < _MIN_CHARS:
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < _MIN_CONFIDENCE:
        return None
    return chinese_script(sample) if code == "zh" else code


def chinese_variant(language: str | None, title: str | None, text: str | None) -> str | None:
    """A declared "zh" (or "zh-CN", "zh-TW") made precise from the text's script; others unchanged."""
    if not is_chinese_code(language):
        return language
    sample = " ".join(filter(None, (title, text)))[:_SAMPLE_CHARS]
    return chinese_script(sample) if looks_chinese(sample) else language


def supported(language: str | None) -> bool:
    """Whether the English models may read a document; an undecided language counts as English,
    since the channels that leave it undecided carry short English headlines."""
    return language is None or language.split("-")[0].lower() in SUPPORTED


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier
