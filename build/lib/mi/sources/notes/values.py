"""Field notes before they meet the warehouse: the draft, its identity and its cell readers.

Shared by the ``field_notes`` channel kind (files dropped into an intake folder) and by
``mi note add``: both turn what an RM typed into a ``NoteDraft``; ``mi.warehouse.note_loading`` then
resolves the RM and customer and writes it. Nothing here touches the database.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from mi.records.notes import NoteError

# -- tags -------------------------------------------------------------------------------
_TAG_SEPARATORS = re.compile(r"[,;|]")
_TAG_SPACES = re.compile(r"[\s_]+")


def normalise_tags(value: Any) -> tuple[str, ...]:
    """Tags from a list or a ',', ';' or '|'-separated cell: lower case, spaces as '-', no '#'.

    One spelling per tag ("FX Hedging", "#fx_hedging" → "fx-hedging") keeps counts by tag
    meaningful; order is kept and repeats dropped.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        parts: Iterable[Any] = _TAG_SEPARATORS.split(value)
    elif isinstance(value, (list, tuple)):
        # A null (or JSON NaN, read as null) in the list is no tag, not an error.
        parts = [piece for item in value if item is not None
                 for piece in _TAG_SEPARATORS.split(_scalar_text(item, "tags"))]
    else:
        raise NoteError(f"tags {value!r} are neither text nor a list")
    tags = (_TAG_SPACES.sub("-", str(part).strip().lstrip("#").strip().lower()) for part in parts)
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def _scalar_text(value: Any, name: str) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise NoteError(f"{name} holds {value!r}, which is not text")


# -- confidential flag ----------------------------------------------------------------------
_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0", ""}


def read_flag(value: Any, name: str = "confidential") -> bool:
    """yes/no, true/false, 1/0 (any case), a JSON boolean; empty means no."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = value.strip().casefold()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise NoteError(f"{name} {value!r} is not yes/no (use yes/no, true/false or 1/0)")


# -- dates ----------------------------------------------------------------------------------
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Unambiguous spellings only: year first, dotted European day.month.year, month names.
_FORMATS = ("%Y/%m/%d", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%Y%m%d")


def read_note_date(value: Any, date_format: str | None = None) -> dt.date:
    """The day a note was taken: ISO (a timestamp's day), or a common spelling.

    Slashed dates are read only when the order is evident (13/04/2026 or 04/13/2026):
    03/04/2026 is 3 April to a European desk and March 4 to an American one, so it is
    refused rather than guessed; a channel whose files use one order sets ``date_format``.
    Periods ("2026-11", "2026Q3") are not dates a note was taken on and are refused too.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _scalar_text(value, "date").strip() if value is not None else ""
    if not text:
        raise NoteError("missing date")
    if date_format:
        parsed = _strptime(text, date_format)
        if parsed is None:
            raise NoteError(f"date {text!r} does not match the channel's date_format {date_format!r}")
        return parsed
    if match := _ISO.fullmatch(text):
        return _date(text, int(match[1]), int(match[2]), int(match[3]))
    if match := _SLASHED.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 >= second:
            return _date(text, year, second, first)
        if second > 12 >= first or first == second:
            return _date(text, year, first, second)
        raise NoteError(f"date {text!r} is ambiguous (day/month or month/day?): write it as YYYY-MM-DD")
    for date_format in _FORMATS:
        if (parsed := _strptime(text, date_format)) is not None:
            return parsed
    raise NoteError(f"date {text!r} is not a date (write it as YYYY-MM-DD)")


def _date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 2026-02-30 and the like
        raise NoteError(f"date {text!r} does not exist") from None


def _strptime(text: str, date_format: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:
        return None
