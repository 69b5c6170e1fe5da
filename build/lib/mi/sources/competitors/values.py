"""Reading the figures on a bank's product page: rates, amounts, terms, dates, names.

Product pages are written for people, in the bank's language and house style: "bis zu
4,1 % p.a.", "€ 10.000", "CHF 1'000.–", "12 Monate", "valid from 1 November 2026". Each
function answers None when the text holds no such figure, so the caller can tell "not
shown" from "shown but unreadable".
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u00ad", "")).strip()


# -- rates ------------------------------------------------------------------------------

_RATE_NUMBER = r"\d{1,3}(?:[.,]\d+)?"
# A minus glued to the figure is a sign; one between two figures is a range ("1,5 – 3,0 %").
_RATE = re.compile(
    rf"(?<![\d.,])(?P<sign>[-\u2212]?)(?P<first>{_RATE_NUMBER})"
    rf"(?:\s*(?:[-\u2013\u2014]|bis|to)\s*[-\u2212]?{_RATE_NUMBER})?"
    r"\s*(?:%|prozent\b|percent\b|per cent\b|pct\b)", re.I)
_BARE_NUMBER = re.compile(rf"(?P<sign>[-\u2212]?)(?P<first>{_RATE_NUMBER})")


def parse_rate(text: str) -> float | None:
    """Percent per year: the first percentage on the text ("bis zu 4,1 %" -> 4.1,
    "1,5 – 3,0 %" -> 1.5); a cell holding nothing but a number is read as one too."""
    cleaned = clean_text(text)
    match = _RATE.search(cleaned) or _BARE_NUMBER.fullmatch(cleaned)
    if not match:
        return None
    value = float(match["first"].replace(",", "."))
    return -value if match["sign"] else value


# -- amounts ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Amount:
    value: float
    currency: str | None  # ISO 4217, when the text names one


_CURRENCY_WORDS = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "$": "USD", "us$": "USD", "usd": "USD",
    "chf": "CHF", "fr.": "CHF", "sfr.": "CHF", "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY",
}
_ISO_CODES = {"EUR", "USD", "CHF", "GBP", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "CAD", "AUD",
              "CNY", "HKD", "SGD"}
_CURRENCY = re.compile(r"(€|\$|£|¥|\b(?:us\$|eur|euro|usd|chf|s?fr\.|gbp|jpy)(?![a-z])|\b[A-Z]{3}\b)", re.I)
# Grouped thousands (10.000 / 5,000 / 1'000 / 1 000) before plain figures, so "10.000" is
# never read as ten.
_AMOUNT = re.compile(r"\d{1,3}(?:[.,'\u2019\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?")
_MULTIPLIERS = (
    (re.compile(r"\s*(?:k|tsd\.?|tausend)(?![a-z])", re.I), 1e3),
    (re.compile(r"\s*(?:mio\.?|millionen|million|mn)(?![a-z])", re.I), 1e6),
    (re.compile(r"\s*(?:mrd\.?|milliarden?|billion|bn)(?![a-z])", re.I), 1e9),
)


def _decimal_number(figure: str) -> float:
    digits = re.sub(r"['\u2019\u00a0\u202f ]", "", figure)
    if "." in digits and "," in digits:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
        digits = digits.replace("," if decimal == "." else ".", "").replace(decimal, ".")
    elif (separator := "." if "." in digits else "," if "," in digits else ""):
        head, _, tail = digits.rpartition(separator)
        # One separator followed by exactly three digits groups thousands ("5,000");
        # anything else is a decimal mark ("2,5").
        grouping = digits.count(separator) > 1 or len(tail) == 3
        digits = digits.replace(separator, "") if grouping else f"{head.replace(separator, '')}.{tail}"
    return float(digits)


def parse_amount(text: str) -> Amount | None:
    cleaned = clean_text(text)
    match = _AMOUNT.search(cleaned)
    if not match:
        return None
    value = _decimal_number(match[0])
    rest = cleaned[match.end():]
    for pattern, factor in _MULTIPLIERS:
        if pattern.match(rest):
            value *= factor
            break
    return Amount(value, _currency(cleaned))


def _currency(text: str) -> str | None:
    for match in _CURRENCY.finditer(text):
        word = match[0]
        code = _CURRENCY_WORDS.get(word.casefold()) or (word if word in _ISO_CODES else None)
        if code:
            return code
    return None


# -- terms ------------------------------------------------------------------------------

_UNITS = (
    (r"jahr(?:e|en|es)?|years?|yrs?|j\.|y", "Y"),
    (r"monat(?:e|en|s)?|mon\.|months?|mths?|mo\.?|m", "M"),
    (r"woche(?:n)?|weeks?|wks?|w", "W"),
    (r"tag(?:e|en)?|days?|d", "D"),
)
_WORD_NUMBERS = {"one": "1", "ein": "1", "eine": "1", "einem": "1", "einen": "1", "two": "2", "zwei": "2",
                 "three": "3", "drei": "3", "six": "6", "sechs": "6", "twelve": "12", "zwölf": "12"}
_TERM_NUMBER = r"\d+(?:[.,]\d+)?"
_TERM = re.compile(
    rf"(?P<a>{_TERM_NUMBER})(?:\s*(?:-|–|bis|to)\s*(?P<b>{_TERM_NUMBER}))?\s*-?\s*"
    rf"(?P<unit>{'|'.join(pattern for pattern, _ in _UNITS)})(?![a-zäöü])", re.I)
MAX_TERM_CHARS = 50  # CompetitorOffer.term


def parse_term(text: str) -> str | None:
    """A canonical term: "12 Monate", "1 year" and "12 months" all become "12M" (years count
    in months, so a rewording is not a change); "1 – 5 Jahre" becomes "12M-60M". Text with
    no duration in it ("täglich verfügbar") is kept as written."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    words = re.sub(r"[a-zäöü]+", lambda m: _WORD_NUMBERS.get(m[0].casefold(), m[0]), cleaned, flags=re.I)
    match = _TERM.search(words)
    if not match:
        return cleaned[:MAX_TERM_CHARS]
    unit = next(code for pattern, code in _UNITS if re.fullmatch(pattern, match["unit"], re.I))
    parts = [_duration(match[name], unit) for name in ("a", "b") if match[name]]
    return "-".join(parts)


