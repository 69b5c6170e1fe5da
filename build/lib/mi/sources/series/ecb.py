"""ECB euro foreign exchange reference rates: the daily XML and the history CSV.

Both publications describe the same series (EUR/USD, EUR/JPY, ...), so both produce the
keys ``ecb.eurofxref.{CUR}``: a history backfill and the daily updates land in one series.
"""
from __future__ import annotations

from dataclasses import replace

from lxml import etree

from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.reading.values import unpack
from mi.sources.series.collect import Catalog, Cell, RawRow, SeriesTable, SeriesTemplate, ValueRules, collect, failed
from mi.sources.series.tables import TableSpec, parse_series_table

ECB_NAMESPACE = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
ECB_SERIES = SeriesTemplate(
    key="ecb.eurofxref.{key}",
    name="EUR/{key} ECB reference rate",
    unit="{key} per EUR",
    source="ECB",
    frequency="B",  # published on TARGET business days
)
ECB_CATALOG = Catalog(template=ECB_SERIES)
ECB_RULES = ValueRules(date_format="%Y-%m-%d")
ECB_HISTORY_SPEC = TableSpec(catalog=ECB_CATALOG, date_columns=("Date",), rules=ECB_RULES)


def _xml_parser(recover: bool) -> etree.XMLParser:
    # The payload is untrusted: no DTDs, entities or network access while parsing it.
    # A fresh parser per call, because lxml parsers must not be shared between threads.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=recover)


def parse_ecb_xml(body: bytes, limits: Limits | None = None) -> SeriesTable:
    """Read eurofxref-daily.xml / eurofxref-hist-90d.xml (any number of time cubes)."""
    unpacked = unpack(body, limits)
    if unpacked.error:
        return failed(unpacked.error)
    if not unpacked.data.strip():
        return failed("payload is empty")
    try:
        return _read_envelope(etree.fromstring(unpacked.data, _xml_parser(recover=False)))
    except etree.XMLSyntaxError as exc:
        broken = f"XML is not well-formed: {exc}"
    # A cut-off download still holds correct rates up to the break: keep them, flag fatal.
    try:
        root = etree.fromstring(unpacked.data, _xml_parser(recover=True))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return failed(broken)
    table = _read_envelope(root)
    return replace(table, fatal=broken if table.observations else table.fatal or broken)


def _read_envelope(root: etree._Element) -> SeriesTable:
    if _local_name(root) != "Envelope":
        return failed(f"not ECB reference-rate XML: root element is {_tag_name(root)}")
    days = [cube for cube in root.iter(f"{{{ECB_NAMESPACE}}}Cube") if cube.get("time") is not None]
    if not days:
        return failed("not ECB reference-rate XML: no <Cube time=...> elements")
    return collect((_day_row(cube) for cube in days), ECB_CATALOG, ECB_RULES)


def _local_name(element: etree._Element) -> str | None:
    # Plain string work: a tree recovered from broken XML can carry tag names (an
    # undeclared "gesmes:Envelope") that lxml's QName refuses.
    if not isinstance(element.tag, str):
        return None
    return element.tag.rpartition("}")[2].rpartition(":")[2]


def _tag_name(root: etree._Element) -> str:
    name = _local_name(root)
    return f"<{name}>" if name is not None else "not an element"


def _day_row(day: etree._Element) -> RawRow:
    cells = tuple(
        Cell(rate.get("currency", "").strip(), f"currency {rate.get('currency', '?')}", rate.get("rate"))
        for rate in day.iterchildren(f"{{{ECB_NAMESPACE}}}Cube")
    )
    return RawRow(f"line {day.sourceline}", "attribute time", day.get("time"), cells)


class EcbDailySource(BaseSource):
    """eurofxref-daily.xml (today's rates) or eurofxref-hist-90d.xml (the last 90 days)."""

    kind = "ecb_daily"
    accepted_content_types = ("xml",)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_ecb_xml(body, self.limits).to_parse_result()


class EcbHistorySource(BaseSource):
    """eurofxref-hist.zip / .csv: every reference rate since 1999, newest row first.

    Currencies that left the list (CYP, EEK, ...) or joined it late read ``N/A``; those
    cells are counted as missing, and the trailing empty column the ECB writes is ignored.
    """

    kind = "ecb_history"
    accepted_content_types = ("csv", "zip", "octet-stream", "text/plain")

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_series_table(body, ECB_HISTORY_SPEC, limits=self.limits,
                                  content_type=content_type).to_parse_result()
