"""The embedded default: each brief as an ``.eml`` file in the outbox folder.

A mail relay, an operator or a test picks the files up. A file appears whole or not at
all (written to a hidden temporary file in the same folder, synced, then renamed), and its
name depends only on the delivery, so writing it again replaces it with the same bytes:
this channel delivers exactly once even across a crash. Files and the folder are private
to the account the pipeline runs as (briefs name the bank's customers).
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from mi.delivery.channels import ChannelDown, EmailChannel, Outgoing

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def file_name(outgoing: Outgoing) -> str:
    """``daily-2026-12-01-RM042-<hash>.eml``: readable, and unique per delivery (the hash
    tells apart RM ids that differ only in characters a file name cannot hold)."""
    kind, _, rest = outgoing.brief_key.partition(":")
    rm_ref, _, period = rest.rpartition(":")
    digest = hashlib.sha256(outgoing.key.encode("utf-8")).hexdigest()[:10]
    return f"{_UNSAFE.sub('_', kind)[:20]}-{_UNSAFE.sub('_', period)[:20]}-{_UNSAFE.sub('_', rm_ref)[:40]}-{digest}.eml"


class EmlChannel(EmailChannel):
    name = "eml"

    def __init__(self, folder: Path, *, sender: str) -> None:
        super().__init__(sender=sender)
        self.folder = Path(folder)

    def send(self, outgoing: Outgoing) -> str:
        if outgoing.message is None:
            raise ValueError(f"{outgoing.key} holds no message")
        name = file_name(outgoing)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_atomically(self.folder / name, outgoing.message)
        except OSError as exc:
            raise ChannelDown(f"outbox folder {self.folder}: {exc.strerror or type(exc).__name__}") from None
        return name

    def __repr__(self) -> str:
        return f"EmlChannel({str(self.folder)!r})"


def _write_atomically(path: Path, data: bytes) -> None:
    # A leading dot and a .tmp suffix keep a relay that collects "*.eml" off the partial file.
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a platform without directory fds skips it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
