"""Local files: the bundled offline snapshot and the intake folders RMs drop notes into.

``FileTransport`` answers like a well-behaved HTTP server (an ETag derived from the bytes,
so a second run sees "not modified"), so parsers and the gathering code never know whether
a payload came from a live URL or from a recorded file.
"""
from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path

from mi.transport.responses import FetchError, Response, local_response

mimetypes.add_type("application/rss+xml", ".rss")
mimetypes.add_type("application/atom+xml", ".atom")

# Office writes "~$name.xlsx" while a workbook is open; editors and sync tools leave dotfiles.
_SKIPPED_PREFIXES = ("~", ".")


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

    def listing(self, location: str, suffixes: Iterable[str]) -> list[str]:
        """The files at ``location`` with one of ``suffixes``, sorted by name.

        A folder is listed (dotfiles and Office lock files left out); a single file is
        its own listing. Raises ``FileNotFoundError`` when the location does not exist.
        """
        path = Path(location.removeprefix("file://"))
        wanted = tuple(suffix.lower() for suffix in suffixes)
        if path.is_file():
            return [str(path)]
        if not path.is_dir():
            raise FileNotFoundError(f"intake folder {path} does not exist")
        return sorted(str(entry) for entry in path.iterdir()
                      if entry.is_file() and entry.suffix.lower() in wanted
                      and not entry.name.startswith(_SKIPPED_PREFIXES))
