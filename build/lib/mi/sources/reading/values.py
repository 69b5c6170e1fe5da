"""Reading the raw material of market-data payloads: archives, text, JSON, numbers and dates.

Plain functions with no knowledge of channels. They never raise on odd input: each one
answers ``None`` (or an error message) so the table code can report the cell and go on.
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import math
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from mi.records.limits import Limits
from mi.sources.reading.caps import limit_text
from mi.sources.reading.charset import decode, http_charset, wide_unicode

ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Unpacked:
    """The payload's inner bytes, or why they could not be had."""

    data: bytes = b""
    error: str | None = None


def unpack(body: bytes, limits: Limits | None = None) -> Unpacked:
    """Open a zip (the ECB ships eurofxref-hist.zip) or gzip wrapper; pass other bytes through.

    Inflating stops one byte past ``max_unpacked_bytes``: a zip bomb costs that much memory
    and no more."""
    limits = limits or Limits()
    if body.startswith(ZIP_MAGIC):
        return _unzip(body, limits)
    if body.startswith(GZIP_MAGIC):
        return _gunzip(body, limits)
    return Unpacked(body)


def _unzip(body: bytes, limits: Limits) -> Unpacked:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_archive_members:
                return Unpacked(error=f"zip archive holds {len(entries):,} files, over the limit of "
                                      f"{limit_text(limits, 'max_archive_members')}")
            members = [info for info in entries if not info.is_dir() and not info.filename.startswith("__MACOSX/")]
            if len(members) != 1:
                # Several files means guessing which one is the table; refuse instead.
                names = ", ".join(info.filename for info in members[:5]) or "none"
                return Unpacked(error=f"zip archive holds {len(members)} files ({names}); expected exactly one")
            with archive.open(members[0]) as member:
                data = member.read(limits.max_unpacked_bytes + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            OSError, EOFError, zlib.error, ValueError) as exc:
        return Unpacked(error=f"unreadable zip archive: {exc}")
    return _capped(data, limits)


def _gunzip(body: bytes, limits: Limits) -> Unpacked:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(limits.max_unpacked_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return Unpacked(error=f"unreadable gzip payload: {exc}")
    return _capped(data, limits)


def _capped(data: bytes, limits: Limits) -> Unpacked:
    if len(data) > limits.max_unpacked_bytes:
        return Unpacked(error=f"archive inflates past the limit of {limit_text(limits, 'max_unpacked_bytes', 'bytes')}")
    return Unpacked(data)


@dataclass(frozen=True)
class PayloadText:
    text: str = ""
    error: str | None = None
    #: A guessed character encoding: the rows load, but non-ASCII text may be wrong.
    warnings: tuple[str, ...] = ()
    #: Bytes that were no text in any charset, replaced with U+FFFD: characters were lost.
    problems: tuple[str, ...] = ()


def payload_text(body: bytes, *, content_type: str | None = None, limits: Limits | None = None) -> PayloadText:
    """Unpack and decode a payload (``mi.sources.reading.charset``), refusing empty and binary
    input up front."""
    if not body.strip():
        return PayloadText(error="payload is empty")
    unpacked = unpack(body, limits)
    if unpacked.error:
        return PayloadText(error=unpacked.error)
    if b"\x00" in unpacked.data[:4096] and not wide_unicode(unpacked.data):
        return PayloadText(error="payload is binary, not text")
    decoded = decode(unpacked.data, [http_charset(content_type)])
    text = decoded.text
    if "\x00" in text:
        return PayloadText(error="payload is binary, not text")
    if not text.strip():
        return PayloadText(error="payload is empty")
    note = (decoded.note,) if decoded.note else ()
    return PayloadText(text, warnings=note if not decoded.lost else (), problems=note if decoded.lost else ())


def read_json(text: str) -> Any:
    """``json.loads`` with NaN, Infinity and -Infinity read as null.

    Python's json accepts those bare words (pandas writes them), and a NaN that reaches a
    record becomes the text "nan" or a float no database column wants: every JSON reader
    takes them for what they mean, a missing value. Raises ValueError or RecursionError.
    """
    return json.loads(text, parse_constant=lambda _word: None)


def is_missing(value: object) -> bool:
    """None, NaN, an infinity and blank text: what every JSON reader takes as no value."""
    if value is None:
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, str) and not value.strip()


# -- numbers ---------------------------------------------------------------------------

_GROUP_SEPARATORS = " \u00a0\u202f'"


