"""Market-series channel kinds: parsing real payloads (tests/fixtures/market) and small inline ones."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.records.series import infer_frequency
from mi.sources.config import load_channels
from mi.sources.options import ChannelOptionError
from mi.sources.reading.values import parse_date, parse_number
from mi.sources.registry import KINDS, source_for
from mi.sources.series.ecb import ECB_HISTORY_SPEC
from mi.sources.series.tables import parse_series_table, simple_table_spec

FIXTURES = Path(__file__).parent / "fixtures" / "market"
SNAPSHOT = Path(__file__).parent.parent / "snapshot" / "market"
MARKET_KINDS = ("ecb_daily", "ecb_history", "fred_csv", "series_csv", "series_json")


def channel(kind: str, **options: Any) -> ChannelConfig:
    return ChannelConfig(name="test", kind=kind, urls=("http://example.test/x",), options=options)


def parse(kind: str, body: bytes, **options: Any) -> ParseResult:
    return source_for(channel(kind, **options)).parse(body, url="http://example.test/x", content_type=None)


def values(result: ParseResult, key: str) -> dict[dt.date, float]:
    return {o.date: o.value for o in result.observations if o.series_key == key}


def dates(result: ParseResult, key: str) -> list[dt.date]:
    return [o.date for o in result.observations if o.series_key == key]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


DAY = dt.date(2013, 12, 31)


# -- ECB ---------------------------------------------------------------------------------

def test_market_kinds_are_registered() -> None:
    assert set(MARKET_KINDS) <= set(KINDS)


def test_ecb_daily_xml_gives_one_series_per_currency() -> None:
    result = parse("ecb_daily", fixture("eurofxref-daily-2013-12-31.xml"))
    assert result.fatal is None and result.problems == []
    assert len(result.series) == 33 and len(result.observations) == 33
    usd = next(s for s in result.series if s.key == "ecb.eurofxref.USD")
    assert (usd.name, usd.unit, usd.frequency, usd.source) == ("EUR/USD ECB reference rate", "USD per EUR", "B", "ECB")
    assert values(result, "ecb.eurofxref.USD") == {DAY: 1.3791}
    assert values(result, "ecb.eurofxref.JPY") == {DAY: 144.72}
    assert values(result, "ecb.eurofxref.LVL") == {DAY: 0.702804}
    assert values(result, "ecb.eurofxref.IDR") == {DAY: 16764.78}


HIST_90D = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube>
    <Cube time="2013-12-31"><Cube currency="USD" rate="1.3791"/><Cube currency="GBP" rate="0.8337"/></Cube>
    <Cube time="2013-12-30"><Cube currency="USD" rate="1.3783"/><Cube currency="GBP" rate="abc"/></Cube>
    <Cube time="2013-12-27"><Cube currency="USD" rate="1.3814"/><Cube currency="GBP" rate="0.8383"/></Cube>
  </Cube>
</gesmes:Envelope>
"""


def test_ecb_xml_with_several_days_is_sorted_and_reports_a_bad_rate() -> None:
    result = parse("ecb_daily", HIST_90D)
    assert result.fatal is None
    assert dates(result, "ecb.eurofxref.USD") == [dt.date(2013, 12, 27), dt.date(2013, 12, 30), DAY]
    assert values(result, "ecb.eurofxref.GBP") == {dt.date(2013, 12, 27): 0.8383, DAY: 0.8337}
    assert result.problems == ["line 6, currency GBP: 'abc' is not a number"]


def test_truncated_ecb_xml_keeps_the_days_before_the_break_but_is_fatal() -> None:
    body = HIST_90D[: HIST_90D.index(b'<Cube time="2013-12-27">') + 40]
    result = parse("ecb_daily", body)
    assert result.fatal and "not well-formed" in result.fatal
    assert values(result, "ecb.eurofxref.USD")[DAY] == 1.3791


@pytest.mark.parametrize("body", [
    b"<html><body><h1>Service unavailable</h1></body></html>",
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
    b'<?xml version="1.0"?><gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"/>',
])
def test_xml_that_is_not_the_ecb_format_is_fatal(body: bytes) -> None:
    result = parse("ecb_daily", body)
    assert result.fatal and "ECB" in result.fatal and result.observations == []


