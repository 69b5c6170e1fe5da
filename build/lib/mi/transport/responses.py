"""What every read of the outside world answers: a response, or a fetch error with its reason.

Kept apart from the HTTP layer so that sources, files and query readers share the types
without importing ``requests``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


class FetchError(Exception):
    """A fetch that failed for good, with a message fit to show (secrets masked).

    ``url`` is the address as asked for (mask it with ``redact_url`` before storing or
    showing it), ``body`` whatever the server sent. ``retry_after`` is set when the server
    said how long to wait (``Retry-After``, or a host still waited for in this run):
    seconds from when the error was raised, not before which the target should be asked
    again.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None, body: bytes = b"",
                 content_type: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.body = body
        self.content_type = content_type
        self.retry_after = retry_after


class DeadlineExceeded(FetchError):
    """The target's fetch deadline passed (``Limits.fetch_deadline``), retries included."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def local_response(url: str, body: bytes, content_type: str | None, etag: str | None) -> Response:
    """Answer for a payload read locally (a snapshot file, a query result) the way a
    well-behaved server would: an ETag derived from the bytes, and 304 when it matches."""
    current = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag == current:
        return Response(url=url, status=304, body=b"", content_type=content_type, etag=current)
    return Response(url=url, status=200, body=body, content_type=content_type, etag=current)
