"""Prefect tasks of the signal and follow-up flows: each is one batch (a range of notes,
every signal, every followed product), never one row.

Where things go: reports under ``<data dir>/reports/`` (``signals/<period>/`` and
``follow-up/<month>/``), messages through ``sender()``: by default ``.eml`` and ``.json``
files in ``<data dir>/outbox/signals/``. Pointing ``sender()`` at another ``Sender``
(SMTP, webhooks, the delivery package's outbox) changes where they go, nothing else.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.runtime import current_runtime
from mi.signals.build import RefreshOutcome, refresh_signals
from mi.signals.follow_store import FollowUpOutcome, run_follow_up
from mi.signals.outbox import FolderSender, Sender, deliver_pending
from mi.signals.publish import DEFAULT_RECIPIENT, PublishOutcome, publish_reviews, publish_signals, write_report
from mi.signals.reading import IdRange, pending_note_ranges, read_notes

__all__ = ["DEFAULT_RECIPIENT", "deliver", "follow_up_products", "plan_note_batches", "publish", "read_note_needs",
           "refresh", "report", "reviews", "sender"]


def reports_dir() -> Path:
    return current_runtime().settings.data_dir / "reports"


def sender() -> Sender:
    return FolderSender(current_runtime().settings.data_dir / "outbox" / "signals")


@task(name="plan-note-batches", cache_policy=NO_CACHE)
def plan_note_batches(chunk: int = 2000) -> list[IdRange]:
    return pending_note_ranges(current_runtime().engine, chunk)


@task(name="read-note-needs", task_run_name="read-notes-{ids.first}-{ids.last}", cache_policy=NO_CACHE)
def read_note_needs(ids: IdRange) -> int:
    return read_notes(current_runtime().engine, ids)


@task(name="refresh-signals", cache_policy=NO_CACHE)
def refresh(as_of: dt.date, since: dt.date | None, min_customers: int) -> RefreshOutcome:
    return refresh_signals(current_runtime().engine, as_of=as_of, since=since, min_customers=min_customers)


@task(name="publish-signals", cache_policy=NO_CACHE)
def publish(as_of: dt.date, recipient: str, min_score: float) -> PublishOutcome:
    return publish_signals(current_runtime().engine, as_of=as_of, recipient=recipient, min_score=min_score)


@task(name="signal-report", cache_policy=NO_CACHE)
def report(period: str) -> tuple[list[str], list[dict[str, object]]]:
    files, rows = write_report(current_runtime().engine, period=period, folder=reports_dir() / "signals")
    return [str(path) for path in files], rows


@task(name="deliver-signal-messages", cache_policy=NO_CACHE)
def deliver() -> tuple[int, int]:
    """Send what the outbox holds: (sent, failed); failures stay for the next run."""
    return deliver_pending(current_runtime().engine, sender())


@task(name="follow-up-products", cache_policy=NO_CACHE)
def follow_up_products(as_of: dt.date, months: int, threshold: float, grace_months: int, cost_basis: str,
                       recipient: str) -> FollowUpOutcome:
    return run_follow_up(current_runtime().engine, as_of=as_of, folder=reports_dir() / "follow-up", months=months,
                         recipient=recipient, threshold=threshold, grace_months=grace_months, cost_basis=cost_basis)


@task(name="publish-reviews", cache_policy=NO_CACHE)
def reviews(as_of: dt.date, recipient: str) -> PublishOutcome:
    return publish_reviews(current_runtime().engine, as_of=as_of, recipient=recipient)
