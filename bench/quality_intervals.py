"""80 % forecast intervals on market and macro series that bench/quality_forecast.py does not
use: the share of outcomes inside them 1-3 periods ahead, for each rule tried for sizing one
period's interval from the recent shocks.

Series (read from ../shared, never copied; skipped when it is absent): US core CPI, Moody's
AAA and BAA yields (monthly, arch's FRED data), monthly Brent, twelve monthly exchange rates
(datahub), five quarterly US macro series (statsmodels: real GDP, CPI, M1, T-bill rate,
unemployment) and China's manufacturing PMI (monthly). Rolling origins every third period over
the last 240 periods (at least 60 periods of history), the random walk of
``mi.analysis.series_forecast`` (``seasonal=False``: these are market and macro series).

Rules, as ``series_forecast._shock_quantile``:
- "numpy default": ``np.quantile`` with linear interpolation, what the forecast used before;
  over the 12 shocks of a quarterly series its "80 %" interval held about 70 % of outcomes;
- "Weibull" (shipped): the plotting position k / (n + 1), the rank a new shock stays under
  with that probability on average;
- "split conformal": the ceil((n + 1) level)-th smallest shock, a guarantee of at least
  ``level``, so it runs wide.
The rule was chosen on these figures (and on the daily S&P 500 and ECB coverage of
bench/quality_anomalies.py), so they are not held-out: they show how far each rule is from its
promise here, series by series.

    .venv/bin/python bench/quality_intervals.py      # under a minute on 2 cores
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mi.analysis import series_forecast  # noqa: E402
from mi.analysis.series import forecast  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
HORIZON = 3
LEVEL = 0.8
_FX = ("Australia", "Japan", "Canada", "Switzerland", "China", "India", "Brazil", "Mexico", "Sweden",
       "United Kingdom", "Euro")
_MACRO = (("realgdp", "price"), ("cpi", "price"), ("m1", "price"), ("tbilrate", "level"), ("unemp", "level"))

Series = tuple[str, pd.Series, str, str]  # name, values, frequency, kind


def _arch(name: str, column: str) -> pd.Series:
    frame = pd.read_csv(SHARED / "market" / "arch" / name, compression="gzip")
    frame.columns = [c.strip("\ufeff") for c in frame.columns]
    values = pd.Series(frame[column].to_numpy(), index=pd.to_datetime(frame["Date"])).dropna()
    return values[values > 0]


def series_set() -> list[Series]:
    found: list[Series] = [
        ("US core CPI", _arch("core-cpi.csv.gz", "CPILFESL"), "M", "price"),
        ("Moody's AAA yield", _arch("default.csv.gz", "AAA"), "M", "level"),
        ("Moody's BAA yield", _arch("default.csv.gz", "BAA"), "M", "level"),
        ("Brent, monthly", _arch("crude.csv.gz", "Brent"), "M", "price"),
    ]
    fx = pd.read_csv(SHARED / "market" / "datahub" / "exchange-rates_monthly.csv")
    for country in _FX:
        rows = fx[fx["Country"] == country]
        rate = pd.Series(rows["Exchange rate"].to_numpy(), index=pd.to_datetime(rows["Date"])).dropna()
        found.append((f"FX {country}, monthly", rate, "M", "price"))
    macro = pd.read_csv(SHARED / "market" / "statsmodels" / "macrodata.csv")
    quarters = pd.PeriodIndex.from_fields(year=macro["year"], quarter=macro["quarter"], freq="Q")
    ends = quarters.to_timestamp(how="end").normalize()
    for column, kind in _MACRO:
        found.append((f"US {column}, quarterly", pd.Series(macro[column].to_numpy(), index=ends), "Q", kind))
    pmi = pd.read_csv(SHARED / "zh" / "cn_market_series" / "pmi_monthly_2008-2017.csv", header=None)
    months = pmi[0].str.extract(r"(\d{4})\D+(\d{2})")
    index = pd.to_datetime(months[0] + "-" + months[1] + "-01")
    found.append(("China manufacturing PMI", pd.Series(pmi[1].to_numpy(), index=index), "M", "level"))
    return [(name, values[~values.index.duplicated()].sort_index(), freq, kind)
            for name, values, freq, kind in found]


def coverage(values: pd.Series, frequency: str, kind: str) -> np.ndarray:
    inside = np.zeros(HORIZON)
    counted = np.zeros(HORIZON)
    for origin in range(max(60, len(values) - 240), len(values) - 1, 3):
        points = forecast(values.iloc[:origin], frequency, HORIZON, kind=kind, level=LEVEL, seasonal=False)
        for step, point in enumerate(points[:len(values) - origin]):
            inside[step] += point.lower <= values.iloc[origin + step] <= point.upper
            counted[step] += 1
    return inside / np.maximum(counted, 1)


def _numpy_default(magnitudes: np.ndarray, level: float) -> float:
    return float(np.quantile(magnitudes, level))


def _conformal(magnitudes: np.ndarray, level: float) -> float:
    ordered = np.sort(magnitudes)
    return float(ordered[min(int(np.ceil((len(ordered) + 1) * level)), len(ordered)) - 1])


RULES: list[tuple[str, Callable[[np.ndarray, float], float]]] = [
    ("numpy default (before)", _numpy_default),
    ("Weibull (shipped)", series_forecast._shock_quantile),
    ("split conformal", _conformal),
]


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the evaluation series are not part of the project)")
        return 0
    found = series_set()
    shipped = series_forecast._shock_quantile
    table: dict[str, list[np.ndarray]] = {}
    try:
        for rule, quantile in RULES:
            series_forecast._shock_quantile = quantile
            table[rule] = [coverage(values, freq, kind) for _, values, freq, kind in found]
    finally:
        series_forecast._shock_quantile = shipped
    print(f"80 % interval coverage 1/2/3 periods ahead ({len(found)} series, chosen on: not held-out)")
    print(f"  {'series':28s} " + " ".join(f"{rule:>22s}" for rule, _ in RULES))
    for i, (name, values, freq, _) in enumerate(found):
        cells = " ".join(f"{' '.join(f'{c:.2f}' for c in table[rule][i]):>22s}" for rule, _ in RULES)
        print(f"  {name + ' ' + freq:28s} {cells}")
    for label, pick in (("mean", lambda rows: np.mean(rows, axis=0)),
                        ("mean |cover - 0.80|", lambda rows: np.mean(np.abs(np.array(rows) - LEVEL), axis=0))):
        cells = " ".join(f"{' '.join(f'{c:.3f}' for c in pick(table[rule])):>22s}" for rule, _ in RULES)
        print(f"  {label:28s} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
