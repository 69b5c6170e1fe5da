"""One column of a CSV file read as a series: what ``mi inspect series`` looks at.

Reading goes through the market-series parser (``mi.sources.series.tables``) so that
missing markers, reverse-chronological rows, trailing empty columns and the like are
handled the way the pipeline handles them; this module only guesses which columns to read
when the user did not say.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from mi.records.limits import Limits
from mi.records.series import ObservationRecord
from mi.sources.reading.csvrows import DELIMITERS, read_records
from mi.sources.reading.values import parse_date, payload_text, to_number
from mi.sources.series.collect import ValueRules
from mi.sources.series.tables import index_holds_dates, parse_series_table, simple_table_spec

#: Rows looked at to guess the columns; enough to get past a few leading N/A rows.
_SAMPLE_ROWS = 200
#: Share of a column's non-missing cells that must parse for the column to qualify.
_QUALIFY = 0.9


@dataclass(frozen=True)
class ColumnSeries:
    date_column: str  # "" for an unnamed first column (a pandas index)
    value_column: str
    observations: list[ObservationRecord]
    missing: int  # cells the parser read as missing (N/A, ".", blank)
    warnings: tuple[str, ...] = ()  # a guessed character encoding


def read_column(body: bytes, date_column: str | None = None, value_column: str | None = None) -> ColumnSeries:
    """The observations of one column, dated by another.

    The date column defaults to the first column whose cells read as dates, the value
    column to the first other column whose cells read as numbers. Raises ValueError when
    the file cannot be read or the columns cannot be found.
    """
    loaded = payload_text(body)
    if loaded.error:
        raise ValueError(loaded.error)
    delimiter = _delimiter(loaded.text)
    if date_column is None or value_column is None:
        header, rows = _sample(loaded.text, delimiter)
        date_column = date_column or _guess_date_column(header, rows)
        value_column = value_column or _guess_value_column(header, rows, date_column)
    table = parse_series_table(body, simple_table_spec(date_column, [value_column], delimiter=delimiter))
    if table.fatal or not table.series:
        raise ValueError(table.fatal or f"column {value_column!r} has no values")
    key = table.series[0].key
    observed = [record for record in table.observations if record.series_key == key]
    return ColumnSeries(date_column, value_column, observed, table.missing.get(key, 0), tuple(table.warnings))


def _delimiter(text: str) -> str:
    # The header line has the most delimiters of the right kind; ties keep ",".
    first = next((line for line in text.splitlines() if line.strip()), "")
    best = max(DELIMITERS, key=first.count)
    return best if first.count(best) else ","


def _sample(text: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    # The parser reports damage and over-long fields; the readable rows are enough to guess.
    sample = read_records(text, delimiter, replace(Limits(), max_rows=_SAMPLE_ROWS)).rows
    records = [list(row.cells) for row in sample if not row.problem]
    if not sample or sample[0].problem:
        raise ValueError(sample[0].problem if sample else "no header line")
    return [name.strip() for name in records[0]], records[1:]


def _column(rows: list[list[str]], index: int) -> list[str]:
    missing = ValueRules().is_missing
    return [row[index] for row in rows if index < len(row) and not missing(row[index])]


def _share(cells: list[str], test: Any) -> float:
    return sum(1 for cell in cells if test(cell)) / len(cells) if cells else 0.0


def _guess_date_column(header: list[str], rows: list[list[str]]) -> str:
    # Plain numbers also parse as years (1999) or as %Y%m%d, so a column of written dates
    # wins over one of bare numbers; a bare "Year" column is taken only when nothing else is.
    # An unnamed first column is pandas' index: a candidate when it holds dates ("" names it,
    # which the reader takes as "the first column").
    candidates = [(index, _column(rows, index)) for index, name in enumerate(header)
                  if name or (index == 0 and index_holds_dates(_column(rows, 0)))]
    for allow_numbers in (False, True):
        for index, cells in candidates:
            if _share(cells, lambda cell: parse_date(cell) is not None
                      and (allow_numbers or to_number(cell) is None)) >= _QUALIFY:
                return header[index]
    raise ValueError(f"no column reads as dates (columns: {', '.join(filter(None, header)) or 'none'})")


def _guess_value_column(header: list[str], rows: list[list[str]], date_column: str) -> str:
    for index, name in enumerate(header):
        if not name or name == date_column:
            continue
        if _share(_column(rows, index), lambda cell: to_number(cell) is not None) >= _QUALIFY:
            return name
    raise ValueError(f"no column besides {date_column!r} reads as numbers")
