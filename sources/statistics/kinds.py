"""Industry statistics: the World Bank indicators API and SDMX-CSV (Eurostat, OECD).

Both kinds produce series and observations; the gathering code loads them with the fetch
date as vintage, so a publisher's revision adds a row and the earlier value stays.

Options (besides the common keys, ``mi.records.channels.COMMON_KEYS``), validated into
each kind's ``Options`` model when the channel file is loaded and the source is built:

* ``worldbank``: ``indicator_unit`` (text, or a mapping indicator id -> unit; the API's
  own ``unit`` field is nearly always empty), ``industry`` (ISIC Rev.4 section letter the
  indicator describes), ``source`` (default "World Bank"). The common ``max_follow``
  bounds the further pages one run reads (default: the ``max_pages`` limit).
* ``sdmx_csv``: ``industry_column`` (default ``nace_r2``; NACE Rev.2 codes whose section
  letter becomes the series' industry), ``industry`` (used where that column is absent or
  names no single section), ``unit_column`` (default ``unit``), ``unit_labels`` (mapping
  unit code -> readable unit), ``unit`` (used without a unit column), ``dataset_name``
  (readable prefix of the series names), ``source`` (default: the agency, e.g. "ESTAT").
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

from pydantic import PlainValidator

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.records.series import ObservationRecord, SeriesRecord
from mi.sources.base import BaseSource
from mi.sources.options import ChannelOptions, Section, Text, TextMap, text
from mi.sources.reading.caps import field_too_long, limit_text
from mi.sources.reading.csvrows import read_records
from mi.sources.reading.values import PayloadText, payload_text, read_json, to_number
from mi.sources.statistics.pagination import page_links_for
from mi.sources.statistics.periods import nace_section, parse_period

JSON_CONTENT_TYPES = ("json", "text/plain", "javascript")
# Eurostat answers application/vnd.sdmx.data+csv; gzip when asked for compression.
CSV_CONTENT_TYPES = ("csv", "text/plain", "octet-stream", "gzip", "zip")
MAX_LISTED_PROBLEMS = 100


def _units(value: Any) -> str | dict[str, str]:
    if isinstance(value, Mapping):
        return {text(indicator): text(unit) for indicator, unit in value.items()}
    return text(value)


#: One unit for every indicator, or a mapping indicator id -> unit.
IndicatorUnit = Annotated[str | dict[str, str], PlainValidator(_units)]


class WorldBankOptions(ChannelOptions):
    indicator_unit: IndicatorUnit | None = None
    industry: Section | None = None
    source: Text = "World Bank"


class SdmxCsvOptions(ChannelOptions):
    industry_column: Text = "nace_r2"
    industry: Section | None = None
    unit_column: Text = "unit"
    unit_labels: TextMap = {}
    unit: Text | None = None
    dataset_name: Text | None = None
    source: Text | None = None


@dataclass
class _Collector:
    """Series and observations of one payload, with the checks every format shares.

    Mutable on purpose: it accumulates while one payload is read, then hands out a frozen
    ``ParseResult``."""

    series: dict[str, SeriesRecord] = field(default_factory=dict)
    observations: dict[tuple[str, dt.date], ObservationRecord] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # a guessed character encoding
    dropped_problems: int = 0
    rows: int = 0  # data rows read, gaps included

    @classmethod
    def of(cls, loaded: PayloadText) -> _Collector:
        """A collector that starts with what decoding the payload had to say."""
        return cls(problems=list(loaded.problems), warnings=list(loaded.warnings))

    def problem(self, message: str) -> None:
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(message)
        else:
            self.dropped_problems += 1

    def add(self, where: str, series: SeriesRecord, label: object, raw_value: object) -> None:
        self.rows += 1
        period = parse_period(label)
        if period is None:
            self.problem(f"{where}: period {label!r} is not a year, half-year, quarter, month, week or day")
            return
        if raw_value is None or (isinstance(raw_value, str) and raw_value.strip() in ("", ":", "NaN")):
            return  # not published (yet): a gap, not a value
        value = to_number(raw_value)
        if value is None:
            self.problem(f"{where}: value {raw_value!r} is not a number")
            return
        known = self.series.setdefault(series.key, replace(series, frequency=period.frequency))
        if known.frequency != period.frequency:
            self.problem(f"{where}: period {label!r} does not fit the {known.frequency} series {series.key}")
            return
        if (series.key, period.start) in self.observations:
            self.problem(f"{where}: {series.key} {label} is listed twice; the first value is kept")
            return
        self.observations[(series.key, period.start)] = ObservationRecord(series.key, period.start, value)

    def result(self, *, fatal: str | None = None, follow: Iterable[str] = ()) -> ParseResult:
        problems = list(self.problems)
        if self.dropped_problems:
            problems.append(f"... and {self.dropped_problems} more problems")
        if fatal is None and not self.rows and not problems:
            # A page of gaps only is fine (years not yet published); no rows at all is not.
            fatal = "the payload holds no observation rows"
        return ParseResult(series=list(self.series.values()), observations=list(self.observations.values()),
                           problems=problems, warnings=list(self.warnings), fatal=fatal, follow=list(follow))


def _document(loaded: PayloadText) -> tuple[Any, str | None]:
    """The JSON document (NaN and Infinity read as null, i.e. not published), or why not."""
    if loaded.error:
        return None, loaded.error
    try:
        return read_json(loaded.text.lstrip("\ufeff")), None
    except (ValueError, RecursionError) as exc:
        return None, f"payload is not JSON: {exc} (starts {loaded.text.strip()[:80]!r})"


def _strings(node: Any, depth: int = 0) -> list[str]:
    """The text values of a record and of the objects in it (the World Bank nests one level)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict) and depth < 2:
        return [text for value in node.values() for text in _strings(value, depth + 1)]
    return []


