"""RM field notes before they meet the warehouse: the draft and its identity.

Both the ``field_notes`` channel kind and ``mi note add`` turn what an RM typed into a
``NoteDraft``; the warehouse resolves its RM and customer and writes it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mi.records.hashing import content_hash

#: A file's own note id; with the scope prefix (``SCOPE_CHARS`` + ":") it fits FieldNote.note_ref, String(64).
MAX_NOTE_ID = 48
SCOPE_CHARS = 12
MAX_SOURCE = 200  # FieldNote.source is String(200)
#: How a refused note ends every problem reported for it.
NOT_LOADED = "note not loaded"


class NoteError(ValueError):
    """A note that cannot be recorded; the message says why, in the operator's words."""


@dataclass(frozen=True)
class NoteDraft:
    """One note as given: RM and customer still as typed (ref, or customer name/alias)."""

    rm: str
    customer: str
    noted_on: dt.date
    text: str
    tags: tuple[str, ...] = ()
    confidential: bool = False
    note_id: str | None = None  # the file's own id for the note, if it has one
    where: str = ""  # "line 7" or "record 3": prefixes the problems reported for this note
    source: str = "cli"  # file name and line, or "cli"
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def note_ref(*, note_id: str | None, rm_ref: str, customer_ref: str, noted_on: dt.date, text: str,
             id_scope: str = "") -> str:
    """The note's stable identity: its own id within its scope, else a hash of who, about
    whom, when and what.

    A file's ids are its own: two trackers that both number their rows 1, 2, 3, or a file
    reusing an id the CRM gave another note, must not overwrite each other. So an id is
    prefixed with a short hash of its ``id_scope`` (the channel and file it came from).
    The content hash uses the resolved customer ref, so the same note naming the customer
    by name in one file and by ref in another is still one note; the text is compared with
    case and runs of whitespace ignored (``content_hash``).
    """
    if note_id:
        return f"{content_hash(id_scope)[:SCOPE_CHARS]}:{note_id}"
    return content_hash(rm_ref, customer_ref, noted_on.isoformat(), text)
