"""Market-series channel kinds: ECB reference rates, FRED CSV, generic CSV and JSON series.

Importing this module registers every market kind (the ECB ones live in ``ecb``). The
options of a channel are read and checked when the source is built, so a misconfigured
channel fails at start-up with its name; ``parse`` itself never raises.

Options (besides the common ``name``/``kind``/``url``/``industry_hints``/``enabled``):

* every series kind: ``series_key``, ``series_name``, ``unit`` (templates: ``{key}`` /
  ``{column}`` / ``{series_id}`` stand for the column or key value, ``{slug}`` for its
  lower-case slug), ``frequency`` (D/B/W/M/Q/A; inferred from the dates when absent),
  ``industry`` (ISIC section letter), ``source``, ``missing`` (extra missing markers),
  ``date_format`` (strptime; otherwise ISO, US m/d/Y, Jan-1-1995, ... are recognised).
* ``series_csv``: ``date_column``, ``columns`` (column -> key string or mapping with
  key/name/unit/frequency/industry/source/zero_means_missing), ``long_format``
  (key_column, value_column, optional key/name/unit/frequency/industry templates),
  ``zero_means_missing`` (bool or list of columns), ``delimiter``, ``decimal``.
* ``series_json``: ``records_path``, ``date_field``, ``value_field``, ``key_field``,
  ``zero_means_missing``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.records.series import FREQUENCIES
from mi.sources.base import BaseSource
from mi.sources.series.collect import DEFAULT_MISSING, Catalog, SeriesSpec, SeriesTemplate, ValueRules, fill
from mi.sources.series.json_series import SINGLE_SERIES, JsonSpec, parse_series_json
from mi.sources.series.tables import LongFormat, TableSpec, parse_series_table

CSV_CONTENT_TYPES = ("csv", "text/plain", "zip", "gzip", "octet-stream")
JSON_CONTENT_TYPES = ("json", "text/plain", "javascript")
_SERIES_FIELDS = {"key", "name", "unit", "frequency", "industry", "source", "zero_means_missing"}
_LONG_FIELDS = {"key_column", "value_column", "key", "name", "unit", "frequency", "industry"}
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


class ChannelOptionError(ValueError):
    pass


def _fail(config: ChannelConfig, message: str) -> ChannelOptionError:
    return ChannelOptionError(f"channel {config.name!r} ({config.kind}): {message}")


def _text(config: ChannelConfig, value: Any, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # YAML reads a bare 2020 or 1.5 as a number
    raise _fail(config, f"{what} must be text, not {type(value).__name__}")


def _frequency(config: ChannelConfig, value: Any, what: str = "frequency") -> str | None:
    frequency = _text(config, value, what)
    if frequency is not None and frequency not in FREQUENCIES:
        raise _fail(config, f"{what} {frequency!r} is not one of {', '.join(sorted(FREQUENCIES))}")
    return frequency


def _industry(config: ChannelConfig, value: Any, what: str = "industry") -> str | None:
    industry = _text(config, value, what)
    if industry is not None and not re.fullmatch(r"[A-U]", industry):
        raise _fail(config, f"{what} {industry!r} is not an ISIC Rev.4 section letter (A-U)")
    return industry


def _names(config: ChannelConfig, value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(config, f"{what} must be a list")
    return [_text(config, item, what) or "" for item in value]


def _rules(config: ChannelConfig) -> ValueRules:
    decimal = _text(config, config.option("decimal", "."), "decimal")
    if decimal not in (".", ","):
        raise _fail(config, f"decimal must be '.' or ',', not {decimal!r}")
    extra = {marker.strip().casefold() for marker in _names(config, config.option("missing"), "missing")}
    return ValueRules(missing=DEFAULT_MISSING | extra, decimal=decimal,
                      date_format=_text(config, config.option("date_format"), "date_format"))


def _zeros(config: ChannelConfig) -> bool | frozenset[str]:
    value = config.option("zero_means_missing", False)
    return value if isinstance(value, bool) else frozenset(_names(config, value, "zero_means_missing"))


def _template(config: ChannelConfig, default_key: str, default_name: str = "{key}",
              default_source: str | None = None) -> SeriesTemplate:
    """Series metadata from the channel's top-level options."""
    return SeriesTemplate(
        key=_text(config, config.option("series_key"), "series_key") or default_key,
        # Not "name": that key is the channel's own name in the channel file.
        name=_text(config, config.option("series_name"), "series_name") or default_name,
        unit=_text(config, config.option("unit"), "unit") or "",
        source=_text(config, config.option("source"), "source") or default_source or config.name,
        frequency=_frequency(config, config.option("frequency")),
        industry=_industry(config, config.option("industry")),
        zero_means_missing=_zeros(config),
    )


def _entry_spec(config: ChannelConfig, ident: str, entry: Any, base: SeriesTemplate) -> SeriesSpec:
    """A listed column's series: its own settings over the channel defaults."""
    spec, what = base.spec_for(ident), f"columns[{ident!r}]"
    if entry is None:
        return spec
    if isinstance(entry, str):
        return replace(spec, key=fill(entry, ident))
    if not isinstance(entry, Mapping):
        raise _fail(config, f"{what} must be a series key or a mapping")
    if unknown := set(entry) - _SERIES_FIELDS:
        raise _fail(config, f"{what} has unknown settings {sorted(unknown)} (known: {sorted(_SERIES_FIELDS)})")
    texts = {name: fill(_text(config, entry[name], f"{what}.{name}") or "", ident)
             for name in ("key", "name", "unit", "source") if name in entry}
    if "frequency" in entry:
        texts["frequency"] = _frequency(config, entry["frequency"], f"{what}.frequency")
    if "industry" in entry:
        texts["industry"] = _industry(config, entry["industry"], f"{what}.industry")
    spec = replace(spec, **texts)
    return replace(spec, zero_means_missing=bool(entry.get("zero_means_missing", spec.zero_means_missing)))


