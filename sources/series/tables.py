"""Reading CSV payloads (wide or long, plain or zipped) into series.

The header is checked against the configuration first, so a payload that lacks the
configured columns fails with their names; after that each record becomes a ``RawRow``
and ``series_collect.collect`` applies the value rules.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from mi.records.limits import Limits
from mi.sources.reading.csvrows import DELIMITERS, guess_delimiter, read_records
from mi.sources.reading.textrows import TextRow
from mi.sources.reading.values import parse_date, payload_text
from mi.sources.series.collect import (
    DEFAULT_MISSING,
    Catalog,
    Cell,
    RawRow,
    SeriesTable,
    SeriesTemplate,
    ValueRules,
    collect,
    failed,
)

__all__ = ["DELIMITERS", "LongFormat", "TableSpec", "index_holds_dates", "parse_series_table", "simple_table_spec"]

#: Rows looked at to tell whether an unnamed first column holds dates, and the share of
#: its non-empty cells that must read as dates.
INDEX_SAMPLE_ROWS = 200
INDEX_DATED_SHARE = 0.9
UNNAMED_FIRST = "the unnamed first column"


@dataclass(frozen=True)
class LongFormat:
    """One row per (date, key, value), like datahub's Date,Country,Exchange rate."""

    key_column: str
    value_column: str


@dataclass(frozen=True)
class TableSpec:
    catalog: Catalog
    #: Accepted names for the date column, first present wins; empty: the first column.
    date_columns: tuple[str, ...] = ()
    long_format: LongFormat | None = None
    rules: ValueRules = ValueRules()
    delimiter: str | None = None  # None: guessed from the header line


def parse_series_table(body: bytes, spec: TableSpec, *, limits: Limits | None = None,
                       content_type: str | None = None) -> SeriesTable:
    """Read a CSV payload (plain, zipped or gzipped) into series; never raises."""
    limits = limits or Limits()
    loaded = payload_text(body, content_type=content_type, limits=limits)
    if loaded.error:
        return failed(loaded.error)
    if loaded.text.lstrip().startswith("<"):
        return failed("payload is HTML or XML, not CSV")
    read = read_records(loaded.text, spec.delimiter or guess_delimiter(loaded.text), limits)
    notes = {"warnings": list(loaded.warnings)}
    if not read.rows:
        return replace(failed(read.error or "no header line"), **notes)
    if read.rows[0].problem:
        return replace(failed(f"header (line {read.rows[0].line}): {read.rows[0].problem}"), **notes)
    header = [name.strip() for name in read.rows[0].cells]
    layout = _layout(header, spec, read.rows[1:1 + INDEX_SAMPLE_ROWS])
    if isinstance(layout, str):
        return replace(failed(layout), **notes)
    table = collect(layout.rows(read.rows[1:]), spec.catalog, spec.rules)
    table = replace(table, problems=[*loaded.problems, *layout.header_problems, *table.problems], **notes)
    if read.error:  # the reader broke off: keep what came before, but say the payload is damaged
        return replace(table, fatal=read.error)
    return table


def _find(header: list[str], name: str) -> int | None:
    for folded in (False, True):
        for index, column in enumerate(header):
            if (column.casefold() == name.casefold()) if folded else column == name:
                return index
    return None


@dataclass(frozen=True)
class _Layout:
    """Where the date and value cells sit in each row, checked against the header."""

    header: list[str]
    date_index: int
    value_indexes: tuple[int, ...]  # wide: the columns to read
    key_index: int | None = None  # long format: the column naming the series
    header_problems: list[str] = field(default_factory=list)

    def rows(self, records: list[TextRow]) -> Iterator[RawRow]:
        named = [index for index, name in enumerate(self.header) if name]
        width = max(named) + 1
        date_label = f"column {self.header[self.date_index]}" if self.header[self.date_index] else UNNAMED_FIRST
        for record in records:
            where, cells = f"line {record.line}", list(record.cells)
            if record.problem:
                yield RawRow(where, date_label, None, problem=f"{where}: {record.problem}")
                continue
            extra = [cell for cell in cells[len(self.header):] if cell.strip()]
            if len(cells) < width or extra:
                # A misaligned row (unquoted thousands separator, cut-off line) would put
                # values under the wrong column; refuse the row rather than guess.
                yield RawRow(where, date_label, None, problem=f"{where}: {len(cells)} fields, header has {len(self.header)}")
                continue
            yield RawRow(where, date_label, cells[self.date_index], self._cells(cells))

    def _cells(self, cells: list[str]) -> tuple[Cell, ...]:
        if self.key_index is not None:
            value_index = self.value_indexes[0]
            key = cells[self.key_index].strip()
            label = f"column {self.header[value_index]}" + (f" ({key})" if key else "")
            return (Cell(key, label, cells[value_index]),)
        return tuple(Cell(self.header[index], f"column {self.header[index]}", cells[index])
                     for index in self.value_indexes)


