"""Recent trend and a short-horizon forecast of a series.

Both work on log values for prices (so a trend or a drift is a growth rate) and on the
values themselves for rates ("level"), on the same usable observations as the anomaly
code, with gaps counted in periods of the series' frequency.

The forecast is a random walk with drift: over a few days or months that is hard to beat
for market prices and honest about its uncertainty. The drift is a trimmed mean of the
changes, shrunk towards zero as far as it is lost in their noise (an index's daily drift
is; a price index's monthly rise is not). Changes may carry momentum (monthly averages
such as Shiller's, inflation): their lag-1 autocorrelation, clipped to [0, 0.9], is then
used as an AR(1) on the changes; daily market data have none and get the plain random walk.

The interval half-width for one period is the empirical quantile of recent per-period
shocks (so fat tails and the current volatility regime are in it), read at the rank a new
shock stays under with that probability (few shocks: 12 quarters, 24 months); it widens with
``sqrt(h)`` (faster with momentum) and with the drift's own uncertainty. On 1999-2018
S&P 500 and ECB USD data the 80 % intervals held 79-83 % of outcomes 1-5 days ahead
(``bench/quality_anomalies.py``), on 21 other monthly and quarterly market and macro series
81 % on average (``bench/quality_intervals.py``). Future dates have no holiday calendar.

Monthly and quarterly series with a strong season (industry statistics published without
seasonal adjustment) are forecast by a seasonal ETS model instead, and their trend is
measured with the season taken out (``series_seasonal``); on the bundled Eurostat turnover
index that cut the mean absolute error 1-3 months ahead from 7-12 % to 2-3.3 %, with 80 %
intervals a sixth as wide that held 85-87 % of outcomes (quarterly means: 80 %;
``bench/quality_forecast.py``).
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
    infer_frequency,
    period_positions,
    periods_between,
    robust_scale,
    scale_floor,
    usable,
)
from mi.analysis.series_seasonal import MAX_FIT, find_seasonality, seasonal_forecast

Direction = Literal["up", "down", "flat"]

DEFAULT_LEVEL = 0.8  # interval coverage
#: Share of the largest and smallest changes left out of the drift, so that one level
#: shift or crash day in the window does not become the forecast's direction.
_DRIFT_TRIM = 0.1
#: Cap on the momentum of changes, so a trending sample cannot turn into an explosive path.
MAX_MOMENTUM = 0.9


@dataclass(frozen=True)
class Trend:
    direction: Direction
    #: Fitted change per period: relative (0.001 = +0.1 %) for "price", points for "level".
    slope_per_period: float
    window: int  # observations the line was fitted on


@dataclass(frozen=True)
class ForecastPoint:
    date: dt.date
    value: float  # median forecast
    lower: float
    upper: float


def trend(series: pd.Series, frequency: str | None = None, *, kind: Kind = "price",
          window: int | None = None, seasonal: bool = True) -> Trend:
    """Theil-Sen line through the last ``window`` observations (default: about a quarter).

    "flat" when the fitted move over the window is smaller than the scatter of the values
    around the line: the series wandered, it did not go anywhere. A strongly seasonal
    monthly or quarterly series is measured with its season taken out, so that the
    calendar's swing is not read as scatter (unless ``seasonal`` is False).
    """
    values = usable(series, kind).values
    frequency = check_frequency(frequency or infer_frequency(values.index))
    length = window or WINDOWS[frequency].trend
    recent = values.iloc[-length:]
    if len(recent) < 3:
        raise ValueError("a trend needs at least 3 usable observations")
    x = period_positions(recent.index, frequency)
    y = _levels(recent, kind)
    season = find_seasonality(values.iloc[-MAX_FIT:], frequency, kind) if seasonal else None
    if season is not None and len(recent) <= len(season.slots):
        y = season.adjusted_at_observations()[-len(recent):]
    slope = _theil_sen(x, y)
    scatter = robust_scale(y - slope * x)
    move = slope * (x[-1] - x[0])
    direction: Direction = "flat" if abs(move) <= scatter else ("up" if move > 0 else "down")
    return Trend(direction, float(np.expm1(slope)) if kind == "price" else float(slope), len(recent))


def forecast(series: pd.Series, frequency: str, horizon: int | None = None, *, kind: Kind = "price",
             level: float = DEFAULT_LEVEL, seasonal: bool = True) -> list[ForecastPoint]:
    """The next ``horizon`` periods (default: a week of business days, 3 months, ...).

    A monthly or quarterly series with a strong season is forecast by a seasonal ETS model
    (``series_seasonal``) unless ``seasonal`` is False; everything else, and a seasonal
    series whose ETS fit fails, by the random walk with drift described above.
    """
    check_frequency(frequency)
    if not 0 < level < 1:
        raise ValueError("level must lie between 0 and 1")
    windows = WINDOWS[frequency]
    horizon = windows.horizon if horizon is None else horizon
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    values = usable(series, kind).values
    if len(values) < 3:
        raise ValueError("a forecast needs at least 3 usable observations")
    dates = future_dates(values.index[-1], frequency, horizon)
    # The season is judged on the years the model is fitted on: STL over a century of
    # monthly history would cost more than the forecast and say nothing more about next month.
    season = find_seasonality(values.iloc[-MAX_FIT:], frequency, kind) if seasonal else None
    ahead = seasonal_forecast(season, horizon, level) if season is not None else None
    if ahead is not None:
        # A noiseless seasonal pattern gets the same smallest interval as a peg, not zero width.
        floor = scale_floor(season.levels.to_numpy(), kind) * np.sqrt(np.arange(1, horizon + 1))
        lower = np.minimum(ahead.lower, ahead.centre - floor)
        upper = np.maximum(ahead.upper, ahead.centre + floor)
        return _points(dates, ahead.centre, lower, upper, kind)
    model = _fit(values.iloc[-(windows.long + 1):], frequency, kind)
    one_period = max(_shock_quantile(np.abs(model.shocks[-windows.local:]), level), model.floor)
    steps = np.arange(1, horizon + 1)
    rho = model.momentum
    # Expected change: the drift, plus what is left of the last change's momentum.
    carried = model.last_deviation * rho * (1 - rho**steps) / (1 - rho)
    centre = model.last_level + model.drift * steps + carried
    # A shock j periods before the horizon moves the level by 1 + rho + ... + rho^(h-j), so
    # the spread grows with sqrt(h) when changes are independent and faster when monthly
    # averages carry momentum; the drift's own error (sd / sqrt(n)) grows with h.
    reach = np.array([np.sum(((1 - rho ** np.arange(1, h + 1)) / (1 - rho)) ** 2) for h in steps])
    half = one_period * np.sqrt(reach + steps**2 / len(model.shocks))
    return _points(dates, centre, centre - half, centre + half, kind)


def _points(dates: list[dt.date], centre: np.ndarray, lower: np.ndarray, upper: np.ndarray,
            kind: Kind) -> list[ForecastPoint]:
    """Forecast points back on the series' own scale (prices were forecast as logs)."""
    if kind == "price":
        centre, lower, upper = np.exp(centre), np.exp(lower), np.exp(upper)
    return [ForecastPoint(date, float(mid), float(low), float(high))
            for date, mid, low, high in zip(dates, centre, lower, upper)]


