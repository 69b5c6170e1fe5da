"""Series files whose first column is pandas' index: written without a header cell.

Regression (issue 11): a CSV whose date column has an empty header, as ``DataFrame.to_csv``
writes its index, was refused by ``mi inspect series`` and the series channels ("header has
no date column"), and an SDMX-CSV frame written back by pandas became one series per row.
The payloads are real series (tests/fixtures/series/SOURCE.md) in the layouts pandas
writes: a DatetimeIndex, a PeriodIndex, a zoned DatetimeIndex, and a RangeIndex of row
numbers before the real date column.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mi.cli import main
from mi.gathering import gather_channel
from mi.records.channels import ChannelConfig
from mi.records.parsed import ParseResult
from mi.sources.registry import source_for
from mi.sources.series.columns import read_column
from mi.sources.series.tables import index_holds_dates, parse_series_table, simple_table_spec
from mi.warehouse.models import Observation, Series
from tests.loopback import RecordedSite
from tests.test_gather import configure, make_transport

HERE = Path(__file__).parent
SERIES = HERE / "fixtures" / "series"
DATETIME_INDEX = SERIES / "elec-equip-pandas-datetimeindex.csv"
PERIOD_INDEX = SERIES / "macrodata-realgdp-pandas-periodindex.csv"
ZONED_INDEX = SERIES / "ecb-usd-2008-pandas-zoned-index.csv"
RANGE_INDEX = SERIES / "sp500-2008q4-pandas-rangeindex.csv"
SDMX_WITH_INDEX = SERIES / "eurostat-sts_intv_m-elec-equip-pandas-index.csv"
TURNOVER_COLUMN = "STS.M.I7.W.TOVT.NS0016.4.000"


def channel(kind: str, url: str = "http://example.test/x", **options: object) -> ChannelConfig:
    return ChannelConfig(name="idx", kind=kind, urls=(url,), options=dict(options))


def parse(kind: str, body: bytes, **options: object) -> ParseResult:
    return source_for(channel(kind, **options)).parse(body, url="http://example.test/x", content_type="text/csv")


def by_date(result: ParseResult, key: str | None = None) -> dict[dt.date, float]:
    return {o.date: o.value for o in result.observations if key is None or o.series_key == key}


def test_a_series_csv_channel_reads_an_unnamed_datetime_index_as_the_dates() -> None:
    result = parse("series_csv", DATETIME_INDEX.read_bytes())
    assert result.fatal is None and result.problems == []
    [series] = result.series
    assert (series.key, series.frequency) == ("idx.sts_m_i7_w_tovt_ns0016_4_000", "M")
    # The same figures as the statsmodels file in its own layout (DATE column, Jan-1-1995).
    original = parse("series_csv", (HERE.parent / "snapshot" / "market" / "elec_equip.csv").read_bytes(),
                     date_column="DATE")
    assert by_date(result) == by_date(original) and len(by_date(result)) == 257
    assert by_date(result)[dt.date(2009, 1, 1)] == 87.05


def test_a_quarterly_period_index_reads_as_quarter_starts() -> None:
    result = parse("series_csv", PERIOD_INDEX.read_bytes())
    assert result.fatal is None and result.problems == []
    assert [s.frequency for s in result.series] == ["Q"]
    values = by_date(result)
    assert len(values) == 203 and values[dt.date(1959, 1, 1)] == 2710.349 and values[dt.date(2009, 7, 1)] == 12990.341


def test_a_zoned_index_keeps_the_day_it_names_in_its_own_zone() -> None:
    # Midnight in Frankfurt (+01:00 in winter) is still the 31st there; read in UTC it
    # would be the 30th, and every ECB fixing would move to the day before.
    body = ZONED_INDEX.read_bytes()
    assert b"2008-12-31 00:00:00+01:00,1.3917" in body and b"2008-07-01 00:00:00+02:00" in body
    result = parse("series_csv", body)
    assert result.fatal is None and result.problems == []
    original = parse("series_csv", (SERIES / "ecb-eurofxref-2007q4-2008.csv").read_bytes(), columns=["USD"])
    assert by_date(result) == by_date(original) and len(by_date(result)) == 320
    assert by_date(result)[dt.date(2008, 12, 31)] == 1.3917


def test_row_numbers_in_the_first_column_leave_the_named_date_column_in_charge() -> None:
    body = RANGE_INDEX.read_bytes()
    assert body.startswith(b",Date,Open")
    result = parse("series_csv", body)
    assert result.fatal is None and result.problems == []
    assert {s.key for s in result.series} == {f"idx.{name}" for name in
                                              ("open", "high", "low", "close", "adj_close", "volume")}
    close = by_date(result, "idx.close")
    assert len(close) == 64 and min(close) == dt.date(2008, 10, 1) and close[dt.date(2008, 10, 13)] == 1003.349976


def test_a_configured_date_column_still_wins_over_the_index() -> None:
    result = parse("series_csv", RANGE_INDEX.read_bytes(), date_column="Date", columns=["Close"])
    assert result.fatal is None and len(by_date(result)) == 64


def test_the_index_check_tells_dates_from_row_numbers_and_labels() -> None:
    assert index_holds_dates(["1995-01-01", "1995-02-01"]) and index_holds_dates(["1959Q1", "1959Q2"])
    assert index_holds_dates(["2008-12-31 00:00:00+01:00", ""])
    assert not index_holds_dates([str(n) for n in range(50)])
    assert not index_holds_dates(["USD", "JPY"]) and not index_holds_dates([])


def test_an_unnamed_first_column_that_is_not_dated_and_nothing_else_is_a_clear_error() -> None:
    table = parse_series_table(b",a\nx,1\ny,2\n", simple_table_spec())
    assert table.fatal is not None and "a" in table.fatal and not table.observations


def test_the_inspect_reader_guesses_the_unnamed_index_as_the_date_column() -> None:
    column = read_column(DATETIME_INDEX.read_bytes())
    assert (column.date_column, column.value_column) == ("", TURNOVER_COLUMN)
    assert len(column.observations) == 257 and column.observations[-1].date == dt.date(2016, 5, 1)
    ranged = read_column(RANGE_INDEX.read_bytes())
    assert (ranged.date_column, ranged.value_column) == ("Date", "Open") and len(ranged.observations) == 64


def test_mi_inspect_series_reads_a_pandas_written_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["inspect", "series", str(DATETIME_INDEX), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and "error" not in data
    assert data["observations"] == 257 and data["missing"] == 0
    assert [f["date"] for f in data["forecast"]] == ["2016-06-01", "2016-07-01", "2016-08-01"]


def test_sdmx_written_back_by_pandas_is_one_series_not_one_per_row() -> None:
    body = SDMX_WITH_INDEX.read_bytes()
    assert body.startswith(b",DATAFLOW,")
    result = parse("sdmx_csv", body)
    assert result.fatal is None and result.problems == []
    [series] = result.series
    assert (series.key, series.frequency, series.industry) == ("sdmx.STS_INTV_M.M.TOVT.C27.I10.CA.EA19", "M", "C")
    assert len(result.observations) == 257


def test_a_pandas_written_series_gathers_into_the_warehouse(engine: Engine, site: RecordedSite) -> None:
    url = site.serve("/turnover.csv", DATETIME_INDEX.read_bytes(), "text/csv")
    config = ChannelConfig(name="turnover", kind="series_csv", urls=(url,),
                           options={"columns": {TURNOVER_COLUMN: {"key": "estat.turnover", "unit": "index 2010=100"}}})
    configure(engine, config)
    result = gather_channel(engine, config, make_transport(), now=dt.datetime(2026, 11, 28, 6, tzinfo=dt.UTC))
    assert result.status == "ok", result.error
    with engine.connect() as conn:
        rows = conn.execute(select(Observation.date, Observation.value).join(Series, Series.id == Observation.series_id)
                            .where(Series.key == "estat.turnover").order_by(Observation.date)).all()
    assert len(rows) == 257 and tuple(rows[0]) == (dt.date(1995, 1, 1), 66.19)
