"""Getting a stored series ready for analysis: ordered, gaps measured, fake zeros set aside.

Every analysis (changes, anomalies, trend, forecast) starts here so that all of them see
the same observations. The rules follow what real files contain: rows in any order,
duplicated dates, ``NaN`` where a missing marker stood, and zeros that mean "not yet
published" (datahub's Shiller file ends in runs of ``0.0``) or a one-row glitch.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from mi.records.series import infer_frequency as _infer_from_dates

#: "price": FX rates, indices, commodity prices: compared by ratio (log returns).
#: "level": rates and yields, which can be zero or negative: compared by difference (points).
Kind = Literal["price", "level"]
KINDS: tuple[Kind, ...] = ("price", "level")
FREQUENCIES = ("B", "D", "W", "M", "Q", "A")

#: Below one basis point of the price (or of the level) a move is a rounding wobble: the
#: smallest scale anything is measured against, so that a peg that never moved does not
#: turn its first tick into an infinite score or a zero-width forecast interval.
SCALE_FLOOR = 1e-4

#: A rate series' zero is a placeholder when the value next to it is this many times the
#: series' median non-zero step away from zero.
ZERO_JUMP = 8.0

# 1.4826 turns a median absolute deviation into a normal standard deviation, 1.2533 a
# mean absolute deviation (used only when the MAD is zero, as in pegged currencies).
MAD_TO_SIGMA = 1.4826
MEAN_AD_TO_SIGMA = 1.2533


@dataclass(frozen=True)
class Windows:
    """Window lengths, in observations, that suit one frequency."""

    local: int  # "the recent past": about a quarter of daily data
    long: int  # "the long run": about five years of daily data
    min_obs: int  # fewer than this and a rolling estimate falls back to the whole series
    neighbourhood: int  # observations each side used to tell a level shift from a move
    trend: int  # recent window for the trend line
    horizon: int  # default forecast length


WINDOWS: dict[str, Windows] = {
    "B": Windows(local=63, long=1260, min_obs=20, neighbourhood=10, trend=63, horizon=5),
    "D": Windows(local=91, long=1826, min_obs=28, neighbourhood=10, trend=91, horizon=7),
    "W": Windows(local=26, long=260, min_obs=12, neighbourhood=6, trend=26, horizon=4),
    "M": Windows(local=24, long=120, min_obs=12, neighbourhood=6, trend=24, horizon=3),
    "Q": Windows(local=12, long=40, min_obs=8, neighbourhood=4, trend=12, horizon=2),
    "A": Windows(local=10, long=30, min_obs=6, neighbourhood=3, trend=10, horizon=1),
}


def check_frequency(frequency: str) -> str:
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency {frequency!r} is not one of {', '.join(FREQUENCIES)}")
    return frequency


def check_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    return kind  # type: ignore[return-value]


def ordered(series: pd.Series) -> pd.Series:
    """Float values on a sorted, de-duplicated, day-precision DatetimeIndex.

    Duplicated dates keep the first row, as the source parsers do.
    """
    index = pd.DatetimeIndex(pd.to_datetime(series.index)).normalize()
    if index.tz is not None:
        index = index.tz_localize(None)
    values = pd.to_numeric(pd.Series(series.to_numpy(), index=index), errors="coerce").astype(float)
    values = values.replace([np.inf, -np.inf], np.nan)
    values = values[~values.index.duplicated(keep="first")].sort_index()
    values.name = series.name
    return values


def guess_kind(series: pd.Series) -> Kind:
    """"level" when any value is negative (only rates and spreads go below zero), else "price"."""
    values = pd.to_numeric(pd.Series(series), errors="coerce")
    return "level" if bool((values < 0).any()) else "price"


@dataclass(frozen=True)
class Usable:
    """The observations analysis may use, and how many rows it had to leave out."""

    values: pd.Series  # no NaN, ordered by date
    missing: int  # rows that were NaN (missing markers)
    zeros: int  # rows taken as "not published" or as a glitch


def usable(series: pd.Series, kind: Kind) -> Usable:
    values = ordered(series)
    missing = int(values.isna().sum())
    present = values.dropna()
    fake = _fake_zeros(present, check_kind(kind))
    return Usable(present[~fake], missing, int(fake.sum()))


def _fake_zeros(values: pd.Series, kind: Kind) -> np.ndarray:
    """Which values stand for "no value" rather than a real observation."""
    array = values.to_numpy()
    if kind == "price":
        # A price, an index or an exchange rate is never zero or negative: a zero there is
        # a placeholder wherever it sits (trailing run, leading run, one-row glitch).
        return array <= 0
    fake = np.zeros(len(array), dtype=bool)
    zero = array == 0
    if not zero.any() or zero.all():
        return fake
    # A rate can really be 0.00 (policy rates 2009-2022), but it gets there in ordinary
    # steps. A zero reached by a step many times larger than the series' usual non-zero
    # step is a placeholder, like Shiller's long rate going 4.09 -> 0.0 for "unpublished".
    steps = np.abs(np.diff(array))
    steps = steps[steps > 0]
    usual = float(np.median(steps)) if len(steps) else 0.0
    far = np.abs(array) > ZERO_JUMP * usual
    first, last = 0, len(array) - 1
    while zero[first]:
        first += 1
    while zero[last]:
        last -= 1
    # Runs of zeros at either end: "not yet published" (Shiller's last months) or "not
    # defined yet" (Shiller's PE10 needs ten years of earnings first).
    if last < len(array) - 1 and far[last]:
        fake[last + 1:] = True
    if first > 0 and far[first]:
        fake[:first] = True
    for i in range(first + 1, last):
        if zero[i] and not zero[i - 1] and not zero[i + 1] and far[i - 1] and far[i + 1]:
            fake[i] = True
    return fake


def infer_frequency(index: pd.Index) -> str:
    """D/B/W/M/Q/A from the spacing of the dates (the source parsers' rule); "B" if unclear."""
    dates = [stamp.date() for stamp in pd.DatetimeIndex(index).sort_values()]
    return _infer_from_dates(dates) or "B"


def periods_between(dates: pd.DatetimeIndex, frequency: str) -> np.ndarray:
    """How many periods of the frequency separate each date from the one before (at least 1).

    Weekends do not count for "B", so Friday -> Monday is one period; a holiday or a
    missing row makes it two or more.
    """
    if len(dates) < 2:
        return np.zeros(0)
    days = dates.to_numpy().astype("datetime64[D]")
    if frequency == "B":
        counted = np.busday_count(days[:-1], days[1:])
    elif frequency == "D":
        counted = np.diff(days).astype(int)
    elif frequency == "W":
        counted = np.rint(np.diff(days).astype(int) / 7)
    else:
        months = dates.year.to_numpy() * 12 + dates.month.to_numpy()
        per = {"M": 1, "Q": 3, "A": 12}[frequency]
        counted = np.rint(np.diff(months) / per)
    return np.maximum(np.asarray(counted, dtype=float), 1.0)


def period_positions(dates: pd.DatetimeIndex, frequency: str) -> np.ndarray:
    """Each date's position in periods from the first one, gaps included."""
    return np.concatenate([[0.0], np.cumsum(periods_between(dates, frequency))]) if len(dates) else np.zeros(0)


def robust_scale(values: np.ndarray) -> float:
    """A standard deviation that a few huge values cannot inflate; 0.0 for constant input."""
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return 0.0
    deviations = np.abs(values - np.median(values))
    mad = float(np.median(deviations))
    return MAD_TO_SIGMA * mad if mad > 0 else MEAN_AD_TO_SIGMA * float(np.mean(deviations))


def trailing_scale(deviations: pd.Series, window: int, min_obs: int) -> pd.Series:
    """Robust scale of the ``window`` observations before each one (never the one itself).

    The input is already centred. Where fewer than ``min_obs`` lie before, the scale of the
    whole series stands in, so that short series and the first months still get scores.
    """
    absolute = deviations.abs()
    rolling = absolute.rolling(window, min_periods=min_obs)
    median, mean = rolling.median().shift(1), rolling.mean().shift(1)
    scale = (MAD_TO_SIGMA * median).where(median > 0, MEAN_AD_TO_SIGMA * mean)
    return scale.fillna(robust_scale(deviations.to_numpy()))


def scale_floor(levels: np.ndarray, kind: Kind) -> float:
    """``SCALE_FLOOR`` in the units of ``levels`` (log values for prices, values for levels)."""
    if kind == "price" or len(levels) == 0:
        return SCALE_FLOOR
    return SCALE_FLOOR * max(1.0, float(np.median(np.abs(levels))))


def as_date(stamp: pd.Timestamp) -> dt.date:
    return pd.Timestamp(stamp).date()

