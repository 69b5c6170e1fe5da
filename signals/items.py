"""Stored signals as the shareable ``SignalItem`` that every output shows.

Only the signal's own columns, its evidence and its latest decision are read: never the
notes. What a signal quotes was made shareable when it was built (``mi.signals.build``).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from mi.signals.render import EvidenceLine, SignalItem
from mi.warehouse.products import Product
from mi.warehouse.signals import DemandSignal, SignalEvent, SignalEvidence

DECISIONS = ("acknowledged", "accepted", "rejected", "reserved", "launched")


def load_signals(conn: Connection, *, statuses: Sequence[str] | None = None, keys: Sequence[str] | None = None
                 ) -> list[Any]:
    query = select(DemandSignal)
    if statuses:
        query = query.where(DemandSignal.status.in_(list(statuses)))
    if keys:
        query = query.where(DemandSignal.signal_key.in_(list(keys)))
    return list(conn.execute(query.order_by(DemandSignal.score.desc(), DemandSignal.signal_key)))


def decision_text(event: Any) -> str:
    when = event.at.date().isoformat()
    said = f"{event.kind} by {event.owner or 'unknown'} on {when}"
    if event.reason:
        said += f": {event.reason}"
    if event.review_on:
        said += f" (review on {event.review_on.isoformat()})"
    return said


def latest_decisions(conn: Connection, signal_ids: Sequence[int]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    if signal_ids:
        for event in conn.execute(select(SignalEvent).where(SignalEvent.signal_id.in_(list(signal_ids)),
                                                            SignalEvent.kind.in_(DECISIONS))
                                  .order_by(SignalEvent.at, SignalEvent.id)):
            found[event.signal_id] = event
    return found


def to_items(conn: Connection, signals: Sequence[Any], changes: dict[int, tuple[str, str | None]] | None = None
             ) -> list[SignalItem]:
    """``signals`` (rows of ``demand_signals``) as items; ``changes``: id -> (change, what changed)."""
    changes = changes or {}
    ids = [s.id for s in signals]
    evidence: dict[int, list[EvidenceLine]] = defaultdict(list)
    if ids:
        for row in conn.execute(select(SignalEvidence).where(SignalEvidence.signal_id.in_(ids))
                                .order_by(SignalEvidence.kind, SignalEvidence.id)):
            evidence[row.signal_id].append(EvidenceLine(row.kind, row.stance, row.title, row.url))
    decisions = latest_decisions(conn, ids)
    products = dict(conn.execute(select(Product.id, Product.product_ref + " " + Product.name)
                                 .where(Product.id.in_([s.product_id for s in signals if s.product_id]))).all())
    items = []
    for s in signals:
        change, what = changes.get(s.id, ("listed", None))
        details = s.details or {}
        parts = tuple((p["name"], float(p["points"]), int(p["weight"]), str(p["reason"]))
                      for p in details.get("parts", []))
        decision = decisions.get(s.id)
        items.append(SignalItem(
            key=s.signal_key, title=s.title, category=s.category, status=s.status, change=change,
            score=float(s.score), notes=s.notes, customers=s.customers, rms=s.rms,
            confidential_notes=s.confidential_notes, first_noted_on=s.first_noted_on.isoformat(),
            last_noted_on=s.last_noted_on.isoformat(), parts=parts, evidence=tuple(evidence.get(s.id, ())),
            quotes=tuple(details.get("quotes", ())), what_changed=what,
            decision=decision_text(decision) if decision is not None else None,
            product=products.get(s.product_id) if s.product_id else None))
    return items
