"""A signal's life after it is sent: the product department's decisions, kept for good.

    new -> sent -> acknowledged -> accepted / rejected / reserved -> launched

Publication moves new to sent (``mi.signals.publish``); everything else is a decision
taken here (``mi signals decide``), with its owner and reason, as a ``SignalEvent`` row in
the warehouse: it survives restarts and shows in ``mi signals show``. Accepting,
rejecting and reserving need a reason; a reservation comes back for review after
``review_days``; launching needs the product the signal became, which links the two for
follow-up. Each decision records which RMs' notes fed the signal at that moment: their
next briefs carry it (``mi.signals.feedback``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from mi.signals.items import to_items
from mi.warehouse.base import utcnow
from mi.warehouse.products import FieldNote, Product
from mi.warehouse.signals import DemandSignal, SignalEvent, SignalNote, SignalPublication

REVIEW_DAYS = 90
# decision -> (statuses it may follow, status it leads to)
DECISIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({"new", "sent"}), "acknowledged"),
    "accept": (frozenset({"new", "sent", "acknowledged", "reserved", "rejected"}), "accepted"),
    "reject": (frozenset({"new", "sent", "acknowledged", "reserved", "accepted"}), "rejected"),
    "reserve": (frozenset({"new", "sent", "acknowledged", "accepted", "rejected", "reserved"}), "reserved"),
    "launch": (frozenset({"accepted"}), "launched"),
}
NEEDS_REASON = frozenset({"accept", "reject", "reserve"})


class DecisionError(ValueError):
    """A decision that cannot be taken: said in words for the person taking it."""


@dataclass(frozen=True)
class Decided:
    signal_key: str
    from_status: str
    to_status: str
    event_id: int
    review_on: dt.date | None
    rms: int  # RMs whose notes fed the signal: they learn the decision in their next brief


def find_signal(conn: Connection, key: str) -> Any:
    row = conn.execute(select(DemandSignal).where(DemandSignal.signal_key == key)).first()
    if row is None and key.isdigit():
        row = conn.execute(select(DemandSignal).where(DemandSignal.id == int(key))).first()
    if row is None:
        raise DecisionError(f"no signal {key!r}; `mi signals list` shows them")
    return row


def decide(engine: Engine, key: str, decision: str, *, owner: str, reason: str | None = None,
           product_ref: str | None = None, review_days: int = REVIEW_DAYS, at: dt.datetime | None = None) -> Decided:
    """Take ``decision`` (acknowledge, accept, reject, reserve, launch) on signal ``key``."""
    if decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    owner = " ".join((owner or "").split())
    reason = " ".join((reason or "").split()) or None
    if not owner:
        raise DecisionError("a decision needs its owner (--owner)")
    if decision in NEEDS_REASON and not reason:
        raise DecisionError(f"{decision} needs a reason (--reason)")
    if review_days < 1:
        raise DecisionError("--review-days must be at least 1")
    at = at or utcnow()
    with engine.begin() as conn:
        signal = find_signal(conn, key)
        allowed, after = DECISIONS[decision]
        if signal.status not in allowed:
            raise DecisionError(f"{signal.signal_key} is {signal.status}: it cannot be {after} now "
                                f"({decision} follows {', '.join(sorted(allowed))})")
        product_id = None
        if decision == "launch":
            if not product_ref:
                raise DecisionError("launch needs the product it became (--product REF)")
            product_id = conn.execute(select(Product.id).where(Product.product_ref == product_ref.strip())).scalar()
            if product_id is None:
                raise DecisionError(f"no product {product_ref!r} on the shelf")
        review_on = at.date() + dt.timedelta(days=review_days) if decision == "reserve" else None
        rms = sorted(set(conn.execute(select(FieldNote.rm_id).join(SignalNote, SignalNote.note_id == FieldNote.id)
                                      .where(SignalNote.signal_id == signal.id)).scalars()))
        event_id = conn.execute(SignalEvent.__table__.insert().values(
            signal_id=signal.id, at=at, kind=after, from_status=signal.status, to_status=after, owner=owner,
            reason=reason, product_id=product_id, review_on=review_on,
            detail={"rms": rms, "notes": signal.notes, "customers": signal.customers})
            .returning(SignalEvent.__table__.c.id)).scalar_one()
        values: dict[str, Any] = {"status": after, "owner": owner, "review_on": review_on, "updated_at": at}
        if decision == "launch":
            values.update(product_id=product_id,
                          details={**(signal.details or {}), "launched_on": at.date().isoformat()})
        conn.execute(DemandSignal.__table__.update().where(DemandSignal.id == signal.id).values(**values))
    return Decided(signal.signal_key, signal.status, after, event_id, review_on, len(rms))


def signal_rows(engine: Engine, status: str | None = None) -> list[dict[str, Any]]:
    """One row per signal for ``mi signals list``, best first."""
    with engine.connect() as conn:
        query = select(DemandSignal).order_by(DemandSignal.score.desc(), DemandSignal.signal_key)
        if status:
            query = query.where(DemandSignal.status == status)
        return [{"signal": s.signal_key, "title": s.title, "status": s.status, "score": float(s.score),
                 "customers": s.customers, "rms": s.rms, "notes": s.notes, "owner": s.owner or "",
                 "review_on": s.review_on.isoformat() if s.review_on else "",
                 "last_noted_on": s.last_noted_on.isoformat()} for s in conn.execute(query)]


def signal_detail(engine: Engine, key: str) -> dict[str, Any]:
    """Everything ``mi signals show`` prints: the shareable item, its history, its publications."""
    with engine.connect() as conn:
        signal = find_signal(conn, key)
        (item,) = to_items(conn, [signal])
        history = [{"at": e.at.isoformat(timespec="seconds"), "event": e.kind, "from": e.from_status or "",
                    "to": e.to_status, "owner": e.owner or "", "reason": e.reason or "",
                    "review_on": e.review_on.isoformat() if e.review_on else ""}
                   for e in conn.execute(select(SignalEvent).where(SignalEvent.signal_id == signal.id)
                                         .order_by(SignalEvent.at, SignalEvent.id))]
        published = [{"period": p.period, "kind": p.kind, "change": p.change, "what_changed": p.what_changed or ""}
                     for p in conn.execute(select(SignalPublication).where(SignalPublication.signal_id == signal.id)
                                           .order_by(SignalPublication.published_at, SignalPublication.id))]
    return {"signal": item.key, "title": item.title, "category": item.category, "status": item.status,
            "score": item.score, "notes": item.notes, "customers": item.customers, "rms": item.rms,
            "confidential_notes": item.confidential_notes, "first_noted_on": item.first_noted_on,
            "last_noted_on": item.last_noted_on, "decision": item.decision, "product": item.product,
            "parts": [{"part": n, "points": p, "of": w, "reason": r} for n, p, w, r in item.parts],
            "evidence": [{"kind": e.kind, "stance": e.stance, "title": e.title, "url": e.url} for e in item.evidence],
            "quotes": list(item.quotes), "history": history, "publications": published}
