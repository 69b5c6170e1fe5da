"""Period labels and activity codes as official statistics publish them.

The World Bank labels periods ``2024``, ``2024Q1`` and ``2024M01``; SDMX uses ``2024``,
``2024-S1``, ``2024-Q1``, ``2024-01``, ``2024-M01``, ``2024-W05`` and ``2024-01-15``. Each maps
to the first day of the period and a frequency letter, so a series keeps its frequency
from the data rather than from a setting that can drift out of date.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: dt.date
    frequency: str


def _year(m: re.Match[str]) -> Period:
    return Period(dt.date(int(m["y"]), 1, 1), "A")


def _half(m: re.Match[str]) -> Period:
    return Period(dt.date(int(m["y"]), 6 * int(m["n"]) - 5, 1), "S")


def _quarter(m: re.Match[str]) -> Period:
    return Period(dt.date(int(m["y"]), 3 * int(m["n"]) - 2, 1), "Q")


def _month(m: re.Match[str]) -> Period:
    return Period(dt.date(int(m["y"]), int(m["n"]), 1), "M")


def _week(m: re.Match[str]) -> Period:
    # SDMX weeks are ISO 8601 weeks: the period starts on that week's Monday.
    return Period(dt.date.fromisocalendar(int(m["y"]), int(m["n"]), 1), "W")


def _day(m: re.Match[str]) -> Period:
    return Period(dt.date(int(m["y"]), int(m["n"]), int(m["d"])), "D")


_FORMATS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Period]], ...] = (
    (re.compile(r"(?P<y>\d{4})(?:-A1)?"), _year),
    (re.compile(r"(?P<y>\d{4})-?S(?P<n>[12])"), _half),
    (re.compile(r"(?P<y>\d{4})-?Q(?P<n>[1-4])"), _quarter),
    (re.compile(r"(?P<y>\d{4})(?:-?M|-)(?P<n>\d{1,2})"), _month),
    (re.compile(r"(?P<y>\d{4})-?W(?P<n>\d{1,2})"), _week),
    (re.compile(r"(?P<y>\d{4})-(?P<n>\d{2})-(?P<d>\d{2})(?:T[\d:.]+Z?)?"), _day),
)


#: Years a statistical period may fall in (as ``mi.sources.reading.values.parse_date``):
#: 0001 and 9999 are placeholders, not periods.
FIRST_YEAR, LAST_YEAR = 1800, 2199


def parse_period(label: object) -> Period | None:
    """The period a label names, or None for anything else (including 2023-02-30 and
    years outside ``FIRST_YEAR``-``LAST_YEAR``)."""
    if isinstance(label, int) and not isinstance(label, bool):
        label = str(label)  # a JSON year
    if not isinstance(label, str):
        return None
    text = label.strip()
    for pattern, build in _FORMATS:
        if match := pattern.fullmatch(text):
            if not FIRST_YEAR <= int(match["y"]) <= LAST_YEAR:
                return None
            try:
                return build(match)
            except ValueError:  # month 13, week 54, day 30 of February
                return None
    return None


_NACE_PART = re.compile(r"([A-U])[\d.]*")


def nace_section(code: str | None) -> str | None:
    """The NACE Rev.2 / ISIC Rev.4 section letter a code lies in, or None.

    ``C``, ``C10``, ``C10-C12`` and ``C10_C11`` are all manufacturing (``C``). An aggregate
    across sections (``B-D``, industry as a whole) or a grouping that is not a code at all
    (``MIG_ING``, ``TOTAL``) describes no single section, so it gets none rather than the
    section its label happens to start with.
    """
    if not code:
        return None
    letters = set()
    for part in re.split(r"[-_]", code.strip().upper()):
        match = _NACE_PART.fullmatch(part)
        if not match:
            return None
        letters.add(match[1])
    return letters.pop() if len(letters) == 1 else None