def test_ecb_history_csv_loads_rates_and_counts_gaps() -> None:
    result = parse("ecb_history", fixture("eurofxref-hist-slice.csv"))
    assert result.fatal is None and result.problems == []
    usd = values(result, "ecb.eurofxref.USD")
    assert len(usd) == 133
    assert usd[DAY] == 1.3791 and usd[dt.date(2008, 12, 31)] == 1.3917 and usd[dt.date(1999, 1, 4)] == 1.1789
    # N/A cells are gaps: CYP traded only in the 1999 rows, TRY only from 2005.
    assert set(dates(result, "ecb.eurofxref.CYP")) == {dt.date(1999, 1, day) for day in (4, 5, 6, 7, 8)}
    assert min(dates(result, "ecb.eurofxref.TRY")) == dt.date(2008, 1, 2)
    # The trailing empty column yields no series; the newest-first rows come out ascending.
    assert all(s.key.removeprefix("ecb.eurofxref.").isalpha() for s in result.series)
    assert dates(result, "ecb.eurofxref.USD") == sorted(usd)


def test_ecb_history_missing_counts_are_exposed() -> None:
    table = parse_series_table(fixture("eurofxref-hist-slice.csv"), ECB_HISTORY_SPEC)
    assert table.missing["ecb.eurofxref.CYP"] == 133 - 5
    assert "ecb.eurofxref.USD" not in table.missing
    assert "missing values not loaded" in (table.gap_summary() or "")


def test_zipped_ecb_history_reads_the_single_member() -> None:
    plain = fixture("eurofxref-hist-slice.csv")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("eurofxref-hist.csv", plain)
    assert parse("ecb_history", archive.getvalue()) == parse("ecb_history", plain)
    assert parse("ecb_history", gzip.compress(plain)) == parse("ecb_history", plain)


def test_zip_with_several_members_is_fatal() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.csv", "Date,USD\n2013-12-31,1.3791\n")
        zipped.writestr("b.csv", "Date,USD\n2013-12-31,1.3791\n")
    result = parse("ecb_history", archive.getvalue())
    assert result.fatal and "2 files" in result.fatal


# -- FRED --------------------------------------------------------------------------------

def test_fred_dot_is_a_gap_not_a_value() -> None:
    result = parse("fred_csv", fixture("fredgraph-DCOILWTICO-2008.csv"), unit="USD per barrel")
    assert result.fatal is None and result.problems == []
    wti = values(result, "fred.DCOILWTICO")
    assert len(wti) == 262 - 9  # every weekday of 2008 but the 9 holidays
    assert dt.date(2008, 1, 1) not in wti and dt.date(2008, 12, 25) not in wti
    assert wti[dt.date(2008, 1, 2)] == 99.64
    [series] = result.series
    assert (series.key, series.unit, series.frequency, series.source) == ("fred.DCOILWTICO", "USD per barrel", "B", "FRED")


def test_fred_legacy_date_header_and_options() -> None:
    body = b"DATE,GS10\n2024-01-01,4.06\n2024-02-01,.\n2024-03-01,4.21\n"
    result = parse("fred_csv", body, series_key="us.gs10", series_name="US 10y", industry="K")
    assert values(result, "us.gs10") == {dt.date(2024, 1, 1): 4.06, dt.date(2024, 3, 1): 4.21}
    [series] = result.series
    assert (series.name, series.frequency, series.industry) == ("US 10y", "M", "K")


def test_fred_header_without_a_date_column_is_fatal() -> None:
    result = parse("fred_csv", b"when,GS10\n2024-01-01,4.06\n")
    assert result.fatal and "observation_date" in result.fatal and "when" in result.fatal


# -- generic CSV -------------------------------------------------------------------------

SHILLER = {"date_column": "Date", "zero_means_missing": True,
           "columns": {"SP500": "shiller.sp500", "Dividend": "shiller.dividend", "PE10": "shiller.pe10"}}