# -- World Bank -------------------------------------------------------------------------

def worldbank_error(document: Any) -> str | None:
    """The API's own error message (it answers HTTP 200 with ``[{"message": [...]}]``)."""
    head = document[0] if isinstance(document, list) and document else document
    if not isinstance(head, dict) or "message" not in head:
        return None
    messages = head["message"] if isinstance(head["message"], list) else [head["message"]]
    parts = []
    for message in messages:
        if not isinstance(message, dict):
            parts.append(str(message))
            continue
        head = " ".join(str(message[k]) for k in ("id", "key") if message.get(k))
        text = str(message.get("value") or "")
        parts.append(f"{head}: {text}" if head and text else head or text)
    return "World Bank API error " + "; ".join(p for p in parts if p)


def _label(node: Any, field_name: str) -> str:
    value = node.get(field_name) if isinstance(node, dict) else None
    return str(value).strip() if value is not None else ""


class WorldBankSource(BaseSource):
    """``/v2/country/{countries}/indicator/{id}?format=json``: ``[meta, records]`` per page."""

    kind = "worldbank"
    accepted_content_types = JSON_CONTENT_TYPES
    Options = WorldBankOptions
    options: WorldBankOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        unit = self.options.indicator_unit
        self.units = unit if isinstance(unit, dict) else {}
        self.default_unit = unit if isinstance(unit, str) else ""
        self.industry = self.options.industry
        self.source = self.options.source or "World Bank"
        self.max_follow = config.pages_to_follow(self.limits)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        loaded = payload_text(body, content_type=content_type, limits=self.limits)
        document, error = _document(loaded)
        warnings = list(loaded.warnings)
        if error:
            return ParseResult(fatal=error, warnings=warnings)
        if message := worldbank_error(document):
            return ParseResult(fatal=message, warnings=warnings)
        if not (isinstance(document, list) and len(document) == 2 and isinstance(document[0], dict)):
            return ParseResult(fatal="not a World Bank API response: expected [metadata, records]", warnings=warnings)
        meta, records = document
        collector = _Collector.of(loaded)
        if records is None:  # what the API sends for a valid query without data
            return collector.result(fatal=f"the API has no data for this query (total {meta.get('total')!r})")
        if not isinstance(records, list):
            return collector.result(fatal="not a World Bank API response: the records are not a list")
        for number, record in enumerate(records[:self.limits.max_rows], start=1):
            self._record(collector, f"record {number}", record)
        if len(records) > self.limits.max_rows:
            return collector.result(fatal=f"more than {limit_text(self.limits, 'max_rows')} records; record "
                                          f"{self.limits.max_rows + 1} and the records after it were not read")
        return collector.result(follow=self._follow(url, meta, collector))

    def _record(self, collector: _Collector, where: str, record: Any) -> None:
        if not isinstance(record, dict):
            collector.problem(f"{where}: not an object")
            return
        if long := next((text for text in _strings(record) if len(text) > self.limits.max_field_chars), None):
            collector.problem(f"{where}: {field_too_long(0, len(long), self.limits, 'a text field')}")
            return
        indicator = _label(record.get("indicator"), "id")
        country = _label(record, "countryiso3code") or _label(record.get("country"), "id")
        if not indicator or not country:
            collector.problem(f"{where}: no indicator id or country code")
            return
        indicator_name = _label(record.get("indicator"), "value") or indicator
        name = f"{indicator_name}: {_label(record.get('country'), 'value') or country}"
        unit = self.units.get(indicator, self.default_unit) or _label(record, "unit")
        series = SeriesRecord(key=f"wb.{indicator}.{country}", name=name, unit=unit, frequency="",
                              source=self.source, industry=self.industry)
        collector.add(f"{where} ({indicator} {country})", series, record.get("date"), record.get("value"))

    def _follow(self, url: str, meta: dict[str, Any], collector: _Collector) -> list[str]:
        """Page 1 names every further page; later pages add nothing (the queue would dedupe anyway)."""
        page, pages = to_number(meta.get("page")), to_number(meta.get("pages"))
        if page != 1 or pages is None or pages <= 1:
            return []
        if not math.isfinite(pages):
            collector.problem(f"the API reports {pages} pages; only page 1 was read")
            return []
        links = page_links_for(url)
        # A payload may claim any number of pages (a billion): links are built only for the
        # pages one run may follow, and what is left is said, not lost silently.
        wanted = min(int(pages), 1 + self.max_follow)
        follow = [link for number in range(2, wanted + 1) if (link := links.page(url, number))]
        if len(follow) < wanted - 1:
            collector.problem(f"the API reports {int(pages)} pages, but {url!r} has no page number to "
                              f"change; only page 1 was read")
        elif int(pages) - 1 > self.max_follow:
            collector.problem(f"the API reports {int(pages)} pages; one run follows at most {self.max_follow} "
                              f"(max_follow, MI_LIMIT_MAX_PAGES): raise per_page in the URL")
        return follow


