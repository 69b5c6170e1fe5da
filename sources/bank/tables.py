"""The common ground of the bank's internal table kinds (book, products, product metrics).

Options every such channel reads (besides name/kind/url/enabled/description):

* ``columns``: mapping from the file's or query's column names to our field names;
  columns already named like a field (case and spaces aside) need no entry.
* ``sheet``: the XLSX worksheet (name or 0-based index; default the first one).
* ``delimiter``: CSV delimiter (default: guessed from the header line).
* ``database_url`` + ``query``: read a database instead of the url. ``database_url`` is an
  SQLAlchemy URL in which ``${ENV_VAR}`` is replaced from the environment (secrets never
  go into the channel file); the channel's ``url`` is then only a label such as
  ``sql://internal_sales/products`` (the ``://`` keeps the config loader from taking it for
  a path), and defaults to ``sql://<channel name>``.

Each payload (file or query result) is read whole: rows become typed records, bad rows are
reported as ``line N: reason`` and the good rows load.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mi.records.channels import ChannelConfig, ConfigError
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.reading.fields import BadRow, RowNotes, TableShape, map_columns
from mi.sources.reading.tables import read_table
from mi.transport import Transport
from mi.transport.http import Response

TABLE_CONTENT_TYPES = ("csv", "text/plain", "spreadsheetml", "ms-excel", "octet-stream", "zip")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


class ChannelOptionError(ConfigError):
    """A channel's options are wrong; raised when its source is built, naming the channel."""


@dataclass(frozen=True)
class TableOptions:
    columns: dict[str, str] = field(default_factory=dict, hash=False)
    sheet: str | int | None = None
    delimiter: str | None = None
    database_url: str | None = None
    query: str | None = None


def table_options(config: ChannelConfig, fields: tuple[str, ...]) -> TableOptions:
    """The common options, checked, so a misconfigured channel fails at start with its name."""
    def fail(message: str) -> ChannelOptionError:
        return ChannelOptionError(f"channel {config.name!r} ({config.kind}): {message}")

    columns = config.option("columns") or {}
    if not isinstance(columns, Mapping):
        raise fail("columns must be a mapping from the file's column names to field names")
    unknown = sorted(str(ours) for ours in columns.values() if ours not in fields)
    if unknown:
        raise fail(f"columns maps to unknown field(s) {', '.join(unknown)} (fields: {', '.join(fields)})")
    sheet = config.option("sheet")
    if sheet is not None and not isinstance(sheet, (str, int)):
        raise fail("sheet must be a worksheet name or a 0-based index")
    delimiter = config.option("delimiter")
    if delimiter is not None:
        delimiter = _DELIMITER_NAMES.get(str(delimiter), str(delimiter))
        if len(delimiter) != 1:
            raise fail(f"delimiter must be one character, not {config.option('delimiter')!r}")
    database_url, query = config.option("database_url"), config.option("query")
    if bool(database_url) != bool(query):
        raise fail("database_url and query go together: give both to read a database, or neither")
    if query is not None and not isinstance(query, str):
        raise fail("query must be text (one SQL statement)")
    return TableOptions({str(k): str(v) for k, v in columns.items()}, sheet, delimiter,
                        str(database_url) if database_url else None, query)


class TableSource(BaseSource):
    """Reads one table payload per target into the records of ``shape``."""

    accepted_content_types: ClassVar[tuple[str, ...]] = TABLE_CONTENT_TYPES
    shape: TableShape

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.shape = self.table_shape()
        self.options = table_options(config, self.shape.fields)

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
        table = read_table(body, sheet=self.options.sheet, delimiter=self.options.delimiter)
        if not table.header:
            return ParseResult(fatal=table.error or "no header line")
        mapped = map_columns(table.header, self.options.columns, self.shape.fields)
        absent = [name for name in self.shape.required if name not in mapped.positions]
        if absent:
            columns = ", ".join(name for name in table.header if name) or "none"
            return ParseResult(fatal=f"{self.shape.name}: header lacks {', '.join(absent)} "
                                     f"(columns: {columns}; map them with the 'columns' option)")
        problems: list[str] = []
        warnings = list(mapped.notes)
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