def future_dates(last: pd.Timestamp, frequency: str, count: int) -> list[dt.date]:
    """The next ``count`` dates of the frequency after ``last`` (no holiday calendar)."""
    last = pd.Timestamp(last)
    steps = range(1, count + 1)
    if frequency == "B":
        return [(last + pd.offsets.BDay(k)).date() for k in steps]
    if frequency in ("D", "W"):
        days = 1 if frequency == "D" else 7
        return [(last + pd.Timedelta(days=days * k)).date() for k in steps]
    months = {"M": 1, "Q": 3, "A": 12}[check_frequency(frequency)]
    if last.is_month_end:
        # Month-end series stay on month ends: 30 September -> 31 December.
        return [(last + pd.offsets.MonthEnd(months * k)).date() for k in steps]
    return [(last + pd.DateOffset(months=months * k)).date() for k in steps]


@dataclass(frozen=True)
class _Model:
    """Random walk with drift whose per-period changes may carry some momentum (AR(1))."""

    last_level: float
    drift: float  # per period
    momentum: float  # lag-1 autocorrelation of the changes, in [0, MAX_MOMENTUM]
    last_deviation: float  # last per-period change minus the drift
    shocks: np.ndarray  # what momentum and drift do not explain, per period
    floor: float  # smallest one-period half-width (a peg's interval is not zero-width)


