"""Change of a series over the usual horizons: 1 day, 1 week, 1 month, year to date.

Each horizon compares the latest observation with the last observation on or before the
horizon's date, so Monday's "1 day" is measured against Friday and a holiday or a missing
row simply moves the comparison back to the previous value. A comparison value older than
the horizon allows (a monthly series has no "1 day" change) gives ``None`` rather than a
change over some other span passed off as the requested one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from mi.analysis.series_prepare import Kind, as_date, usable

#: How far before the horizon's date the comparison value may lie. 1 day allows Easter
#: (Thursday -> Tuesday); 1 month allows a series dated on the 1st of each month.
_HORIZONS: tuple[tuple[str, pd.DateOffset, int], ...] = (
    ("1d", pd.DateOffset(days=1), 4),
    ("1w", pd.DateOffset(weeks=1), 5),
    ("1m", pd.DateOffset(months=1), 10),
)
_YTD_STALENESS_DAYS = 31


@dataclass(frozen=True)
class Horizon:
    """One comparison: the value it was made against, and the change since."""

    since: dt.date  # date of the comparison observation
    base: float  # its value
    change: float  # relative (0.05 = +5 %) for "price", points for "level"


@dataclass(frozen=True)
class Changes:
    last_date: dt.date
    last_value: float
    kind: Kind
    day: Horizon | None
    week: Horizon | None
    month: Horizon | None
    ytd: Horizon | None  # against the last observation of the previous year

    @property
    def change_1d(self) -> float | None:
        return self.day.change if self.day else None

    @property
    def change_1w(self) -> float | None:
        return self.week.change if self.week else None

    @property
    def change_1m(self) -> float | None:
        return self.month.change if self.month else None

    @property
    def change_ytd(self) -> float | None:
        return self.ytd.change if self.ytd else None


def changes(series: pd.Series, as_of: dt.date | str | pd.Timestamp | None = None, *,
            kind: Kind = "price") -> Changes:
    """Latest value on or before ``as_of`` (default: the latest) and its changes.

    Raises ValueError when there is no usable observation on or before ``as_of``.
    """
    values = usable(series, kind).values
    if as_of is not None:
        values = values[values.index <= pd.Timestamp(as_of)]
    if values.empty:
        raise ValueError("no observation on or before the requested date" if as_of is not None
                         else "the series has no usable observation")
    last_stamp, last_value = values.index[-1], float(values.iloc[-1])
    found = {name: _compare(values, _target(last_stamp, name, offset), pd.Timedelta(days=slack), last_value, kind)
             for name, offset, slack in _HORIZONS}
    year_end = pd.Timestamp(last_stamp.year - 1, 12, 31)
    ytd = _compare(values, year_end, pd.Timedelta(days=_YTD_STALENESS_DAYS), last_value, kind)
    return Changes(as_date(last_stamp), last_value, kind, found["1d"], found["1w"], found["1m"], ytd)


def _target(last: pd.Timestamp, name: str, offset: pd.DateOffset) -> pd.Timestamp:
    # A month back from 29 February is 31 January, not 29 January, for month-end series.
    if name == "1m" and last.is_month_end:
        return last - pd.offsets.MonthEnd(1)
    return last - offset


def _compare(values: pd.Series, target: pd.Timestamp, slack: pd.Timedelta, last: float,
             kind: Kind) -> Horizon | None:
    earlier = values[values.index <= target]
    if earlier.empty or earlier.index[-1] < target - slack:
        return None
    base = float(earlier.iloc[-1])
    change = last / base - 1.0 if kind == "price" else last - base
    return Horizon(as_date(earlier.index[-1]), base, change)
