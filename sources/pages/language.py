"""Which language a page or feed item is written in: declared, detected, or both weighed.

Shared by the page and feed kinds; the classifier (py3langid) ships its model inside the
package, so it works offline.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Only a long text the classifier is nearly sure about may overrule a declared language:
# CMS templates ship a default lang="en-US" on pages written in other languages.
_OVERRIDE_MIN_CHARS, _OVERRIDE_MIN_CONFIDENCE = 400, 0.99
_DETECT_MIN_CONFIDENCE, _DETECT_SAMPLE_CHARS = 0.5, 4_000
# A headline alone is too short to tell one language from its neighbours reliably.
_DETECT_MIN_CHARS = 20


def choose_language(declared: str | None, text: str) -> str | None:
    """The declared language unless a long text clearly says otherwise; detected when none is declared."""
    if declared is None and len(text.strip()) < _DETECT_MIN_CHARS:
        return None
    detected, confidence = _language_identifier().classify(text[:_DETECT_SAMPLE_CHARS])
    if declared is None:
        return detected if confidence >= _DETECT_MIN_CONFIDENCE else None
    overrule = len(text) >= _OVERRIDE_MIN_CHARS and confidence >= _OVERRIDE_MIN_CONFIDENCE
    return detected if overrule else declared


@lru_cache(maxsize=1)
def _language_identifier() -> LanguageIdentifier:
    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # The model also knows ISO 639-3-only varieties; records carry ISO 639-1 codes. A new
    # identifier over those columns only: ``set_languages`` would keep the full table (27 MB)
    # beside the restricted one for as long as the process lives.
    keep = [i for i, code in enumerate(full.nb_classes) if len(code) == 2]
    return LanguageIdentifier(np.ascontiguousarray(full.nb_ptc[:, keep]), full.nb_pc[keep],
                              [full.nb_classes[i] for i in keep], full.tk_nextmove, full.tk_output,
                              norm_probs=True, tk_row=full.tk_row)