def test_shiller_trailing_zeros_are_not_published_yet() -> None:
    result = parse("series_csv", fixture("shiller-sp500-monthly-tail.csv"), **SHILLER)
    assert result.fatal is None and result.problems == []
    dividend = values(result, "shiller.dividend")
    assert max(dividend) == dt.date(2023, 6, 1) and dividend[dt.date(2023, 6, 1)] == 68.71
    assert 0.0 not in dividend.values()
    sp500 = values(result, "shiller.sp500")
    assert len(sp500) == 80 and sp500[dt.date(2026, 6, 1)] == 7450.03
    assert max(values(result, "shiller.pe10")) == dt.date(2023, 9, 1)


def test_a_zero_inside_the_series_is_a_real_value_whatever_the_row_order() -> None:
    body = b"Date,Spread\n2024-05-01,0.0\n2024-04-01,0\n2024-03-01,0.2\n2024-02-01,0.0\n2024-01-01,0.1\n"
    result = parse("series_csv", body, zero_means_missing=["Spread"])
    assert values(result, "test.spread") == {dt.date(2024, 1, 1): 0.1, dt.date(2024, 2, 1): 0.0,
                                             dt.date(2024, 3, 1): 0.2}
    kept = parse("series_csv", body)  # without the option every zero is a value
    assert len(values(kept, "test.spread")) == 5


def test_reverse_chronological_rows_are_sorted() -> None:
    body = b"Date,Rate\n2024-03-01,3\n2024-01-01,1\n2024-02-01,2\n"
    result = parse("series_csv", body, columns={"Rate": {"key": "r", "unit": "%"}})
    assert [(o.date.month, o.value) for o in result.observations] == [(1, 1.0), (2, 2.0), (3, 3.0)]
    assert result.series[0].frequency == "M"


def test_text_in_a_number_column_is_a_problem_and_the_rest_loads() -> None:
    body = b"Date,USD,JPY\n2013-12-31,1.3791,144.72\n2013-12-30,abc,145.02\nnot a date,1.1,2.2\n2013-12-27,1.3814,144.71\n"
    result = parse("series_csv", body)
    assert result.fatal is None
    assert result.problems == ["line 3, column USD: 'abc' is not a number",
                               "line 4, column Date: 'not a date' is not a date"]
    assert len(values(result, "test.usd")) == 2 and len(values(result, "test.jpy")) == 3


def test_missing_configured_columns_are_named() -> None:
    body = b"Date,USD\n2013-12-31,1.3791\n"
    wrong_date = parse("series_csv", body, date_column="Day")
    assert wrong_date.fatal and "'Day'" in wrong_date.fatal and "Date, USD" in wrong_date.fatal
    wrong_value = parse("series_csv", body, columns={"GBP": "gbp", "CHF": "chf"})
    assert wrong_value.fatal and "'GBP'" in wrong_value.fatal and "'CHF'" in wrong_value.fatal
    some = parse("series_csv", body, columns={"USD": "usd", "GBP": "gbp"})
    assert values(some, "usd") == {DAY: 1.3791} and some.fatal is None
    assert some.problems == ["header lacks configured column 'GBP'; the other columns loaded"]


def test_us_dates_month_names_and_explicit_formats() -> None:
    us = parse("series_csv", b"Date,Close\n1/4/1999,1228.1\n1/5/1999,1244.78\n")
    assert list(values(us, "test.close")) == [dt.date(1999, 1, 4), dt.date(1999, 1, 5)]
    elec = parse("series_csv", fixture("elec_equip.csv"), date_column="DATE",
                 columns={"STS.M.I7.W.TOVT.NS0016.4.000": {"key": "elec", "industry": "C"}})
    assert values(elec, "elec")[dt.date(1995, 1, 1)] == 66.19 and len(values(elec, "elec")) == 257
    assert elec.series[0].industry == "C" and elec.series[0].frequency == "M"
    european = parse("series_csv", b"Tag,Wert\n04/01/1999,1\n", date_format="%d/%m/%Y")
    assert list(values(european, "test.wert")) == [dt.date(1999, 1, 4)]


