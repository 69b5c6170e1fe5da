"""Reading the raw material of market-data payloads: archives, text, numbers and dates.

Plain functions with no knowledge of channels. They never raise on odd input: each one
answers ``None`` (or an error message) so the table code can report the cell and go on.
"""
from __future__ import annotations

import codecs
import datetime as dt
import gzip
import io
import math
import re
import zipfile
import zlib
from dataclasses import dataclass

#: A payload may legitimately be large (the ECB history is ~1.5 MB unpacked), but an
#: archive that inflates past this is a zip bomb or the wrong file, not a rate table.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Unpacked:
    """The payload's inner bytes, or why they could not be had."""

    data: bytes = b""
    error: str | None = None


def unpack(body: bytes) -> Unpacked:
    """Open a zip (the ECB ships eurofxref-hist.zip) or gzip wrapper; pass other bytes through."""
    if body.startswith(ZIP_MAGIC):
        return _unzip(body)
    if body.startswith(GZIP_MAGIC):
        return _gunzip(body)
    return Unpacked(body)


def _unzip(body: bytes) -> Unpacked:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = [
                info for info in archive.infolist()
                if not info.is_dir() and not info.filename.startswith("__MACOSX/")
            ]
            if len(members) != 1:
                # Several files means guessing which one is the table; refuse instead.
                names = ", ".join(info.filename for info in members[:5]) or "none"
                return Unpacked(error=f"zip archive holds {len(members)} files ({names}); expected exactly one")
            with archive.open(members[0]) as member:
                data = member.read(MAX_UNPACKED_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            OSError, EOFError, zlib.error) as exc:
        return Unpacked(error=f"unreadable zip archive: {exc}")
    return _capped(data)


def _gunzip(body: bytes) -> Unpacked:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_UNPACKED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return Unpacked(error=f"unreadable gzip payload: {exc}")
    return _capped(data)


def _capped(data: bytes) -> Unpacked:
    if len(data) > MAX_UNPACKED_BYTES:
        return Unpacked(error=f"archive member inflates past {MAX_UNPACKED_BYTES} bytes")
    return Unpacked(data)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) as published by ECB/FRED/datahub; latin-1 for old exports.

    latin-1 maps every byte, so decoding itself can never fail.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


@dataclass(frozen=True)
class PayloadText:
    text: str = ""
    error: str | None = None


def payload_text(body: bytes) -> PayloadText:
    """Unpack and decode a payload, refusing empty and binary input up front."""
    if not body.strip():
        return PayloadText(error="payload is empty")
    unpacked = unpack(body)
    if unpacked.error:
        return PayloadText(error=unpacked.error)
    text = decode_text(unpacked.data)
    if "\x00" in text:
        return PayloadText(error="payload is binary, not text")
    if not text.strip():
        return PayloadText(error="payload is empty")
    return PayloadText(text)


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
    """A finite float from a cell, or None when the text is not a number."""
    plain, grouped = _PATTERNS[decimal]
    cell = text.strip()
    if plain.fullmatch(cell):
        return float(cell.replace(decimal, "."))
    if grouped.fullmatch(cell):
        digits = "".join(ch for ch in cell if ch not in ",." + _GROUP_SEPARATORS or ch == decimal)
        return float(digits.replace(decimal, "."))
    return None


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

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
# Period labels as used by the World Bank API and SDMX: 2020Q1, 2020-Q1, 2020M01.
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])")
_MONTH = re.compile(r"(\d{4})M(\d{1,2})")


def parse_date(raw: object, date_format: str | None = None) -> dt.date | None:
    """The date a cell names (periods map to their first day), or None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # JSON years: 2020
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text:
        return None
    if date_format:
        return _strptime(text, date_format)
    return _iso_or_period(text) or _first_format(text)


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
