"""What the table readers hand on: text rows with their line numbers, under a header."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextRow:
    line: int
    cells: tuple[str, ...]
    #: Why the row could not be taken in (a field over ``max_field_chars``); ``cells`` is
    #: then empty, and the field readers (``mi.sources.reading.fields``) refuse the row.
    problem: str | None = None


@dataclass(frozen=True)
class Table:
    """The header and the non-blank rows below it; ``error`` says why reading stopped."""

    header: tuple[str, ...] = ()
    rows: tuple[TextRow, ...] = ()
    error: str | None = None
    #: A guessed character encoding (nothing lost, but non-ASCII text may be wrong).
    warnings: tuple[str, ...] = ()
    #: Bytes no charset could read, replaced with U+FFFD (characters lost).
    problems: tuple[str, ...] = ()
