"""Intraday alerts out through the delivery channels, at most once per event, RM and channel.

``send_alerts`` prepares each rendered alert on each channel (the same .eml, SMTP and
webhook channels as briefs, with a Message-ID / idempotency key derived from the event and
the RM), queues it in ``rm_alerts`` (unique on event, RM and channel: an alert queued by an
earlier check is not queued again), then sends what is due: new ones and failed ones with
attempts left. Each attempt is claimed and committed before the channel is asked.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from mi.delivery.channels import Channel, ChannelDown, Outgoing, Refused, Skip
from mi.records.briefs import Brief, Rendered
from mi.records.redaction import redact_text
from mi.warehouse.base import utcnow
from mi.warehouse.ops import claim_alert, due_alerts, queue_alerts, settle_alert

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertDelivery:
    queued: int  # new rows this call (event, RM, channel)
    sent: int
    failed: int
    skipped: int


def send_alerts(engine: Engine, messages: Sequence[tuple[Brief, Rendered, str, str]], channels: Sequence[Channel],
                *, run_id: str, max_attempts: int = 5, now: dt.datetime | None = None) -> AlertDelivery:
    """``messages``: (brief, rendered, event key, kind) per RM alert or staff digest."""
    moment = now or utcnow()
    rows, skipped = [], 0
    for channel in channels:
        for brief, rendered, event_key, kind in messages:
            try:
                prepared = channel.prepare(brief, rendered, now=moment)
            except Skip as skip:
                skipped += 1
                log.warning("alert %s/%s skipped: %s", rendered.brief_key, channel.name, skip)
                continue
            rows.append({"event_key": event_key, "rm_ref": brief.rm_ref, "channel": channel.name, "kind": kind,
                         "recipient": prepared.recipient, "subject": rendered.subject, "text": rendered.text,
                         "message_id": prepared.message_id, "message": prepared.message, "card": prepared.card,
                         "status": "pending", "attempts": 0, "run_id": run_id, "created_at": moment})
    with engine.begin() as conn:
        queued = queue_alerts(conn, rows)
    sent = failed = 0
    try:
        for channel in channels:
            with engine.connect() as conn:
                due = due_alerts(conn, channel.name, max_attempts=max_attempts)
            for row in due:
                with engine.begin() as conn:
                    if not claim_alert(conn, row.id):
                        continue
                outgoing = Outgoing(brief_key=f"alert:{row.rm_ref}:{row.event_key.replace(':', '-')}",
                                    rm_ref=row.rm_ref, channel=row.channel, recipient=row.recipient,
                                    message_id=row.message_id, message=row.message, card=row.card)
                error = None
                try:
                    channel.send(outgoing)
                except ChannelDown as exc:
                    error = str(exc)
                except Refused as exc:
                    error = str(exc)
                except Exception as exc:  # noqa: BLE001 - a channel's bug must not leave the row "sending"
                    error = f"{type(exc).__name__}: {exc}"
                with engine.begin() as conn:
                    settle_alert(conn, row.id, error=redact_text(error) if error else None, now=now or utcnow())
                if error:
                    failed += 1
                    log.warning("alert %s/%s failed: %s", outgoing.brief_key, channel.name, redact_text(error))
                else:
                    sent += 1
    finally:
        for channel in channels:
            channel.close()
    return AlertDelivery(queued=queued, sent=sent, failed=failed, skipped=skipped)
