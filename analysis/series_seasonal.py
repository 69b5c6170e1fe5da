"""Seasonal statistics: telling a seasonal series, taking its season out, and forecasting it.

Industry statistics published monthly or quarterly without seasonal adjustment (turnover,
production, retail sales) swing with the calendar: August and December turnover falls
every year. Measured against that swing an ordinary month looks large and a real slump
small, and a random walk carries last month's seasonal dip into next month's forecast.
So such a series is analysed the way statistical offices do it:

* anomalies are scored on the **seasonally adjusted** series: STL (Cleveland et al. 1990,
  robust fitting, so a slump or a strike month lands in the remainder instead of bending
  the seasonal pattern), on log values for prices and indices;
* forecasts come from an **ETS model** with additive seasonality and damped additive trend
  on the same log values (statsmodels' ``ETSModel``: error, trend and seasonal components
  fitted by maximum likelihood, analytic prediction intervals whose variance counts the
  degrees of freedom the fit spent).

Which series get this is decided from the data, not from a setting: the frequency must
have a season (monthly: 12, quarterly: 4), the history must hold at least
``MIN_CYCLES`` whole years on a regular grid, and STL must find the seasonal component
strong (Wang, Smith & Hyndman's seasonal strength, ``1 - Var(remainder) / Var(seasonal +
remainder)``): at least ``MIN_STRENGTH``, and more with few years, where noise alone looks
seasonal (``NOISE_STRENGTH``). Monthly stock-index, yield and exchange-rate averages have
no real season and keep the random-walk model, as daily market series do; anything that
falls short is analysed as before.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mi.analysis.series_prepare import Kind

#: Observations per year for the frequencies that can be seasonal.
SEASON_LENGTH = {"M": 12, "Q": 4}
#: Whole years of history needed before a season is estimated: with fewer, STL's seasonal
#: pattern is mostly noise and ETS has too little to start its seasonal states from.
MIN_CYCLES = 3
#: Seasonal strength from which a series is treated as seasonal, given enough years.
MIN_STRENGTH = 0.5
#: With few years STL finds a "season" in pure noise: on simulated random walks (and walks
#: whose changes carry momentum, rho 0.3; 300 each, monthly and quarterly) the 99th
#: percentile of the strength was 0.88 with 3 years, 0.82 with 4, 0.73 with 5, 0.66 with 6,
#: 0.55 with 8 and below 0.5 from 10 on. A series must beat that to count as seasonal, so
#: that about one random walk in a hundred is taken for a seasonal one. (The bundled
#: turnover index scores 0.88-0.99 on any 3-year window, 0.89 over all 21 years.)
NOISE_STRENGTH = ((3, 0.88), (4, 0.82), (5, 0.73), (6, 0.66), (8, 0.55), (10, MIN_STRENGTH))
#: Missing periods that may be filled by interpolation before STL (it needs a regular grid).
MAX_GAP_SHARE = 0.05
#: Observations the seasonal model is fitted on at most (the most recent ones): twenty
#: years of months; older seasonal patterns would only slow the fit.
MAX_FIT = 240


@dataclass(frozen=True)
class Seasonality:
    """A series found seasonal, with its STL decomposition on the analysis scale."""

    period: int  # observations per year
    strength: float  # 0..1
    levels: pd.Series  # log values for prices, values for levels, on a regular grid of period starts
    seasonal: pd.Series  # the seasonal component of ``levels``
    slots: np.ndarray  # where each observation given sits on that grid

    def adjusted_at_observations(self) -> np.ndarray:
        """The observations' levels with the season taken out (interpolated gaps left out)."""
        return self.levels.to_numpy()[self.slots] - self.seasonal.to_numpy()[self.slots]


def season_length(frequency: str) -> int | None:
    return SEASON_LENGTH.get(frequency)


def find_seasonality(values: pd.Series, frequency: str, kind: Kind) -> Seasonality | None:
    """The series' season, or None when it has none worth taking out (or too little
    history, or too many gaps, to tell).

    ``values`` are usable observations (``series_prepare.usable``): ordered, no NaN, and
    positive for prices.
    """
    period = season_length(frequency)
    if period is None or len(values) < MIN_CYCLES * period:
        return None
    if len(values) > MAX_FIT and find_seasonality(values.iloc[-MAX_FIT:], frequency, kind) is None:
        # A century of monthly stock-index averages is ruled out on its recent years,
        # without a robust STL over all of it (the costly part of analysing such series).
        return None
    regular = _regular(values, frequency, kind)
    if regular is None or len(regular[0]) < MIN_CYCLES * period:
        return None
    levels, slots = regular
    from statsmodels.tsa.seasonal import STL

    fitted = STL(levels.to_numpy(), period=period, robust=True).fit()
    seasonal = np.asarray(fitted.seasonal)
    remainder = np.asarray(fitted.resid)
    strength = _strength(seasonal, remainder)
    if strength < required_strength(len(levels) // period):
        return None
    return Seasonality(period, strength, levels, pd.Series(seasonal, index=levels.index), slots)


def required_strength(years: int) -> float:
    """The seasonal strength a series with ``years`` whole cycles must reach."""
    # Between two measured lengths the shorter one's (stricter) figure holds.
    measured = [needed for cycles, needed in NOISE_STRENGTH if cycles <= years]
    return max(MIN_STRENGTH, measured[-1] if measured else 1.0)


def _strength(seasonal: np.ndarray, remainder: np.ndarray) -> float:
    total = float(np.var(seasonal + remainder))
    if total == 0:
        return 0.0
    return max(0.0, 1.0 - float(np.var(remainder)) / total)


def _regular(values: pd.Series, frequency: str, kind: Kind) -> tuple[pd.Series, np.ndarray] | None:
    """The analysis-scale levels on one observation per period, a few gaps interpolated;
    None when two observations share a period or too many periods are missing."""
    months = values.index.year * 12 + values.index.month - 1
    step = 12 // SEASON_LENGTH[frequency]
    slots = (np.asarray(months, dtype=int) - int(months[0])) // step
    if len(np.unique(slots)) != len(slots):
        return None
    count = int(slots[-1]) + 1
    if count - len(slots) > MAX_GAP_SHARE * count:
        return None
    array = values.to_numpy(dtype=float)
    levels = np.log(array) if kind == "price" else array
    grid = np.full(count, np.nan)
    grid[slots] = levels
    if np.isnan(grid).any():
        positions = np.arange(count)
        known = ~np.isnan(grid)
        grid = np.interp(positions, positions[known], grid[known])
    # The grid is labelled by the first day of each period, whatever day the series uses.
    month = int(months[0]) + step * np.arange(count)
    index = pd.to_datetime(pd.DataFrame({"year": month // 12, "month": month % 12 + 1, "day": 1}))
    return pd.Series(grid, index=pd.DatetimeIndex(index)), slots


@dataclass(frozen=True)
class SeasonalForecast:
    """Forecast on the analysis scale (log values for prices), step 1 first."""

    centre: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def seasonal_forecast(season: Seasonality, horizon: int, level: float) -> SeasonalForecast | None:
    """ETS(A, Ad, A) on the regular levels; None when the fit fails (then the caller keeps
    its non-seasonal model)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    # A plain position index: statsmodels wants a date index with a frequency or none at all.
    levels = pd.Series(season.levels.to_numpy()[-MAX_FIT:])
    model = ETSModel(levels, error="add", trend="add", damped_trend=True,
                     seasonal="add", seasonal_periods=season.period)
    try:
        with warnings.catch_warnings():
            # Convergence chatter from the optimiser; a bad fit shows as non-finite output.
            warnings.simplefilter("ignore")
            fitted = model.fit(disp=False)
            frame = fitted.get_prediction(start=len(levels), end=len(levels) + horizon - 1).summary_frame(
                alpha=1 - level)
    except (ValueError, np.linalg.LinAlgError):
        return None
    centre = frame["mean"].to_numpy(dtype=float)
    # statsmodels sizes the interval with the residual variance SSE / n; the fit spent
    # len(params) of the n observations (smoothing, damping, initial states), so the
    # unbiased variance is SSE / (n - k): over ten years of quarters, intervals 15 % wider.
    spent = len(fitted.params)
    widen = np.sqrt(len(levels) / (len(levels) - spent)) if len(levels) > spent + 1 else 1.0
    lower = centre - widen * (centre - frame["pi_lower"].to_numpy(dtype=float))
    upper = centre + widen * (frame["pi_upper"].to_numpy(dtype=float) - centre)
    if not (np.isfinite(centre).all() and np.isfinite(lower).all() and np.isfinite(upper).all()):
        return None
    return SeasonalForecast(centre, lower, upper)
