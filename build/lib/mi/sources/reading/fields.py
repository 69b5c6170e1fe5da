"""From a header and text rows to named fields: the column mapping and typed field readers.

A channel's ``columns`` option maps the file's (or query's) column names to ours; columns
already named like our fields need no entry, and others are ignored. A field reader either
returns a value (``None`` for an empty cell) or raises ``BadRow`` with the reason, so the
table kinds can set the row aside with its line number and go on.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mi.sources.reading.tables import TextRow
from mi.sources.reading.values import parse_date, parse_number

_LIST_SEPARATORS = re.compile(r"\s*[|;]\s*")
_TRUE = {"true", "yes", "y", "1", "active", "x"}
_FALSE = {"false", "no", "n", "0", "inactive"}


class BadRow(ValueError):
    """The row cannot be loaded; the message says why (without the line number)."""


@dataclass(frozen=True)
class RowNotes:
    """What a loaded row lost (``problems``: a value left out) or should tell the operator
    without losing anything (``warnings``: an industry code no table maps yet)."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def field_name(column: str) -> str:
    """'Customer Ref' and 'customer-ref' name the field customer_ref."""
    return re.sub(r"[\s\-./]+", "_", column.strip()).strip("_").casefold()


@dataclass(frozen=True)
class ColumnMap:
    positions: dict[str, int]  # our field -> index in the row
    notes: tuple[str, ...] = ()

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.positions)

    def row(self, text_row: TextRow) -> Row:
        cells = text_row.cells
        return Row(text_row.line, {name: cells[index] if index < len(cells) else ""
                                   for name, index in self.positions.items()}, text_row.problem)


def map_columns(header: Sequence[str], columns: Mapping[str, str], known: Sequence[str]) -> ColumnMap:
    """Which column holds which field: the configured mapping first, then same-named columns."""
    configured = {key.casefold(): value for key, value in columns.items()}
    known_set = set(known)
    positions: dict[str, int] = {}
    notes: list[str] = []
    for index, column in enumerate(header):
        if not column:
            continue
        ours = columns.get(column) or configured.get(column.casefold()) or field_name(column)
        if ours not in known_set:
            continue
        if ours in positions:
            notes.append(f"columns {header[positions[ours]]!r} and {column!r} both give {ours}; the first is used")
            continue
        positions[ours] = index
    return ColumnMap(positions, tuple(notes))


@dataclass(frozen=True)
class Row:
    """One data row by field name; absent fields read as empty cells.

    A row the reader set aside (a field over the length limit) carries its ``problem``, and
    every field read of it raises ``BadRow`` with that reason: the kinds then report it as
    ``line N: reason`` like any other bad row, without a branch of their own.
    """

    line: int
    values: Mapping[str, str]
    problem: str | None = None

    def text(self, name: str) -> str | None:
        if self.problem:
            raise BadRow(self.problem)
        return self.values.get(name, "").strip() or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise BadRow(f"missing {name}")
        return value

    def choice(self, name: str, allowed: Sequence[str], default: str | None = None) -> str | None:
        value = self.text(name)
        if value is None:
            return default
        folded = value.casefold()
        if folded not in allowed:
            raise BadRow(f"{name} {value!r} is not one of {', '.join(allowed)}")
        return folded

    def date(self, name: str) -> dt.date | None:
        value = self.text(name)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise BadRow(f"{name} {value!r} is not a date")
        return parsed

    def number(self, name: str) -> float | None:
        value = self.text(name)
        if value is None:
            return None
        parsed = parse_number(value.removeprefix("$").removeprefix("€"))
        if parsed is None:
            raise BadRow(f"{name} {value!r} is not a number")
        return parsed

    def integer(self, name: str) -> int | None:
        value = self.number(name)
        if value is None:
            return None
        if not value.is_integer():
            raise BadRow(f"{name} {self.text(name)!r} is not a whole number")
        return int(value)

    def flag(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.casefold() in _TRUE:
            return True
        if value.casefold() in _FALSE:
            return False
        raise BadRow(f"{name} {value!r} is not yes/no")

    def items(self, name: str) -> tuple[str, ...]:
        """A cell listing several values, separated by '|' or ';'."""
        value = self.text(name)
        if value is None:
            return ()
        return tuple(dict.fromkeys(item for item in _LIST_SEPARATORS.split(value) if item))


@dataclass(frozen=True)
class TableShape:
    """What one kind of table holds: its fields, the ones a header must have, and how a row
    becomes a record. ``build`` raises ``BadRow``, or notes what a loaded row lost."""

    name: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    build: Callable[[Row, RowNotes], Any]
    key: Callable[[Any], Hashable]  # the record's identity, to spot a row given twice
