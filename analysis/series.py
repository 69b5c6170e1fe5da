"""Series analysis: changes over horizons, anomalies, trend, forecast, and a one-series report.

Plain functions on a ``pandas.Series`` indexed by date (float values, NaN for missing),
with no Prefect or database in sight. The work is split by topic; import from here.

* ``changes(series, as_of=None, kind="price")``         -> ``Changes``
* ``detect_anomalies(series, frequency, kind=, threshold=, seasonal=True)`` -> ``list[Anomaly]``
* ``trend(series, frequency=None, kind=, window=, seasonal=True)`` -> ``Trend``
* ``forecast(series, frequency, horizon=None, kind=, level=0.8, seasonal=True)`` -> ``list[ForecastPoint]``
* ``find_seasonality(values, frequency, kind)``         -> ``Seasonality | None``
* ``series_report(dates, values, missing=0)``           -> dict (what ``mi inspect series`` prints)

Monthly and quarterly series with a strong season are deseasonalised (STL) before anomaly
scoring and trend, and forecast with a seasonal ETS model (``series_seasonal``); pass
``seasonal=False`` for the plain methods. Daily market series are never seasonal here.

``kind`` is "price" (FX, indices, commodities: log returns, relative changes) or "level"
(rates and yields: differences, changes in points).
"""
from __future__ import annotations

from mi.analysis.series_anomalies import DEFAULT_THRESHOLD, Anomaly, detect_anomalies
from mi.analysis.series_changes import Changes, Horizon, changes
from mi.analysis.series_forecast import ForecastPoint, Trend, forecast, future_dates, trend
from mi.analysis.series_prepare import FREQUENCIES, Kind, guess_kind, infer_frequency
from mi.analysis.series_report import series_report
from mi.analysis.series_seasonal import Seasonality, find_seasonality

__all__ = [
    "DEFAULT_THRESHOLD", "FREQUENCIES", "Anomaly", "Changes", "ForecastPoint", "Horizon", "Kind",
    "Seasonality", "Trend", "changes", "detect_anomalies", "find_seasonality", "forecast", "future_dates", "guess_kind",
    "infer_frequency", "series_report", "trend",
]
