"""Which documents the English models may read (no I/O).

Tagging rules, the sentiment model and the linker's context cues are English. A document
in another language is marked with its language and gets no English-rule tags or tone; it
can still be linked by exact names, tickers and identifiers. Chinese is detected and marked
unsupported until models made for it arrive.
"""
from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

SUPPORTED = frozenset({"en"})
_MIN_CHARS = 20  # shorter texts are left undecided
_MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 4_000


def detect_language(title: str | None, text: str | None) -> str | None:
    """ISO 639-1 code of the text, or None when it is too short or the classifier unsure."""
    sample = " ".join(filter(None, (title, text)))[:_SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_CHARS:
        return None
    code, confidence = _identifier().classify(sample)
    return code if confidence >= _MIN_CONFIDENCE else None


def supported(language: str | None) -> bool:
    """Whether the English models may read a document; an undecided language counts as English,
    since the channels that leave it undecided carry short English headlines."""
    return language is None or language.split("-")[0].lower() in SUPPORTED


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier
