"""Field notes in and out of the signal work: their needs read once and stored, and the
notes of a window loaded with what grouping and scoring need about their customers.

Reading is incremental: a note is read when it has no reading yet or one by an older
reader (``READER_VERSION``), in id ranges so a flow runs one task per batch.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, func, or_, select

from mi.signals.grouping import NoteInput
from mi.signals.needs import READER_VERSION, Reading, read_need
from mi.warehouse.book import Customer, Holding, RelationshipManager
from mi.warehouse.loading import dialect_insert
from mi.warehouse.products import FieldNote
from mi.warehouse.signals import NoteNeed

_CHUNK = 500


@dataclass(frozen=True)
class IdRange:
    first: int
    last: int


def pending_note_ranges(engine: Engine, chunk: int = 2000) -> list[IdRange]:
    """Id ranges of the notes whose need is not read (or read by an older reader)."""
    query = (select(FieldNote.id).outerjoin(NoteNeed, NoteNeed.note_id == FieldNote.id)
             .where(or_(NoteNeed.note_id.is_(None), NoteNeed.reader_version != READER_VERSION))
             .order_by(FieldNote.id))
    with engine.connect() as conn:
        ids = list(conn.execute(query).scalars())
    return [IdRange(ids[i], ids[min(i + chunk, len(ids)) - 1]) for i in range(0, len(ids), chunk)]


def read_notes(engine: Engine, ids: IdRange) -> int:
    """Read and store the needs of the pending notes in ``ids``; returns how many were read."""
    with engine.begin() as conn:
        rows = conn.execute(
            select(FieldNote.id, FieldNote.text, FieldNote.tags)
            .outerjoin(NoteNeed, NoteNeed.note_id == FieldNote.id)
            .where(FieldNote.id.between(ids.first, ids.last),
                   or_(NoteNeed.note_id.is_(None), NoteNeed.reader_version != READER_VERSION))).all()
        values = []
        for note_id, text, tags in rows:
            reading = read_need(text, tags or ())
            values.append({"note_id": note_id, "need": reading.need, "score": reading.score,
                           "language": reading.language, "unread": reading.unread, "cues": list(reading.cues),
                           "reader_version": READER_VERSION})
        if values:
            statement = dialect_insert(conn, NoteNeed.__table__)
            statement = statement.on_conflict_do_update(
                index_elements=["note_id"],
                set_={name: statement.excluded[name] for name in ("need", "score", "language", "unread", "cues",
                                                                   "reader_version", "read_at")})
            for start in range(0, len(values), _CHUNK):
                conn.execute(statement, values[start:start + _CHUNK])
    return len(values)


@dataclass(frozen=True)
class WindowNote:
    """A note as signals see it: ids for counting, the text only for the RM side."""

    note_id: int
    note: NoteInput
    reading: Reading
    rm_id: int
    customer_id: int | None
    segment: str | None
    section: str | None  # the customer's ISIC section
    balance: float  # what the customer holds with the bank


def window_notes(conn: Connection, *, since: dt.date, until: dt.date) -> list[WindowNote]:
    """Every read note dated in [since, until], oldest first."""
    rows = conn.execute(
        select(FieldNote.id, FieldNote.note_ref, FieldNote.rm_id, FieldNote.customer_id, FieldNote.noted_on,
               FieldNote.text, FieldNote.tags, FieldNote.confidential, RelationshipManager.rm_ref,
               Customer.customer_ref, Customer.segment, Customer.isic_section, NoteNeed.need, NoteNeed.score,
               NoteNeed.language, NoteNeed.unread, NoteNeed.cues)
        .join(NoteNeed, and_(NoteNeed.note_id == FieldNote.id, NoteNeed.reader_version == READER_VERSION))
        .join(RelationshipManager, RelationshipManager.id == FieldNote.rm_id)
        .outerjoin(Customer, Customer.id == FieldNote.customer_id)
        .where(FieldNote.noted_on.between(since, until))
        .order_by(FieldNote.noted_on, FieldNote.id)).all()
    balances = _balances(conn, sorted({row.customer_id for row in rows if row.customer_id is not None}))
    return [WindowNote(
        note_id=row.id,
        note=NoteInput(ref=row.note_ref, rm=row.rm_ref, customer=row.customer_ref, noted_on=row.noted_on,
                       text=row.text, tags=tuple(row.tags or ()), confidential=bool(row.confidential)),
        reading=Reading(row.need, float(row.score or 0.0), row.language or "en", tuple(row.cues or ()),
                        bool(row.unread)),
        rm_id=row.rm_id, customer_id=row.customer_id, segment=row.segment, section=row.isic_section,
        balance=balances.get(row.customer_id, 0.0) if row.customer_id is not None else 0.0) for row in rows]


def _balances(conn: Connection, customer_ids: list[int]) -> dict[int, float]:
    found: dict[int, float] = defaultdict(float)
    for start in range(0, len(customer_ids), _CHUNK):
        for customer_id, total in conn.execute(
                select(Holding.customer_id, func.coalesce(func.sum(Holding.balance), 0.0))
                .where(Holding.customer_id.in_(customer_ids[start:start + _CHUNK])).group_by(Holding.customer_id)):
            found[customer_id] = float(total or 0.0)
    return dict(found)


def book_balance(conn: Connection) -> float:
    """Everything the bank's customers hold with it: the yardstick of a signal's value."""
    return float(conn.execute(select(func.coalesce(func.sum(Holding.balance), 0.0))).scalar_one() or 0.0)
