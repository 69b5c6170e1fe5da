"""How much of anything one input may be: the limits every reader and fetcher obeys.

One frozen record with safe defaults, built from the settings (``MI_LIMIT_*`` variables,
see ``mi.settings``) and handed down: to the transport (bytes, redirects, seconds) and to
every source (unpacked size, archive members, rows, cells, field length, pages). A breach
is a clear quarantine reason naming the limit and its setting, never a crash.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: Bytes of one payload as fetched (a response body, a file, a query result as CSV).
    max_bytes: int = 10 * MIB
    #: Bytes once a payload is unpacked (gzip, zip, the XML inside an XLSX workbook).
    max_unpacked_bytes: int = 64 * MIB
    #: Files inside one archive (an XLSX workbook is a zip of a few dozen parts).
    max_archive_members: int = 1_000
    #: Data rows in one table payload (CSV, XLSX sheet, query result, JSON records).
    max_rows: int = 1_000_000
    #: Cells in one table payload (rows times columns).
    max_cells: int = 20_000_000
    #: Characters in one field: a CSV field, an XLSX cell, a note's text.
    max_field_chars: int = 100_000
    #: Further pages one channel may add in one run (paginated APIs).
    max_pages: int = 200
    #: HTTP redirects followed for one request.
    max_redirects: int = 5
    #: Seconds for one target from first byte asked to last byte read, retries included.
    fetch_deadline: float = 120.0
    #: Seconds for one channel's whole run; targets not started by then are left for the next run.
    channel_deadline: float = 900.0

    @classmethod
    def setting_names(cls) -> dict[str, str]:
        """``{field: environment variable}``: ``max_rows`` is set by ``MI_LIMIT_MAX_ROWS``."""
        return {f.name: f"MI_LIMIT_{f.name.upper()}" for f in fields(cls)}