def test_semicolons_decimal_commas_and_thousands_separators() -> None:
    body = "Datum;Kurs;\n31.12.2013;1,3791;\n30.12.2013;\"1.378,30\";\n".encode("latin-1")
    result = parse("series_csv", body, decimal=",")
    assert values(result, "test.kurs") == {dt.date(2013, 12, 30): 1378.3, DAY: 1.3791}
    quoted = parse("series_csv", b'Date,Close\n2024-01-02,"4,742.83"\n2024-01-03,"1,5"\n')
    assert values(quoted, "test.close") == {dt.date(2024, 1, 2): 4742.83}
    assert quoted.problems == ["line 3, column Close: '1,5' is not a number"]


def test_extra_missing_markers_and_latin1_headers() -> None:
    body = "Date,Índice\n2024-01-01,100\n2024-02-01,n.v.\n2024-03-01,#N/A\n".encode("latin-1")
    result = parse("series_csv", body, missing=["n.v."])
    assert result.problems == [] and values(result, "test.indice") == {dt.date(2024, 1, 1): 100.0}
    assert result.series[0].name == "Índice"


def test_misaligned_rows_and_duplicate_dates_are_problems() -> None:
    body = b"Date,Rate\n2024-01-01,1,234.5\n2024-01-02,2\n2024-01-02,3\n"
    result = parse("series_csv", body)
    assert values(result, "test.rate") == {dt.date(2024, 1, 2): 2.0}
    assert result.problems == ["line 2: 3 fields, header has 2",
                               "line 4, column Rate: second value for 2024-01-02 ignored"]


def test_long_format_gives_one_series_per_key() -> None:
    result = parse("series_csv", fixture("exchange-rates-monthly-slice.csv"),
                   long_format={"key_column": "Country", "value_column": "Exchange rate",
                                "key": "fx.{slug}", "name": "{key} per USD", "unit": "per USD"})
    assert result.fatal is None and result.problems == []
    assert [s.key for s in result.series] == ["fx.euro", "fx.japan", "fx.switzerland", "fx.united_kingdom"]
    assert result.series[3].name == "United Kingdom per USD"
    assert values(result, "fx.euro")[dt.date(2020, 1, 1)] == 0.9011
    assert len(values(result, "fx.japan")) == 12


def test_long_format_listed_keys_only() -> None:
    result = parse("series_csv", fixture("exchange-rates-monthly-slice.csv"),
                   long_format={"key_column": "Country", "value_column": "Exchange rate"},
                   columns={"Euro": {"key": "fx.eur", "unit": "EUR per USD"}})
    assert [s.key for s in result.series] == ["fx.eur"] and result.series[0].unit == "EUR per USD"


def test_long_format_missing_key_column_is_fatal() -> None:
    result = parse("series_csv", b"Date,Currency,Rate\n2020-01-01,EUR,0.9\n",
                   long_format={"key_column": "Country", "value_column": "Rate"})
    assert result.fatal and "'Country'" in result.fatal


def test_inspect_helper_reads_named_columns() -> None:
    table = parse_series_table(fixture("shiller-sp500-monthly-tail.csv"),
                               simple_table_spec("Date", ["Dividend"], zero_means_missing=True))
    assert [s.key for s in table.series] == ["inspect.dividend"]
    assert table.unpublished == {"inspect.dividend": 36}


# -- JSON --------------------------------------------------------------------------------

def test_json_records_with_fred_api_layout() -> None:
    body = json.dumps({"count": 3, "observations": [
        {"date": "2024-01-01", "value": "4.06"}, {"date": "2024-02-01", "value": "."},
        {"date": "2024-03-01", "value": 4.21}, {"date": "2024-04-01", "value": "n/v"}]}).encode()
    result = parse("series_json", body, records_path="observations", series_key="fred.GS10", unit="%")
    assert values(result, "fred.GS10") == {dt.date(2024, 1, 1): 4.06, dt.date(2024, 3, 1): 4.21}
    assert result.problems == ["record 4, field value: 'n/v' is not a number"]


