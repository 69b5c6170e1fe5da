"""The one way out: every read of the outside world goes through a ``Transport``.

A channel asks for an address (``get``), a query result (``query``) or the files of an
intake folder (``listing``); the transport decides how: http(s) URLs through the HTTP
layer (deadline, timeouts, retries, redirects, robots.txt, rate limit, private-address
refusal, size cap), anything else from local files (the bundled snapshot, intake
folders), queries on the bank's own database through the read-only query reader. The
snapshot and the live bank are swapped here, in one place (``mi.runtime`` builds it from
the settings); sources and parsers never know which they got.

Every failure of a target comes out as a ``FetchError`` whose message masks secrets;
``redact_url`` is the same masking for whoever stores or shows an address.

Nothing here knows about the warehouse or Prefect.
"""
from __future__ import annotations

from collections.abc import Iterable

from mi.records.redaction import redact_text, redact_url
from mi.transport.files import FileTransport
from mi.transport.http import HttpTransport
from mi.transport.responses import DeadlineExceeded, FetchError, Response
from mi.transport.sql import QueryReader

__all__ = ["DeadlineExceeded", "FetchError", "FileTransport", "HttpTransport", "QueryReader", "Response",
           "Transport", "redact_text", "redact_url"]


class Transport:
    def __init__(self, http: HttpTransport | None = None, files: FileTransport | None = None,
                 queries: QueryReader | None = None) -> None:
        self.http = http or HttpTransport()
        self.files = files or FileTransport(max_bytes=self.http.max_bytes)
        self.queries = queries or QueryReader(max_bytes=self.http.max_bytes)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """One payload: a web address, or a local file (a snapshot path)."""
        if url[:8].lower().startswith(("http://", "https://")):
            return self.http.get(url, etag=etag, last_modified=last_modified)
        return self.files.get(url, etag=etag, last_modified=last_modified)

    def query(self, target: str, database_url: str, query: str, *, etag: str | None = None) -> Response:
        """The result of ``query`` on the bank's database, as CSV bytes (``mi.transport.sql``)."""
        return self.queries.query(target, database_url, query, etag=etag)

    def listing(self, location: str, suffixes: Iterable[str]) -> list[str]:
        """The files of an intake folder (or the one file named), read later with ``get``."""
        return self.files.listing(location, suffixes)
