"""Chinese stock codes in the forms the press and data vendors write them (no I/O).

One A share is written 601398, 601398.SH, 601398.SS (Yahoo), SH601398 or sh601398; one
Hong Kong share 1398.HK, 01398.HK, HK01398 or (港股 01398). Each is reduced to a key
(exchange family, number): ("A", "601398"), ("HK", "1398"), so the book's ticker in any of
these spellings finds the text's in any other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_A_EXCHANGES = {"SH": "SH", "SS": "SH", "SZ": "SZ", "BJ": "BJ"}
_BOOK_A = re.compile(r"(?:(SH|SS|SZ|BJ)[.:]?)?(\d{6})(?:\.(SH|SS|SZ|BJ))?")
_BOOK_HK = re.compile(r"(?:HK[.:]?)?(\d{1,5})\.HK|HK[.:]?(\d{4,5})")

# In text: an exchange-qualified code, or a bare code in brackets right after a name
# ("太阳能(000591)"), or after 代码 / 股票代码 / 证券代码.
TEXT_CODE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?P<a_pre>sh|sz|bj|SH|SZ|BJ)(?P<a1>\d{6})"
    r"|(?P<a2>\d{6})\.(?P<a_suf>SH|SS|SZ|BJ|sh|ss|sz|bj)"
    r"|(?P<hk1>\d{4,5})\.(?:HK|hk)"
    r"|(?:HK|hk)(?P<hk2>\d{4,5})"
    r"|(?<=[(（])(?P<bare>\d{6}|0\d{4})(?=[)）,，;；])"
    r"|(?<=代码)[:：\s]*(?P<after>\d{6})"
    r")(?![0-9A-Za-z])"
)


@dataclass(frozen=True)
class CodeMention:
    key: tuple[str, str]
    written: str
    start: int
    end: int
    qualified: bool  # the exchange is written with it (601398.SH), not only implied by brackets


def book_code_keys(ticker: str) -> set[tuple[str, str]]:
    """Keys of one ticker of the book; an ordinary ticker (AAPL) has none."""
    text = ticker.strip().upper()
    hk = _BOOK_HK.fullmatch(text)
    if hk:
        return {("HK", str(int(hk.group(1) or hk.group(2))))}
    a = _BOOK_A.fullmatch(text)
    if a and (a.group(1) or a.group(3) or text.isdigit()):
        return {("A", a.group(2))}
    return set()


def code_mentions(text: str) -> list[CodeMention]:
    found = []
    for m in TEXT_CODE.finditer(text):
        g = m.groupdict()
        if g["a1"] or g["a2"]:
            key, qualified = ("A", g["a1"] or g["a2"]), True
        elif g["hk1"] or g["hk2"]:
            key, qualified = ("HK", str(int(g["hk1"] or g["hk2"]))), True
        elif g["bare"]:
            bare = g["bare"]
            key, qualified = (("HK", str(int(bare))) if len(bare) == 5 else ("A", bare)), False
        else:
            key, qualified = ("A", g["after"]), False
        found.append(CodeMention(key, m.group().strip(" :："), m.start(), m.end(), qualified))
    return found
