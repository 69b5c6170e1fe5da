"""A quick report on one series: how many points, how many missing, anomalies, a forecast.

What ``mi inspect series`` prints for a column of a CSV file, computed by the same
detector and forecast that refine runs on the warehouse's series.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from mi.analysis.series_anomalies import detect_anomalies
from mi.analysis.series_forecast import forecast
from mi.analysis.series_prepare import guess_kind, infer_frequency, usable


def series_report(dates: Sequence[dt.date], values: Sequence[float], missing: int = 0) -> dict[str, Any]:
    """Observation and missing counts, anomalies and a forecast, as JSON-ready data.

    ``missing`` counts the points the reader already found missing; zeros and gaps that
    the analysis sets aside are added to it.
    """
    series = pd.Series(list(values), index=pd.DatetimeIndex([pd.Timestamp(day) for day in dates]), dtype=float)
    kind = guess_kind(series)
    kept = usable(series, kind)
    result: dict[str, Any] = {
        "observations": len(kept.values),
        "missing": missing + kept.missing + kept.zeros,
        "anomalies": [],
        "forecast": [],
    }
    if len(kept.values) < 3:
        return result
    frequency = infer_frequency(kept.values.index)
    result["anomalies"] = [
        {"date": anomaly.date.isoformat(), "value": anomaly.value,
         "change": round(anomaly.change, 6), "score": round(anomaly.score, 2)}
        for anomaly in detect_anomalies(kept.values, frequency, kind=kind)
    ]
    result["forecast"] = [
        {"date": point.date.isoformat(), "value": round(point.value, 6),
         "lower": round(point.lower, 6), "upper": round(point.upper, 6)}
        for point in forecast(kept.values, frequency, kind=kind)
    ]
    return result
