"""Series analysis into the marts: changes over horizons, anomalies, trend and forecast."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from mi.analysis.series import changes, detect_anomalies, forecast, trend
from mi.warehouse.analysis import SeriesAnomaly, SeriesForecast, SeriesMetric
from mi.warehouse.loading import insert_new
from mi.warehouse.models import Observation, Series

#: Units whose changes are read in points (a yield going from 4.1 to 4.3), not percent.
_LEVEL_UNITS = ("percent", "%", "per annum", "rate")
_FREQUENCY_FALLBACK = {"S": "Q"}  # half-yearly statistics are analysed like quarterly ones


@dataclass(frozen=True)
class SeriesOutcome:
    analysed: int
    new_anomalies: int
    new_forecasts: int
    new_metrics: int
    skipped: tuple[str, ...]


def series_kind(unit: str) -> str:
    lowered = (unit or "").lower()
    return "level" if any(token in lowered for token in _LEVEL_UNITS) else "price"


def current_values(engine: Engine) -> dict[int, pd.Series]:
    """Each series' latest-vintage value per date, as a date-indexed float Series."""
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(
            select(Observation.series_id, Observation.date, Observation.vintage, Observation.value)
            .order_by(Observation.series_id, Observation.date, Observation.vintage)).all(),
            columns=["series_id", "date", "vintage", "value"])
    if frame.empty:
        return {}
    frame = frame.drop_duplicates(["series_id", "date"], keep="last")
    return {int(sid): pd.Series(group["value"].to_numpy(dtype=float), index=pd.to_datetime(group["date"]))
            for sid, group in frame.groupby("series_id")}


def analyse_series(engine: Engine, as_of: dt.date) -> SeriesOutcome:
    with engine.connect() as conn:
        meta = {r.id: r for r in conn.execute(select(Series.id, Series.key, Series.unit, Series.frequency))}
    values = current_values(engine)
    metrics, anomalies, forecasts, skipped = [], [], [], []
    for series_id, series in values.items():
        info = meta[series_id]
        kind = series_kind(info.unit)
        frequency = _FREQUENCY_FALLBACK.get(info.frequency, info.frequency)
        if series.dropna().size < 3:
            skipped.append(f"{info.key}: fewer than 3 observations")
            continue
        try:
            moved = changes(series, kind=kind)
            direction = trend(series, frequency, kind=kind)
            found = detect_anomalies(series, frequency, kind=kind)
            ahead = forecast(series, frequency, kind=kind)
        except ValueError as exc:
            skipped.append(f"{info.key}: {exc}")
            continue
        metrics.append({"series_id": series_id, "as_of": as_of, "last_value": moved.last_value,
                        "change_1d": moved.change_1d, "change_1w": moved.change_1w,
                        "change_1m": moved.change_1m, "change_ytd": moved.change_ytd,
                        "trend": direction.direction, "trend_slope": direction.slope_per_period})
        anomalies += [{"series_id": series_id, "date": a.date, "value": a.value, "change": a.change,
                       "score": a.score, "kind": a.kind} for a in found]
        forecasts += [{"series_id": series_id, "as_of": as_of, "date": p.date, "value": p.value,
                       "lower": p.lower, "upper": p.upper} for p in ahead]
    with engine.begin() as conn:
        new_metrics = len(insert_new(conn, SeriesMetric.__table__, metrics, conflict=["series_id", "as_of"],
                                     returning="series_id"))
        new_anomalies = len(insert_new(conn, SeriesAnomaly.__table__, anomalies, conflict=["series_id", "date"],
                                       returning="series_id"))
        new_forecasts = len(insert_new(conn, SeriesForecast.__table__, forecasts,
                                       conflict=["series_id", "as_of", "date"], returning="series_id"))
    return SeriesOutcome(len(metrics), new_anomalies, new_forecasts, new_metrics, tuple(skipped))
