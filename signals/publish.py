"""Publishing signals per period, exactly once: digest email and webhook to the product
department, and the period's CSV and Markdown report.

A new signal is published once and becomes "sent". A signal already sent is not sent
again when it merely changes; it is published as an **update** only when its evidence grew
materially since it was last published (``material_change``), and the update says what
changed. Each publication is a row keyed (signal, period, kind), written in the same
transaction as the outbox message that carries it, so a second run in the period finds
it and publishes nothing. A reserved signal whose review date has come is published once
more for review (``publish_reviews``), once per reservation.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from mi.signals import render
from mi.signals.items import load_signals, to_items
from mi.signals.outbox import write_atomically
from mi.warehouse.base import utcnow
from mi.warehouse.loading import dialect_insert
from mi.warehouse.signals import DemandSignal, SignalEvent, SignalEvidence, SignalMessage, SignalPublication

DEFAULT_RECIPIENT = "product-department@bank.invalid"
#: Published while open; "launched" signals are closed, their product is followed up instead.
OPEN = ("new", "sent", "acknowledged", "accepted", "rejected", "reserved")
#: Evidence that counts as new material when it appears (a note's count has its own rule).
MATERIAL_EVIDENCE = ("competitor_offer", "competitor_change", "market_move")


def period_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class PublishOutcome:
    period: str
    new: int = 0
    updated: int = 0
    reviews: int = 0
    messages: int = 0


def snapshot(conn: Connection, signal: Any) -> dict[str, Any]:
    refs = conn.execute(select(SignalEvidence.ref).where(
        SignalEvidence.signal_id == signal.id, SignalEvidence.kind.in_(MATERIAL_EVIDENCE),
        SignalEvidence.stance == "supports").order_by(SignalEvidence.ref)).scalars()
    return {"notes": signal.notes, "customers": signal.customers, "rms": signal.rms, "score": float(signal.score),
            "revision": signal.revision, "evidence": list(refs)}


def material_change(before: dict[str, Any], now: dict[str, Any], titles: dict[str, str]) -> str | None:
    """What grew materially between two snapshots, in words; None when nothing did.

    Material: customers up by at least 2 and a quarter, RMs up by 2, or new supporting
    competitor or market evidence. The score alone is not evidence (it also moves as notes
    age), so it is said when it moved but never makes an update by itself."""
    said, material = [], False
    grown = now["customers"] - before.get("customers", 0)
    if grown >= max(2, math.ceil(0.25 * before.get("customers", 0))):
        material = True
    if grown:
        said.append(f"customers {before.get('customers', 0)} -> {now['customers']} ({grown:+d})")
    if now["rms"] - before.get("rms", 0) >= 2:
        material = True
    if now["rms"] != before.get("rms", 0):
        said.append(f"RMs {before.get('rms', 0)} -> {now['rms']}")
    if now["notes"] != before.get("notes", 0):
        said.append(f"notes {before.get('notes', 0)} -> {now['notes']}")
    fresh = [ref for ref in now["evidence"] if ref not in set(before.get("evidence", []))]
    if fresh:
        material = True
        said.append("new evidence: " + "; ".join(titles.get(ref, ref) for ref in fresh[:5]))
    if round(now["score"]) != round(before.get("score", 0.0)):
        said.append(f"score {before.get('score', 0.0):g} -> {now['score']:g}")
    return "; ".join(said) if material else None


def _last_snapshots(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for row in conn.execute(select(SignalPublication.signal_id, SignalPublication.snapshot)
                            .where(SignalPublication.signal_id.in_(ids), SignalPublication.kind == "digest")
                            .order_by(SignalPublication.published_at, SignalPublication.id)):
        found[row.signal_id] = row.snapshot
    return found


def publish_signals(engine: Engine, *, as_of: dt.date, period: str | None = None,
                    recipient: str = DEFAULT_RECIPIENT, min_score: float = 0.0) -> PublishOutcome:
    """Publish the period's new signals and material updates (see the module docstring)."""
    period = period or period_of(as_of)
    with engine.begin() as conn:
        signals = [s for s in load_signals(conn, statuses=OPEN) if s.status != "new" or s.score >= min_score]
        ids = [s.id for s in signals]
        done = set(conn.execute(select(SignalPublication.signal_id).where(
            SignalPublication.period == period, SignalPublication.kind == "digest")).scalars())
        last = _last_snapshots(conn, ids)
        entries: list[tuple[Any, str, str | None, dict[str, Any]]] = []
        for signal in signals:
            if signal.id in done:
                continue
            now = snapshot(conn, signal)
            if signal.status == "new":
                entries.append((signal, "new", None, now))
            elif signal.id in last:
                titles = dict(conn.execute(select(SignalEvidence.ref, SignalEvidence.title)
                                           .where(SignalEvidence.signal_id == signal.id)).all())
                what = material_change(last[signal.id], now, titles)
                if what:
                    entries.append((signal, "update", what, now))
        if not entries:
            return PublishOutcome(period)
        messages = _publish(conn, period, recipient, entries, kinds=("digest", "webhook"))
        for signal, change, what, _ in entries:
            if change == "new":
                _event(conn, signal.id, "sent", signal.status, "sent", detail={"period": period})
                conn.execute(DemandSignal.__table__.update().where(DemandSignal.id == signal.id)
                             .values(status="sent", updated_at=utcnow()))
            else:
                _event(conn, signal.id, "updated", signal.status, signal.status,
                       detail={"period": period, "what_changed": what})
    return PublishOutcome(period, new=sum(1 for e in entries if e[1] == "new"),
                          updated=sum(1 for e in entries if e[1] == "update"), messages=messages)


