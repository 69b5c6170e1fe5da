"""Channel kind ``field_notes``: RMs' notes dropped as CSV, XLSX or JSON files into a folder.

The channel's ``url`` is the intake folder (several ``urls``, or a single file, work too).
Each run lists its ``*.csv``, ``*.xlsx`` and ``*.json`` files in name order, skipping
dotfiles and Office lock files (``~$notes.xlsx``); each file is read like a snapshot file
(an ETag from its bytes), so an unchanged file is "not modified" and is never re-parsed,
and a corrected file is read again (its notes already recorded add nothing).

Options (all optional; validated into ``FieldNotesOptions`` when the channel file is loaded
and the source is built): ``columns`` (the file's column or key names → field names, see
``mi.sources.notes.rows`` for the fields and the names recognised without it), ``sheet``
(XLSX worksheet name or 0-based index), ``delimiter`` (CSV: one character or
tab/comma/semicolon/pipe; default guessed), ``date_format`` (a strptime format, for files
writing e.g. 03/04/2026 day first).

Rows that cannot be read (no date, an unreadable confidential flag) are reported while
parsing; notes naming an unknown RM or customer, an ambiguous customer name, or a customer
the RM does not cover are reported while loading (the rules: ``mi.warehouse.note_loading``). Each is
a problem ``line N: reason; note not loaded`` on the raw item (status partial) and in the
channel's result, and the file's other notes load. Fix the file and drop it again, or fix
the book and re-read it with ``mi replay --channel <name> --include-partial``.
"""
from __future__ import annotations

from typing import Any, ClassVar

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.bank.tables import TableLayoutOptions
from mi.sources.base import BaseSource
from mi.sources.notes.rows import FIELDS, NoteFileOptions, read_note_file
from mi.sources.options import Text
from mi.transport import Transport

NOTE_SUFFIXES = (".csv", ".xlsx", ".json")


class FieldNotesOptions(TableLayoutOptions):
    """The table kinds' layout options (no database: notes arrive as files), and how dates are written."""

    FIELDS: ClassVar[tuple[str, ...]] = FIELDS
    date_format: Text | None = None  # strptime, e.g. '%d/%m/%Y'


class FieldNotesSource(BaseSource):
    kind = "field_notes"
    may_hold_confidential = True
    accepted_content_types: ClassVar[tuple[str, ...]] = (
        "csv", "text/plain", "spreadsheetml", "ms-excel", "json", "octet-stream")
    Options = FieldNotesOptions
    options: FieldNotesOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.file_options = NoteFileOptions(dict(self.options.columns), self.options.sheet, self.options.delimiter,
                                            self.options.date_format)

    def targets(self, cursor: dict[str, Any], transport: Transport) -> list[str]:
        found: list[str] = []
        for url in self.config.urls:
            try:
                listing = transport.listing(url, NOTE_SUFFIXES)
            except FileNotFoundError as exc:
                raise FileNotFoundError(f"channel {self.config.name!r}: {exc}") from None
            found.extend(listing)
            self.notices.extend(f"{name}: a link, not a file in the intake folder; not read"
                                for name in getattr(listing, "skipped", ()))
        return found

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return read_note_file(body, url=url, content_type=content_type, options=self.file_options,
                              limits=self.limits)
