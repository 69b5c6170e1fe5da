"""Series analysis into the marts: changes over horizons, anomalies, trend and forecast.

Incremental: each series keeps a watermark (``series_watermarks``) with the digest of the
points it was analysed on, the version of the analysis code and the results. A series whose
digest and version are unchanged is not analysed again: its stored results are written for a
new ``as_of`` as a full analysis would write them, and nothing is done for an ``as_of`` they
were already written for. Results, watermarks and the rows they stand for commit together.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from mi.analysis import series_anomalies, series_changes, series_forecast, series_prepare, series_seasonal
from mi.analysis.series import changes, detect_anomalies, forecast, trend
from mi.warehouse.analysis import SeriesAnomaly, SeriesForecast, SeriesMetric, SeriesWatermark
from mi.warehouse.base import utcnow
from mi.warehouse.loading import dialect_insert, insert_new
from mi.warehouse.models import Observation, Series

#: Units whose changes are read in points (a yield going from 4.1 to 4.3), not percent.
_LEVEL_UNITS = ("percent", "%", "per annum", "rate")
_FREQUENCY_FALLBACK = {"S": "Q"}  # half-yearly statistics are analysed like quarterly ones
_METRIC_FIELDS = ("last_value", "change_1d", "change_1w", "change_1m", "change_ytd", "trend", "trend_slope")
_version: str | None = None


@dataclass(frozen=True)
class SeriesOutcome:
    analysed: int
    new_anomalies: int
    new_forecasts: int
    new_metrics: int
    skipped: tuple[str, ...]
    unchanged: int = 0  # series whose stored analysis was reused (their points had not changed)


def series_kind(unit: str) -> str:
    lowered = (unit or "").lower()
    return "level" if any(token in lowered for token in _LEVEL_UNITS) else "price"


def analysis_version() -> str:
    """The analysis code and the libraries it computes with: a change to either re-analyses
    every series (a hand-bumped number would be forgotten)."""
    global _version
    if _version is None:
        digest = hashlib.sha256()
        for module in (series_anomalies, series_changes, series_forecast, series_prepare, series_seasonal):
            digest.update(Path(module.__file__).read_bytes())
        digest.update(Path(__file__).read_bytes())
        for package in ("numpy", "pandas", "scipy", "statsmodels"):
            try:
                installed = version(package)
            except PackageNotFoundError:
                installed = "absent"
            digest.update(f"{package}={installed};".encode())
        _version = digest.hexdigest()
    return _version


def points_digest(unit: str, frequency: str, series: pd.Series) -> str:
    """What the analysis of one series reads: its unit, frequency, dates and current values."""
    digest = hashlib.sha256(f"{unit}\x1f{frequency}\x1f".encode())
    digest.update(np.asarray(series.index.asi8, dtype=np.int64).tobytes())
    digest.update(np.asarray(series.to_numpy(), dtype=np.float64).tobytes())
    return digest.hexdigest()


_READ_CHUNK = 20_000  # observations per fetch


def current_values(engine: Engine) -> dict[int, pd.Series]:
    """Each series' latest-vintage value per date, as a date-indexed float Series.

    Read a chunk of rows at a time and kept per series as it goes: at 3,000 series of a year
    of business days (819,000 observations), holding every row at once took the refine stage's
    peak to about 1 GB."""
    out: dict[int, pd.Series] = {}
    current: int | None = None
    points: dict[dt.date, float] = {}

    def close() -> None:
        if current is not None:
            index = pd.DatetimeIndex(pd.to_datetime(list(points)), name="date")
            out[current] = pd.Series(np.fromiter(points.values(), dtype=float, count=len(points)), index=index)

    with engine.connect() as conn:
        result = conn.execution_options(yield_per=_READ_CHUNK).execute(
            select(Observation.series_id, Observation.date, Observation.value)
            .order_by(Observation.series_id, Observation.date, Observation.vintage))
        for rows in result.partitions():
            for series_id, date, value in rows:
                if series_id != current:
                    close()
                    current, points = series_id, {}
                points[date] = float(value)  # a later vintage of the date replaces the earlier
    close()
    return out


def _analyse_one(series: pd.Series, unit: str, frequency: str) -> dict[str, Any]:
    """One series' results as stored in its watermark: metric, anomalies, forecast, or why skipped."""
    kind = series_kind(unit)
    frequency = _FREQUENCY_FALLBACK.get(frequency, frequency)
    if series.dropna().size < 3:
        return {"skipped": "fewer than 3 observations"}
    try:
        moved = changes(series, kind=kind)
        direction = trend(series, frequency, kind=kind)
        found = detect_anomalies(series, frequency, kind=kind)
        ahead = forecast(series, frequency, kind=kind)
    except ValueError as exc:
        return {"skipped": str(exc)}
    metric = {"last_value": moved.last_value, "change_1d": moved.change_1d, "change_1w": moved.change_1w,
              "change_1m": moved.change_1m, "change_ytd": moved.change_ytd, "trend": direction.direction,
              "trend_slope": direction.slope_per_period}
    return {"metric": {k: v if v is None or isinstance(v, str) else _stored(v) for k, v in metric.items()},
            "anomalies": [{"date": a.date.isoformat(), "value": _stored(a.value), "change": _stored(a.change),
                           "score": _stored(a.score), "kind": a.kind} for a in found],
            "forecast": [{"date": p.date.isoformat(), "value": _stored(p.value), "lower": _stored(p.lower),
                          "upper": _stored(p.upper)} for p in ahead]}


