"""What of an RM's notes may leave the RM side: the confidentiality rule of signals.

A confidential note counts (in breadth, recency, value) but neither its text nor its
customer's name is ever quoted. A note that may be shared is quoted with every customer
name of the signal masked, so no published text names a customer either: the product
department needs the need, the breadth and the value, not the names. Pure functions.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

#: Quotes per signal, and the characters of one.
QUOTES, QUOTE_CHARS = 3, 240
MASK = "[customer]"
_LEGAL_FORM = re.compile(r",?\s+(inc\.?|corp\.?|corporation|co\.?,? ltd\.?|ltd\.?|llc|plc|gmbh|ag|s\.?a\.?|s\.l\.|"
                         r"group|holdings?|company|& co\.?)$", re.IGNORECASE)


def name_forms(names: Iterable[str]) -> list[str]:
    """Every form a customer's names may take in a note: as given, and without a legal form."""
    forms: set[str] = set()
    for name in names:
        name = " ".join((name or "").split())
        if len(name) < 3:
            continue
        forms.add(name)
        short = _LEGAL_FORM.sub("", name).strip()
        if len(short) >= 3:
            forms.add(short)
    return sorted(forms, key=len, reverse=True)  # longest first: "Acme Tools Ltd" before "Acme Tools"


def mask_names(text: str, forms: Sequence[str]) -> str:
    """``text`` with every one of ``forms`` (longest first) masked, as a whole word, in any case."""
    if not forms:
        return text
    return _masker(tuple(forms)).sub(MASK, text)


@lru_cache(maxsize=256)
def _masker(forms: tuple[str, ...]) -> re.Pattern[str]:
    # One pattern per signal's names, not one per name and text: the alternatives are tried
    # in the order given (longest first), as the names were masked one after another before.
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(form) for form in forms) + r")(?!\w)", re.IGNORECASE)


def shareable_quotes(notes: Sequence[tuple[str, bool]], forms: Sequence[str], limit: int = QUOTES) -> list[str]:
    """Up to ``limit`` quotes from (text, confidential) notes, newest last in ``notes``:
    only notes that are not confidential, names masked, cut at a word."""
    quotes = []
    for text, confidential in reversed(notes):
        if confidential:
            continue
        quote = " ".join(mask_names(text, forms).split())
        if len(quote) > QUOTE_CHARS:
            quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + "\u2026"
        if quote and quote not in quotes:
            quotes.append(quote)
        if len(quotes) >= limit:
            break
    return quotes
