"""Local files: the bundled offline snapshot and the intake folders RMs drop notes into.

``FileTransport`` answers like a well-behaved HTTP server (an ETag derived from the bytes,
so a second run sees "not modified"), so parsers and the gathering code never know whether
a payload came from a live URL or from a recorded file.

Only regular files are read, and never more than the byte cap: a device (``/dev/zero``
reports size 0 and never ends), a FIFO or a folder is refused without reading it. An
intake folder is written to by many people, so its listing skips symlinked entries (a
link to ``/etc/passwd`` dropped into the folder is not a note) and keeps their names in
``Listing.skipped``; a file named by a listing is opened without following a link, so one
swapped in after the listing is refused too. No message here repeats a file's content.
"""
from __future__ import annotations

import logging
import mimetypes
import os
import re
import stat
import threading
from collections.abc import Iterable
from pathlib import Path

from mi.records.limits import Limits
from mi.records.redaction import redact_url
from mi.transport.responses import FetchError, Response, local_response

mimetypes.add_type("application/rss+xml", ".rss")
mimetypes.add_type("application/atom+xml", ".atom")

log = logging.getLogger(__name__)

# Office writes "~$name.xlsx" while a workbook is open; editors and sync tools leave dotfiles.
_SKIPPED_PREFIXES = ("~", ".")
# "ftp://...", "gopher://...": an address of a kind this transport does not read.
_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_CAP_SETTING = Limits.setting_names()["max_bytes"]


class Listing(list[str]):
    """The files of an intake folder, sorted; ``skipped`` names the entries left out as links."""

    def __init__(self, files: Iterable[str] = (), skipped: Iterable[str] = ()) -> None:
        super().__init__(files)
        self.skipped = list(skipped)


class FileTransport:
    def __init__(self, max_bytes: int = Limits.max_bytes) -> None:
        self.max_bytes = max_bytes
        self._listed: set[str] = set()
        self._lock = threading.Lock()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        if _OTHER_SCHEME.match(url) and not url.lower().startswith("file://"):
            raise FetchError(f"not an address this transport reads: {redact_url(url)}", url=url)
        path = Path(url[7:] if url.lower().startswith("file://") else url)
        with self._lock:
            listed = str(path) in self._listed
        body = self._read(path, url, follow_links=not listed)
        return local_response(url, body, mimetypes.guess_type(path.name)[0], etag)

    def listing(self, location: str, suffixes: Iterable[str]) -> Listing:
        """The files at ``location`` with one of ``suffixes``, sorted by name.

        A folder is listed (dotfiles, Office lock files and anything that is not a regular
        file left out; symlinked entries left out and named in ``skipped``, with a
        warning); a single file is its own listing. Raises ``FileNotFoundError`` when the
        location does not exist.
        """
        path = Path(location[7:] if location.lower().startswith("file://") else location)
        wanted = tuple(suffix.lower() for suffix in suffixes)
        if path.is_file():
            return Listing([str(path)])
        if not path.is_dir():
            raise FileNotFoundError(f"intake folder {path} does not exist")
        files, skipped = [], []
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.name.startswith(_SKIPPED_PREFIXES) or Path(entry.name).suffix.lower() not in wanted:
                    continue
                if entry.is_symlink():
                    skipped.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    files.append(entry.path)
        if skipped:
            log.warning("intake folder %s: %d symbolic link(s) not read (only regular files are taken): %s",
                        path, len(skipped), ", ".join(Path(name).name for name in sorted(skipped)))
        with self._lock:
            self._listed.update(files)
        return Listing(sorted(files), sorted(skipped))

    def _read(self, path: Path, url: str, *, follow_links: bool) -> bytes:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            raise FetchError(f"snapshot file not found: {path}", url=url) from None
        except OSError as exc:
            if not follow_links and path.is_symlink():
                raise FetchError(f"{path} became a symbolic link after it was listed; not read", url=url) from None
            raise FetchError(f"cannot open {path}: {exc.strerror or type(exc).__name__}", url=url) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise FetchError(f"{path} is not a regular file; not read", url=url)
        with os.fdopen(fd, "rb") as handle:
            if info.st_size > self.max_bytes:
                raise FetchError(f"file of {info.st_size} bytes exceeds the {self.max_bytes}-byte cap "
                                 f"({_CAP_SETTING})", url=url)
            # The size can change between the stat and the read: read one byte past the
            # cap at most, and refuse if it was there.
            body = handle.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise FetchError(f"file {path} grew past the {self.max_bytes}-byte cap ({_CAP_SETTING})", url=url)
        return body