WORLD_BANK = [
    {"page": 1, "pages": 1, "per_page": 50, "total": 4, "lastupdated": "2025-07-01"},
    [
        {"indicator": {"id": "NY.GDP.MKTP.KD.ZG", "value": "GDP growth (annual %)"},
         "country": {"id": "DE", "value": "Germany"}, "countryiso3code": "DEU",
         "date": "2024", "value": None, "unit": "", "obs_status": "", "decimal": 1},
        {"indicator": {"id": "NY.GDP.MKTP.KD.ZG", "value": "GDP growth (annual %)"},
         "country": {"id": "DE", "value": "Germany"}, "countryiso3code": "DEU",
         "date": "2023", "value": -0.266, "unit": "", "obs_status": "", "decimal": 1},
        {"indicator": {"id": "NY.GDP.MKTP.KD.ZG", "value": "GDP growth (annual %)"},
         "country": {"id": "FR", "value": "France"}, "countryiso3code": "FRA",
         "date": "2023", "value": 0.935, "unit": "", "obs_status": "", "decimal": 1},
        {"indicator": {"id": "NY.GDP.MKTP.KD.ZG", "value": "GDP growth (annual %)"},
         "country": {"id": "DE", "value": "Germany"}, "countryiso3code": "DEU",
         "date": "2022", "value": 1.8, "unit": "", "obs_status": "", "decimal": 1},
    ],
]


def test_world_bank_meta_and_records_layout_with_nulls() -> None:
    body = json.dumps(WORLD_BANK).encode()
    single = parse("series_json", body, records_path="1", series_key="wb.gdp_growth", frequency="A")
    assert single.problems == ["record 3, field value: second value for 2023-01-01 ignored"]
    keyed = parse("series_json", body, records_path="1", key_field="country.id",
                  series_key="wb.gdp_growth.{key}", unit="% per year")
    assert keyed.problems == [] and keyed.fatal is None
    assert values(keyed, "wb.gdp_growth.DE") == {dt.date(2022, 1, 1): 1.8, dt.date(2023, 1, 1): -0.266}
    assert values(keyed, "wb.gdp_growth.FR") == {dt.date(2023, 1, 1): 0.935}
    assert keyed.series[0].frequency == "A"


def test_json_that_does_not_fit_the_path_is_fatal() -> None:
    error = [{"message": [{"id": "120", "key": "Invalid value"}]}]
    result = parse("series_json", json.dumps(error).encode(), records_path="1")
    assert result.fatal and "records_path '1'" in result.fatal and "Invalid value" in result.fatal
    assert parse("series_json", b'{"data": {"a": 1}}', records_path="data").fatal


# -- hostile input -----------------------------------------------------------------------

GARBAGE = [
    b"",
    b"   \n",
    bytes(range(256)) * 4,
    b"<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>",
    b"PK\x03\x04this is not really a zip",
    b"\x1f\x8bnot gzip either",
    b'{"broken": [1, 2',
    b"\xff\xfe" + "Date,USD\n".encode("utf-16-le"),
    b"[" * 100_000,
    b"Date,USD\n" + b"2013-12-31," + b"9" * 200_000 + b"\n",
    b'Date,USD\n"2013-12-31,1.3791\n',
]


@pytest.mark.parametrize("kind", MARKET_KINDS)
@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises_and_loads_nothing(kind: str, body: bytes) -> None:
    result = parse(kind, body, **({"records_path": "data"} if kind == "series_json" else {}))
    assert result.fatal and result.observations == []


@pytest.mark.parametrize(("options", "message"), [
    ({"frequency": "monthly"}, "option 'frequency': 'monthly' is not a frequency: one of D, B, W, M, Q, A"),
    ({"industry": "finance"}, "option 'industry': 'finance' is not an ISIC Rev.4 section letter (A-U)"),
    ({"columns": "USD"}, "option 'columns': must be a mapping of column -> series settings, or a list of columns"),
    ({"columns": {"USD": {"colour": "red"}}}, "option 'columns[USD].colour': unknown setting (known: frequency, "
                                              "industry, key, name, source, unit, zero_means_missing)"),
    ({"columns": {"USD": {"frequency": "X"}}}, "option 'columns[USD].frequency': 'X' is not a frequency"),
    ({"decimal": ";"}, "option 'decimal': ';' is not one of '.' or ','"),
    ({"delimiter": "::"}, "option 'delimiter': '::' is not one character, tab, comma, semicolon or pipe"),
    ({"long_format": {"key_column": "Country"}}, "option 'long_format.value_column': is required"),
    ({"missing": "N/A"}, "option 'missing': must be a list, not text"),
    ({"zero_means_missing": "yes"}, "option 'zero_means_missing': must be yes/no or a list of columns"),
    ({"date_colum": "Date"}, "option 'date_colum': unknown option (known: columns, date_column, date_format, "
                             "decimal, delimiter, frequency, industry, long_format, missing, series_key, "
                             "series_name, source, unit, zero_means_missing)"),
    ({"series_key": ["a"]}, "option 'series_key': must be text, not a list"),
])
def test_bad_options_fail_when_the_channel_is_built(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ChannelOptionError) as error:
        source_for(channel("series_csv", **options))
    assert str(error.value).startswith(f"channel 'test' (series_csv): {message}")


