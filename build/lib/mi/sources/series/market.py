"""Market-series channel kinds: FRED CSV, generic CSV and JSON series (the ECB ones live in ``ecb``).

A channel's options are validated into its kind's ``Options`` model when the channel file
is loaded and when the source is built, so a misconfigured channel fails at start-up with
its name and the option; ``parse`` itself never raises.

Options (besides the common keys, ``mi.records.channels.COMMON_KEYS``):

* every series kind: ``series_key``, ``series_name``, ``unit`` (templates: ``{key}`` /
  ``{column}`` / ``{series_id}`` stand for the column or key value, ``{slug}`` for its
  lower-case slug), ``frequency`` (D/B/W/M/Q/A; inferred from the dates when absent),
  ``industry`` (ISIC section letter), ``source``, ``missing`` (a list of extra missing
  markers), ``date_format`` (strptime; otherwise ISO, US m/d/Y, Jan-1-1995, ... are
  recognised), ``decimal`` ('.' or ','), ``zero_means_missing`` (yes/no, or a list of
  columns or keys). ``fred_csv`` takes only these.
* ``series_csv``: ``date_column``, ``columns`` (column -> key string or mapping with
  key/name/unit/frequency/industry/source/zero_means_missing; or a list of columns),
  ``long_format`` (key_column, value_column, optional key/name/unit/frequency/industry
  templates), ``delimiter`` (one character, tab/comma/semicolon/pipe, or auto).
* ``series_json``: ``records_path`` (dotted), ``date_field`` (default date),
  ``value_field`` (default value), ``key_field`` (one series per key; default one series).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainValidator

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.options import (
    ChannelOptions,
    DelimiterOrAuto,
    Flag,
    Frequency,
    Name,
    Section,
    Text,
    bad_value,
    text,
    what_is,
)
from mi.sources.series.collect import DEFAULT_MISSING, Catalog, SeriesSpec, SeriesTemplate, ValueRules, fill
from mi.sources.series.json_series import SINGLE_SERIES, JsonSpec, parse_series_json
from mi.sources.series.tables import LongFormat, TableSpec, parse_series_table

CSV_CONTENT_TYPES = ("csv", "text/plain", "zip", "gzip", "octet-stream")
JSON_CONTENT_TYPES = ("json", "text/plain", "javascript")


def _zeros(value: Any) -> bool | frozenset[str]:
    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return frozenset(text(item) for item in value)
    raise bad_value("must be yes/no or a list of columns, not {what}", what=what_is(value))


def _listed_columns(value: Any) -> Any:
    """``columns`` as a mapping column -> settings: a listed column or a bare key string
    becomes the settings it stands for."""
    if isinstance(value, list):
        value = {text(column): None for column in value}
    if not isinstance(value, Mapping):
        raise bad_value("must be a mapping of column -> series settings, or a list of columns, not {what}",
                        what=what_is(value))
    return {ident: _column_settings(ident, entry) for ident, entry in value.items()}


def _column_settings(ident: Any, entry: Any) -> Any:
    if entry is None:
        return {}
    if isinstance(entry, str):
        return {"key": entry}
    if isinstance(entry, Mapping):
        return entry
    raise bad_value("column {column!r} needs a series key or a mapping of settings, not {what}",
                    column=ident, what=what_is(entry))


#: yes/no for every series, or the columns (or keys) whose trailing zeros are not yet published.
ZeroMeansMissing = Annotated[bool | frozenset[str], PlainValidator(_zeros)]


class SeriesOptions(ChannelOptions):
    """What every series kind reads: its series' metadata and how its values are written."""

    series_key: Text | None = None
    series_name: Text | None = None  # not "name": that is the channel's own name
    unit: Text | None = None
    source: Text | None = None
    frequency: Frequency | None = None
    industry: Section | None = None
    zero_means_missing: ZeroMeansMissing = False
    missing: tuple[Text, ...] = ()
    date_format: Text | None = None
    decimal: Literal[".", ","] = "."


class SeriesColumn(ChannelOptions):
    """A listed column's own settings, over the channel's."""

    key: Text | None = None
    name: Text | None = None
    unit: Text | None = None
    source: Text | None = None
    frequency: Frequency | None = None
    industry: Section | None = None
    zero_means_missing: Flag = False


class LongFormatOptions(ChannelOptions):
    """A long table: one column names the series, another holds its value."""

    key_column: Name
    value_column: Name
    key: Text | None = None
    name: Text | None = None
    unit: Text | None = None
    frequency: Frequency | None = None
    industry: Section | None = None


class SeriesCsvOptions(SeriesOptions):
    date_column: Text | None = None
    columns: Annotated[dict[Text, SeriesColumn], BeforeValidator(_listed_columns)] = {}
    long_format: LongFormatOptions | None = None
    delimiter: DelimiterOrAuto = None


class SeriesJsonOptions(SeriesOptions):
    records_path: Text | None = None
    date_field: Text = "date"
    value_field: Text = "value"
    key_field: Text | None = None


