"""The outbox: one row per brief delivery, and the audit trail of what went to whom.

A ``brief_deliveries`` row is one brief (RM, kind, period) on one delivery channel (eml,
smtp, webhook), unique on those four, so queueing the same brief twice adds nothing. It
holds the message as queued, so a retry days later sends what was first rendered, under the
same Message-ID: an email's exact RFC 5322 bytes (its text and HTML parts are what the RM
read: ``delivered_html`` reads them back, and the row does not store them a second time,
which was 40 % of a 500-RM morning's outbox), or a webhook's card with its text and HTML.
``status`` moves pending → sending → sent, or → failed (retried by a later run until
``attempts`` reaches the limit); see ``mi.delivery`` and README's "Delivery
guarantee" for what ``sending`` means after a crash.

``brief_delivery_items`` lists the stored rows (``BriefItem.sources``, "document:123")
each delivery carried: who was told what, when, by which run.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    Row,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from mi.records.redaction import redact_text
from mi.warehouse.base import Base, BigId, utcnow
from mi.warehouse.loading import insert_new


class DeliveryStatus:
    PENDING = "pending"  # queued, never attempted
    SENDING = "sending"  # an attempt started (committed before the channel was asked)
    SENT = "sent"  # the channel accepted it; never sent again
    FAILED = "failed"  # the last attempt failed; retried while attempts < the limit

    ALL = (PENDING, SENDING, SENT, FAILED)


class BriefDelivery(Base):
    __tablename__ = "brief_deliveries"
    __table_args__ = (
        UniqueConstraint("rm_ref", "kind", "period", "channel"),
        Index("ix_brief_deliveries_channel_status", "channel", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brief_key: Mapped[str] = mapped_column(String(100))  # Brief.key, "daily:RM042:2026-12-01"
    rm_ref: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(10))
    period: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))  # eml, smtp, webhook
    #: The RM's address for email channels; "webhook:<rm_ref>" for a webhook (its URL often
    #: holds a token, so it is never stored).
    recipient: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    #: Attempts found still ``sending`` by a later run: the channel may have accepted them.
    interruptions: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)  # redacted
    message_id: Mapped[str] = mapped_column(String(250))
    subject: Mapped[str] = mapped_column(Text)
    #: The brief's text and HTML; empty for an email, whose ``message`` holds them
    #: (``delivered_html``). Rows queued before 2026-11-30 hold both.
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(12))
    #: The RFC 5322 message exactly as queued (email channels), attachments included.
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The webhook card exactly as queued (webhook channel).
    card: Mapped[dict[str, Any] | None] = mapped_column()
    item_count: Mapped[int] = mapped_column(default=0)
    #: The brief's window: what arrived in [start, end) was new to the RM.
    window_start: Mapped[dt.datetime | None] = mapped_column()
    window_end: Mapped[dt.datetime] = mapped_column()
    run_id: Mapped[str] = mapped_column(String(64))  # the run that queued it
    sent_run_id: Mapped[str | None] = mapped_column(String(64))  # the run whose attempt was accepted
    #: What the channel answered: the .eml file's name, the SMTP server's reply, the HTTP status.
    receipt: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempted_at: Mapped[dt.datetime | None] = mapped_column()  # the last attempt's start
    sent_at: Mapped[dt.datetime | None] = mapped_column()


class BriefDeliveryItem(Base):
    """One stored row a delivery carried (``document:123``), in which section and about whom."""

    __tablename__ = "brief_delivery_items"
    __table_args__ = (
        UniqueConstraint("delivery_id", "source"),
        Index("ix_brief_delivery_items_source", "source"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(BigId, ForeignKey("brief_deliveries.id"))
    source: Mapped[str] = mapped_column(String(100))
    section: Mapped[str] = mapped_column(String(20))
    customer_ref: Mapped[str | None] = mapped_column(String(50))


# -- writes -----------------------------------------------------------------------------
#: What identifies a delivery: (rm_ref, kind, period, channel), the table's unique key.
DeliveryKey = tuple[str, str, dt.date, str]
_ERROR_CHARS = 2_000


@dataclass(frozen=True)
class Queued:
    id: int
    key: DeliveryKey
    new: bool  # this call queued it; False when an earlier run had


def queue_deliveries(conn: Connection, entries: Sequence[tuple[dict[str, Any], Sequence[dict[str, Any]]]]) -> list[Queued]:
    """Queue each (delivery row, its items) not queued before; an existing row is left as it is.

    Returns every entry's row id in order, and whether this call added it. Items (``source``,
    ``section``, ``customer_ref``) are recorded with the new rows only, so the audit trail
    says what the delivery carried when it was first queued.
    """
    table = BriefDelivery.__table__
    conflict = ["rm_ref", "kind", "period", "channel"]
    new_ids = set(insert_new(conn, table, [row for row, _ in entries], conflict=conflict))
    queued = []
    for row, items in entries:
        key: DeliveryKey = (row["rm_ref"], row["kind"], row["period"], row["channel"])
        delivery_id = conn.execute(select(table.c.id).where(*(table.c[name] == value for name, value
                                                              in zip(conflict, key)))).scalar_one()
        new = delivery_id in new_ids
        if new and items:
            insert_new(conn, BriefDeliveryItem.__table__, [{**item, "delivery_id": delivery_id} for item in items],
                       conflict=["delivery_id", "source"])
        queued.append(Queued(delivery_id, key, new))
    return queued


#: What delivering reads of a row: everything but the copies of the brief kept for people
#: (subject, text, HTML), which sending never uses (a webhook's card holds what it posts).
_SENDING_COLUMNS = [column for column in BriefDelivery.__table__.c if column.name not in ("subject", "text", "html")]


def deliveries(conn: Connection, ids: Sequence[int]) -> dict[int, Row[Any]]:
    """The rows with these ids, in id (queueing) order, without their subject, text and HTML."""
    table = BriefDelivery.__table__
    if not ids:
        return {}
    return {row.id: row for row in conn.execute(select(*_SENDING_COLUMNS).where(table.c.id.in_(list(ids)))
                                                .order_by(table.c.id))}


def due_deliveries(conn: Connection, channel: str, *, max_attempts: int) -> list[int]:
    """Rows of ``channel`` a run should try, oldest first: never attempted, failed with
    attempts left, or marked ``sending`` (running elsewhere, or interrupted: see ``claim``)."""
    table = BriefDelivery.__table__
    return list(conn.execute(select(table.c.id).where(
        table.c.channel == channel,
        or_(table.c.status == DeliveryStatus.PENDING, table.c.status == DeliveryStatus.SENDING,
            and_(table.c.status == DeliveryStatus.FAILED, table.c.attempts < max_attempts)),
    ).order_by(table.c.id)).scalars())


def claim(conn: Connection, delivery_id: int, *, now: dt.datetime, max_attempts: int,
          interrupted_before: dt.datetime) -> str | None:
    """Mark a delivery ``sending`` and count the attempt, if no one else holds it.

    One conditional UPDATE, so two runs never both claim it. An attempt still ``sending``
    that started before ``interrupted_before`` was interrupted (its process ended before it
    recorded the outcome): it is claimed again and counted in ``interruptions``. Returns
    ``"claimed"``, ``"reclaimed"`` (after an interruption) or None.
    """
    table = BriefDelivery.__table__
    fresh = conn.execute(update(table).where(
        table.c.id == delivery_id, table.c.attempts < max_attempts,
        table.c.status.in_([DeliveryStatus.PENDING, DeliveryStatus.FAILED]),
    ).values(status=DeliveryStatus.SENDING, attempts=table.c.attempts + 1, attempted_at=now))
    if fresh.rowcount == 1:
        return "claimed"
    stale = conn.execute(update(table).where(
        table.c.id == delivery_id, table.c.attempts < max_attempts, table.c.status == DeliveryStatus.SENDING,
        table.c.attempted_at < interrupted_before,
    ).values(attempts=table.c.attempts + 1, interruptions=table.c.interruptions + 1, attempted_at=now))
    return "reclaimed" if stale.rowcount == 1 else None


def give_up_interrupted(conn: Connection, delivery_id: int, *, max_attempts: int,
                        interrupted_before: dt.datetime) -> bool:
    """An interrupted attempt that was the last one allowed becomes ``failed``, saying so."""
    table = BriefDelivery.__table__
    done = conn.execute(update(table).where(
        table.c.id == delivery_id, table.c.status == DeliveryStatus.SENDING, table.c.attempts >= max_attempts,
        table.c.attempted_at < interrupted_before,
    ).values(status=DeliveryStatus.FAILED, interruptions=table.c.interruptions + 1,
             last_error="the last attempt was interrupted (the process ended before it recorded the outcome)"))
    return done.rowcount == 1


def mark_sent(conn: Connection, delivery_id: int, *, now: dt.datetime, run_id: str, receipt: str) -> None:
    table = BriefDelivery.__table__
    conn.execute(update(table).where(table.c.id == delivery_id).values(
        status=DeliveryStatus.SENT, sent_at=now, sent_run_id=run_id, receipt=_clip(redact_text(receipt)),
        last_error=None))


def mark_failed(conn: Connection, delivery_id: int, *, error: str) -> None:
    """Record a failed attempt; ``error`` is masked (``redact_text``) before it is stored."""
    table = BriefDelivery.__table__
    conn.execute(update(table).where(table.c.id == delivery_id).values(
        status=DeliveryStatus.FAILED, last_error=_clip(redact_text(error))))


#: RMs asked about per query (an IN list every backend takes).
_IN_CHUNK = 500


def settled_deliveries(conn: Connection, rm_refs: Sequence[str], kind: str, period: dt.date, *,
                       max_attempts: int) -> dict[str, list[Row[Any]]]:
    """The deliveries of these RMs' briefs of ``kind`` for ``period`` that no run will
    attempt again (sent, or failed ``max_attempts`` times), by RM; the message bodies are
    not read (``brief_key``, ``channel``, ``rm_ref``, ``status``, ``attempts``,
    ``message_id``, ``last_error``)."""
    table = BriefDelivery.__table__
    found: dict[str, list[Row[Any]]] = {}
    refs = sorted(set(rm_refs))
    for start in range(0, len(refs), _IN_CHUNK):
        rows = conn.execute(
            select(table.c.id, table.c.brief_key, table.c.channel, table.c.rm_ref, table.c.status, table.c.attempts,
                   table.c.message_id, table.c.last_error)
            .where(table.c.rm_ref.in_(refs[start:start + _IN_CHUNK]), table.c.kind == kind,
                   table.c.period == period,
                   or_(table.c.status == DeliveryStatus.SENT,
                       and_(table.c.status == DeliveryStatus.FAILED, table.c.attempts >= max_attempts)))
            .order_by(table.c.id))
        for row in rows:
            found.setdefault(row.rm_ref, []).append(row)
    return found


def last_window_end(conn: Connection, rm_ref: str, kind: str) -> dt.datetime | None:
    """The window end of the latest brief of this kind sent to the RM on any channel."""
    return last_window_ends(conn, [rm_ref], kind).get(rm_ref)


def last_window_ends(conn: Connection, rm_refs: Sequence[str], kind: str) -> dict[str, dt.datetime]:
    """``last_window_end`` of each of these RMs that has one, in one query per 500 RMs."""
    table = BriefDelivery.__table__
    found: dict[str, dt.datetime] = {}
    refs = sorted(set(rm_refs))
    for start in range(0, len(refs), _IN_CHUNK):
        found.update(conn.execute(
            select(table.c.rm_ref, func.max(table.c.window_end))
            .where(table.c.rm_ref.in_(refs[start:start + _IN_CHUNK]), table.c.kind == kind,
                   table.c.status == DeliveryStatus.SENT)
            .group_by(table.c.rm_ref)).all())
    return found


def delivered_html(row: Any) -> str:
    """The HTML the RM received: the row's own, else the HTML part of its email."""
    if row.html or not row.message:
        return row.html or ""
    message = message_from_bytes(row.message, policy=policy.default)
    part = message.get_body(preferencelist=("html",))
    content = part.get_content() if part is not None else ""
    return content if isinstance(content, str) else ""


def _clip(text: str) -> str:
    return text if len(text) <= _ERROR_CHARS else text[: _ERROR_CHARS - 1] + "\u2026"