def _listed(config: ChannelConfig, base: SeriesTemplate) -> dict[str, SeriesSpec]:
    columns = config.option("columns")
    if columns is None:
        return {}
    if isinstance(columns, list):
        columns = {_text(config, name, "columns") or "": None for name in columns}
    if not isinstance(columns, Mapping):
        raise _fail(config, "columns must be a mapping of column -> series settings, or a list of columns")
    return {str(ident): _entry_spec(config, str(ident), entry, base) for ident, entry in columns.items()}


def _long_format(config: ChannelConfig, base: SeriesTemplate) -> tuple[LongFormat, SeriesTemplate, bool]:
    """The long-format layout, the template for its keys, and whether the template was set."""
    value = config.option("long_format")
    if not isinstance(value, Mapping) or not value.get("key_column") or not value.get("value_column"):
        raise _fail(config, "long_format must be a mapping with key_column and value_column")
    if unknown := set(value) - _LONG_FIELDS:
        raise _fail(config, f"long_format has unknown settings {sorted(unknown)} (known: {sorted(_LONG_FIELDS)})")
    layout = LongFormat(_text(config, value["key_column"], "long_format.key_column") or "",
                        _text(config, value["value_column"], "long_format.value_column") or "")
    overrides = {name: _text(config, value[name], f"long_format.{name}") or ""
                 for name in ("key", "name", "unit") if name in value}
    if "frequency" in value:
        overrides["frequency"] = _frequency(config, value["frequency"], "long_format.frequency")
    if "industry" in value:
        overrides["industry"] = _industry(config, value["industry"], "long_format.industry")
    return layout, replace(base, **overrides), "key" in value


def csv_table_spec(config: ChannelConfig) -> TableSpec:
    """The ``series_csv`` reading of a channel's options."""
    base = _template(config, default_key=f"{config.name}.{{slug}}")
    layout, keyed = None, False
    if config.option("long_format") is not None:
        layout, base, keyed = _long_format(config, base)
    listed = _listed(config, base)
    # Listing columns restricts the load to them, unless a long-format key template says
    # "every key" and the list only refines some of them.
    catalog = Catalog(listed, base if keyed or not listed else None)
    date_column = _text(config, config.option("date_column"), "date_column")
    return TableSpec(catalog=catalog, date_columns=(date_column,) if date_column else (),
                     long_format=layout, rules=_rules(config), delimiter=_delimiter(config))


def _delimiter(config: ChannelConfig) -> str | None:
    value = _text(config, config.option("delimiter"), "delimiter")
    if value is None or value == "auto":
        return None
    value = _DELIMITER_NAMES.get(value, value)
    if len(value) != 1:
        raise _fail(config, f"delimiter must be one character, 'tab' or 'auto', not {value!r}")
    return value


def fred_table_spec(config: ChannelConfig) -> TableSpec:
    """FRED graph CSV: ``observation_date`` (``DATE`` in older downloads), then one column per series id."""
    template = _template(config, default_key="fred.{series_id}", default_name="{series_id}",
                         default_source="FRED")
    return TableSpec(catalog=Catalog(template=template), date_columns=("observation_date", "DATE"),
                     rules=_rules(config))


def json_spec(config: ChannelConfig) -> JsonSpec:
    key_field = _text(config, config.option("key_field"), "key_field")
    default_key = f"{config.name}.{{slug}}" if key_field else config.name
    template = _template(config, default_key=default_key, default_name="{key}" if key_field else config.name)
    catalog = Catalog(template=template) if key_field else Catalog({SINGLE_SERIES: template.spec_for(config.name)})
    path = _text(config, config.option("records_path"), "records_path") or ""
    return JsonSpec(
        catalog=catalog, records_path=tuple(part for part in path.split(".") if part),
        date_field=_text(config, config.option("date_field"), "date_field") or "date",
        value_field=_text(config, config.option("value_field"), "value_field") or "value",
        key_field=key_field, rules=_rules(config),
    )


class FredCsvSource(BaseSource):
    """fredgraph.csv?id=SERIES: ``.`` marks days without a value (US holidays)."""

    kind = "fred_csv"
    accepted_content_types = CSV_CONTENT_TYPES

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.spec = fred_table_spec(config)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_series_table(body, self.spec, limits=self.limits, content_type=content_type).to_parse_result()


class SeriesCsvSource(BaseSource):
    """Any dated CSV, wide (one column per series) or long (a key column names the series)."""

    kind = "series_csv"
    accepted_content_types = CSV_CONTENT_TYPES

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.spec = csv_table_spec(config)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_series_table(body, self.spec, limits=self.limits, content_type=content_type).to_parse_result()


class SeriesJsonSource(BaseSource):
    """A JSON list of {date, value} records, e.g. the FRED or World Bank APIs."""

    kind = "series_json"
    accepted_content_types = JSON_CONTENT_TYPES

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.spec = json_spec(config)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return parse_series_json(body, self.spec, limits=self.limits, content_type=content_type).to_parse_result()
