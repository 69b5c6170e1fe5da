"""Industry codes of any supported scheme mapped to an ISIC Rev.4 section (A-U).

The mapping is data, not code: one CSV per scheme in ``mi/reference/data`` (sources and
judgement calls in ``data/SOURCE.md``). Each table lists a scheme's top level plus the
finer codes whose ISIC section differs from their parent's; a code is looked up by its
longest listed prefix, so ``NAICS 522110`` finds the ``52`` row and ``NAICS 562111`` the
``562`` override. A fix to a mapping is an edit to a CSV row.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

#: Scheme name -> table file. Names are the ones stored in ``industry_scheme`` columns.
SCHEME_FILES = {
    "ISIC": "isic_rev4.csv",
    "NAICS": "naics_2022.csv",
    "SIC": "sic_1987.csv",
    "GICS": "gics.csv",
    "GBT4754": "gbt4754_2017.csv",
}
#: Spellings seen in bank extracts for the same schemes.
SCHEME_ALIASES = {
    "ISIC4": "ISIC", "ISICREV4": "ISIC", "NAICS2022": "NAICS", "NAICS2017": "NAICS",
    "SIC1987": "SIC", "USSIC": "SIC", "GB/T4754": "GBT4754", "GBT47542017": "GBT4754",
    "GB4754": "GBT4754", "CSIC": "GBT4754",
}
SECTIONS = frozenset("ABCDEFGHIJKLMNOPQRSTU")
_SEPARATORS = re.compile(r"[\s.\-/_]+")
_LETTER_AND_DIGITS = re.compile(r"([A-Z])(\d+)")
_NAICS_RANGE = re.compile(r"(\d\d)-\d\d")


@dataclass(frozen=True)
class Mapping:
    scheme: str
    codes: dict[str, str]  # code -> ISIC section
    longest: int  # length of the longest listed code: where the prefix search starts


def normalise_scheme(scheme: str) -> str | None:
    """The canonical scheme name, or None when the scheme is not supported."""
    key = _SEPARATORS.sub("", scheme).upper()
    key = SCHEME_ALIASES.get(key, key)
    return key if key in SCHEME_FILES else None


@cache
def mapping(scheme: str) -> Mapping:
    name = normalise_scheme(scheme)
    if name is None:
        raise KeyError(f"unknown industry scheme {scheme!r} (known: {', '.join(SCHEME_FILES)})")
    with open(DATA_DIR / SCHEME_FILES[name], newline="", encoding="utf-8") as handle:
        table = {row["code"].strip(): row["isic_section"].strip() for row in csv.DictReader(handle)}
    return Mapping(name, table, max(map(len, table)))


def normalise_code(scheme: str, code: str) -> str:
    """The code as the tables spell it: no separators, upper case, lost zeros restored."""
    text = code.strip().upper()
    if scheme == "NAICS" and (match := _NAICS_RANGE.fullmatch(text)):
        return match[1]  # "31-33" names the manufacturing sector by its range
    text = _SEPARATORS.sub("", text)  # "64.19", "C 13" and "5221-10" are common spellings
    if scheme in ("ISIC", "GBT4754") and (match := _LETTER_AND_DIGITS.fullmatch(text)):
        text = match[2]  # "C1311": the letter repeats what the digits already say
    if text.isdigit() and scheme in ("ISIC", "GBT4754", "SIC") and len(text) % 2:
        # These codes have 2 or 4 digits, and spreadsheets (and the SEC's export) drop a
        # leading zero: SIC "100" is 0100, ISIC "111" is 0111.
        text = "0" + text
    return text


def isic_section(scheme: str, code: str) -> str | None:
    """The ISIC Rev.4 section of ``code`` in ``scheme``, or None if it is not mapped."""
    name = normalise_scheme(scheme or "")
    if name is None or code is None:
        return None
    table = mapping(name)
    key = normalise_code(name, str(code))
    for length in range(min(len(key), table.longest), 0, -1):
        section = table.codes.get(key[:length])
        if section:
            return section
    return None