def _layout(header: list[str], spec: TableSpec, sample: list[TextRow]) -> _Layout | str:
    """The row layout, or a fatal message naming the columns the header lacks."""
    columns = _column_list(header)
    date_index = _date_index(header, spec.date_columns, sample)
    if date_index is None:
        if not spec.date_columns:
            return f"header has no date column: the first column is unnamed and not dated (columns: {columns})"
        return f"header has no date column {' or '.join(map(repr, spec.date_columns))} (columns: {columns})"
    if spec.long_format:
        wanted = (spec.long_format.key_column, spec.long_format.value_column)
        indexes = [_find(header, name) for name in wanted]
        absent = [name for name, index in zip(wanted, indexes) if index is None]
        if absent:
            return f"header lacks configured column(s) {', '.join(map(repr, absent))} (columns: {columns})"
        return _Layout(header, date_index, (indexes[1],), key_index=indexes[0])
    return _wide_layout(header, date_index, spec.catalog, columns)


def _column_list(header: list[str]) -> str:
    """The header for a message, short enough even when the "header" is a line of garbage."""
    names = [name if len(name) <= 30 else name[:27] + "..." for name in header if name]
    more = f", ... ({len(names)} columns)" if len(names) > 12 else ""
    return ", ".join(names[:12]) + more or "none"


def _date_index(header: list[str], names: tuple[str, ...], sample: list[TextRow]) -> int | None:
    if not names:
        if not header:
            return None
        if header[0] or index_holds_dates([row.cells[0] for row in sample if not row.problem and row.cells]):
            return 0
        # pandas wrote a row number (its default RangeIndex) before the data: the date is
        # the first named column, as if the index had not been written.
        return next((index for index, name in enumerate(header) if name), None)
    return next((index for name in names if (index := _find(header, name)) is not None), None)


def index_holds_dates(cells: list[str]) -> bool:
    """Whether the cells of an unnamed first column (pandas writes its index without a
    header) are dates, rather than row numbers 0, 1, 2, ...

    A DatetimeIndex comes out as ``2016-05-01`` (``2016-05-01 00:00:00+00:00`` with a zone),
    a PeriodIndex as ``2016-05`` or ``2016Q2``; all read as dates. Row numbers do not
    (``parse_date`` takes no year before 1800), nor do text labels."""
    present = [cell for cell in cells if not ValueRules().is_missing(cell)]
    return bool(present) and sum(parse_date(cell) is not None for cell in present) >= INDEX_DATED_SHARE * len(present)


def _wide_layout(header: list[str], date_index: int, catalog: Catalog, columns: str) -> _Layout | str:
    absent = [name for name in catalog.listed if _find(header, name) is None]
    if catalog.listed and len(absent) == len(catalog.listed):
        return f"header lacks configured column(s) {', '.join(map(repr, absent))} (columns: {columns})"
    problems = [f"header lacks configured column {name!r}; the other columns loaded" for name in absent]
    indexes = tuple(index for index, name in enumerate(header)
                    if name and index != date_index and catalog.resolve(name))
    if not indexes:
        return f"header has no value columns besides the date (columns: {columns})"
    return _Layout(header, date_index, indexes, header_problems=problems)


def simple_table_spec(date_column: str | None = None, value_columns: Iterable[str] = (), *,
                      key_prefix: str = "inspect", date_format: str | None = None,
                      delimiter: str | None = None, decimal: str = ".",
                      missing: Iterable[str] = (), zero_means_missing: bool = False) -> TableSpec:
    """A spec for ad-hoc reading (``mi inspect series``): the named columns, or all of them."""
    template = SeriesTemplate(key=f"{key_prefix}.{{slug}}", source=key_prefix,
                              zero_means_missing=zero_means_missing)
    listed = {name: template.spec_for(name) for name in value_columns}
    rules = ValueRules(missing=DEFAULT_MISSING | {m.strip().casefold() for m in missing},
                       decimal=decimal, date_format=date_format)
    return TableSpec(catalog=Catalog(listed, None if listed else template),
                     date_columns=(date_column,) if date_column else (), rules=rules, delimiter=delimiter)
