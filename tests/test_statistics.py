"""Industry statistics over real HTTP on loopback: World Bank pagination, SDMX-CSV, revisions.

Runs on SQLite and PostgreSQL (the ``engine`` fixture) on the bundled snapshot payloads.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from mi.gathering import gather_channel
from mi.records.channels import ChannelConfig, ConfigError
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.config import load_channels
from mi.sources.statistics.kinds import SdmxCsvSource, WorldBankSource
from mi.sources.statistics.pagination import FileNamePageLinks, QueryPageLinks
from mi.sources.statistics.periods import Period, nace_section, parse_period
from mi.warehouse.models import Observation, RawItem, Series
from tests.loopback import RecordedSite, Reply
from tests.test_gather import configure, count, make_transport

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshot" / "statistics"
WB_PAGES = [(SNAPSHOT / f"worldbank-us-gdp-growth-page{n}.json").read_bytes() for n in (1, 2, 3)]
SDMX = (SNAPSHOT / "eurostat-sts_intv_m-elec-equip.csv").read_bytes()
WB_PATH = "/v2/country/USA/indicator/NY.GDP.MKTP.KD.ZG?format=json&date=1960:2009&per_page=20"
WB_KEY = "wb.NY.GDP.MKTP.KD.ZG.USA"
SDMX_KEY = "sdmx.STS_INTV_M.M.TOVT.C27.I10.CA.EA19"
DAY = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.timezone.utc)
NEXT_DAY = DAY + dt.timedelta(days=1)
WB_JSON = "application/json;charset=utf-8"
SDMX_CSV = "application/vnd.sdmx.data+csv;version=1.0.0"


def worldbank_channel(url: str) -> ChannelConfig:
    return ChannelConfig(name="wb-gdp", kind="worldbank", urls=(url,), industry_hints=("K",),
                         options={"indicator_unit": "percent change on previous year"})


def sdmx_channel(url: str) -> ChannelConfig:
    return ChannelConfig(name="estat-turnover", kind="sdmx_csv", urls=(url,),
                         options={"unit_labels": {"I10": "index 2010=100"}, "dataset_name": "Turnover in industry"})


def serve_worldbank(site: RecordedSite, *first_page: Reply) -> str:
    url = site.add(WB_PATH, *(first_page or (Reply(body=WB_PAGES[0], content_type=WB_JSON),)))
    for number, body in ((2, WB_PAGES[1]), (3, WB_PAGES[2])):
        site.serve(f"{WB_PATH}&page={number}", body, WB_JSON)
    return url


def vintages(engine: Engine, key: str, day: dt.date) -> list[tuple[dt.date, float]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(Observation.vintage, Observation.value).join(Series, Series.id == Observation.series_id)
            .where(Series.key == key, Observation.date == day).order_by(Observation.vintage))]


def revised(body: bytes, old: bytes, new: bytes) -> bytes:
    assert body.count(old) == 1, old
    return body.replace(old, new)


# -- World Bank -------------------------------------------------------------------------

def test_worldbank_follows_every_page_and_loads_all_observations(engine: Engine, site: RecordedSite) -> None:
    channel = worldbank_channel(serve_worldbank(site))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "ok", result.error
    assert result.fetched == 3 and result.new == 49  # 50 years, 2009 is null: a gap, not a value
    assert [site.hits(f"{WB_PATH}{suffix}") for suffix in ("", "&page=2", "&page=3")] == [1, 1, 1]
    assert count(engine, Observation) == 49 and count(engine, RawItem) == 3
    with engine.connect() as conn:
        series = conn.execute(select(Series.__table__)).one()
        first = conn.execute(select(func.min(Observation.date))).scalar_one()
    assert (series.key, series.frequency, series.unit, series.industry) == (
        WB_KEY, "A", "percent change on previous year", None)
    assert series.name == "GDP growth (annual %): United States" and first == dt.date(1960, 1, 1)
    assert vintages(engine, WB_KEY, dt.date(2008, 1, 1)) == [(DAY.date(), pytest.approx(0.43838457336))]
    assert vintages(engine, WB_KEY, dt.date(2009, 1, 1)) == []


def test_worldbank_revision_adds_one_row_and_keeps_the_earlier_vintage(engine: Engine, site: RecordedSite) -> None:
    later = revised(WB_PAGES[0], b'"date":"2008","value":0.43838457336', b'"date":"2008","value":-0.137')
    channel = worldbank_channel(serve_worldbank(site, Reply(body=WB_PAGES[0], content_type=WB_JSON),
                                                Reply(body=later, content_type=WB_JSON)))
    configure(engine, channel)
    gather_channel(engine, channel, make_transport(), now=DAY)
    second = gather_channel(engine, channel, make_transport(), now=NEXT_DAY)
    assert second.status == "ok" and second.new == 1
    assert second.unchanged >= 2  # pages 2 and 3 came back byte for byte
    assert count(engine, Observation) == 50
    assert vintages(engine, WB_KEY, dt.date(2008, 1, 1)) == [
        (DAY.date(), pytest.approx(0.43838457336)), (NEXT_DAY.date(), pytest.approx(-0.137))]


def test_worldbank_error_payload_fails_the_channel_with_the_api_message(engine: Engine, site: RecordedSite) -> None:
    error = b'[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]'
    channel = worldbank_channel(site.serve("/v2/country/XXX/indicator/NY.GDP.MKTP.KD.ZG?format=json", error, WB_JSON))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "failed"
    assert "World Bank API error 120 Invalid value: The provided parameter value is not valid" in result.error
    with engine.connect() as conn:
        raw = conn.execute(select(RawItem.__table__)).one()
    assert raw.parse_status == "quarantined" and raw.payload == error


def wb_parse(document: object, url: str = "https://api.worldbank.org/v2/country/DEU/indicator/X?format=json",
             **options: object) -> ParseResult:
    source = WorldBankSource(ChannelConfig(name="wb", kind="worldbank", urls=(url,), options=dict(options)))
    return source.parse(json.dumps(document).encode(), url=url, content_type=WB_JSON)


def wb_record(date: str, value: object, indicator: str = "NV.IND.MANF.ZS", iso3: str = "DEU") -> dict[str, object]:
    return {"indicator": {"id": indicator, "value": "Manufacturing, value added (% of GDP)"},
            "country": {"id": iso3[:2], "value": "Germany"}, "countryiso3code": iso3, "date": date,
            "value": value, "unit": "", "obs_status": "", "decimal": 1}


def test_worldbank_frequency_comes_from_the_date_format_and_options_set_unit_and_industry() -> None:
    meta = {"page": 1, "pages": 1, "per_page": 50, "total": 4}
    records = [wb_record("2024Q2", 18.1), wb_record("2024Q1", None), wb_record("2024M01", 3.0, iso3="FRA"),
               wb_record("2023", 18.5, indicator="NY.GDP.MKTP.KD.ZG", iso3="USA")]
    parsed = wb_parse([meta, records], indicator_unit={"NV.IND.MANF.ZS": "percent of GDP"}, industry="C")
    assert parsed.fatal is None and parsed.problems == [] and parsed.follow == []
    series = {s.key: (s.frequency, s.unit, s.industry) for s in parsed.series}
    assert series == {"wb.NV.IND.MANF.ZS.DEU": ("Q", "percent of GDP", "C"),
                      "wb.NV.IND.MANF.ZS.FRA": ("M", "percent of GDP", "C"),
                      "wb.NY.GDP.MKTP.KD.ZG.USA": ("A", "", "C")}
    assert [(o.date, o.value) for o in parsed.observations][:1] == [(dt.date(2024, 4, 1), 18.1)]
    assert len(parsed.observations) == 3  # the null is missing, not an observation


def test_worldbank_page_one_names_the_other_pages_and_later_pages_none() -> None:
    url = "https://api.worldbank.org/v2/country/DEU;FRA;USA;CHN/indicator/NV.IND.MANF.ZS?format=json&per_page=50"
    first = wb_parse([{"page": 1, "pages": 3, "per_page": "50", "total": 130}, [wb_record("2024", 18.0)]], url=url)
    assert first.follow == [f"{url}&page=2", f"{url}&page=3"]
    later = wb_parse([{"page": 2, "pages": 3, "per_page": 50, "total": 130}, [wb_record("2000", 22.0)]],
                     url=f"{url}&page=2")
    assert later.follow == [] and len(later.observations) == 1


def test_worldbank_bad_payloads_are_reported() -> None:
    assert "no data" in (wb_parse([{"page": 0, "pages": 0, "per_page": 50, "total": 0}, None]).fatal or "")
    assert "not a World Bank API response" in (wb_parse({"data": []}).fatal or "")
    bad = wb_parse([{"page": 1, "pages": 1}, [wb_record("2024", "n.v."), wb_record("24-Q1", 1.0), "x"]])
    assert len(bad.problems) == 3 and bad.observations == []
    assert any("'n.v.' is not a number" in p for p in bad.problems)


def test_page_links_for_the_api_and_for_snapshot_files() -> None:
    api = QueryPageLinks()
    assert api.page("https://h/x?format=json&per_page=50", 2) == "https://h/x?format=json&per_page=50&page=2"
    assert api.page("https://h/x?page=1&per_page=50", 3) == "https://h/x?page=3&per_page=50"
    assert api.page("https://h/x", 2) == "https://h/x?page=2"
    files = FileNamePageLinks()
    assert files.page("/snap/wb-gdp-page1.json", 2) == "/snap/wb-gdp-page2.json"
    assert files.page("/snap/page1/wb-gdp.json", 2) is None


# -- SDMX-CSV ---------------------------------------------------------------------------

def test_sdmx_csv_loads_a_series_with_its_industry_unit_and_frequency(engine: Engine, site: RecordedSite) -> None:
    channel = sdmx_channel(site.serve("/sdmx/2.1/data/sts_intv_m?format=SDMX-CSV", SDMX, SDMX_CSV))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "ok", result.error
    assert result.new == 257 and count(engine, Observation) == 257
    with engine.connect() as conn:
        series = conn.execute(select(Series.__table__)).one()
    assert (series.key, series.frequency, series.unit, series.industry, series.source) == (
        SDMX_KEY, "M", "index 2010=100", "C", "ESTAT")
    assert series.name.startswith("Turnover in industry: freq=M, indic_bt=TOVT, nace_r2=C27")
    assert vintages(engine, SDMX_KEY, dt.date(2016, 5, 1)) == [(DAY.date(), 97.86)]


def test_sdmx_revision_adds_one_row_and_keeps_the_earlier_vintage(engine: Engine, site: RecordedSite) -> None:
    later = revised(SDMX, b",2016-04,97.05,", b",2016-04,97.4,p")
    channel = sdmx_channel(site.add("/sts_intv_m.csv", Reply(body=SDMX, content_type=SDMX_CSV),
                                    Reply(body=later, content_type=SDMX_CSV)))
    configure(engine, channel)
    gather_channel(engine, channel, make_transport(), now=DAY)
    second = gather_channel(engine, channel, make_transport(), now=NEXT_DAY)
    assert second.status == "ok" and second.new == 1 and count(engine, Observation) == 258
    assert vintages(engine, SDMX_KEY, dt.date(2016, 4, 1)) == [(DAY.date(), 97.05), (NEXT_DAY.date(), 97.4)]


def sdmx_parse(text: str, **options: object) -> ParseResult:
    source = SdmxCsvSource(ChannelConfig(name="sdmx", kind="sdmx_csv", urls=(), options=dict(options)))
    return source.parse(text.encode(), url="x", content_type=SDMX_CSV)


def test_sdmx_periods_gaps_and_industries() -> None:
    parsed = sdmx_parse(
        "DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:STS_INPR_Q(1.0),01/10/26 23:00:00,Q,I21,B-D,DE,2024-Q1,101.5,\n"
        "ESTAT:STS_INPR_Q(1.0),01/10/26 23:00:00,Q,I21,B-D,DE,2024-Q2,:,c\n"
        "ESTAT:STS_INPR_Q(1.0),01/10/26 23:00:00,Q,I21,C10-C12,DE,2024-Q3,,\n"
        "ESTAT:STS_INPR_Q(1.0),01/10/26 23:00:00,W,I21,F,DE,2024-W05,99.0,p\n"
        "ESTAT:STS_INPR_Q(1.0),01/10/26 23:00:00,D,I21,G47,DE,2024-01-15,98.0,\n"
        "ESTAT:STS_INPR_Q(1.0),01/10/26 23:00:00,S,I21,D,DE,2024-S2,97.0,\n"
        "ESTAT:STS_INPR_Q(1.0),01/10/26 23:00:00,A,I21,C10,DE,2024,96.0,\n",
        industry="K")
    assert parsed.fatal is None and parsed.problems == []
    assert {s.key: (s.frequency, s.industry, s.unit) for s in parsed.series} == {
        "sdmx.STS_INPR_Q.Q.I21.B-D.DE": ("Q", "K", "I21"),  # across sections: the channel's industry
        "sdmx.STS_INPR_Q.W.I21.F.DE": ("W", "F", "I21"),
        "sdmx.STS_INPR_Q.D.I21.G47.DE": ("D", "G", "I21"),
        "sdmx.STS_INPR_Q.S.I21.D.DE": ("S", "D", "I21"),
        "sdmx.STS_INPR_Q.A.I21.C10.DE": ("A", "C", "I21"),
    }
    assert sorted(o.date for o in parsed.observations) == [
        dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 1, 15), dt.date(2024, 1, 29), dt.date(2024, 7, 1)]


def test_sdmx_bad_rows_and_payloads_are_reported() -> None:
    header = "DATAFLOW,freq,geo,TIME_PERIOD,OBS_VALUE\n"
    parsed = sdmx_parse(header + "F(1.0),M,DE,2024-01,1.5\nF(1.0),M,DE,2024-02,abc\nF(1.0),M,DE,2024-13,1\n"
                                 "F(1.0),M,DE\nF(1.0),M,DE,2024-01,2.0\nF(1.0),M,DE,2024,3.0\n")
    assert len(parsed.observations) == 1 and parsed.observations[0].value == 1.5
    assert [p.split(":")[0] for p in parsed.problems] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "not SDMX-CSV" in (sdmx_parse("date,value\n2024-01-01,1\n").fatal or "")
    assert "no observation rows" in (sdmx_parse(header).fatal or "")
    assert sdmx_parse('{"error": "413"}').fatal


def test_nan_and_infinity_from_the_worldbank_api_are_gaps_not_problems() -> None:
    meta = {"page": 1, "pages": 1, "per_page": 50, "total": 3}
    records = [wb_record("2023", 1.5), wb_record("2022", 0.0), wb_record("2021", 0.0)]
    body = json.dumps([meta, records]).encode()
    body = body.replace(b'"value": 0.0', b'"value": NaN', 1).replace(b'"value": 0.0', b'"value": Infinity', 1)
    source = WorldBankSource(ChannelConfig(name="wb", kind="worldbank", urls=("x",)))
    parsed = source.parse(body, url="x", content_type=WB_JSON)
    assert parsed.problems == [] and parsed.fatal is None
    assert [(o.date, o.value) for o in parsed.observations] == [(dt.date(2023, 1, 1), 1.5)]


def test_sdmx_with_a_huge_field_sets_its_row_aside_and_loads_the_rest() -> None:
    header = "DATAFLOW,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    rows = [f"F(1.0),M,DE,2024-{month:02d},{month}.5,\n" for month in range(1, 7)]
    rows[1] = "F(1.0),M,DE,2024-02,2.5," + "p" * 150_000 + "\n"  # line 3
    parsed = sdmx_parse(header + "".join(rows))
    assert len(parsed.observations) == 5 and parsed.fatal is None
    assert parsed.problems == [("line 3: column 'OBS_FLAG' has 150,000 characters, over the limit of 100,000 "
                                "(MI_LIMIT_MAX_FIELD_CHARS)")]
    latin = SdmxCsvSource(ChannelConfig(name="sdmx", kind="sdmx_csv", urls=())).parse(
        (header + "F(1.0),M,Zürich,2024-01,1.5,\n").encode("latin-1"), url="x", content_type=None)
    assert latin.series[0].key == "sdmx.F.M.Zürich" and "by guessing" in latin.warnings[0]


@pytest.mark.parametrize(("label", "expected"), [
    ("2024", Period(dt.date(2024, 1, 1), "A")), (2024, Period(dt.date(2024, 1, 1), "A")),
    ("2024Q3", Period(dt.date(2024, 7, 1), "Q")), ("2024-Q1", Period(dt.date(2024, 1, 1), "Q")),
    ("2024M01", Period(dt.date(2024, 1, 1), "M")), ("2024-M11", Period(dt.date(2024, 11, 1), "M")),
    ("2024-01", Period(dt.date(2024, 1, 1), "M")), ("2024-W05", Period(dt.date(2024, 1, 29), "W")),
    ("2024-01-15", Period(dt.date(2024, 1, 15), "D")), ("2024-S2", Period(dt.date(2024, 7, 1), "S")),
    ("2024-13", None), ("2023-02-30", None), ("2024-W60", None), ("24", None), ("", None), (None, None),
    ("9999", None), ("0001-Q1", None), ("9999-12-31", None),
])
def test_period_labels(label: object, expected: Period | None) -> None:
    assert parse_period(label) == expected


@pytest.mark.parametrize(("code", "section"), [
    ("C", "C"), ("C10", "C"), ("C10-C12", "C"), ("C10_C11", "C"), ("G47", "G"), ("B-D", None),
    ("B-E", None), ("MIG_ING", None), ("TOTAL", None), ("", None), (None, None),
])
def test_nace_codes_map_to_their_section(code: str | None, section: str | None) -> None:
    assert nace_section(code) == section


@pytest.mark.parametrize(("kind", "options", "message"), [
    ("worldbank", {"industry": "CC"}, "option 'industry': 'CC' is not an ISIC Rev.4 section letter (A-U)"),
    ("worldbank", {"indicator_unit": ["percent"]}, "option 'indicator_unit': must be text, not a list"),
    ("worldbank", {"indicator_unit": {"NY.GDP": None}}, "option 'indicator_unit': must be text, not empty"),
    ("worldbank", {"unit_labels": {"I21": "index"}}, "option 'unit_labels': unknown option "
                                                      "(known: indicator_unit, industry, source)"),
    ("sdmx_csv", {"unit_labels": ["I21"]}, "option 'unit_labels': must be a mapping, not a list"),
    ("sdmx_csv", {"unit_labels": {"I21": ["a"]}}, "option 'unit_labels[I21]': must be text, not a list"),
    ("sdmx_csv", {"indicator_unit": "percent"}, "option 'indicator_unit': unknown option (known: dataset_name, "
                                                "industry, industry_column, source, unit, unit_column, unit_labels)"),
])
def test_options_are_checked_when_the_channel_starts(kind: str, options: dict[str, object], message: str) -> None:
    source = {"worldbank": WorldBankSource, "sdmx_csv": SdmxCsvSource}[kind]
    with pytest.raises(ConfigError) as error:
        source(ChannelConfig(name="stats", kind=kind, urls=(), options=options))
    assert str(error.value) == f"channel 'stats' ({kind}): {message}"


def test_max_follow_is_the_channels_own_or_the_page_limit() -> None:
    unset = ChannelConfig(name="wb", kind="worldbank", urls=())
    assert WorldBankSource(unset, Limits(max_pages=7)).max_follow == 7
    own = ChannelConfig(name="wb", kind="worldbank", urls=(), max_follow=3)
    assert WorldBankSource(own, Limits(max_pages=7)).max_follow == 3
    assert WorldBankSource(unset).max_follow == Limits().max_pages
    numbers = WorldBankSource(ChannelConfig(name="wb", kind="worldbank", urls=(), options={"source": 2024}))
    assert numbers.source == "2024"


def test_the_snapshot_fragment_gathers_offline_following_page_files(engine: Engine) -> None:
    channels = {c.name: c for c in load_channels(SNAPSHOT / "channels.fragment.yaml")}
    configure(engine, *channels.values())
    results = {name: gather_channel(engine, c, make_transport(), now=DAY) for name, c in channels.items()}
    assert {name: (r.status, r.fetched, r.new) for name, r in results.items()} == {
        "worldbank-us-gdp-growth": ("ok", 3, 49), "eurostat-sts-intv-elec-equip": ("ok", 1, 257)}
    again = gather_channel(engine, channels["worldbank-us-gdp-growth"], make_transport(), now=NEXT_DAY)
    assert again.new == 0 and again.unchanged == 1  # page 1 answers "not modified": nothing to follow


def test_a_page_count_of_a_billion_builds_only_the_pages_one_run_may_follow() -> None:
    """Regression: the full list of page URLs was built before the page cap applied."""
    meta = {"page": 1, "pages": 1_000_000_000, "per_page": 1, "total": 1_000_000_000}
    parsed = wb_parse([meta, [wb_record("2024", 1.0)]])
    assert len(parsed.follow) == Limits().max_pages
    assert parsed.follow[-1].endswith(f"page={Limits().max_pages + 1}")
    assert any("1000000000 pages; one run follows at most" in p for p in parsed.problems)
    assert wb_parse([{**meta, "pages": float("inf")}, [wb_record("2024", 1.0)]]).follow == []
