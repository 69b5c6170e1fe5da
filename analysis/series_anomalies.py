"""Unusual moves in a market or statistics series.

A move is scored as a robust z-score: the change since the previous observation (log
return for prices, difference for rates), divided by ``sqrt`` of the periods it spans so
that a change across a holiday or a data gap is not mistaken for a one-day jump, then
compared with two robust scales measured on the observations *before* it:

* the recent past (about a quarter), so that a 2 % day in a calm year stands out, and
* the long run (about five years), so that during a crisis the big days still stand out
  instead of being absorbed into a crisis-sized volatility.

A move is reported when it stands out against either, i.e. the smaller scale is used; the
recent one may not fall below half the long-run one, so that after an unusually quiet
quarter an ordinary day is not called extraordinary. Both look only at earlier
observations (until there are enough of those, the whole series stands in), so a day's
score does not depend on what happened next.

A monthly or quarterly series with a strong season (``series_seasonal``: STL, enough
history, seasonal strength) is scored on its seasonally adjusted values, so that the
calendar's swing does not set the scale: on the bundled turnover index the ±13 % seasonal
swing hid the 2009 slump, which now stands out. Such anomalies carry
``seasonally_adjusted=True`` and their ``change`` is the adjusted one. The seasonal
component is estimated on the whole history, later years included (STL is a smoother);
robust fitting keeps a slump out of it.

Flagged moves are then classified with the observations on both sides:

* ``spike``: one value out of line with both neighbourhoods (a bad print): flagged once,
  the move back is not reported again;
* ``level_shift``: the series settles at a new level and the jump dwarfs the noise around
  it (a redenomination, a rebasing): flagged once at the jump;
* ``move``: anything else (the market really moved).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from mi.analysis.series_prepare import (
    WINDOWS,
    Kind,
    check_frequency,
    periods_between,
    robust_scale,
    scale_floor,
    trailing_scale,
    usable,
)
from mi.analysis.series_seasonal import find_seasonality

AnomalyKind = Literal["move", "spike", "level_shift"]

#: Robust z-score from which a move is reported.
DEFAULT_THRESHOLD = 5.0
#: The recent-past scale may not drop below this share of the long-run scale.
LOCAL_FLOOR = 0.5
#: A jump is a level shift (or a value a spike) when it is this many times the spread of
#: the levels around it; market crashes come with a volatile neighbourhood and stay below.
OUT_OF_CHARACTER = 5.0
#: Levels on each side needed before calling something a spike or a level shift.
MIN_SIDE = 3


@dataclass(frozen=True)
class Anomaly:
    date: dt.date
    value: float  # the observation on that date
    change: float  # since the previous observation: relative for "price", points for "level"
    score: float  # signed robust z-score of the change
    kind: AnomalyKind
    #: The change and score are of the seasonally adjusted series (a seasonal statistic).
    seasonally_adjusted: bool = False


@dataclass(frozen=True)
class _Scored:
    """The usable observations with the score of the change into each one."""

    values: pd.Series
    levels: np.ndarray  # log values for prices, values for levels
    change: np.ndarray  # change into each observation; NaN for the first
    score: np.ndarray  # NaN for the first
    travel: float  # robust scale of the change over a neighbourhood's length
    adjusted: bool  # levels are seasonally adjusted


def detect_anomalies(series: pd.Series, frequency: str, *, kind: Kind = "price",
                     threshold: float = DEFAULT_THRESHOLD, seasonal: bool = True) -> list[Anomaly]:
    """Unusual moves, spikes and level shifts, oldest first.

    ``series`` is indexed by date with NaN for missing values; missing rows and zeros that
    stand for "no value" are skipped, never reported (see ``series_prepare.usable``).
    A monthly or quarterly series with a strong season (``series_seasonal``) is scored with
    the season taken out, unless ``seasonal`` is False.
    """
    if threshold <= 0:
        raise ValueError("threshold must be positive")
    scored = _score(series, check_frequency(frequency), kind, seasonal)
    if scored is None:
        return []
    side = WINDOWS[frequency].neighbourhood
    anomalies: list[Anomaly] = []
    way_back = -1  # the move back from a spike belongs to the spike
    settling_until = -1  # moves right after a level shift belong to the shift's settling
    for position in map(int, np.flatnonzero(np.abs(np.nan_to_num(scored.score)) >= threshold)):
        if position == way_back:
            continue
        label = _classify(scored, position, side)
        if label == "level_shift" and position <= settling_until:
            label = "move"
        if label == "spike":
            way_back = position + 1
        elif label == "level_shift":
            settling_until = position + side
        anomalies.append(_anomaly(scored, position, label, kind))
    return anomalies


def _score(series: pd.Series, frequency: str, kind: Kind, seasonal: bool) -> _Scored | None:
    values = usable(series, kind).values
    if len(values) < MIN_SIDE:
        return None
    windows = WINDOWS[frequency]
    season = find_seasonality(values, frequency, kind) if seasonal else None
    if season is not None:
        levels = season.adjusted_at_observations()
    else:
        levels = np.log(values.to_numpy()) if kind == "price" else values.to_numpy()
    step = np.diff(levels)
    per_period = pd.Series(step / np.sqrt(periods_between(values.index, frequency)), index=values.index[1:])
    # Prices drift (CPI rises every month): centre on the long-run median change first.
    centre = per_period.rolling(windows.long, min_periods=windows.min_obs).median().shift(1)
    deviation = per_period - centre.fillna(float(per_period.median()))
    recent = trailing_scale(deviation, windows.local, windows.min_obs)
    long_run = trailing_scale(deviation, windows.long, windows.min_obs)
    scale = np.minimum(long_run, np.maximum(recent, LOCAL_FLOOR * long_run)).to_numpy()
    score = deviation.to_numpy() / np.maximum(scale, scale_floor(levels, kind))
    nan = np.array([np.nan])
    side = windows.neighbourhood
    travel = robust_scale(levels[side:] - levels[:-side]) if len(levels) > side else 0.0
    return _Scored(values, levels, np.concatenate([nan, step]), np.concatenate([nan, score]), travel,
                   season is not None)


def _classify(scored: _Scored, position: int, side: int) -> AnomalyKind:
    levels = scored.levels
    before = levels[max(0, position - side):position]
    after = levels[position + 1:position + 1 + side]
    if len(before) < MIN_SIDE or len(after) < MIN_SIDE:
        return "move"  # at the edges of the series there is no telling
    jump = levels[position] - levels[position - 1]
    # Spike: this value sits far from both sides, which agree with each other.
    around = np.concatenate([before, after])
    off = levels[position] - float(np.median(around))
    sides_agree = abs(float(np.median(after)) - float(np.median(before))) <= 0.5 * abs(off)
    if sides_agree and abs(off) >= OUT_OF_CHARACTER * _spread(before, after):
        return "spike"
    # Level shift: the series settles where the jump took it (the jump is the whole step,
    # not the start of a slide), and the step dwarfs both the spread of the levels on either
    # side and how far the series usually travels over that many observations. A crash day
    # settles too (prices are a random walk), but amid a volatile neighbourhood, or as part
    # of a longer slide.
    settled = levels[position:position + 1 + side]
    shift = float(np.median(settled)) - float(np.median(before))
    persists = shift * jump > 0 and 0.5 * abs(jump) <= abs(shift) <= 1.5 * abs(jump)
    if (persists and abs(shift) >= OUT_OF_CHARACTER * _spread(before, settled)
            and abs(shift) >= OUT_OF_CHARACTER * scored.travel):
        return "level_shift"
    return "move"


def _spread(*sides: np.ndarray) -> float:
    return max(robust_scale(side) for side in sides)


def _anomaly(scored: _Scored, position: int, label: AnomalyKind, kind: Kind) -> Anomaly:
    step = float(scored.change[position])
    return Anomaly(
        date=scored.values.index[position].date(),
        value=float(scored.values.iloc[position]),
        change=float(np.expm1(step)) if kind == "price" else step,
        score=float(scored.score[position]),
        kind=label,
        seasonally_adjusted=scored.adjusted,
    )