def _duration(number: str, unit: str) -> str:
    value = float(number.replace(",", "."))
    if unit == "Y":
        value, unit = value * 12, "M"
    return f"{round(value)}{unit}" if abs(value - round(value)) < 1e-9 else f"{value:g}{unit}"


# -- dates ------------------------------------------------------------------------------

_MONTHS = {"jan": 1, "jän": 1, "feb": 2, "mar": 3, "mär": 3, "mrz": 3, "apr": 4, "may": 5, "mai": 5,
           "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12}
_MONTH_WORD = r"(?P<month>[a-zäöü]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})(?!\d)"),
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTH_WORD}\s+(?P<y>\d{{4}})", re.I),
    re.compile(rf"{_MONTH_WORD}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I),
)
_SLASHED = re.compile(r"(?P<p>\d{1,2})/(?P<q>\d{1,2})/(?P<y>\d{4})")


def parse_offer_date(text: str, *, day_first: bool = True) -> dt.date | None:
    """ISO, 01.11.2026, 1. November 2026, 1 Nov 2026, November 1, 2026, and 01/11/2026
    (day first unless the channel says its pages are written month first)."""
    cleaned = clean_text(text)
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(cleaned):
            if (found := _date(match)) is not None:
                return found
    if match := _SLASHED.search(cleaned):
        day, month = (match["p"], match["q"]) if day_first else (match["q"], match["p"])
        return _safe_date(int(match["y"]), int(month), int(day))
    return None


def _date(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    if groups.get("month") is not None:
        month = _MONTHS.get(groups["month"][:3].casefold())
        if month is None:
            return None
    else:
        month = int(groups["m"])
    year = int(groups["y"])
    return _safe_date(year + 2000 if year < 100 else year, month, int(groups["d"]))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# -- names ------------------------------------------------------------------------------

_FOOTNOTE_MARKS = re.compile(r"[®™©*†‡¹²³⁰⁴-⁹]")
MAX_KEY_CHARS = 200  # CompetitorOffer.offer_key


def offer_key(name: str) -> str:
    """The stable identity of a product on its page: case, spacing, punctuation and footnote
    marks ("Tagesgeld Plus¹") do not make a new product."""
    text = unicodedata.normalize("NFKC", _FOOTNOTE_MARKS.sub("", name)).casefold()
    return " ".join(re.findall(r"\w+", text))[:MAX_KEY_CHARS]