def _stored(value: float) -> float | str:
    """A float as JSON keeps it: finite ones exactly (repr round-trips), others as text (JSONB has no NaN)."""
    value = float(value)
    return value if math.isfinite(value) else repr(value)


def _loaded(value: float | str | None) -> float | None:
    return float(value) if isinstance(value, str) else value


def _rows(series_id: int, as_of: dt.date, results: dict[str, Any], with_anomalies: bool) -> tuple[list, list, list]:
    if "metric" not in results:
        return [], [], []
    metric = results["metric"]
    metrics = [{"series_id": series_id, "as_of": as_of, "trend": metric["trend"],
                **{f: _loaded(metric[f]) for f in _METRIC_FIELDS if f != "trend"}}]
    anomalies = [{"series_id": series_id, "date": dt.date.fromisoformat(a["date"]), "kind": a["kind"],
                  **{f: _loaded(a[f]) for f in ("value", "change", "score")}}
                 for a in results["anomalies"]] if with_anomalies else []
    forecasts = [{"series_id": series_id, "as_of": as_of, "date": dt.date.fromisoformat(p["date"]),
                  **{f: _loaded(p[f]) for f in ("value", "lower", "upper")}} for p in results["forecast"]]
    return metrics, anomalies, forecasts


def _watermarks(engine: Engine) -> dict[int, Any]:
    with engine.connect() as conn:
        return {r.series_id: r for r in conn.execute(select(SeriesWatermark.__table__))}


def _digests(engine: Engine) -> tuple[dict[int, Any], dict[int, pd.Series], dict[int, str]]:
    with engine.connect() as conn:
        meta = {r.id: r for r in conn.execute(select(Series.id, Series.key, Series.unit, Series.frequency))}
    values = current_values(engine)
    return meta, values, {sid: points_digest(meta[sid].unit, meta[sid].frequency, s) for sid, s in values.items()}


def pending_series(engine: Engine, as_of: dt.date) -> list[int]:
    """Series with work for ``as_of``: new or changed points, newer analysis code, or results
    not yet written for ``as_of``."""
    _, _, digests = _digests(engine)
    marks, current = _watermarks(engine), analysis_version()
    return [sid for sid, digest in digests.items()
            if (mark := marks.get(sid)) is None or mark.points_digest != digest
            or mark.analysis_version != current or mark.as_of != as_of]


def analyse_series(engine: Engine, as_of: dt.date, *, full: bool = False) -> SeriesOutcome:
    """Analyse the series whose points changed (every series with ``full``) and write the
    results of ``as_of``; an unchanged series' stored results are written for a new ``as_of``.

    The rows written are those a full re-analysis writes: metrics and forecasts keyed by
    ``as_of``, anomalies by date, each inserted where its key is new."""
    meta, values, digests = _digests(engine)
    marks, current = ({} if full else _watermarks(engine)), analysis_version()
    metrics, anomalies, forecasts, skipped, marked = [], [], [], [], []
    analysed = unchanged = 0
    for series_id, series in values.items():
        info, digest, mark = meta[series_id], digests[series_id], marks.get(series_id)
        if mark is not None and mark.points_digest == digest and mark.analysis_version == current:
            results = mark.results
            if "skipped" in results:
                skipped.append(f"{info.key}: {results['skipped']}")
            else:
                unchanged += 1
            if mark.as_of == as_of:
                continue  # its rows for this day are written already
            rows = _rows(series_id, as_of, results, with_anomalies=False)  # anomalies are keyed by date: stored
            analysed_at = mark.analysed_at
        else:
            results = _analyse_one(series, info.unit, info.frequency)
            if "skipped" in results:
                skipped.append(f"{info.key}: {results['skipped']}")
            else:
                analysed += 1
            rows = _rows(series_id, as_of, results, with_anomalies=True)
            analysed_at = utcnow()
        metrics += rows[0]
        anomalies += rows[1]
        forecasts += rows[2]
        marked.append({"series_id": series_id, "points_digest": digest, "analysis_version": current, "as_of": as_of,
                       "results": results, "analysed_at": analysed_at})
    with engine.begin() as conn:
        new_metrics = len(insert_new(conn, SeriesMetric.__table__, metrics, conflict=["series_id", "as_of"],
                                     returning="series_id"))
        new_anomalies = len(insert_new(conn, SeriesAnomaly.__table__, anomalies, conflict=["series_id", "date"],
                                       returning="series_id"))
        new_forecasts = len(insert_new(conn, SeriesForecast.__table__, forecasts,
                                       conflict=["series_id", "as_of", "date"], returning="series_id"))
        _write_watermarks(conn, marked)
    return SeriesOutcome(analysed, new_anomalies, new_forecasts, new_metrics, tuple(skipped), unchanged)


def _write_watermarks(conn, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = SeriesWatermark.__table__
    statement = dialect_insert(conn, table)
    statement = statement.on_conflict_do_update(index_elements=["series_id"], set_={
        c: statement.excluded[c] for c in ("points_digest", "analysis_version", "as_of", "results", "analysed_at")})
    for start in range(0, len(rows), 500):
        conn.execute(statement, rows[start:start + 500])