def _number_patterns(decimal: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    other = "," if decimal == "." else "."
    dec = re.escape(decimal)
    plain = re.compile(rf"[+-]?(?:\d+(?:{dec}\d*)?|{dec}\d+)(?:[eE][+-]?\d+)?")
    # Grouping must be regular (1-3 digits, then groups of exactly 3) so that "1,5" in a
    # "."-decimal file is reported instead of silently read as 15.
    seps = re.escape(other + _GROUP_SEPARATORS)
    grouped = re.compile(rf"[+-]?\d{{1,3}}(?:[{seps}]\d{{3}})+(?:{dec}\d*)?")
    return plain, grouped


_PATTERNS = {decimal: _number_patterns(decimal) for decimal in (".", ",")}


def parse_number(text: str, decimal: str = ".") -> float | None:
    """A finite float from a cell, or None when the text is not a number.

    Finite: a cell of 400 digits, or 1e999, is a float overflow (``inf``), not a value."""
    plain, grouped = _PATTERNS[decimal]
    cell = text.strip()
    if plain.fullmatch(cell):
        return _finite(float(cell.replace(decimal, ".")))
    if grouped.fullmatch(cell):
        digits = "".join(ch for ch in cell if ch not in ",." + _GROUP_SEPARATORS or ch == decimal)
        return _finite(float(digits.replace(decimal, ".")))
    return None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def to_number(raw: object, decimal: str = ".") -> float | None:
    """Numbers from CSV text or JSON values; booleans and non-finite values are not numbers."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
        return value if math.isfinite(value) else None
    if isinstance(raw, str):
        return parse_number(raw, decimal)
    return None


# -- dates -----------------------------------------------------------------------------

#: Tried in order. Slashed dates with the year last are US month/day/year (FRED's and
#: Yahoo's exports, "1/4/1999"); dotted ones are European day.month.year.
DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%b-%d-%Y", "%d.%m.%Y", "%Y%m%d",
    "%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%B %d, %Y", "%Y-%m", "%Y",
)

#: The years a data row may name. Market and statistical series reach back to the 1800s
#: (Shiller's from 1871) and projections run decades ahead; 0001-01-01 and 9999-12-31 are
#: placeholders for "unknown" and "never", and date arithmetic on them overflows later.
FIRST_YEAR, LAST_YEAR = 1800, 2199

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
# Period labels as used by the World Bank API and SDMX: 2020Q1, 2020-Q1, 2020M01.
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])")
_MONTH = re.compile(r"(\d{4})M(\d{1,2})")


def parse_date(raw: object, date_format: str | None = None) -> dt.date | None:
    """The date a cell names (periods map to their first day), or None; a year outside
    ``FIRST_YEAR``-``LAST_YEAR`` is no date either."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # JSON years: 2020
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text:
        return None
    day = _strptime(text, date_format) if date_format else _iso_or_period(text) or _first_format(text)
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


def _iso_or_period(text: str) -> dt.date | None:
    try:
        if match := _ISO_DATE.fullmatch(text):
            return dt.date(*(int(part) for part in match.groups()))
        if match := _QUARTER.fullmatch(text):
            return dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
        if match := _MONTH.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), 1)
    except ValueError:  # 2013-02-30 and the like
        return None
    return None


def _first_format(text: str) -> dt.date | None:
    for date_format in DATE_FORMATS:
        if (parsed := _strptime(text, date_format)) is not None:
            return parsed
    return None


def _strptime(text: str, date_format: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:  # also raised for a malformed configured format
        return None


# -- plausible publication times --------------------------------------------------------

#: Nothing this pipeline reads was published before 1900; earlier years are typos or
#: placeholders (0001-01-01), and two-digit-year rules turn some of them into 2001.
EARLIEST_PUBLISHED = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
#: Publishers' clocks and time zones put items a little ahead of ours, never days ahead;
#: 9999-12-31 is a "never expires" placeholder, not a publication date.
FUTURE_SLACK = dt.timedelta(days=3)


def implausible(when: dt.datetime, now: dt.datetime | None = None) -> str | None:
    """Why ``when`` (timezone-aware) cannot be a publication time, or None if it can be."""
    now = now or dt.datetime.now(dt.UTC)
    if when < EARLIEST_PUBLISHED:
        return f"is before {EARLIEST_PUBLISHED.year}"
    if when > now + FUTURE_SLACK:
        return f"is more than {FUTURE_SLACK.days} days after {now.date().isoformat()}"
    return None
