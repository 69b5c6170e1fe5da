"""Reading a tabular payload (CSV or XLSX bytes) into text rows with their line numbers.

The bank's internal extracts arrive as CSV exports, Excel workbooks or query results
(which ``sql_fetch`` turns into CSV), so every kind that reads them starts here. Cells
become stripped text whatever the format, so one set of field readers serves all three;
line numbers are 1-based with the header on line 1 (for a workbook: the sheet's row),
which is what an operator fixing the file needs to see.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from mi.sources.reading.values import ZIP_MAGIC, payload_text

DELIMITERS = (",", ";", "|", "\t")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other old Office files)


@dataclass(frozen=True)
class TextRow:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """The header and the non-blank rows below it; ``error`` says why reading stopped."""

    header: tuple[str, ...] = ()
    rows: tuple[TextRow, ...] = ()
    error: str | None = None


def is_xlsx(body: bytes) -> bool:
    """An Office Open XML workbook: a zip holding ``xl/workbook.xml``.

    Decided by the bytes, not the declared content type: servers and file names mislabel
    CSV exports as Excel and the other way round."""
    if not body.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_table(body: bytes, *, sheet: str | int | None = None, delimiter: str | None = None) -> Table:
    """Read CSV or XLSX bytes; never raises on bad input."""
    if body.startswith(OLE2_MAGIC):
        return Table(error="legacy .xls workbook: save it as .xlsx or CSV")
    if is_xlsx(body):
        return read_xlsx(body, sheet=sheet)
    return read_csv(body, delimiter=delimiter)


def read_csv(body: bytes, *, delimiter: str | None = None) -> Table:
    loaded = payload_text(body)  # shared with the market kinds: BOMs, latin-1, zipped CSV
    if loaded.error:
        return Table(error=loaded.error)
    if loaded.text.lstrip().startswith("<"):
        return Table(error="payload is HTML or XML, not CSV")
    text = loaded.text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or guess_delimiter(text))
    records: list[TextRow] = []
    error = None
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append(TextRow(reader.line_num, tuple(cell.strip() for cell in cells)))
    except csv.Error as exc:
        error = f"CSV unreadable at line {reader.line_num}: {exc}"
    if not records:
        return Table(error=error or "no header line")
    return Table(header=records[0].cells, rows=tuple(records[1:]), error=error)


def guess_delimiter(text: str) -> str:
    """The most frequent candidate on the first non-blank line; ties keep ','."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_xlsx(body: bytes, *, sheet: str | int | None = None) -> Table:
    try:
        # read_only streams rows; data_only gives the cached result of a formula, which is
        # what the person who saved the workbook saw.
        book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return Table(error=f"unreadable XLSX workbook: {type(exc).__name__}: {exc}")
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(book.worksheets):
                return Table(error=f"workbook has {len(book.worksheets)} sheet(s); no sheet #{sheet}")
            worksheet = book.worksheets[sheet]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            return Table(error=f"workbook has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        records = [
            TextRow(number, cells)
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
            if any(cells := tuple(cell_text(value) for value in values))
        ]
    finally:
        book.close()
    if not records:
        return Table(error="worksheet is empty")
    header = records[0].cells
    while header and not header[-1]:
        header = header[:-1]  # formatted but empty columns to the right
    return Table(header=header, rows=tuple(records[1:]))


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
