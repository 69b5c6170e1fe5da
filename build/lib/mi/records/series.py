"""Time series (FX rates, yields, indices, statistics) and their observations."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Frequency codes of a series: daily, business-daily, weekly, monthly, quarterly, annual.
FREQUENCIES = ("D", "B", "W", "M", "Q", "A")


@dataclass(frozen=True)
class SeriesRecord:
    """A time series described by a payload (FX rate, index, yield, statistic)."""

    key: str  # globally unique, e.g. "ecb.eurofxref.USD"
    name: str
    unit: str
    frequency: str  # "D", "B", "W", "M", "Q", "A"
    source: str
    industry: str | None = None  # ISIC Rev.4 section letter, when the series describes one


@dataclass(frozen=True)
class ObservationRecord:
    series_key: str
    date: dt.date
    value: float


def infer_frequency(dates: list[dt.date]) -> str:
    """Guess D/B/W/M/Q/A from the typical gap between sorted dates; "" if under two dates."""
    if len(dates) < 2:
        return ""
    gaps = sorted((later - earlier).days for earlier, later in zip(dates, dates[1:]))
    typical = gaps[len(gaps) // 2]
    if typical <= 3:
        # Business-day series skip weekends entirely; a daily one has Saturdays.
        return "D" if any(day.weekday() >= 5 for day in dates) else "B"
    for limit, frequency in ((10, "W"), (45, "M"), (135, "Q")):
        if typical <= limit:
            return frequency
    return "A"
