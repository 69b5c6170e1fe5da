"""Channel kind ``field_notes``: RMs' notes dropped as CSV, XLSX or JSON files into a folder.

The channel's ``url`` is the intake folder (several ``urls``, or a single file, work too).
Each run lists its ``*.csv``, ``*.xlsx`` and ``*.json`` files in name order, skipping
dotfiles and Office lock files (``~$notes.xlsx``); each file is read like a snapshot file
(an ETag from its bytes), so an unchanged file is "not modified" and is never re-parsed,
and a corrected file is read again (its notes already recorded add nothing).

Options (all optional): ``columns`` (the file's column or key names → field names, see
``mi.sources.note_rows`` for the fields and the names recognised without it), ``sheet``
(XLSX worksheet name or 0-based index), ``delimiter`` (CSV; default guessed),
``date_format`` (a strptime format, for files writing e.g. 03/04/2026 day first).

Rows that cannot be read (no date, an unreadable confidential flag) are reported while
parsing; notes naming an unknown RM or customer, an ambiguous customer name, or a customer
the RM does not cover are reported while loading (the rules: ``mi.note_store``). Each is
a problem ``line N: reason; note not loaded`` on the raw item (status partial) and in the
channel's result, and the file's other notes load. Fix the file and drop it again, or fix
the book and re-read it with ``mi replay --channel <name> --include-partial``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Connection

from mi.note_store import record_notes
from mi.sources.base import BaseSource, LoadContext, register
from mi.sources.config import ChannelConfig
from mi.sources.http import Response
from mi.sources.note_rows import FIELDS, NOT_LOADED, NoteFileOptions, read_note_file
from mi.sources.records import ParseResult
from mi.sources.snapshot import FileTransport
from mi.sources.table_source import ChannelOptionError, table_options

NOTE_SUFFIXES = (".csv", ".xlsx", ".json")
# Office writes "~$name.xlsx" while a workbook is open; editors and sync tools leave dotfiles.
_SKIPPED_PREFIXES = ("~", ".")


def intake_files(folder: Path) -> list[str]:
    """The note files in ``folder``, sorted by name."""
    return sorted(str(path) for path in folder.iterdir()
                  if path.is_file() and path.suffix.lower() in NOTE_SUFFIXES
                  and not path.name.startswith(_SKIPPED_PREFIXES))


@register
class FieldNotesSource(BaseSource):
    kind = "field_notes"
    accepted_content_types: ClassVar[tuple[str, ...]] = (
        "csv", "text/plain", "spreadsheetml", "ms-excel", "json", "octet-stream")

    def __init__(self, config: ChannelConfig) -> None:
        super().__init__(config)
        common = table_options(config, FIELDS)  # columns, sheet, delimiter: checked like the table kinds
        date_format = config.option("date_format")
        if date_format is not None and not isinstance(date_format, str):
            raise ChannelOptionError(f"channel {config.name!r} (field_notes): date_format must be a "
                                     "strptime format such as '%d/%m/%Y'")
        self.options = NoteFileOptions(common.columns, common.sheet, common.delimiter, date_format)

    def targets(self, cursor: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for url in self.config.urls:
            path = Path(url.removeprefix("file://"))
            if path.is_file():
                found.append(str(path))
            elif path.is_dir():
                found.extend(intake_files(path))
            else:
                raise FileNotFoundError(f"channel {self.config.name!r}: intake folder {path} does not exist")
        return found

    def fetch(self, target: str, transport: Any, *, etag: str | None, last_modified: str | None) -> Response:
        # The intake is a local folder whatever transport the run uses: take the routing
        # transport's file side (keeping its size cap), or read the file directly.
        files = transport if isinstance(transport, FileTransport) else getattr(transport, "files", None)
        return (files or FileTransport()).get(target, etag=etag, last_modified=last_modified)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        return read_note_file(body, url=url, content_type=content_type, options=self.options)

    def load(self, conn: Connection, parsed: ParseResult, context: LoadContext) -> int:
        batch = record_notes(conn, parsed.records, raw_item_id=context.raw_item_id)
        # Refusals found against the book join the parse problems; gathering reads
        # parsed.problems after load, so they reach the raw item and the channel result.
        parsed.problems.extend(f"{o.draft.where}: {o.reason}; {NOT_LOADED}" for o in batch.rejected)
        return batch.written
