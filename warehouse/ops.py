"""Operations' tables: intraday alerts to RMs (an outbox keyed per event, RM and channel)
and source-health alerts to the market-information staff (one open episode per channel and
condition).

``rm_alerts``: one row per (event, RM, delivery channel), unique on those three, so a check
that sees the same breach again queues nothing: an alert goes out at most once per event
and RM. It keeps the message as first rendered and moves pending → sending → sent (or
failed, retried by later checks until ``attempts`` reaches the limit), like the brief
outbox.

``channel_health_alerts``: an episode of one condition (silent, volume_low, volume_high,
layout) on one channel, from ``opened_at`` until ``cleared_at``; the staff are told when one
opens and when it clears, not on every run.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, mapped_column

from mi.warehouse.base import Base, BigId, JSONType, utcnow
from mi.warehouse.loading import insert_new


class AlertStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class RmAlert(Base):
    __tablename__ = "rm_alerts"
    __table_args__ = (
        UniqueConstraint("event_key", "rm_ref", "channel"),
        Index("ix_rm_alerts_channel_status", "channel", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: What fired: "news:event:12", "market:ecb.usd:2026-11-27"; staff digests "digest:<run>".
    event_key: Mapped[str] = mapped_column(String(200))
    rm_ref: Mapped[str] = mapped_column(String(50))  # "staff" for the digest
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # news, market, digest
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(250))
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    card: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(10), default=AlertStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class ChannelHealthAlert(Base):
    __tablename__ = "channel_health_alerts"
    __table_args__ = (Index("ix_channel_health_alerts_channel_id_condition", "channel_id", "condition"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    condition: Mapped[str] = mapped_column(String(20))  # silent, volume_low, volume_high, layout
    detail: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[dt.datetime]
    cleared_at: Mapped[dt.datetime | None]


def queue_alerts(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Queue alerts not queued before (by event, RM and channel); returns how many are new."""
    return len(insert_new(conn, RmAlert.__table__, list(rows), conflict=["event_key", "rm_ref", "channel"]))


def due_alerts(conn: Connection, channel: str, *, max_attempts: int) -> list[Any]:
    table = RmAlert.__table__
    return list(conn.execute(select(table).where(
        table.c.channel == channel, table.c.status.in_([AlertStatus.PENDING, AlertStatus.FAILED]),
        table.c.attempts < max_attempts).order_by(table.c.id)))


def claim_alert(conn: Connection, alert_id: int) -> bool:
    """Mark an attempt started (committed before the channel is asked); False if another run has it."""
    table = RmAlert.__table__
    done = conn.execute(update(table).where(
        table.c.id == alert_id, table.c.status.in_([AlertStatus.PENDING, AlertStatus.FAILED]))
        .values(status=AlertStatus.SENDING, attempts=table.c.attempts + 1))
    return done.rowcount == 1


def settle_alert(conn: Connection, alert_id: int, *, error: str | None, now: dt.datetime) -> None:
    table = RmAlert.__table__
    values: dict[str, Any] = ({"status": AlertStatus.FAILED, "last_error": error} if error
                              else {"status": AlertStatus.SENT, "sent_at": now, "last_error": None})
    conn.execute(update(table).where(table.c.id == alert_id).values(**values))


def open_health_alerts(conn: Connection) -> dict[tuple[int, str], Any]:
    table = ChannelHealthAlert.__table__
    return {(row.channel_id, row.condition): row
            for row in conn.execute(select(table).where(table.c.cleared_at.is_(None)))}


def open_health_alert(conn: Connection, channel_id: int, condition: str, detail: str, now: dt.datetime) -> None:
    conn.execute(ChannelHealthAlert.__table__.insert().values(channel_id=channel_id, condition=condition,
                                                              detail=detail, opened_at=now))


def clear_health_alert(conn: Connection, alert_id: int, now: dt.datetime) -> None:
    table = ChannelHealthAlert.__table__
    conn.execute(update(table).where(table.c.id == alert_id).values(cleared_at=now))