def _fit(history: pd.Series, frequency: str, kind: Kind) -> _Model:
    y = _levels(history, kind)
    periods = periods_between(history.index, frequency)
    change = np.diff(y)
    drift = _trimmed_mean(change / periods)
    # Keep the drift only as far as it stands out from its own noise: an index's daily
    # drift is buried in it (forecast: no change), a price index's monthly rise is not.
    noise = robust_scale(change / np.sqrt(periods)) / np.sqrt(len(change))
    drift *= max(0.0, 1.0 - (noise / drift) ** 2) if drift else 0.0
    # Per-period deviations from the drift; a change across a gap spans several periods.
    deviations = (change - drift * periods) / np.sqrt(periods)
    momentum = _momentum(deviations)
    shocks = deviations[1:] - momentum * deviations[:-1] if len(deviations) > 1 else deviations
    return _Model(float(y[-1]), drift, momentum, float(deviations[-1]), shocks, scale_floor(y, kind))


def _momentum(deviations: np.ndarray) -> float:
    """Lag-1 autocorrelation of the changes, crash days clipped; never negative.

    Daily market changes have next to none; monthly averages (Shiller's S&P 500) and
    inflation-driven indices do, and ignoring it makes intervals too narrow past 1 step.
    """
    if len(deviations) < 8:
        return 0.0
    low, high = np.quantile(deviations, [0.01, 0.99])
    clipped = np.clip(deviations, low, high)
    clipped = clipped - clipped.mean()
    denominator = float(np.sum(clipped**2))
    if denominator == 0:
        return 0.0
    return min(MAX_MOMENTUM, max(0.0, float(np.sum(clipped[1:] * clipped[:-1]) / denominator)))


def _shock_quantile(magnitudes: np.ndarray, level: float) -> float:
    """The shock size that a new shock stays within with probability ``level``, on average.

    The k-th smallest of n shocks is not exceeded by a new one with probability k / (n + 1)
    (Weibull's plotting position); numpy's default quantile assumes (k - 1) / (n - 1), which
    over 12 quarters' shocks gives an "80 %" half-width that about 75 % of outcomes stayed in
    (simulated random walks; 69-73 % one quarter ahead on US GDP, CPI and unemployment).
    """
    return float(np.quantile(magnitudes, level, method="weibull"))


def _levels(values: pd.Series, kind: Kind) -> np.ndarray:
    array = values.to_numpy(dtype=float)
    return np.log(array) if kind == "price" else array


def _theil_sen(x: np.ndarray, y: np.ndarray) -> float:
    """Median of the slopes between every pair of points: a few outliers cannot tilt it."""
    i, j = np.triu_indices(len(x), k=1)
    run = x[j] - x[i]
    return float(np.median((y[j] - y[i])[run > 0] / run[run > 0]))


def _trimmed_mean(values: np.ndarray) -> float:
    if len(values) == 0:
        return 0.0
    ordered = np.sort(values)
    cut = int(len(ordered) * _DRIFT_TRIM)
    return float(np.mean(ordered[cut:len(ordered) - cut]))
