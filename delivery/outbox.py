"""Deliver rendered briefs through the outbox: once per brief and channel, exactly for .eml
files, and over SMTP and webhooks with the narrow at-least-once windows README's "Delivery
guarantee" names.

``deliver`` first queues every brief on every channel in one transaction (a brief queued
before is left as it was: its stored message is what goes out), then works through what
each channel has due, this run's briefs and earlier ones alike: never-tried, failed with
attempts left, and attempts found interrupted. Each attempt is claimed (``sending``, the
attempt counted) and committed before the channel is asked; the outcome is committed by
the very next statement after the channel answers.

An attempt still ``sending`` when a later run looks was interrupted (the process ended
between claim and outcome) once it is older than ``interrupted_after``; younger ones are
taken to be running in another process and left alone. An interrupted attempt is sent
again, under the same Message-ID, and the result says so (``after_interruption``): for the
.eml channel that rewrite is exact; over SMTP or a webhook the first copy may have been
accepted, which is where an RM can get a brief twice (the other place: a connection that
breaks, or an answer that does not come in time, after the whole message was handed over).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Row

from mi.delivery.channels import Channel, ChannelDown, Outgoing, Prepared, Refused, Skip
from mi.records.briefs import Brief, Rendered
from mi.records.redaction import redact_text
from mi.warehouse.base import utcnow
from mi.warehouse.outbox import (
    DeliveryStatus,
    claim,
    deliveries,
    due_deliveries,
    give_up_interrupted,
    last_window_end,
    last_window_ends,
    mark_failed,
    mark_sent,
    queue_deliveries,
    settled_deliveries,
)

log = logging.getLogger(__name__)
SOURCE_CHARS = 100  # BriefDeliveryItem.source


class Outcome:
    SENT = "sent"  # the channel accepted it in this run
    ALREADY_SENT = "already_sent"  # sent by an earlier run: not sent again
    FAILED = "failed"  # this run's attempt failed; the next run tries again
    GAVE_UP = "gave_up"  # failed max_attempts times: no run tries again by itself
    DEFERRED = "deferred"  # not attempted: the channel was down; the next run tries
    IN_PROGRESS = "in_progress"  # another process is sending it right now
    SKIPPED = "skipped"  # cannot go out on this channel (no email address, no card); nothing queued


@dataclass(frozen=True)
class DeliveryResult:
    brief_key: str
    channel: str
    rm_ref: str
    outcome: str  # one of Outcome
    attempts: int = 0
    message_id: str | None = None
    error: str | None = None  # redacted
    #: An earlier attempt was interrupted after the channel was asked: if the channel had
    #: accepted that one, this send is a second copy (with the same Message-ID).
    after_interruption: bool = False

    @property
    def key(self) -> str:
        return f"{self.brief_key}/{self.channel}"


def deliver(engine: Engine, rendered: Sequence[Rendered], briefs: Sequence[Brief], channels: Sequence[Channel], *,
            run_id: str, max_attempts: int = 5, interrupted_after: dt.timedelta = dt.timedelta(minutes=15),
            now: dt.datetime | None = None) -> list[DeliveryResult]:
    """Queue each rendered brief on each channel, then send everything those channels have due.

    Returns one result per brief and channel of this call (``SKIPPED``, ``ALREADY_SENT`` and
    ``GAVE_UP`` included), plus one per earlier delivery this run attempted. ``rendered`` and
    ``briefs`` are paired by ``Brief.key``. Channels are closed at the end.
    """
    queued_at = now or utcnow()
    by_key = {brief.key: brief for brief in briefs}
    missing = [r.brief_key for r in rendered if r.brief_key not in by_key]
    if missing:
        raise ValueError(f"rendered briefs without their Brief: {missing[:5]}")
    results: list[DeliveryResult] = []
    mine: dict[str, list[int]] = {}
    entries = []
    for channel in channels:
        for message in rendered:
            brief = by_key[message.brief_key]
            try:
                prepared = channel.prepare(brief, message, now=queued_at)
            except Skip as skip:
                results.append(DeliveryResult(brief.key, channel.name, brief.rm_ref, Outcome.SKIPPED, error=str(skip)))
                log.warning("%s/%s skipped: %s", brief.key, channel.name, skip)
                continue
            entries.append((_row(brief, message, channel.name, prepared, run_id, queued_at), _items(brief)))
    with engine.begin() as conn:
        for queued in queue_deliveries(conn, entries):
            mine.setdefault(queued.key[3], []).append(queued.id)
    try:
        for channel in channels:
            results.extend(_send_due(engine, channel, mine.get(channel.name, []), run_id=run_id,
                                     max_attempts=max_attempts, interrupted_after=interrupted_after, now=now))
    finally:
        for channel in channels:
            channel.close()
    return results


def last_brief_window_end(engine: Engine, rm_ref: str, kind: str) -> dt.datetime | None:
    """Where the RM's next window starts: the end of the window of the latest brief of this
    kind sent to them on any channel; None before their first."""
    with engine.connect() as conn:
        return last_window_end(conn, rm_ref, kind)


def last_brief_window_ends(engine: Engine, rm_refs: Sequence[str], kind: str) -> dict[str, dt.datetime | None]:
    """``last_brief_window_end`` of each RM (None before their first), read at once."""
    with engine.connect() as conn:
        found = last_window_ends(conn, rm_refs, kind)
    return {ref: found.get(ref) for ref in rm_refs}


def settled_briefs(engine: Engine, rm_refs: Sequence[str], kind: str, period: dt.date, channels: Sequence[str], *,
                   max_attempts: int = 5) -> dict[str, list[DeliveryResult]]:
    """The RMs whose brief of ``kind`` for ``period`` is settled on every one of ``channels``
    (sent, or given up after ``max_attempts``), with those deliveries' results
    (``ALREADY_SENT`` / ``GAVE_UP``). A re-run of the period need not compose their briefs
    again: nothing it composed would be sent."""
    wanted = set(channels)
    with engine.connect() as conn:
        found = settled_deliveries(conn, rm_refs, kind, period, max_attempts=max_attempts)
    return {rm: [_settled(row) for row in rows if row.channel in wanted] for rm, rows in found.items()
            if wanted and wanted <= {row.channel for row in rows}}


def _send_due(engine: Engine, channel: Channel, mine: list[int], *, run_id: str, max_attempts: int,
              interrupted_after: dt.timedelta, now: dt.datetime | None) -> list[DeliveryResult]:
    with engine.connect() as conn:
        due = due_deliveries(conn, channel.name, max_attempts=max_attempts)
        waiting = set(due)
        settled = deliveries(conn, [i for i in mine if i not in waiting])
    results = [_settled(row) for row in settled.values()]
    down: ChannelDown | None = None
    for delivery_id in due:
        moment = now or utcnow()
        if down is not None:
            with engine.connect() as conn:
                row = deliveries(conn, [delivery_id])[delivery_id]
            results.append(_result(row, Outcome.DEFERRED, error=f"not attempted: {down}"))
            continue
        with engine.begin() as conn:
            claimed = claim(conn, delivery_id, now=moment, max_attempts=max_attempts,
                            interrupted_before=moment - interrupted_after)
            if claimed is None:
                gave_up = give_up_interrupted(conn, delivery_id, max_attempts=max_attempts,
                                              interrupted_before=moment - interrupted_after)
            row = deliveries(conn, [delivery_id])[delivery_id]
        if claimed is None:
            if gave_up:
                log.error("%s/%s: %s; gave up after %d attempts", row.brief_key, row.channel, row.last_error,
                          row.attempts)
                results.append(_result(row, Outcome.GAVE_UP, error=row.last_error))
            elif row.status == DeliveryStatus.SENDING:
                results.append(_result(row, Outcome.IN_PROGRESS))
            elif delivery_id in mine:  # another run attempted it between our two reads
                outcome = Outcome.ALREADY_SENT if row.status == DeliveryStatus.SENT else Outcome.FAILED
                results.append(_result(row, outcome, error=row.last_error))
            continue
        result, down = _attempt(engine, channel, row, reclaimed=claimed == "reclaimed", run_id=run_id,
                                max_attempts=max_attempts, now=now)
        results.append(result)
    deferred = sum(1 for r in results if r.outcome == Outcome.DEFERRED)
    if deferred:
        log.warning("%d deliveries via %s left for the next run: %s", deferred, channel.name, down)
    return results


def _attempt(engine: Engine, channel: Channel, row: Row[Any], *, reclaimed: bool, run_id: str, max_attempts: int,
             now: dt.datetime | None) -> tuple[DeliveryResult, ChannelDown | None]:
    outgoing = Outgoing(brief_key=row.brief_key, rm_ref=row.rm_ref, channel=row.channel, recipient=row.recipient,
                        message_id=row.message_id, message=row.message, card=row.card)
    if reclaimed:
        log.warning("%s: an earlier attempt was interrupted and may have been delivered; sending again with "
                    "the same Message-ID", outgoing.key)
    down = None
    try:
        receipt = channel.send(outgoing)
    except ChannelDown as exc:
        down, error = exc, str(exc)
    except Refused as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 (a channel's bug must not leave the row "sending")
        error = f"{type(exc).__name__}: {exc}"
    else:
        with engine.begin() as conn:  # the very next statement: the window for a second copy
            mark_sent(conn, row.id, now=now or utcnow(), run_id=run_id, receipt=receipt)
        log.info("%s sent (attempt %d): %s", outgoing.key, row.attempts, redact_text(receipt))
        return _result(row, Outcome.SENT, after_interruption=reclaimed), None
    error = redact_text(error)
    with engine.begin() as conn:
        mark_failed(conn, row.id, error=error)
    if row.attempts >= max_attempts:
        log.error("%s failed %d times, not retried (raise MI_DELIVERY_MAX_ATTEMPTS to try again): %s",
                  outgoing.key, row.attempts, error)
        return _result(row, Outcome.GAVE_UP, error=error, after_interruption=reclaimed), down
    log.warning("%s failed (attempt %d of %d, retried by the next run): %s", outgoing.key, row.attempts,
                max_attempts, error)
    return _result(row, Outcome.FAILED, error=error, after_interruption=reclaimed), down


def _settled(row: Row[Any]) -> DeliveryResult:
    """A delivery of this call that no run will attempt again."""
    if row.status == DeliveryStatus.SENT:
        return _result(row, Outcome.ALREADY_SENT)
    return _result(row, Outcome.GAVE_UP, error=row.last_error)


def _result(row: Row[Any], outcome: str, *, error: str | None = None, after_interruption: bool = False) -> DeliveryResult:
    return DeliveryResult(row.brief_key, row.channel, row.rm_ref, outcome, attempts=row.attempts,
                          message_id=row.message_id, error=error, after_interruption=after_interruption)


def _row(brief: Brief, rendered: Rendered, channel: str, prepared: Prepared, run_id: str,
         now: dt.datetime) -> dict[str, Any]:
    return {
        "brief_key": brief.key, "rm_ref": brief.rm_ref, "kind": brief.kind, "period": brief.period,
        "channel": channel, "recipient": prepared.recipient, "status": DeliveryStatus.PENDING, "attempts": 0,
        "interruptions": 0, "message_id": prepared.message_id, "subject": rendered.subject,
        # An email holds its text and HTML parts: they are not stored twice (``delivered_html``).
        "text": "" if prepared.message else rendered.text, "html": "" if prepared.message else rendered.html,
        "language": rendered.language, "message": prepared.message, "card": prepared.card,
        "item_count": len(brief.items), "window_start": brief.window_start, "window_end": brief.window_end,
        "run_id": run_id, "created_at": now,
    }


def _items(brief: Brief) -> list[dict[str, Any]]:
    """Each stored row the brief stands on, once, with the first item's section and customer."""
    seen: dict[str, dict[str, Any]] = {}
    for item in brief.items:
        for source in item.sources:
            if len(source) > SOURCE_CHARS:
                raise ValueError(f"item source {source[:40]!r}... is longer than {SOURCE_CHARS} characters")
            seen.setdefault(source, {"source": source, "section": item.section, "customer_ref": item.customer_ref})
    return list(seen.values())
