"""Reading one worksheet of an XLSX workbook into text rows, within the payload's limits.

A workbook is a zip of XML parts, and openpyxl inflates what it reads in full (the shared
strings all at once), so the zip's own directory is checked first: more members than
``max_archive_members`` or more unpacked bytes than ``max_unpacked_bytes`` refuse the
workbook before openpyxl opens it. The sizes the directory states are a true bound:
Python's zipfile never inflates a member past its stated size.

Rows are read whatever the sheet's ``<dimension>`` says: openpyxl's streaming mode trusts
that element, and a workbook written by a tool that never updates it would lose every row
and column outside the stale range, silently.
"""
from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterable
from typing import Any

from openpyxl import load_workbook

from mi.records.limits import Limits
from mi.sources.reading.caps import field_too_long, limit_text
from mi.sources.reading.textrows import Table, TextRow

#: The last row an Excel worksheet can have; row numbers past it are a forged file.
EXCEL_MAX_ROWS = 1_048_576


def read_xlsx(body: bytes, *, sheet: str | int | None = None, limits: Limits | None = None) -> Table:
    """The first (or the named, or the 0-based ``sheet``-th) worksheet; never raises."""
    limits = limits or Limits()
    if refused := archive_problem(body, limits):
        return Table(error=refused)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read; none matter here.
            warnings.simplefilter("ignore")
            # read_only streams rows; data_only gives the cached result of a formula, which
            # is what the person who saved the workbook saw.
            book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001  a hostile workbook breaks openpyxl in many ways; say which
        return Table(error=f"unreadable XLSX workbook: {type(exc).__name__}: {exc}")
    try:
        worksheet = _worksheet(book, sheet)
        if isinstance(worksheet, str):
            return Table(error=worksheet)
        worksheet.reset_dimensions()  # read every row, whatever <dimension> claims
        records, error = _rows(_values(worksheet), limits)
    except Exception as exc:  # noqa: BLE001  as above
        return Table(error=f"unreadable XLSX workbook: {type(exc).__name__}: {exc}")
    finally:
        book.close()
    if not records:
        return Table(error=error or "worksheet is empty")
    if records[0].problem:
        return Table(error=f"header (line {records[0].line}): {records[0].problem}")
    header = records[0].cells
    while header and not header[-1]:
        header = header[:-1]  # formatted but empty columns to the right
    return Table(header=header, rows=tuple(records[1:]), error=error)


def archive_problem(body: bytes, limits: Limits) -> str | None:
    """Why the workbook's zip is refused before it is inflated, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        return f"unreadable XLSX workbook: {exc}"
    if len(entries) > limits.max_archive_members:
        return (f"XLSX workbook holds {len(entries):,} files, over the limit of "
                f"{limit_text(limits, 'max_archive_members')}")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.max_unpacked_bytes:
        return (f"XLSX workbook unpacks to {unpacked:,} bytes, over the limit of "
                f"{limit_text(limits, 'max_unpacked_bytes', 'bytes')}: a zip bomb, or a file this "
                f"pipeline should not read whole")
    return None


def _worksheet(book: Any, sheet: str | int | None) -> Any:
    """The worksheet asked for, or a message saying why there is none."""
    if sheet is None:
        if not book.worksheets:
            return "workbook has no worksheet"
        return book.worksheets[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(book.worksheets):
            return f"workbook has {len(book.worksheets)} sheet(s); no sheet #{sheet}"
        return book.worksheets[sheet]
    if sheet in book.sheetnames:
        return book[sheet]
    return f"workbook has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})"


def _values(worksheet: Any) -> Iterable[tuple[Any, ...]]:
    return worksheet.iter_rows(values_only=True)


def _rows(values: Iterable[tuple[Any, ...]], limits: Limits) -> tuple[list[TextRow], str | None]:
    """Non-blank rows, numbered as the sheet numbers them, within the limits."""
    records: list[TextRow] = []
    cells_read, number, rows = 0, 0, iter(values)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return records, None
        except Exception as exc:  # noqa: BLE001  sheet XML broken part-way: keep the rows before it
            return records, f"worksheet unreadable after row {number}: {type(exc).__name__}: {exc}"
        number += 1
        if number > EXCEL_MAX_ROWS:
            return records, f"row numbers go past Excel's last row ({EXCEL_MAX_ROWS:,}); rows after it not read"
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()  # formatted but empty cells to the right
        if not cells:
            continue
        if len(records) > limits.max_rows:  # the header and max_rows data rows are in
            return records, (f"more than {limit_text(limits, 'max_rows')} data rows; "
                             f"line {number} and the rows after it were not read")
        cells_read += len(cells)
        if cells_read > limits.max_cells:
            return records, (f"more than {limit_text(limits, 'max_cells')} cells; "
                             f"line {number} and the rows after it were not read")
        long = next((at for at, cell in enumerate(cells) if len(cell) > limits.max_field_chars), None)
        if long is not None:
            header = records[0].cells if records else ()
            column = header[long] if long < len(header) and header[long] else None
            records.append(TextRow(number, (), field_too_long(long + 1, len(cells[long]), limits, column)))
        else:
            records.append(TextRow(number, tuple(cells)))


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 1200.0 means 1200
    return str(value).strip()