def publish_reviews(engine: Engine, *, as_of: dt.date, period: str | None = None,
                    recipient: str = DEFAULT_RECIPIENT) -> PublishOutcome:
    """Reserved signals whose review date has come, published once per reservation."""
    period = period or as_of.strftime("%Y-%m")
    with engine.begin() as conn:
        due = [s for s in load_signals(conn, statuses=["reserved"]) if s.review_on and s.review_on <= as_of]
        # One review per signal and period: a second reservation due in the same period waits.
        done = set(conn.execute(select(SignalPublication.signal_id).where(
            SignalPublication.period == period, SignalPublication.kind == "review")).scalars())
        due = [s for s in due if s.id not in done]
        entries = []
        for signal in due:
            reservation = conn.execute(select(SignalEvent.id).where(
                SignalEvent.signal_id == signal.id, SignalEvent.kind == "reserved")
                .order_by(SignalEvent.at.desc(), SignalEvent.id.desc()).limit(1)).scalar()
            seen = conn.execute(select(SignalPublication.id).where(
                SignalPublication.signal_id == signal.id, SignalPublication.kind == "review",
                SignalPublication.event_id == reservation)).first()
            if reservation is not None and seen is None:
                entries.append((signal, "review", f"reserved until {signal.review_on.isoformat()}: due for review",
                                {**snapshot(conn, signal), "reservation": reservation}))
        if not entries:
            return PublishOutcome(period)
        messages = _publish(conn, period, recipient, entries, kinds=("review",), prefix="signal-reviews")
        for signal, *_ in entries:
            _event(conn, signal.id, "review_due", "reserved", "reserved", detail={"period": period})
    return PublishOutcome(period, reviews=len(entries), messages=messages)


def _event(conn: Connection, signal_id: int, kind: str, before: str | None, after: str,
           detail: dict[str, Any]) -> None:
    conn.execute(SignalEvent.__table__.insert().values(signal_id=signal_id, kind=kind, from_status=before,
                                                       to_status=after, detail=detail))


def _publish(conn: Connection, period: str, recipient: str, entries: list[tuple[Any, str, str | None, dict]],
             *, kinds: tuple[str, ...], prefix: str = "signals") -> int:
    changes = {signal.id: (change, what) for signal, change, what, _ in entries}
    # A new signal is sent by this very publication: it reads "sent" in what goes out.
    items = [replace(i, status="sent") if i.change == "new" else i
             for i in to_items(conn, [signal for signal, *_ in entries], changes)]
    # Named by what it carries, so a rerun that finds the same items writes the same key.
    carried = ",".join(f"{i.key}:{i.change}:{signal.revision}" for i, (signal, *_) in zip(items, entries))
    digest = hashlib.sha256(carried.encode()).hexdigest()[:12]
    keys = {"email": f"{prefix}:{period}:email:{digest}", "webhook": f"{prefix}:{period}:webhook:{digest}"}
    body = {"period": period, "recipient": recipient, "created_at": utcnow()}
    table = SignalMessage.__table__
    insert = dialect_insert(conn, table).on_conflict_do_nothing(index_elements=["message_key"])
    conn.execute(insert, [
        {**body, "message_key": keys["email"], "channel": "email", "subject": render.subject(period, items),
         "text": render.digest_text(period, items), "html": render.digest_html(period, items), "payload": {}},
        {**body, "message_key": keys["webhook"], "channel": "webhook", "subject": render.subject(period, items),
         "text": "", "html": "", "payload": render.card(period, items)}])
    rows = []
    for signal, change, what, snap in entries:
        for kind in kinds:
            rows.append({"signal_id": signal.id, "period": period, "kind": kind, "change": change,
                         "revision": signal.revision, "what_changed": what, "snapshot": snap,
                         "event_id": snap.get("reservation"),
                         "message_key": keys["webhook" if kind == "webhook" else "email"]})
    conn.execute(dialect_insert(conn, SignalPublication.__table__)
                 .on_conflict_do_nothing(index_elements=["signal_id", "period", "kind"]), rows)
    return len(keys)


def report_items(conn: Connection, period: str) -> list[render.SignalItem]:
    """Every signal, open first by score, each with what the period published of it."""
    signals = load_signals(conn)
    changes = {row.signal_id: (row.change, row.what_changed) for row in conn.execute(
        select(SignalPublication).where(SignalPublication.period == period,
                                        SignalPublication.kind.in_(("digest", "review"))))}
    ordered = sorted(signals, key=lambda s: (s.status == "launched", -float(s.score), s.signal_key))
    return to_items(conn, ordered, changes)


def write_report(engine: Engine, *, period: str, folder: Path) -> tuple[list[Path], list[dict[str, object]]]:
    """The period's report as ``signals.csv`` and ``signals.md`` in ``folder/<period>/``
    (rewritten only when its content changed); also returns its rows for an artifact."""
    with engine.begin() as conn:
        items = report_items(conn, period)
        ids = {s.signal_key: s.id for s in load_signals(conn)}
        if items:
            conn.execute(dialect_insert(conn, SignalPublication.__table__)
                         .on_conflict_do_nothing(index_elements=["signal_id", "period", "kind"]),
                         [{"signal_id": ids[i.key], "period": period, "kind": "report", "change": i.change,
                           "what_changed": i.what_changed, "snapshot": {}} for i in items])
    target = folder / period
    written = []
    for name, data in (("signals.csv", render.report_csv(period, items)),
                       ("signals.md", render.report_markdown(period, items))):
        path = target / name
        write_atomically(path, data)
        written.append(path)
    return written, render.rows(period, items)
