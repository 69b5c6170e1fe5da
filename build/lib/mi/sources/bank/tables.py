"""The common ground of the bank's internal table kinds (book, products, product metrics).

Options every such channel reads (besides the common keys, ``mi.records.channels.COMMON_KEYS``),
validated into the kind's ``Options`` model when the channel file is loaded and the source
is built:

* ``columns``: mapping from the file's or query's column names to our field names;
  columns already named like a field (case and spaces aside) need no entry, and a name
  that is not one of the kind's fields is refused.
* ``sheet``: the XLSX worksheet (name or 0-based index; default the first one).
* ``delimiter``: CSV delimiter, one character or tab/comma/semicolon/pipe (default:
  guessed from the header line).
* ``database_url`` + ``query``: read a database instead of the url. ``database_url`` is an
  SQLAlchemy URL in which ``${ENV_VAR}`` is replaced from the environment (secrets never
  go into the channel file); the channel's ``url`` is then only a label such as
  ``sql://internal_sales/products`` (the ``://`` keeps the config loader from taking it for
  a path), and defaults to ``sql://<channel name>``. Give both or neither.

Each payload (file or query result) is read whole: rows become typed records, bad rows are
reported as ``line N: reason`` and the good rows load.
"""
from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self

from pydantic import model_validator

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.options import ChannelOptions, Delimiter, Sheet, Text, TextMap, option_problem
from mi.sources.reading.fields import BadRow, RowNotes, TableShape, map_columns
from mi.sources.reading.tables import read_table
from mi.transport import Transport
from mi.transport.http import Response

TABLE_CONTENT_TYPES = ("csv", "text/plain", "spreadsheetml", "ms-excel", "octet-stream", "zip")


class TableLayoutOptions(ChannelOptions):
    """How a table file is laid out: what every kind reading one (field notes too) may say."""

    #: The fields ``columns`` may name: the kind's table shape's.
    FIELDS: ClassVar[tuple[str, ...]] = ()

    columns: TextMap = {}
    sheet: Sheet | None = None
    delimiter: Delimiter | None = None

    def fields(self) -> tuple[str, ...]:
        return self.FIELDS

    @model_validator(mode="after")
    def _columns_name_fields(self) -> Self:
        unknown = sorted({ours for ours in self.columns.values() if ours not in self.fields()})
        if unknown:
            raise option_problem("columns", f"maps to unknown field(s) {', '.join(unknown)} "
                                            f"(fields: {', '.join(self.fields())})")
        return self


class TableOptions(TableLayoutOptions):
    """A table kind's options: the layout, or a query on a database instead of a file."""

    database_url: Text | None = None
    query: Text | None = None  # one SQL statement

    @model_validator(mode="after")
    def _database_url_and_query_go_together(self) -> Self:
        if bool(self.database_url) != bool(self.query):
            given, lacking = ("database_url", "query") if self.database_url else ("query", "database_url")
            raise option_problem(given, f"goes with {lacking}: give both to read a database, or neither")
        return self


class TableSource(BaseSource):
    """Reads one table payload per target into the records of ``shape``."""

    accepted_content_types: ClassVar[tuple[str, ...]] = TABLE_CONTENT_TYPES
    Options = TableOptions
    options: TableOptions
    shape: TableShape

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.shape = self.table_shape()

    def table_shape(self) -> TableShape:
        raise NotImplementedError

    def targets(self, cursor: dict[str, Any], transport: Transport) -> list[str]:
        if self.options.query and not self.config.urls:
            return [f"sql://{self.config.name}"]
        return list(self.config.urls)

    def fetch(self, target: str, transport: Transport, *, etag: str | None, last_modified: str | None) -> Response:
        if self.options.query and self.options.database_url:
            return transport.query(target, self.options.database_url, self.options.query, etag=etag)
        return transport.get(target, etag=etag, last_modified=last_modified)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        table = read_table(body, sheet=self.options.sheet, delimiter=self.options.delimiter, limits=self.limits,
                           content_type=content_type)
        if not table.header:
            return ParseResult(fatal=table.error or "no header line", warnings=list(table.warnings),
                               problems=list(table.problems))
        mapped = map_columns(table.header, self.options.columns, self.shape.fields)
        absent = [name for name in self.shape.required if name not in mapped.positions]
        if absent:
            columns = ", ".join(name for name in table.header if name) or "none"
            return ParseResult(fatal=f"{self.shape.name}: header lacks {', '.join(absent)} "
                                     f"(columns: {columns}; map them with the 'columns' option)")
        problems: list[str] = list(table.problems)
        warnings = [*table.warnings, *mapped.notes]
        records: dict[Any, Any] = {}
        for text_row in table.rows:
            row = mapped.row(text_row)
            notes = RowNotes()
            try:
                record = self.shape.build(row, notes)
            except BadRow as exc:
                problems.append(f"line {row.line}: {exc}; row not loaded")
                continue
            problems.extend(f"line {row.line}: {note}" for note in notes.problems)
            warnings.extend(f"line {row.line}: {note}" for note in notes.warnings)
            key = self.shape.key(record)
            if key in records:
                # A key given twice would make the upsert touch one row twice; the later
                # row is the newer edit in a file someone appended to.
                warnings.append(f"line {row.line}: repeats line {records[key].line}; the later row is used")
                del records[key]
            records[key] = dataclasses.replace(record, given=mapped.fields)
        return ParseResult(records=list(records.values()), problems=problems, warnings=warnings,
                           fatal=table.error)