def _rules(options: SeriesOptions) -> ValueRules:
    extra = {marker.strip().casefold() for marker in options.missing}
    return ValueRules(missing=DEFAULT_MISSING | extra, decimal=options.decimal, date_format=options.date_format)


def _template(channel: str, options: SeriesOptions, default_key: str, default_name: str = "{key}",
              default_source: str | None = None) -> SeriesTemplate:
    """Series metadata from the channel's top-level options."""
    return SeriesTemplate(
        key=options.series_key or default_key,
        name=options.series_name or default_name,
        unit=options.unit or "",
        source=options.source or default_source or channel,
        frequency=options.frequency,
        industry=options.industry,
        zero_means_missing=options.zero_means_missing,
    )


def _column_spec(ident: str, column: SeriesColumn, base: SeriesTemplate) -> SeriesSpec:
    """A listed column's series: the settings it gives over the channel defaults."""
    spec = base.spec_for(ident)
    given = {name: getattr(column, name) for name in column.model_fields_set}
    for name in ("key", "name", "unit", "source"):
        if name in given:
            given[name] = fill(given[name] or "", ident)
    return replace(spec, **given)


def _long_format(layout: LongFormatOptions, base: SeriesTemplate) -> tuple[LongFormat, SeriesTemplate]:
    """The long-format layout and the template for its keys."""
    overrides: dict[str, Any] = {name: getattr(layout, name) or "" for name in ("key", "name", "unit")
                                 if name in layout.model_fields_set}
    overrides |= {name: getattr(layout, name) for name in ("frequency", "industry") if name in layout.model_fields_set}
    return LongFormat(layout.key_column, layout.value_column), replace(base, **overrides)


def csv_table_spec(channel: str, options: SeriesCsvOptions) -> TableSpec:
    """The ``series_csv`` reading of a channel's options."""
    base = _template(channel, options, default_key=f"{channel}.{{slug}}")
    layout, keyed = None, False
    if options.long_format is not None:
        layout, base = _long_format(options.long_format, base)
        keyed = "key" in options.long_format.model_fields_set
    listed = {ident: _column_spec(ident, column, base) for ident, column in options.columns.items()}
    # Listing columns restricts the load to them, unless a long-format key template says
    # "every key" and the list only refines some of them.
    catalog = Catalog(listed, base if keyed or not listed else None)
    return TableSpec(catalog=catalog, date_columns=(options.date_column,) if options.date_column else (),
                     long_format=layout, rules=_rules(options), delimiter=options.delimiter)


def fred_table_spec(channel: str, options: SeriesOptions) -> TableSpec:
    """FRED graph CSV: ``observation_date`` (``DATE`` in older downloads), then one column per series id."""
    template = _template(channel, options, default_key="fred.{series_id}", default_name="{series_id}",
                         default_source="FRED")
    return TableSpec(catalog=Catalog(template=template), date_columns=("observation_date", "DATE"),
                     rules=_rules(options))


def json_spec(channel: str, options: SeriesJsonOptions) -> JsonSpec:
    key_field = options.key_field
    default_key = f"{channel}.{{slug}}" if key_field else channel
    template = _template(channel, options, default_key=default_key, default_name="{key}" if key_field else channel)
    catalog = Catalog(template=template) if key_field else Catalog({SINGLE_SERIES: template.spec_for(channel)})
    path = options.records_path or ""
    return JsonSpec(
        catalog=catalog, records_path=tuple(part for part in path.split(".") if part),
        date_field=options.date_field or "date", value_field=options.value_field or "value",
        key_field=key_field, rules=_rules(options),
    )


class FredCsvSource(BaseSource):
    """fredgraph.csv?id=SERIES: ``.`` marks days without a value (US holidays)."""

    kind = "fred_csv"
    accepted_content_types = CSV_CONTENT_TYPES
    Options = SeriesOptions
    options: SeriesOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.spec = fred_table_spec(config.name, self.options)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_series_table(body, self.spec, limits=self.limits, content_type=content_type).to_parse_result()


class SeriesCsvSource(BaseSource):
    """Any dated CSV, wide (one column per series) or long (a key column names the series)."""

    kind = "series_csv"
    accepted_content_types = CSV_CONTENT_TYPES
    Options = SeriesCsvOptions
    options: SeriesCsvOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.spec = csv_table_spec(config.name, self.options)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_series_table(body, self.spec, limits=self.limits, content_type=content_type).to_parse_result()


class SeriesJsonSource(BaseSource):
    """A JSON list of {date, value} records, e.g. the FRED or World Bank APIs."""

    kind = "series_json"
    accepted_content_types = JSON_CONTENT_TYPES
    Options = SeriesJsonOptions
    options: SeriesJsonOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.spec = json_spec(config.name, self.options)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_series_json(body, self.spec, limits=self.limits, content_type=content_type).to_parse_result()
