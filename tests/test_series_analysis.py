"""Series analysis on real 2008 market data (tests/fixtures/series) and on small built series."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mi.analysis.series import changes, detect_anomalies, forecast, trend
from mi.inspect import analyse_table
from mi.sources.series.tables import parse_series_table, simple_table_spec

SERIES = Path(__file__).parent / "fixtures" / "series"
ECB = SERIES / "ecb-eurofxref-2007q4-2008.csv"
SP500 = SERIES / "sp500-2007-2008.csv"
SHILLER = SERIES / "shiller-sp500-monthly-2006-2026.csv"


def load(path: Path, column: str) -> pd.Series:
    """One column as the pipeline's parser reads it: missing markers dropped, zeros kept."""
    table = parse_series_table(path.read_bytes(), simple_table_spec(None, [column]))
    assert table.fatal is None
    return pd.Series({pd.Timestamp(o.date): o.value for o in table.observations}, dtype=float).sort_index()


def raw_dates(path: Path, column: str, test) -> set[dt.date]:
    """Dates whose raw cell in ``column`` passes ``test`` (e.g. is "N/A" or "0.0")."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    dates = pd.to_datetime(frame.iloc[:, 0], format="mixed")
    return {stamp.date() for stamp, cell in zip(dates, frame[column]) if test(cell.strip())}


def random_walk(n: int, sigma: float, seed: int, start: str = "2020-01-01", level: float = 100.0) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(level * np.exp(np.cumsum(rng.normal(0.0, sigma, n))), index=pd.bdate_range(start, periods=n))


# -- anomalies on real data ------------------------------------------------------------------

def test_largest_sp500_moves_of_2008_are_flagged() -> None:
    close = load(SP500, "Close")
    found = {a.date: a for a in detect_anomalies(close, "B")}
    expected = {dt.date(2008, 10, 13): 0.116, dt.date(2008, 10, 15): -0.090, dt.date(2008, 9, 29): -0.088}
    for day, move in expected.items():
        assert day in found, day
        assert found[day].change == pytest.approx(move, abs=0.001)
        assert math.copysign(1, found[day].score) == math.copysign(1, move)
        assert found[day].kind == "move"  # a crash day is the market moving, not a data break
    returns = close.pct_change()
    ten_largest = returns["2008"].abs().sort_values(ascending=False).index[:10]
    assert {stamp.date() for stamp in ten_largest} <= set(found)
    # Unusual means rare: a few dozen out of 504 trading days, most of them in autumn 2008.
    assert len(found) <= 30
    assert sum(day >= dt.date(2008, 9, 1) for day in found) >= len(found) * 0.6


def test_ecb_2008_moves_are_flagged_and_gaps_are_not() -> None:
    usd = {a.date: a for a in detect_anomalies(load(ECB, "USD"), "B")}
    assert usd[dt.date(2008, 12, 19)].change == pytest.approx(-0.0463, abs=0.0005)
    assert dt.date(2008, 12, 18) in usd
    jpy = {a.date for a in detect_anomalies(load(ECB, "JPY"), "B")}
    assert dt.date(2008, 10, 24) in jpy
    # ISK stops on 2008-12-09 (N/A afterwards); CYP and MTL end with the euro on 2008-01-01.
    for column in ("ISK", "CYP", "MTL", "USD", "GBP", "CHF"):
        gaps = raw_dates(ECB, column, lambda cell: cell == "N/A")
        flagged = {a.date for a in detect_anomalies(load(ECB, column), "B")}
        assert not flagged & gaps, column
    isk = {a.date: a for a in detect_anomalies(load(ECB, "ISK"), "B")}
    assert max(isk) <= dt.date(2008, 12, 9)
    assert dt.date(2008, 10, 6) in isk  # +24.9 % as the krona collapsed


def test_shiller_trailing_zeros_are_never_flagged() -> None:
    for column in ("SP500", "Dividend", "Earnings", "Consumer Price Index", "Long Interest Rate", "PE10"):
        zeros = raw_dates(SHILLER, column, lambda cell: float(cell) == 0.0)
        for kind in ("price", "level"):
            flagged = {a.date for a in detect_anomalies(load(SHILLER, column), "M", kind=kind)}
            assert not flagged & zeros, (column, kind)
    dividend = load(SHILLER, "Dividend")
    assert (dividend == 0).sum() == 36
    assert changes(dividend).last_date == dt.date(2023, 6, 1)
    # The rate drops from 4.09 to "0.0": as a level series that is still "not published".
    assert changes(load(SHILLER, "Long Interest Rate"), kind="level").last_date == dt.date(2023, 9, 1)
    # The October 2008 crash shows in the monthly averages too.
    assert dt.date(2008, 10, 1) in {a.date for a in detect_anomalies(load(SHILLER, "SP500"), "M")}


# -- anomalies on built series ---------------------------------------------------------------

def test_quiet_random_walk_has_no_anomalies() -> None:
    assert detect_anomalies(random_walk(1000, 0.01, seed=1), "B") == []


def test_change_across_a_gap_is_scaled_by_its_length() -> None:
    prices = random_walk(300, 0.01, seed=2)
    # Ten weekdays of N/A, then 6 % above the last value: 1.8 % per sqrt(day) over the
    # eleven days, an ordinary move; the same 6 % from one day to the next is not.
    gapped = prices.copy()
    gapped.iloc[150:160] = np.nan
    gapped.iloc[160:] *= 1.06 * gapped.iloc[149] / gapped.iloc[160]
    assert detect_anomalies(gapped, "B") == []
    present = gapped.dropna()
    overnight = pd.Series(present.to_numpy(), index=pd.bdate_range(present.index[0], periods=len(present)))
    assert [a.date for a in detect_anomalies(overnight, "B")] == [overnight.index[150].date()]


def test_weekends_do_not_create_anomalies() -> None:
    weekdays = random_walk(400, 0.01, seed=3)
    calendar = weekdays.reindex(pd.date_range(weekdays.index[0], weekdays.index[-1], freq="D"))
    # Some daily exports leave weekends empty, others write 0 for "no trading".
    weekend = calendar.index.day_of_week >= 5
    calendar[weekend & (calendar.index.day % 2 == 0)] = 0.0
    assert detect_anomalies(calendar, "B") == detect_anomalies(weekdays, "B") == []
    # Read as calendar-daily, Friday -> Monday is three days, never a three-day jump.
    assert detect_anomalies(weekdays, "D") == []


def test_planted_level_shift_is_flagged_once() -> None:
    prices = random_walk(400, 0.005, seed=4)
    prices.iloc[250:] /= 100  # a redenomination: 100 old units become 1 new one
    anomalies = detect_anomalies(prices, "B")
    assert [(a.date, a.kind) for a in anomalies] == [(prices.index[250].date(), "level_shift")]
    assert anomalies[0].change == pytest.approx(-0.99, abs=0.001)

    rng = np.random.default_rng(5)
    months = pd.date_range("2010-01-01", periods=120, freq="MS")
    statistic = pd.Series(50 + rng.normal(0.0, 1.0, 120), index=months)
    statistic.iloc[60:] += 12  # a rebased statistic: the same noise around a new level
    anomalies = detect_anomalies(statistic, "M", kind="level")
    assert [(a.date, a.kind) for a in anomalies] == [(dt.date(2015, 1, 1), "level_shift")]


def test_bad_print_is_one_spike_and_zero_glitch_is_missing() -> None:
    prices = random_walk(400, 0.005, seed=6)
    printed = prices.copy()
    printed.iloc[200] *= 10
    assert [(a.date, a.kind) for a in detect_anomalies(printed, "B")] == [(prices.index[200].date(), "spike")]
    glitch = prices.copy()
    glitch.iloc[200] = 0.0
    assert detect_anomalies(glitch, "B") == []
    rate = pd.Series(3.0 + np.cumsum(np.random.default_rng(7).normal(0, 0.02, 300)),
                     index=pd.bdate_range("2021-01-01", periods=300))
    rate.iloc[150] = 0.0
    assert detect_anomalies(rate, "B", kind="level") == []


def test_rate_reaching_zero_in_steps_is_kept() -> None:
    steps = [1.0] * 10 + [0.75] * 10 + [0.5] * 10 + [0.25] * 10 + [0.0] * 12
    rate = pd.Series(steps, index=pd.date_range("2008-01-01", periods=len(steps), freq="MS"))
    assert changes(rate, kind="level").last_value == 0.0
    assert changes(rate, kind="level").change_1m == pytest.approx(0.0)


def test_threshold_is_configurable() -> None:
    close = load(SP500, "Close")
    default = detect_anomalies(close, "B")
    strict = detect_anomalies(close, "B", threshold=8.0)
    assert 0 < len(strict) < len(default)
    assert all(abs(a.score) >= 8.0 for a in strict)
    with pytest.raises(ValueError):
        detect_anomalies(close, "X")


# -- changes, trend, forecast ----------------------------------------------------------------

def test_changes_over_horizons_by_hand() -> None:
    values = {
        "2023-12-29": 100.0,  # last value of 2023
        "2024-01-05": 104.0,
        "2024-01-08": 103.0,
        "2024-01-26": 108.0,  # Friday before the 1-week date (Monday 29th, no row)
        "2024-02-01": 112.0,
        "2024-02-02": 111.0,  # Friday
        "2024-02-05": 115.0,  # Monday
    }
    series = pd.Series(values)
    got = changes(series)
    assert (got.last_date, got.last_value) == (dt.date(2024, 2, 5), 115.0)
    assert got.day.since == dt.date(2024, 2, 2) and got.change_1d == pytest.approx(115 / 111 - 1)
    assert got.week.since == dt.date(2024, 1, 26) and got.change_1w == pytest.approx(115 / 108 - 1)
    assert got.month.since == dt.date(2024, 1, 5) and got.change_1m == pytest.approx(115 / 104 - 1)
    assert got.ytd.since == dt.date(2023, 12, 29) and got.change_ytd == pytest.approx(0.15)

    points = changes(series, kind="level")
    assert (points.change_1d, points.change_1w, points.change_1m, points.change_ytd) == pytest.approx((4, 7, 11, 15))

    sunday = changes(series, as_of=dt.date(2024, 2, 4))  # Sunday: Friday is the latest
    assert sunday.last_date == dt.date(2024, 2, 2)
    assert sunday.change_1d == pytest.approx(111 / 112 - 1)
    assert sunday.month.since == dt.date(2023, 12, 29)  # 2 January has no row: the value before

    series["2024-02-02"] = np.nan  # a missing marker moves the comparison back a day
    assert changes(series).day.since == dt.date(2024, 2, 1)
    assert changes(series.iloc[3:]).week.since == dt.date(2024, 1, 26)
    assert changes(series.iloc[3:]).ytd is None  # no value around the year end


def test_changes_do_not_pass_off_other_spans() -> None:
    monthly = load(SHILLER, "SP500")
    got = changes(monthly, as_of="2008-12-31")
    assert got.last_date == dt.date(2008, 12, 1)
    assert got.day is None and got.week is None  # a monthly series has no 1-day change
    assert got.month.since == dt.date(2008, 11, 1)
    assert got.ytd.since == dt.date(2007, 12, 1)
    with pytest.raises(ValueError):
        changes(monthly, as_of="1990-01-01")


def test_trend_direction_and_slope() -> None:
    days = pd.bdate_range("2024-01-01", periods=63)
    rng = np.random.default_rng(8)
    rising = pd.Series(100 * np.exp(0.002 * np.arange(63) + rng.normal(0, 0.002, 63)), index=days)
    up = trend(rising, "B")
    assert up.direction == "up" and up.window == 63
    assert up.slope_per_period == pytest.approx(0.002, abs=0.0005)
    assert trend(1 / rising, "B").direction == "down"
    noise = pd.Series(100 + rng.normal(0, 1.0, 63), index=days)
    assert trend(noise, "B", kind="level").direction == "flat"
    assert trend(load(SP500, "Close")).direction == "down"  # autumn 2008; frequency inferred


def test_forecast_follows_business_days_and_widens() -> None:
    close = load(SP500, "Close")  # ends Wednesday 2008-12-31
    points = forecast(close, "B", horizon=5)
    assert [p.date for p in points] == [dt.date(2009, 1, d) for d in (1, 2, 5, 6, 7)]
    widths = [p.upper - p.lower for p in points]
    assert all(later > earlier for earlier, later in zip(widths, widths[1:]))
    assert all(p.lower < p.value < p.upper for p in points)
    assert points[0].value == pytest.approx(close.iloc[-1], rel=0.01)  # a random walk stays put
    # 80 % of one day's moves in late 2008 were within a few percent, not within 0.1 %.
    assert 0.02 < (points[0].upper / points[0].lower - 1) < 0.2

    monthly = forecast(load(SHILLER, "Dividend"), "M", horizon=3)  # ends 2023-06, then zeros
    assert [p.date for p in monthly] == [dt.date(2023, 7, 1), dt.date(2023, 8, 1), dt.date(2023, 9, 1)]
    month_ends = pd.Series([1.0, 1.1, 1.2, 1.3], index=pd.date_range("2024-06-30", periods=4, freq="ME"))
    assert [p.date for p in forecast(month_ends, "M", horizon=2)] == [dt.date(2024, 10, 31), dt.date(2024, 11, 30)]


def test_eighty_percent_interval_holds_eighty_percent_of_outcomes_over_few_shocks() -> None:
    """A quarterly series has 12 recent shocks to size its interval from; the plain sample
    quantile of 12 is exceeded more often than 20 % of the time (about 25 %)."""
    rng = np.random.default_rng(7)
    quarters = pd.date_range("2000-03-31", periods=41, freq="QE")
    inside = []
    for _ in range(1500):
        path = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.0, 0.02, 41))), index=quarters)
        point = forecast(path.iloc[:40], "Q", horizon=1, seasonal=False)[0]
        inside.append(point.lower <= path.iloc[40] <= point.upper)
    assert 0.78 <= np.mean(inside) <= 0.82


# -- analyse_table (backs `mi inspect series`) -----------------------------------------------

def _messy_csv() -> tuple[bytes, pd.DatetimeIndex]:
    days = pd.bdate_range("2024-01-01", periods=80)
    values = random_walk(80, 0.005, seed=9).to_numpy().copy()
    values[50:] *= 1.08  # one unusual day
    cells = [f"{v:.4f}" for v in values]
    cells[10], cells[30], cells[31] = "N/A", ".", "N/A"
    cells[-3:] = ["0.0"] * 3  # not yet published
    rows = [f"{day.date().isoformat()},{cell},EUR," for day, cell in zip(days, cells)]
    return ("Date,Rate,Currency,\n" + "\n".join(reversed(rows)) + "\n").encode(), days


def test_analyse_table_shape_on_messy_csv() -> None:
    body, days = _messy_csv()
    result = analyse_table(body)
    assert set(result) == {"observations", "missing", "anomalies", "forecast"}
    assert (result["observations"], result["missing"]) == (74, 6)
    assert [a["date"] for a in result["anomalies"]] == [days[50].date().isoformat()]
    assert set(result["anomalies"][0]) == {"date", "value", "change", "score"}
    assert result["anomalies"][0]["change"] == pytest.approx(0.08, abs=0.02)
    # The forecast starts after the last published value: the zero rows' dates come first.
    expected = [d.date().isoformat() for d in days[-3:]] + ["2024-04-22", "2024-04-23"]
    assert [p["date"] for p in result["forecast"]] == expected
    assert all(set(p) == {"date", "value", "lower", "upper"} for p in result["forecast"])


def test_analyse_table_guesses_columns_on_real_files(tmp_path: Path) -> None:
    ecb = analyse_table(ECB.read_bytes())  # Date and USD: the first date column and the first numeric one
    assert (ecb["observations"], ecb["missing"]) == (320, 0)
    assert "2008-12-19" in {a["date"] for a in ecb["anomalies"]}
    isk = analyse_table(ECB.read_bytes(), value_column="ISK")
    assert (isk["observations"], isk["missing"]) == (306, 14)
    dividend = analyse_table(SHILLER.read_bytes(), date_column="Date", value_column="Dividend")
    assert (dividend["observations"], dividend["missing"]) == (204, 36)
    assert dividend["forecast"][0]["date"] == "2023-07-01"
    sp500 = analyse_table(SP500.read_bytes(), value_column="Close")  # US m/d/Y dates
    assert {"2008-10-13", "2008-10-15", "2008-09-29"} <= {a["date"] for a in sp500["anomalies"]}
    long_format = tmp_path / "long.csv"
    long_format.write_text("Country,Date,Value\n" + "".join(
        f"Japan,2020-{month:02d}-01,{100 + month}\n" for month in range(1, 13)))
    assert analyse_table(long_format.read_bytes())["observations"] == 12
    with pytest.raises(ValueError):
        analyse_table(b"Name,Comment\nfoo,bar\n")