def test_each_series_kind_refuses_the_options_of_another() -> None:
    with pytest.raises(ChannelOptionError, match=r"\(fred_csv\): option 'date_column': unknown option"):
        source_for(channel("fred_csv", date_column="DATE"))
    with pytest.raises(ChannelOptionError, match=r"\(series_json\): option 'long_format': unknown option"):
        source_for(channel("series_json", long_format={"key_column": "k", "value_column": "v"}))
    with pytest.raises(ChannelOptionError, match=r"\(ecb_daily\): option 'unit': unknown option \(known: none"):
        source_for(channel("ecb_daily", unit="USD"))


def test_several_problems_of_one_channel_are_reported_together() -> None:
    with pytest.raises(ChannelOptionError) as error:
        source_for(channel("series_csv", frequency="monthly", date_colum="Date"))
    assert str(error.value).count("channel 'test'") == 1
    assert "option 'frequency'" in str(error.value) and "option 'date_colum'" in str(error.value)


def test_options_written_as_numbers_or_lists_read_as_text() -> None:
    source = source_for(channel("series_csv", columns=[2020, "USD"], series_name=1.5, delimiter="tab",
                                zero_means_missing=["USD"]))
    assert set(source.spec.catalog.listed) == {"2020", "USD"}
    assert source.spec.delimiter == "\t" and source.spec.catalog.listed["USD"].zero_means_missing
    assert source.spec.catalog.listed["2020"].name == "1.5"
    assert source_for(channel("series_csv", delimiter="auto")).spec.delimiter is None


def test_value_and_date_readers() -> None:
    assert parse_number("1,234.5") == 1234.5 and parse_number("1.234,5", ",") == 1234.5
    assert parse_number("12,34") is None and parse_number("nan") is None and parse_number("1e3") == 1000.0
    assert parse_date("Jan-1-1995") == dt.date(1995, 1, 1) and parse_date("2020Q3") == dt.date(2020, 7, 1)
    assert parse_date("2020M02") == dt.date(2020, 2, 1) and parse_date(2020) == dt.date(2020, 1, 1)
    assert parse_date("2013-02-30") is None and parse_date("31.12.2013") == DAY
    weekdays = [DAY - dt.timedelta(days=n) for n in range(30) if (DAY - dt.timedelta(days=n)).weekday() < 5]
    assert infer_frequency(sorted(weekdays)) == "B"
    assert infer_frequency([dt.date(2020 + n, 1, 1) for n in range(4)]) == "A"


# -- bad files: limits, encodings, NaN ---------------------------------------------------

def test_a_huge_field_sets_one_row_aside_and_the_rows_after_it_load() -> None:
    rows = [f"2024-01-{day:02d},{day}" for day in range(1, 11)]
    rows[2] = "2024-01-03," + "9" * 200_000  # line 4
    for kind, header in (("series_csv", "Date,Rate"), ("fred_csv", "observation_date,Rate")):
        result = parse(kind, (header + "\n" + "\n".join(rows) + "\n").encode())
        assert result.fatal is None and len(result.observations) == 9, kind
        assert result.problems == [("line 4: column 'Rate' has 200,000 characters, over the limit of 100,000 "
                                    "(MI_LIMIT_MAX_FIELD_CHARS)")], kind


