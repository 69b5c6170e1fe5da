"""Reading JSON payloads that hold a list of observation records into series.

Covers the common API shapes: ``{"observations": [...]}`` (FRED API), ``{"data": [...]}``
and the World Bank's ``[meta, [records]]`` (records path ``"1"``). Each record is an
object; the date and value (and optionally the series key) are dotted field paths in it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from mi.sources.reading.values import payload_text
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


def parse_series_json(body: bytes, spec: JsonSpec) -> SeriesTable:
    loaded = payload_text(body)
    if loaded.error:
        return failed(loaded.error)
    try:
        document = json.loads(loaded.text)
    except (ValueError, RecursionError) as exc:
        return failed(f"payload is not JSON: {exc}")
    records = _records(document, spec.records_path)
    if isinstance(records, str):
        return failed(f"{records} (payload starts {loaded.text.strip()[:120]!r})")
    rows = (_row(number, record, spec) for number, record in enumerate(records, start=1))
    return collect(rows, spec.catalog, spec.rules)


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


def _field(record: dict[str, object], dotted: str) -> object:
    node: object = record
    for part in dotted.split("."):
        node = _step(node, part)
        if node is _ABSENT:
            return None
    return node


def _row(number: int, record: object, spec: JsonSpec) -> RawRow:
    where, date_label = f"record {number}", f"field {spec.date_field}"
    if not isinstance(record, dict):
        return RawRow(where, date_label, None, problem=f"{where}: not an object")
    label = f"field {spec.value_field}"
    ident = SINGLE_SERIES
    if spec.key_field:
        key = _field(record, spec.key_field)
        ident = "" if key is None or isinstance(key, (dict, list)) else str(key).strip()
        label += f" ({ident})" if ident else ""
    value = _field(record, spec.value_field)
    return RawRow(where, date_label, _field(record, spec.date_field), (Cell(ident, label, value),))