# -- SDMX-CSV ---------------------------------------------------------------------------

#: Columns before TIME_PERIOD that are not dimensions (SDMX-CSV 1.0 and 2.0 headers).
_NOT_DIMENSIONS = frozenset({"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"})
_FLOW = re.compile(r"(?:(?P<agency>[^:]+):)?(?P<id>[^(]+?)(?:\((?P<version>[^)]*)\))?")


def dataflow_id(reference: str) -> tuple[str, str]:
    """``ESTAT:STS_INPR_M(1.0)`` -> (``ESTAT``, ``STS_INPR_M``); the version is dropped so a
    new version of the same dataflow continues the same series."""
    match = _FLOW.fullmatch(reference.strip())
    if not match:
        return "", reference.strip()
    return (match["agency"] or "").strip(), match["id"].strip()


class SdmxCsvSource(BaseSource):
    """SDMX-CSV: dimension columns, then TIME_PERIOD, OBS_VALUE and attributes (OBS_FLAG, ...)."""

    kind = "sdmx_csv"
    accepted_content_types = CSV_CONTENT_TYPES
    Options = SdmxCsvOptions
    options: SdmxCsvOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.industry_column = self.options.industry_column or "nace_r2"
        self.unit_column = self.options.unit_column or "unit"
        self.unit_labels = self.options.unit_labels
        self.default_unit = self.options.unit or ""
        self.industry = self.options.industry
        self.dataset_name = self.options.dataset_name
        self.source = self.options.source

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        loaded = payload_text(body, content_type=content_type, limits=self.limits)
        if loaded.error:
            return ParseResult(fatal=loaded.error)
        read = read_records(loaded.text, ",", self.limits)
        header = [cell.strip() for cell in read.rows[0].cells] if read.rows else []
        if "TIME_PERIOD" not in header or "OBS_VALUE" not in header:
            return ParseResult(fatal="not SDMX-CSV: the header has no TIME_PERIOD and OBS_VALUE columns "
                                     f"(starts {loaded.text.strip()[:80]!r})")
        flow_column = next((c for c in ("DATAFLOW", "STRUCTURE_ID") if c in header), None)
        if flow_column is None:
            return ParseResult(fatal="not SDMX-CSV: the header has no DATAFLOW or STRUCTURE_ID column")
        time_at, value_at, flow_at = header.index("TIME_PERIOD"), header.index("OBS_VALUE"), header.index(flow_column)
        # An unnamed column is no dimension: pandas writes its index (row numbers or dates)
        # first with an empty header cell, and taking it as one would make every row a series.
        dimensions = [(at, name) for at, name in enumerate(header[:time_at]) if name and name not in _NOT_DIMENSIONS]
        collector = _Collector.of(loaded)
        for record in read.rows[1:]:
            line, row = record.line, record.cells
            if record.problem:
                collector.problem(f"line {line}: {record.problem}")
                continue
            if len(row) < len(header):
                collector.problem(f"line {line}: {len(row)} cells where the header has {len(header)}")
                continue
            series = self._series(row[flow_at], {name: row[at].strip() for at, name in dimensions})
            collector.add(f"line {line}", series, row[time_at], row[value_at])
        return collector.result(fatal=read.error)  # a reader break keeps the rows before it

    def _series(self, flow: str, dims: dict[str, str]) -> SeriesRecord:
        agency, flow_id = dataflow_id(flow)
        unit_code = dims.get(self.unit_column)
        unit = self.unit_labels.get(unit_code, unit_code) if unit_code else self.default_unit
        return SeriesRecord(
            key=".".join(["sdmx", flow_id, *dims.values()]),
            name=f"{self.dataset_name or flow_id}: " + ", ".join(f"{k}={v}" for k, v in dims.items()),
            unit=unit or "", frequency="", source=self.source or agency or "SDMX",
            industry=nace_section(dims.get(self.industry_column)) or self.industry,
        )
