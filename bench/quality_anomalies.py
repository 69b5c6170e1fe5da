"""Anomaly-detection quality on full market histories in ../shared (never copied into the project).

(a) ECB euro reference rates 1999-2013, every currency: anomalies per series, and that
    none falls on a date whose cell is "N/A".
(b) S&P 500 daily close 1999-2018 (arch): anomalies per year, and whether the 10 largest
    absolute daily moves of 2008 are all among them.
(c) Shiller monthly S&P 500 data (datahub): every column as a price and as a level
    series; none of the anomalies may fall on a "0.0 = not yet available" row.
(d) Forecast intervals (80 %): share of later values inside them, 1 to 5 steps ahead.

Files are read through the pipeline's own parser (``mi.sources.series.tables``); the raw cells
used for the checks (N/A, zeros, the 2008 moves) are read separately with ``csv``.

    .venv/bin/python bench/quality_anomalies.py        # prints the figures

``evaluate_anomalies(shared_dir)`` returns them as a dict (``{"skipped": reason}`` when
the data is absent).
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mi.analysis.series import detect_anomalies, forecast  # noqa: E402
from mi.sources.reading.values import parse_date  # noqa: E402
from mi.sources.series.tables import parse_series_table, simple_table_spec  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ECB_FILE = Path("market/ecb/eurofxref-hist-1999-2013.csv")
SP500_FILE = Path("market/arch/sp500.csv.gz")
SHILLER_FILE = Path("market/datahub/s-and-p-500_shiller_monthly.csv")
HEADLINE_CURRENCIES = ("USD", "JPY", "GBP", "CHF")


def _parsed(body: bytes) -> dict[str, pd.Series]:
    """Every column of a payload as the pipeline reads it: {column slug: series}."""
    table = parse_series_table(body, simple_table_spec())
    if table.fatal:
        raise RuntimeError(table.fatal)
    rows: dict[str, dict[pd.Timestamp, float]] = {}
    for record in table.observations:
        rows.setdefault(record.series_key.split(".", 1)[1], {})[pd.Timestamp(record.date)] = record.value
    return {key: pd.Series(values, dtype=float).sort_index() for key, values in rows.items()}


def _raw_cells(text: str) -> tuple[list[str], list[tuple[dt.date, list[str]]]]:
    rows = list(csv.reader(io.StringIO(text)))
    header = [name.strip() for name in rows[0]]
    return header, [(parse_date(row[0]), row) for row in rows[1:] if row and parse_date(row[0])]


def _dates_where(header: list[str], rows: list[tuple[dt.date, list[str]]], column: str, test) -> set[dt.date]:
    index = header.index(column)
    return {day for day, row in rows if index < len(row) and test(row[index].strip())}


def evaluate_ecb(shared: Path) -> dict:
    body = (shared / ECB_FILE).read_bytes()
    header, rows = _raw_cells(body.decode("utf-8-sig"))
    series = _parsed(body)
    per_series, on_gaps, started = {}, 0, time.perf_counter()
    for column in (name for name in header[1:] if name):
        values = series.get(column.lower())
        if values is None:
            continue
        anomalies = detect_anomalies(values, "B")
        gaps = _dates_where(header, rows, column, lambda cell: cell.upper() == "N/A")
        hits = sum(a.date in gaps for a in anomalies)
        on_gaps += hits
        per_series[column] = {
            "observations": len(values), "na_cells": len(gaps), "anomalies": len(anomalies),
            "in_2008": sum(a.date.year == 2008 for a in anomalies),
            "kinds": dict(Counter(a.kind for a in anomalies)), "on_na_dates": hits,
        }
    return {"series": per_series, "anomalies": sum(s["anomalies"] for s in per_series.values()),
            "on_na_dates": on_gaps, "seconds": round(time.perf_counter() - started, 2)}


def evaluate_sp500(shared: Path) -> dict:
    body = (shared / SP500_FILE).read_bytes()
    close = _parsed(body)["close"]
    started = time.perf_counter()
    anomalies = detect_anomalies(close, "B")
    seconds = time.perf_counter() - started
    # The reference moves come from the raw file, not from the parsed series.
    header, rows = _raw_cells(gzip.decompress(body).decode())
    index = header.index("Close")
    raw = pd.Series({pd.Timestamp(day): float(row[index]) for day, row in rows}).sort_index()
    moves = raw.pct_change()
    largest = moves[moves.index.year == 2008].abs().sort_values(ascending=False).index[:10]
    flagged = {a.date: a for a in anomalies}
    top = [{"date": stamp.date().isoformat(), "change": round(float(moves[stamp]), 4),
            "flagged": stamp.date() in flagged,
            "score": round(flagged[stamp.date()].score, 1) if stamp.date() in flagged else None}
           for stamp in largest]
    return {
        "observations": len(close), "anomalies": len(anomalies),
        "per_year": dict(sorted(Counter(a.date.year for a in anomalies).items())),
        "kinds": dict(Counter(a.kind for a in anomalies)),
        "largest_2008": top, "largest_2008_all_flagged": all(item["flagged"] for item in top),
        "seconds": round(seconds, 2),
    }


def evaluate_shiller(shared: Path) -> dict:
    body = (shared / SHILLER_FILE).read_bytes()
    header, rows = _raw_cells(body.decode("utf-8-sig"))
    series = _parsed(body)
    per_series, on_zeros = {}, 0
    for column in header[1:]:
        values = series[column.lower().replace(" ", "_")]
        zeros = _dates_where(header, rows, column, lambda cell: float(cell) == 0.0)
        for kind in ("price", "level"):
            anomalies = detect_anomalies(values, "M", kind=kind)
            hits = sum(a.date in zeros for a in anomalies)
            on_zeros += hits
            per_series[f"{column} ({kind})"] = {"zero_cells": len(zeros), "anomalies": len(anomalies),
                                                "on_zero_dates": hits}
    return {"series": per_series, "on_zero_dates": on_zeros}


def forecast_coverage(values: pd.Series, frequency: str, every: int, start: int) -> list[float]:
    """Share of actual values inside the 80 % interval, per step ahead, over rolling origins."""
    inside: dict[int, list[bool]] = {}
    for origin in range(start, len(values) - 5, every):
        points = forecast(values.iloc[:origin], frequency, horizon=5 if frequency == "B" else 3)
        for step, (point, actual) in enumerate(zip(points, values.iloc[origin:origin + len(points)])):
            inside.setdefault(step + 1, []).append(point.lower <= actual <= point.upper)
    return [round(sum(hits) / len(hits), 3) for _, hits in sorted(inside.items())]


def evaluate_forecast(shared: Path) -> dict:
    sp500 = _parsed((shared / SP500_FILE).read_bytes())["close"]
    usd = _parsed((shared / ECB_FILE).read_bytes())["usd"]
    cpi = _parsed((shared / SHILLER_FILE).read_bytes())["consumer_price_index"]
    cpi = cpi[cpi > 0]
    return {"sp500_daily": forecast_coverage(sp500, "B", every=7, start=300),
            "ecb_usd_daily": forecast_coverage(usd, "B", every=7, start=300),
            "shiller_cpi_monthly": forecast_coverage(cpi, "M", every=3, start=200)}


def evaluate_anomalies(shared_dir: Path | str | None = None) -> dict:
    shared = Path(shared_dir) if shared_dir else SHARED
    if not (shared / "market").is_dir():
        return {"skipped": f"no shared data at {shared}"}
    return {"ecb": evaluate_ecb(shared), "sp500": evaluate_sp500(shared),
            "shiller": evaluate_shiller(shared), "forecast_coverage_80": evaluate_forecast(shared)}


def main() -> None:
    result = evaluate_anomalies()
    if "skipped" in result:
        print(f"skipped: {result['skipped']}")
        return
    sp = result["sp500"]
    print(f"S&P 500 1999-2018: {sp['observations']} days, {sp['anomalies']} anomalies {sp['kinds']} "
          f"({sp['seconds']} s); per year {sp['per_year']}")
    print(f"  10 largest moves of 2008 all flagged: {sp['largest_2008_all_flagged']}")
    for item in sp["largest_2008"]:
        print(f"    {item['date']} {item['change']:+.2%} score {item['score']}")
    ecb = result["ecb"]
    print(f"ECB 1999-2013: {ecb['anomalies']} anomalies over {len(ecb['series'])} currencies "
          f"({ecb['seconds']} s); on N/A dates: {ecb['on_na_dates']}")
    for column, figures in ecb["series"].items():
        mark = "*" if column in HEADLINE_CURRENCIES else " "
        print(f"  {mark}{column:4} {figures['observations']:5} obs {figures['na_cells']:5} N/A "
              f"{figures['anomalies']:4} anomalies ({figures['in_2008']} in 2008) {figures['kinds']}")
    shiller = result["shiller"]
    print(f"Shiller monthly: anomalies on 0.0 rows: {shiller['on_zero_dates']}")
    for name, figures in shiller["series"].items():
        print(f"   {name:32} {figures['zero_cells']:3} zero cells {figures['anomalies']:3} anomalies")
    print("80 % forecast intervals, share of outcomes inside by step ahead:")
    for name, shares in result["forecast_coverage_80"].items():
        print(f"   {name:20} {shares}")


if __name__ == "__main__":
    main()
