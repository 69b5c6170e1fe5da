"""RM field notes before they meet the warehouse: the draft and its identity.

Both the ``field_notes`` channel kind and ``mi note add`` turn what an RM typed into a
``NoteDraft``; the warehouse resolves its RM and customer and writes it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mi.records.hashing import content_hash

MAX_NOTE_ID = 64  # FieldNote.note_ref is String(64)
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


def note_ref(*, note_id: str | None, rm_ref: str, customer_ref: str, noted_on: dt.date, text: str) -> str:
    """The note's stable identity: its own id, else a hash of who, about whom, when and what.

    The hash uses the resolved customer ref, so the same note naming the customer by name
    in one file and by ref in another is still one note; the text is compared with case
    and runs of whitespace ignored (``content_hash``).
    """
    if note_id:
        return note_id
    return content_hash(rm_ref, customer_ref, noted_on.isoformat(), text)