def test_the_channel_limits_reach_the_series_parsers() -> None:
    body = ("Date,Rate\n" + "".join(f"2024-01-{day:02d},{day}\n" for day in range(1, 11))).encode()
    capped = source_for(channel("series_csv"), Limits(max_rows=4)).parse(body, url="x", content_type=None)
    assert len(capped.observations) == 4 and capped.fatal is not None and "MI_LIMIT_MAX_ROWS" in capped.fatal
    records = json.dumps([{"date": f"2024-01-{day:02d}", "value": day} for day in range(1, 11)]).encode()
    capped = source_for(channel("series_json"), Limits(max_rows=4)).parse(records, url="x", content_type=None)
    assert len(capped.observations) == 4 and capped.fatal is not None and "record 5" in capped.fatal
    bomb = gzip.compress(b"Date,Rate\n" + b"2024-01-01,1\n" * 200_000)
    refused = source_for(channel("series_csv"), Limits(max_unpacked_bytes=1_000_000)).parse(
        bomb, url="x", content_type=None)
    assert refused.fatal == "archive inflates past the limit of 1,000,000 bytes (MI_LIMIT_MAX_UNPACKED_BYTES)"


def test_nan_and_infinity_in_json_series_are_missing_values() -> None:
    body = (b'[{"date": "2024-01-01", "value": NaN}, {"date": "2024-02-01", "value": 4.2},'
            b' {"date": "2024-03-01", "value": Infinity}, {"date": "2024-04-01", "value": -Infinity},'
            b' {"date": "2024-05-01", "value": ""}, {"date": NaN, "value": 1}]')
    result = parse("series_json", body, series_key="x")
    assert values(result, "x") == {dt.date(2024, 2, 1): 4.2}
    assert result.problems == ["record 6, field date: no date"]


def test_legacy_encoded_headers_come_out_right_with_a_warning() -> None:
    body = "日期,人民币汇率\n2024-01-02,7.10\n2024-01-03,7.12\n".encode("gb18030")
    result = parse("series_csv", body)
    assert result.series[0].name == "人民币汇率" and len(result.observations) == 2
    assert result.problems == [] and len(result.warnings) == 1 and "gb18030" in result.warnings[0]
    latin = parse("series_csv", "Date,Índice\n2024-01-01,100\n".encode("latin-1"))
    assert latin.series[0].name == "Índice" and "decoded as cp1252 by guessing" in latin.warnings[0]


def test_chinese_column_names_give_distinct_series_keys() -> None:
    body = "日期,美元指数,人民币\n2024-01-02,101.5,7.10\n2024-01-03,101.7,7.12\n".encode()
    result = parse("series_csv", body)
    assert sorted(s.key for s in result.series) == ["test.人民币", "test.美元指数"]
    assert result.problems == [] and len(result.observations) == 4
    assert parse("series_csv", "Date,€,$\n2024-01-02,1,2\n".encode()).problems == []


def test_json_records_without_the_value_field_are_fatal_not_an_empty_publication() -> None:
    body = json.dumps([{"date": "2024-01-02", "text": "a note, not a rate"}]).encode()
    result = parse("series_json", body)
    assert result.observations == [] and result.fatal is not None
    assert result.fatal.startswith("no record has a field 'value' (first record: {'date': '2024-01-02'")
    gaps = parse("series_json", json.dumps([{"date": "2024-01-02", "value": None}]).encode())
    assert gaps.fatal is None and gaps.problems == []  # a published gap is no error


# -- the snapshot channels ---------------------------------------------------------------

def test_every_snapshot_channel_parses_its_file_cleanly() -> None:
    channels = load_channels(SNAPSHOT / "channels.fragment.yaml")
    assert {c.kind for c in channels} >= {"ecb_daily", "ecb_history", "fred_csv", "series_csv"}
    for config in channels:
        result = source_for(config).parse(Path(config.url).read_bytes(), url=config.url, content_type=None)
        assert result.fatal is None and result.problems == [], config.name
        assert result.series and result.observations, config.name


def test_live_fragment_mirrors_the_snapshot_channels() -> None:
    snapshot = {c.name: c for c in load_channels(SNAPSHOT / "channels.fragment.yaml")}
    live = {c.name: c for c in load_channels(SNAPSHOT / "channels.live.fragment.yaml")}
    assert snapshot.keys() == live.keys()
    for name, config in live.items():
        assert config.url.startswith("https://") and config.kind == snapshot[name].kind
        assert config.options == snapshot[name].options
        source_for(config)  # options valid
