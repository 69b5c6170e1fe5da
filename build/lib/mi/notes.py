"""Recording one field note from the command line (``mi note add``).

Notes arriving as files go through the ``field_notes`` channel kind
(``mi.sources.notes.intake``); both follow the rules in ``mi.warehouse.note_loading`` (who may note what,
how a customer name is resolved, when a note counts as already recorded).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from mi.records.notes import NoteDraft, NoteError
from mi.sources.notes.values import normalise_tags
from mi.warehouse.note_loading import ADDED, REJECTED, UPDATED, record_notes

__all__ = ["NoteError", "NoteResult", "add_note"]

CLI_SOURCE = "cli"


@dataclass(frozen=True)
class NoteResult:
    status: str  # "added", "already recorded" or "updated"
    note_ref: str
    rm_ref: str
    customer_ref: str
    customer_name: str
    noted_on: dt.date
    confidential: bool

    @property
    def message(self) -> str:
        """One line for the operator, e.g. "added: note by RM016 about C10002 (Apple Inc.) on 2026-11-20"."""
        flag = " (confidential)" if self.confidential else ""
        return (f"{self.status}: note by {self.rm_ref} about {self.customer_ref} ({self.customer_name}) "
                f"on {self.noted_on.isoformat()}{flag} [{self.note_ref[:12]}]")


def add_note(engine: Engine, *, rm: str, customer: str, text: str, noted_on: dt.date | None = None,
             tags: Iterable[str] = (), confidential: bool = False) -> NoteResult:
    """Record one RM field note; the same note given twice is recorded once.

    Wired as::

        mi note add --rm RM016 --customer "Apple Inc." "CFO wants to hedge half of next \\
            year's USD receivables; send forward pricing" --date 2026-11-20 --tag fx \\
            --tag hedging [--confidential]

    ``customer`` is a customer ref or a customer name/alias (any case); ``noted_on``
    defaults to today; each tag may itself list several (``--tag "fx, hedging"``). The RM
    must cover the customer (see ``mi.warehouse.note_loading``). Raises ``NoteError`` with a message
    for the operator — an unknown RM or customer, an ambiguous customer name (naming the
    candidates' refs), a customer the RM does not cover, an empty text. Adding an
    identical note again returns status "already recorded" and adds no row; adding it
    with ``confidential`` set marks the recorded one confidential ("updated").
    """
    body = text.strip()
    if not body:
        raise NoteError("the note text is empty")
    draft = NoteDraft(rm=rm.strip(), customer=customer.strip(), noted_on=noted_on or dt.date.today(),
                      text=body, tags=normalise_tags(list(tags)), confidential=bool(confidential),
                      source=CLI_SOURCE)
    with engine.begin() as conn:
        (outcome,) = record_notes(conn, [draft]).outcomes
    if outcome.status == REJECTED:
        raise NoteError(outcome.reason or "note not recorded")
    assert outcome.note_ref and outcome.rm and outcome.customer  # set for every resolved note
    status = {ADDED: "added", UPDATED: "updated"}.get(outcome.status, "already recorded")
    return NoteResult(status=status, note_ref=outcome.note_ref, rm_ref=outcome.rm.ref,
                      customer_ref=outcome.customer.ref, customer_name=outcome.customer.name,
                      noted_on=draft.noted_on, confidential=draft.confidential)
