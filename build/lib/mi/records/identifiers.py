"""Company identifiers as entity linking stores them: checked and spelled one way.

Entity linking matches text against ``company_aliases`` by (kind, value), so a CIK must
not be stored once as "0000320193" and once as "320193". A malformed identifier is
refused (and reported) rather than stored, since a wrong LEI would link the wrong company.
"""
from __future__ import annotations

import re

IDENTIFIER_KINDS = ("ticker", "cik", "lei", "uscc")
#: Kinds that name exactly one legal entity, so a company can be found again by them.
UNIQUE_KINDS = ("lei", "cik", "uscc")

_TICKER = re.compile(r"[A-Z0-9][A-Z0-9.\-/]{0,14}")
_LEI = re.compile(r"[0-9A-Z]{18}[0-9]{2}")
# GB 32100-2015: 18 characters from 0-9 and the capitals without I, O, S, V, Z.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def normalise(kind: str, value: str) -> str | None:
    """The stored spelling of an identifier, or None if it is not a valid one of its kind."""
    text = value.strip().upper()
    if kind == "ticker":
        return text if _TICKER.fullmatch(text) else None
    if kind == "cik":
        digits = text.removeprefix("CIK").strip(": ")
        return str(int(digits)) if digits.isdigit() and 0 < len(digits) <= 10 and int(digits) else None
    if kind == "lei":
        return text if _LEI.fullmatch(text) and lei_checksum_ok(text) else None
    if kind == "uscc":
        return text if uscc_ok(text) else None
    raise ValueError(f"unknown identifier kind {kind!r}")


def lei_checksum_ok(lei: str) -> bool:
    """ISO 17442 uses ISO 7064 MOD 97-10: letters count as 10..35, the number mod 97 is 1."""
    return int("".join(str(int(char, 36)) for char in lei)) % 97 == 1


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_ok(code: str) -> bool:
    """A unified social credit code (China): 18 characters, the last a check character."""
    if len(code) != 18 or any(char not in _USCC_ALPHABET for char in code):
        return False
    return uscc_check_character(code[:17]) == code[17]


def company_ref(identifiers: dict[str, tuple[str, ...]], fallback: str) -> str:
    """A stable reference for a new company: the first unique identifier, else the bank's id."""
    for kind in UNIQUE_KINDS:
        if identifiers.get(kind):
            return f"{kind.upper()}:{identifiers[kind][0]}"
    return fallback
