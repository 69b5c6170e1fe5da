"""Reading a tabular payload (CSV or XLSX bytes) into text rows with their line numbers.

The bank's internal extracts arrive as CSV exports, Excel workbooks or query results
(which ``sql_fetch`` turns into CSV), so every kind that reads them starts here. Cells
become stripped text whatever the format, so one set of field readers serves all three;
line numbers are 1-based with the header on line 1 (for a workbook: the sheet's row),
which is what an operator fixing the file needs to see.

Every read obeys the payload's ``Limits`` (``mi.sources.reading.csvrows`` and ``.xlsx``
say how): a field over ``max_field_chars`` sets its row aside (``TextRow.problem``) while
the rows around it load; too many rows or cells, or a workbook that would unpack too
large, is an ``error`` naming the limit.
"""
from __future__ import annotations

import io
import zipfile

from mi.records.limits import Limits
from mi.sources.reading.csvrows import DELIMITERS, guess_delimiter, read_records
from mi.sources.reading.textrows import Table, TextRow
from mi.sources.reading.values import ZIP_MAGIC, payload_text
from mi.sources.reading.xlsx import cell_text, read_xlsx

__all__ = ["DELIMITERS", "Table", "TextRow", "cell_text", "guess_delimiter", "is_xlsx", "read_csv",
           "read_table", "read_xlsx"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other old Office files)


def is_xlsx(body: bytes) -> bool:
    """An Office Open XML workbook: a zip holding ``xl/workbook.xml``.

    Decided by the bytes, not the declared content type: servers and file names mislabel
    CSV exports as Excel and the other way round."""
    if not body.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False


def read_table(body: bytes, *, sheet: str | int | None = None, delimiter: str | None = None,
               limits: Limits | None = None, content_type: str | None = None) -> Table:
    """Read CSV or XLSX bytes; never raises on bad input."""
    if body.startswith(OLE2_MAGIC):
        return Table(error="legacy .xls workbook: save it as .xlsx or CSV")
    if is_xlsx(body):
        return read_xlsx(body, sheet=sheet, limits=limits)
    return read_csv(body, delimiter=delimiter, limits=limits, content_type=content_type)


def read_csv(body: bytes, *, delimiter: str | None = None, limits: Limits | None = None,
             content_type: str | None = None) -> Table:
    limits = limits or Limits()
    # Shared with the market kinds: BOMs, charsets, zipped CSV.
    loaded = payload_text(body, content_type=content_type, limits=limits)
    if loaded.error:
        return Table(error=loaded.error)
    if loaded.text.lstrip().startswith("<"):
        return Table(error="payload is HTML or XML, not CSV")
    read = read_records(loaded.text, delimiter or guess_delimiter(loaded.text), limits)
    rows = [TextRow(row.line, tuple(cell.strip() for cell in row.cells), row.problem) for row in read.rows]
    notes = {"warnings": loaded.warnings, "problems": loaded.problems}
    if not rows:
        return Table(error=read.error or "no header line", **notes)
    if rows[0].problem:
        return Table(error=f"header (line {rows[0].line}): {rows[0].problem}", **notes)
    return Table(header=rows[0].cells, rows=tuple(rows[1:]), error=read.error, **notes)
