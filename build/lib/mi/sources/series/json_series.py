"""Reading JSON payloads that hold a list of observation records into series.

Covers the common API shapes: ``{"observations": [...]}`` (FRED API), ``{"data": [...]}``
and the World Bank's ``[meta, [records]]`` (records path ``"1"``). Each record is an
object; the date and value (and optionally the series key) are dotted field paths in it.
NaN and Infinity (which pandas writes) are missing values, like null; more records than
``max_rows`` stop the read after that many, and a field longer than ``max_field_chars``
sets its record aside.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from mi.records.limits import Limits
from mi.sources.reading.caps import field_too_long, limit_text
from mi.sources.reading.values import payload_text, read_json
from mi.sources.series.collect import Catalog, Cell, RawRow, SeriesTable, ValueRules, collect, failed

#: The catalog ident of the value in single-series payloads (no ``key_field``).
SINGLE_SERIES = "value"


@dataclass(frozen=True)
class JsonSpec:
    catalog: Catalog
    records_path: tuple[str, ...] = ()  # () : the document itself is the list
    date_field: str = "date"
    value_field: str = "value"
    key_field: str | None = None  # set: one series per distinct value of this field
    rules: ValueRules = ValueRules()


def parse_series_json(body: bytes, spec: JsonSpec, *, limits: Limits | None = None,
                      content_type: str | None = None) -> SeriesTable:
    limits = limits or Limits()
    loaded = payload_text(body, content_type=content_type, limits=limits)
    if loaded.error:
        return failed(loaded.error)
    notes = {"warnings": list(loaded.warnings)}
    try:
        document = read_json(loaded.text.lstrip("\ufeff"))
    except (ValueError, RecursionError) as exc:
        return replace(failed(f"payload is not JSON: {exc}"), **notes)
    records = _records(document, spec.records_path)
    if isinstance(records, str):
        return replace(failed(f"{records} (payload starts {loaded.text.strip()[:120]!r})"), **notes)
    rows = (_row(number, record, spec, limits) for number, record in enumerate(records[:limits.max_rows], start=1))
    table = collect(rows, spec.catalog, spec.rules)
    table = replace(table, problems=[*loaded.problems, *table.problems], **notes)
    if not table.observations and table.fatal is None and records and not _any_has(records, spec.value_field):
        # Every value "missing" because no record has the field: the wrong payload, or the
        # wrong value_field, not a publication of gaps.
        return replace(table, fatal=f"no record has a field {spec.value_field!r} (first record: "
                                    f"{_show_record(records[0])})")
    if len(records) > limits.max_rows:
        return replace(table, fatal=f"more than {limit_text(limits, 'max_rows')} records; record "
                                    f"{limits.max_rows + 1} and the records after it were not read")
    return table


def _records(document: object, path: tuple[str, ...]) -> list[object] | str:
    """The list at ``path``, or a message saying where the path broke off."""
    node, walked = document, "the document"
    for depth, part in enumerate(path, start=1):
        node = _step(node, part)
        walked = f"records_path {'.'.join(path[:depth])!r}"
        if node is _ABSENT:
            return f"{walked}: no such item"
    if not isinstance(node, list):
        return f"{walked} is {type(node).__name__ if node is not None else 'null'}, not a list of records"
    return node


_ABSENT = object()


def _step(node: object, part: str) -> object:
    if isinstance(node, dict):
        return node.get(part, _ABSENT)
    if isinstance(node, list) and part.lstrip("-").isdigit():
        index = int(part)
        return node[index] if -len(node) <= index < len(node) else _ABSENT
    return _ABSENT


def _any_has(records: list[object], dotted: str) -> bool:
    return any(isinstance(record, dict) and _field(record, dotted, _ABSENT) is not _ABSENT for record in records)


def _show_record(record: object) -> str:
    text = repr(record)
    return text if len(text) <= 120 else text[:117] + "..."


def _field(record: dict[str, object], dotted: str, absent: object = None) -> object:
    node: object = record
    for part in dotted.split("."):
        node = _step(node, part)
        if node is _ABSENT:
            return absent
    return node


def _row(number: int, record: object, spec: JsonSpec, limits: Limits) -> RawRow:
    where, date_label = f"record {number}", f"field {spec.date_field}"
    if not isinstance(record, dict):
        return RawRow(where, date_label, None, problem=f"{where}: not an object")
    for name in (spec.date_field, spec.value_field, spec.key_field):
        value = _field(record, name) if name else None
        if isinstance(value, str) and len(value) > limits.max_field_chars:
            return RawRow(where, date_label, None, problem=f"{where}: {field_too_long(0, len(value), limits, name)}")
    label = f"field {spec.value_field}"
    ident = SINGLE_SERIES
    if spec.key_field:
        key = _field(record, spec.key_field)
        ident = "" if key is None or isinstance(key, (dict, list)) else str(key).strip()
        label += f" ({ident})" if ident else ""
    value = _field(record, spec.value_field)
    return RawRow(where, date_label, _field(record, spec.date_field), (Cell(ident, label, value),))
