"""CSV records within the payload's limits: the one CSV reader of every table-like kind.

A field longer than ``max_field_chars`` sets its row aside (``TextRow.problem``) and the
rows around it still load; more than ``max_rows`` data rows or ``max_cells`` cells stops
the read, keeping the rows before it, with an error naming the line.
"""
from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass

from mi.records.limits import Limits
from mi.sources.reading.caps import field_too_long, limit_text
from mi.sources.reading.textrows import TextRow

DELIMITERS = (",", ";", "|", "\t")

# The csv module stops a reader at the first field over its (process-wide) size limit, and
# every row after that field is lost. Fields are measured against ``max_field_chars`` row by
# row instead, so the csv limit only has to never trigger: a field can be no longer than
# the payload, which the transport and the unpacking limits already cap.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class Records:
    """The non-blank CSV records, header first, cells as written; ``error``: why reading stopped."""

    rows: list[TextRow]
    error: str | None = None


def read_records(text: str, delimiter: str, limits: Limits) -> Records:
    """Non-blank records with the line each ends on.

    Stops at the first ``csv.Error`` or when the data rows (those after the first record)
    pass ``max_rows`` or the cells pass ``max_cells``; a record with a field over
    ``max_field_chars`` is kept as a set-aside row.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[TextRow] = []
    cells_read, ended = 0, 0
    try:
        for cells in reader:
            started, ended = ended + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) > limits.max_rows:  # the header and max_rows data rows are in
                return Records(rows, f"more than {limit_text(limits, 'max_rows')} data rows; "
                                     f"line {started} and the rows after it were not read")
            cells_read += len(cells)
            if cells_read > limits.max_cells:
                return Records(rows, f"more than {limit_text(limits, 'max_cells')} cells; "
                                     f"line {started} and the rows after it were not read")
            rows.append(_row(ended, started, cells, limits, rows[0].cells if rows else ()))
    except csv.Error as exc:
        return Records(rows, f"CSV unreadable at line {reader.line_num}: {exc}")
    return Records(rows)


def _row(line: int, started: int, cells: list[str], limits: Limits, header: tuple[str, ...]) -> TextRow:
    for at, cell in enumerate(cells):
        if len(cell) > limits.max_field_chars:
            column = header[at].strip() if at < len(header) and header[at].strip() else None
            reason = field_too_long(at + 1, len(cell), limits, column)
            if line > started:  # the field ran on over several lines
                reason += f" (lines {started} to {line}: an unclosed quote?)"
            return TextRow(line, (), reason)
    return TextRow(line, tuple(cells))


def guess_delimiter(text: str) -> str:
    """The most frequent candidate on the first non-blank line; ties keep ','."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","
