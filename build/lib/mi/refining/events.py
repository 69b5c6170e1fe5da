"""Group documents into events: the same story from several outlets is one event."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine, select, update

from mi.analysis.dedupe import DedupeIndex, DedupeItem, DuplicateGroup
from mi.warehouse.analysis import DocumentAnalysis, Event
from mi.warehouse.loading import insert_new
from mi.warehouse.models import Channel, Document

#: How far back a new document is compared with known events.
LOOKBACK = dt.timedelta(days=7)


def _items(engine: Engine, where: Sequence) -> list[tuple[DedupeItem, int | None]]:
    """Analysed documents matching ``where``, each with the event it already belongs to."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Document.id, Document.title, Document.text, Document.published_at, Document.fetched_at,
                   Channel.name, DocumentAnalysis.event_id).join(Channel, Channel.id == Document.channel_id)
            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id).where(*where)).all()
    return [(DedupeItem(r.id, r.title, r.text or "", r.published_at or r.fetched_at, r.name), r.event_id)
            for r in rows]


def group_new_documents(engine: Engine) -> tuple[int, int]:
    """Attach every analysed document without an event to one; returns (new events, touched)."""
    new_items = [item for item, _ in _items(engine, [DocumentAnalysis.event_id.is_(None)])]
    if not new_items:
        return 0, 0
    earliest = min((i.published_at for i in new_items if i.published_at), default=None)
    recent_where = [DocumentAnalysis.event_id.is_not(None)]
    if earliest is not None:
        recent_where.append(Document.fetched_at >= earliest - LOOKBACK)
    recent_rows = _items(engine, recent_where)
    recent = [item for item, _ in recent_rows]
    event_of = {item.doc_id: event_id for item, event_id in recent_rows}
    by_event: dict[int, list[int]] = {}
    for doc_id, event_id in event_of.items():
        by_event.setdefault(event_id, []).append(doc_id)
    index = DedupeIndex.from_groups(recent, by_event.values())
    touched = index.add(new_items)
    created = 0
    with engine.begin() as conn:
        for group in touched:
            created += _store_group(conn, group, event_of)
    return created, len(touched)


def _store_group(conn, group: DuplicateGroup, event_of: dict[int, int]) -> int:
    known = sorted({event_of[d] for d in group.doc_ids if d in event_of})
    created = 0
    if known:
        event_id = known[0]
    else:
        key = f"doc:{group.representative}"
        insert_new(conn, Event.__table__, [{"event_key": key, "document_count": 0, "channel_count": 0}],
                   conflict=["event_key"])
        event_id = conn.execute(select(Event.id).where(Event.event_key == key)).scalar_one()
        created = 1
    title = conn.execute(select(Document.title).where(Document.id == group.representative)).scalar_one()
    conn.execute(update(Event.__table__).where(Event.id == event_id).values(
        title=title, first_published_at=group.first_published_at, document_count=len(group.doc_ids),
        channel_count=len(group.channels)))
    for doc_id in group.doc_ids:
        conn.execute(update(DocumentAnalysis.__table__).where(DocumentAnalysis.document_id == doc_id).values(
            event_id=event_id, duplicate_of=None if doc_id == group.representative else group.representative))
    return created
