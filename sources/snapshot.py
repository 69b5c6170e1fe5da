"""The recorded-snapshot side of the fetch seam.

The bundled offline snapshot is a folder of real payloads; channels configured with file
paths read them through ``FileTransport``, which answers like a well-behaved HTTP server
(an ETag derived from the bytes, so a second run sees "not modified"). ``RoutingTransport``
sends http(s) URLs to the real HTTP layer and everything else to the files, so parsers and
the gathering code never know which they got.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Protocol

from mi.sources.http import FetchError, HttpTransport, Response, local_response

mimetypes.add_type("application/rss+xml", ".rss")
mimetypes.add_type("application/atom+xml", ".atom")


class Transport(Protocol):
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        ...


class FileTransport:
    def __init__(self, max_bytes: int = 10 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        path = Path(url.removeprefix("file://"))
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise FetchError(f"snapshot file not found: {path}", url=url) from None
        if size > self.max_bytes:
            raise FetchError(f"file of {size} bytes exceeds the {self.max_bytes}-byte cap", url=url)
        return local_response(url, path.read_bytes(), mimetypes.guess_type(path.name)[0], etag)


class RoutingTransport:
    def __init__(self, http: HttpTransport, files: FileTransport | None = None) -> None:
        self.http = http
        self.files = files or FileTransport(max_bytes=http.max_bytes)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        if url.startswith(("http://", "https://")):
            return self.http.get(url, etag=etag, last_modified=last_modified)
        return self.files.get(url, etag=etag, last_modified=last_modified)
