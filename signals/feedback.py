"""Feedback to the field: the product department's decisions into the briefs of the RMs
whose notes fed the signal, each decision to each RM exactly once.

``decisions_for`` is what brief composition calls per RM. Exactly-once is kept by a
table, not by the brief's window: the first brief (``brief_key``) a decision is composed
into records it in ``signal_feedback``; composing that same brief again returns the
same items (a retried composition is the same brief), any other brief does not get it
again. Call it inside the transaction that stores the composed brief, so the record and
the brief commit together. Without a ``brief_key`` nothing is recorded (a preview).

An item names the signal, the decision, its owner and reason, and how many of the RM's
own notes fed it; it names no customer and quotes no note, so it fits any RM's brief.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Connection, select

from mi.records.briefs import BriefItem
from mi.warehouse.loading import dialect_insert
from mi.warehouse.products import FieldNote, Product
from mi.warehouse.signals import DemandSignal, SignalEvent, SignalFeedback, SignalNote

#: Decisions an RM hears about ("acknowledged" is only the department saying it has read it).
FED_BACK = ("accepted", "rejected", "reserved", "launched")
_SAY = {"accepted": "accepted", "rejected": "declined", "reserved": "put on hold", "launched": "launched"}


def decisions_for(conn: Connection, rm_id: int, since: dt.datetime | None = None, *,
                  until: dt.datetime | None = None, brief_key: str | None = None) -> list[BriefItem]:
    """Brief items (section "decisions") for the decisions taken in [since, until) on signals
    that RM ``rm_id``'s notes fed, that no other brief has carried to this RM."""
    query = (select(SignalEvent.__table__, DemandSignal.signal_key, DemandSignal.title,
                    DemandSignal.notes.label("signal_notes"))
             .join(DemandSignal, DemandSignal.id == SignalEvent.signal_id)
             .where(SignalEvent.kind.in_(FED_BACK)).order_by(SignalEvent.at, SignalEvent.id))
    if since is not None:
        query = query.where(SignalEvent.at >= since)
    if until is not None:
        query = query.where(SignalEvent.at < until)
    events = [row for row in conn.execute(query) if rm_id in (row.detail or {}).get("rms", ())]
    if not events:
        return []
    ids = [row.id for row in events]
    carried = dict(conn.execute(select(SignalFeedback.event_id, SignalFeedback.brief_key).where(
        SignalFeedback.rm_id == rm_id, SignalFeedback.event_id.in_(ids))).all())
    events = [row for row in events if row.id not in carried or carried[row.id] == brief_key]
    mine = _own_notes(conn, rm_id, sorted({row.signal_id for row in events}))
    products = dict(conn.execute(select(Product.id, Product.name).where(
        Product.id.in_([row.product_id for row in events if row.product_id]))).all())
    items = [_item(row, mine.get(row.signal_id, 0), products) for row in events]
    if brief_key is not None:
        fresh = [{"event_id": row.id, "rm_id": rm_id, "brief_key": brief_key}
                 for row in events if row.id not in carried]
        if fresh:
            conn.execute(dialect_insert(conn, SignalFeedback.__table__)
                         .on_conflict_do_nothing(index_elements=["event_id", "rm_id"]), fresh)
    return items


def _own_notes(conn: Connection, rm_id: int, signal_ids: list[int]) -> dict[int, int]:
    if not signal_ids:
        return {}
    rows = conn.execute(select(SignalNote.signal_id).join(FieldNote, FieldNote.id == SignalNote.note_id)
                        .where(SignalNote.signal_id.in_(signal_ids), FieldNote.rm_id == rm_id)).scalars()
    return dict(Counter(rows))


def _item(row: Any, own: int, products: dict[int, str]) -> BriefItem:
    event = row
    verb = _SAY.get(event.kind, event.kind)
    title = f"Product department {verb}: {row.title}"
    bits = [f"Decision by {event.owner or 'the product department'}"]
    if event.reason:
        bits.append(f"reason: {event.reason}")
    if event.review_on:
        bits.append(f"to be reviewed on {event.review_on.isoformat()}")
    if event.product_id and event.product_id in products:
        bits.append(f"launched as {products[event.product_id]}")
    notes = "one of your notes" if own == 1 else f"{own} of your notes" if own else "notes of your team"
    return BriefItem(section="decisions", title=title, summary="; ".join(bits) + ".",
                     reason=f"{notes} fed this signal ({row.signal_notes} notes in all)",
                     score=1.0, when=event.at, sources=(f"signal:{row.signal_key}", f"signal_event:{event.id}"),
                     detail={"signal": row.signal_key, "decision": event.kind})
