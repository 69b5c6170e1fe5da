"""Seasonal statistics (issue 11): deseasonalised anomaly scoring and a seasonal forecast.

The real payload is the bundled statistics channel's Eurostat turnover index for the
manufacture of electrical equipment (NACE C27, euro area, 2010=100, not seasonally
adjusted, 1995-01 to 2016-05; snapshot/statistics/SOURCE.md), read by the SDMX-CSV kind.
Its calendar swing (August and December troughs) hid the 2009 slump (about -25 % year on
year) from the detector and made the random walk's forecasts poor. Market series (daily,
and monthly stock-index averages) must keep the methods they had.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from mi.analysis.series import detect_anomalies, find_seasonality, forecast, trend
from mi.analysis.series_prepare import usable
from mi.analysis.series_seasonal import MIN_CYCLES, MIN_STRENGTH, required_strength
from mi.gathering import gather_channel
from mi.records.channels import ChannelConfig
from mi.refining.series import analyse_series
from mi.sources.series.tables import parse_series_table, simple_table_spec
from mi.sources.statistics.kinds import SdmxCsvSource
from mi.warehouse.analysis import SeriesAnomaly, SeriesForecast
from tests.loopback import RecordedSite
from tests.test_gather import configure, make_transport

ROOT = Path(__file__).resolve().parents[1]
TURNOVER_PAYLOAD = ROOT / "snapshot" / "statistics" / "eurostat-sts_intv_m-elec-equip.csv"
SERIES = Path(__file__).parent / "fixtures" / "series"
SLUMP = (dt.date(2008, 10, 1), dt.date(2009, 6, 30))


def turnover() -> pd.Series:
    source = SdmxCsvSource(ChannelConfig(name="estat", kind="sdmx_csv", urls=()))
    parsed = source.parse(TURNOVER_PAYLOAD.read_bytes(), url="x", content_type="text/csv")
    assert parsed.fatal is None and [s.frequency for s in parsed.series] == ["M"]
    return pd.Series({pd.Timestamp(o.date): o.value for o in parsed.observations}, dtype=float).sort_index()


def column(path: Path, name: str) -> pd.Series:
    table = parse_series_table(path.read_bytes(), simple_table_spec(None, [name]))
    return pd.Series({pd.Timestamp(o.date): o.value for o in table.observations}, dtype=float).sort_index()


def quarterly_means(values: pd.Series) -> pd.Series:
    means = values.groupby(values.index.to_period("Q")).mean()
    means.index = means.index.to_timestamp()
    return means


@pytest.fixture(scope="module")
def index() -> pd.Series:
    return turnover()


def test_the_turnover_index_is_seasonal_and_its_swing_is_the_calendars(index: pd.Series) -> None:
    season = find_seasonality(usable(index, "price").values, "M", "price")
    assert season is not None and season.period == 12 and season.strength > 0.8
    by_month = pd.Series(season.seasonal.to_numpy(), index=season.seasonal.index.month).groupby(level=0).mean()
    # August (summer shutdowns) is the trough, about 13 % below the year's level;
    # September and December the peaks.
    assert by_month.idxmin() == 8 and by_month[8] < -0.1
    assert set(by_month.nlargest(2).index) == {9, 12}


def test_the_2009_slump_is_flagged_on_the_seasonally_adjusted_index(index: pd.Series) -> None:
    found = detect_anomalies(index, "M")
    in_slump = [a for a in found if SLUMP[0] <= a.date <= SLUMP[1]]
    assert in_slump and all(a.seasonally_adjusted and a.change < 0 and a.score < 0 for a in in_slump)
    yoy = index.pct_change(12)
    assert min(yoy[pd.Timestamp(a.date)] for a in in_slump) < -0.2  # the slump, not a wobble before it
    # The plain detector, scaled by the seasonal swing, saw nothing there (the regression).
    plain = detect_anomalies(index, "M", seasonal=False)
    assert not [a for a in plain if SLUMP[0] <= a.date <= SLUMP[1]]
    assert all(not a.seasonally_adjusted for a in plain)
    # Adjusting does not turn the calendar into alarms: a handful in 21 years.
    assert len(found) <= 12


def test_seasonal_forecasts_beat_the_random_walk_one_to_three_months_ahead(index: pd.Series) -> None:
    # Rolling origins a year apart after the slump (2010-2015, each May): the figures in
    # bench/quality_forecast.py use every other month.
    errors = {True: [], False: []}
    inside = []
    for year in range(2010, 2016):
        history = index[index.index < pd.Timestamp(year, 5, 1)]
        actual = index[index.index >= pd.Timestamp(year, 5, 1)].iloc[:3].to_numpy()
        for seasonal in (True, False):
            points = forecast(history, "M", horizon=3, seasonal=seasonal)
            assert [p.date for p in points] == [dt.date(year, m, 1) for m in (5, 6, 7)]
            errors[seasonal] += [abs(p.value - a) / a for p, a in zip(points, actual)]
            if seasonal:
                inside += [p.lower <= a <= p.upper for p, a in zip(points, actual)]
    assert np.mean(errors[True]) < 0.5 * np.mean(errors[False])
    assert np.mean(errors[True]) < 0.05
    assert np.mean(inside) >= 0.6  # 80 % intervals; the bench measures coverage over 98 origins


def test_seasonal_intervals_are_narrower_and_hold_the_value(index: pd.Series) -> None:
    seasonal = forecast(index, "M", horizon=3)
    plain = forecast(index, "M", horizon=3, seasonal=False)
    for new, old in zip(seasonal, plain):
        assert new.lower < new.value < new.upper
        assert (new.upper - new.lower) < 0.5 * (old.upper - old.lower)
    # June and July follow May's level, August drops: the season is in the path.
    assert seasonal[2].value < min(seasonal[0].value, seasonal[1].value)


def test_seasonal_intervals_count_what_the_fit_spent_on_ten_years_of_quarters() -> None:
    """The ETS fit spends ten of forty quarters on its parameters and initial states; sized with
    the residual variance over all forty (statsmodels' own), the 80 % intervals held 70 % of the
    next two quarters in this simulation; with the variance over the thirty left, 75 %."""
    rng = np.random.default_rng(3)
    quarters = pd.date_range("2000-03-31", periods=42, freq="QE")
    calendar = np.tile([0.05, -0.03, 0.02, -0.04], 11)[:42]
    inside = []
    for _ in range(150):
        logs = np.cumsum(rng.normal(0.002, 0.02, 42)) + calendar + rng.normal(0.0, 0.01, 42)
        path = pd.Series(100 * np.exp(logs), index=quarters)
        points = forecast(path.iloc[:40], "Q", horizon=2)
        inside += [p.lower <= actual <= p.upper for p, actual in zip(points, path.iloc[40:])]
    assert find_seasonality(path.iloc[:40], "Q", "price") is not None
    assert 0.73 <= np.mean(inside) <= 0.85


def test_quarterly_statistics_are_seasonal_too(index: pd.Series) -> None:
    quarters = quarterly_means(index)
    season = find_seasonality(usable(quarters, "price").values, "Q", "price")
    assert season is not None and season.period == 4
    points = forecast(quarters, "Q", horizon=2)
    assert [p.date for p in points] == [dt.date(2016, 7, 1), dt.date(2016, 10, 1)]
    assert points[0].value != forecast(quarters, "Q", horizon=2, seasonal=False)[0].value
    assert all(p.lower < p.value < p.upper for p in points)


def test_too_little_history_falls_back_to_the_plain_methods(index: pd.Series) -> None:
    short = index.iloc[-(MIN_CYCLES * 12 - 1):]
    assert find_seasonality(usable(short, "price").values, "M", "price") is None
    assert forecast(short, "M") == forecast(short, "M", seasonal=False)
    assert detect_anomalies(short, "M") == detect_anomalies(short, "M", seasonal=False)


def test_a_few_missing_months_are_bridged_and_never_reported(index: pd.Series) -> None:
    gapped = index.copy()
    gapped[pd.Timestamp(2009, 2, 1)] = np.nan
    gapped[pd.Timestamp(2012, 8, 1)] = np.nan
    found = detect_anomalies(gapped, "M")
    assert found and all(a.seasonally_adjusted for a in found)
    assert {dt.date(2009, 2, 1), dt.date(2012, 8, 1)}.isdisjoint(a.date for a in found)
    # A sparse series (every third month missing) is no regular grid: no season is guessed.
    sparse = index[index.index.month % 3 != 0]
    assert find_seasonality(usable(sparse, "price").values, "M", "price") is None


def test_monthly_stock_index_averages_keep_the_random_walk() -> None:
    shiller = column(SERIES / "shiller-sp500-monthly-2006-2026.csv", "SP500")
    assert find_seasonality(usable(shiller, "price").values, "M", "price") is None
    assert forecast(shiller, "M") == forecast(shiller, "M", seasonal=False)
    assert detect_anomalies(shiller, "M") == detect_anomalies(shiller, "M", seasonal=False)


def test_short_market_histories_are_not_taken_for_seasonal_ones() -> None:
    # With three to five years STL finds a "season" in noise; the strength a short history
    # must reach is raised accordingly. Every 3- and 5-year window of the real index
    # averages (2006-2026, the 2008 crash and 2020 included) stays non-seasonal...
    shiller = usable(column(SERIES / "shiller-sp500-monthly-2006-2026.csv", "SP500"), "price").values
    for months in (36, 60):
        for start in range(0, len(shiller) - months + 1, 6):
            window = shiller.iloc[start:start + months]
            assert find_seasonality(window, "M", "price") is None, window.index[0]
    assert required_strength(3) > required_strength(5) > required_strength(10) == MIN_STRENGTH


def test_three_years_of_a_strongly_seasonal_statistic_are_enough(index: pd.Series) -> None:
    # ... while three years of the turnover index are seasonal in most windows.
    values = usable(index, "price").values
    found = [find_seasonality(values.iloc[start:start + 36], "M", "price") is not None
             for start in range(0, len(values) - 36, 12)]
    assert sum(found) >= 0.7 * len(found)


def test_daily_market_series_are_never_seasonal() -> None:
    close = column(SERIES / "sp500-2007-2008.csv", "Close")
    assert find_seasonality(usable(close, "price").values, "B", "price") is None
    assert forecast(close, "B") == forecast(close, "B", seasonal=False)
    assert detect_anomalies(close, "B") == detect_anomalies(close, "B", seasonal=False)


def test_trend_is_read_through_the_season(index: pd.Series) -> None:
    # Two years to 2009-06: down, whatever month the window starts and ends in.
    to_slump = index[index.index <= pd.Timestamp(2009, 6, 1)]
    assert trend(to_slump, "M").direction == "down"


def test_a_season_without_noise_still_gets_an_interval() -> None:
    months = pd.date_range("2000-01-01", periods=120, freq="MS")
    exact = pd.Series(100 + 10 * np.sin(np.arange(120) * 2 * np.pi / 12), index=months)
    points = forecast(exact, "M", horizon=3)
    assert [round(p.value, 3) for p in points] == [100.0, 105.0, 108.66]  # the pattern continues
    assert all(p.upper - p.lower >= 0.0001 * p.value for p in points)
    assert detect_anomalies(exact, "M") == []


def test_a_rate_statistic_with_a_season_is_analysed_in_points() -> None:
    # Levels kind: the same index read as a rate-like level (differences, not logs) stays
    # seasonal and gives finite forecasts on the level scale.
    level = turnover() - 100.0  # negative values: a "level" series
    season = find_seasonality(usable(level, "level").values, "M", "level")
    assert season is not None
    points = forecast(level, "M", horizon=3, kind="level")
    assert all(np.isfinite([p.lower, p.value, p.upper]).all() and p.lower < p.value < p.upper for p in points)


def test_refine_writes_the_slump_anomaly_and_a_seasonal_forecast(sqlite_engine: Engine, site: RecordedSite) -> None:
    url = site.serve("/sts_intv_m.csv", TURNOVER_PAYLOAD.read_bytes(), "application/vnd.sdmx.data+csv;version=1.0.0")
    channel = ChannelConfig(name="estat-turnover", kind="sdmx_csv", urls=(url,),
                            options={"unit_labels": {"I10": "index 2010=100"}})
    configure(sqlite_engine, channel)
    result = gather_channel(sqlite_engine, channel, make_transport(), now=dt.datetime(2026, 11, 28, 6, tzinfo=dt.UTC))
    assert result.status == "ok", result.error
    outcome = analyse_series(sqlite_engine, dt.date(2026, 11, 28))
    assert outcome.analysed == 1 and not outcome.skipped
    with sqlite_engine.connect() as conn:
        dates = {row.date for row in conn.execute(select(SeriesAnomaly.date))}
        ahead = conn.execute(select(SeriesForecast.date, SeriesForecast.value).order_by(SeriesForecast.date)).all()
    assert any(SLUMP[0] <= day <= SLUMP[1] for day in dates)
    assert [row.date for row in ahead] == [dt.date(2016, 6, 1), dt.date(2016, 7, 1), dt.date(2016, 8, 1)]
    assert ahead[2].value < ahead[0].value  # August's trough is forecast
