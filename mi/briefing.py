"""Brief a batch of RMs: compose, render, deliver through the outbox. Plain functions.

``mi.tasks.brief`` runs one batch per task; ``mi brief --preview`` and the tests call these
directly. Each RM's window starts where their last delivered brief of the kind ended, so
a re-run of the same period adds nothing to what is sent (the outbox keys deliveries by
RM, kind, period and channel) and a failed delivery is retried by the next run.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from mi.briefs.compose import compose_briefs
from mi.briefs.material import MaterialShelf
from mi.briefs.render import render_brief
from mi.delivery import (
    Channel,
    DeliveryResult,
    deliver,
    last_brief_window_end,
    last_brief_window_ends,
    settled_briefs,
)
from mi.records.briefs import Brief, Rendered
from mi.settings import Settings
from mi.warehouse.book import RelationshipManager

KIND = "daily"


@dataclass(frozen=True)
class BatchResult:
    briefs: tuple[Brief, ...]
    rendered: tuple[Rendered, ...]
    deliveries: tuple[DeliveryResult, ...] = ()
    #: RMs with nothing new who got no message (``MI_BRIEF_QUIET=skip``).
    skipped_quiet: tuple[str, ...] = field(default=())

    def rows(self) -> list[dict[str, object]]:
        """One row per brief and channel, for the run's table artifact and the CLI."""
        by_key = {brief.key: brief for brief in self.briefs}
        rows: list[dict[str, object]] = []
        for result in self.deliveries:
            brief = by_key.get(result.brief_key)
            rows.append({"rm": result.rm_ref, "channel": result.channel, "outcome": str(result.outcome),
                         "items": len(brief.items) if brief else "", "attempts": result.attempts,
                         "error": result.error or ""})
        delivered = {result.brief_key for result in self.deliveries}
        for brief in self.briefs:
            if brief.key not in delivered:
                outcome = "skipped (quiet)" if brief.rm_ref in self.skipped_quiet else "not sent (dry run)"
                rows.append({"rm": brief.rm_ref, "channel": "", "outcome": outcome, "items": len(brief.items),
                             "attempts": 0, "error": ""})
        return rows

    def report(self) -> BatchReport:
        """What a flow run returns of the batch: its rows, its count and one sample brief."""
        sample = next(((r.subject, r.text) for r in self.rendered if "nothing new" not in r.subject), None)
        return BatchReport(table=tuple(self.rows()), brief_count=len(self.briefs), sample=sample)


@dataclass(frozen=True)
class BatchReport:
    """A batch as the brief flow reports it: one row per brief and channel (``BatchResult.rows``),
    how many briefs were composed, and one brief's (subject, text) for the run's artifact.

    The flow returns these rather than the briefs and their HTML: Prefect walks a flow's
    return value looking for futures, and a 500-RM batch's items and pages were some
    227,000 objects to walk (2.6 s of a 9 s stage, ``bench/bank_day.py``)."""

    table: tuple[dict[str, object], ...]
    brief_count: int
    sample: tuple[str, str] | None = None

    def rows(self) -> list[dict[str, object]]:
        return list(self.table)


def active_rms(engine: Engine, rm_refs: Sequence[str] | None = None) -> list[str]:
    """The RMs to brief: those named (unknown ones are an error), else every active RM."""
    with engine.connect() as conn:
        known = dict(conn.execute(select(RelationshipManager.rm_ref, RelationshipManager.active)).all())
    if rm_refs:
        unknown = sorted(set(rm_refs) - set(known))
        if unknown:
            raise ValueError(f"unknown RM(s): {', '.join(unknown)}")
        return sorted(set(rm_refs))
    return sorted(ref for ref, active in known.items() if active)


def brief_batch(engine: Engine, settings: Settings, rm_refs: Sequence[str], *, period: dt.date,
                until: dt.datetime, channels: Sequence[Channel], run_id: str, dry_run: bool = False) -> BatchResult:
    """Compose, render and (unless ``dry_run``) deliver the briefs of ``rm_refs`` for ``period``.

    An RM whose brief for the period is already settled on every channel (a re-run of the
    day) is not composed again: the batch reports those deliveries as they stand."""
    delivery = settings.delivery
    settled: dict[str, list[DeliveryResult]] = {}
    if not dry_run:
        settled = settled_briefs(engine, rm_refs, KIND, period, [channel.name for channel in channels],
                                 max_attempts=delivery.max_attempts)
    done = tuple(result for ref in rm_refs for result in settled.get(ref, ()))
    rm_refs = [ref for ref in rm_refs if ref not in settled]
    since = last_brief_window_ends(engine, rm_refs, KIND)
    briefs = compose_briefs(engine, period=period, until=until, since=since, rm_refs=rm_refs,
                            kind=KIND, shelf=_shelf_of(run_id)) if rm_refs else []
    quiet = tuple(b.rm_ref for b in briefs if b.quiet and settings.briefs.quiet == "skip")
    to_send = [b for b in briefs if b.rm_ref not in quiet]
    rendered = tuple(render(settings, brief) for brief in to_send)
    if dry_run or not to_send:
        for channel in channels:
            channel.close()
        return BatchResult(tuple(briefs), rendered, done, skipped_quiet=quiet)
    results = deliver(engine, rendered, to_send, channels, run_id=run_id, max_attempts=delivery.max_attempts,
                      interrupted_after=dt.timedelta(seconds=delivery.interrupted_after))
    return BatchResult(tuple(briefs), rendered, done + tuple(results), quiet)


#: The material shelf of the latest brief run in this process: (run id, shelf).
_shelf: tuple[str, MaterialShelf] | None = None
_shelf_lock = threading.Lock()


def _shelf_of(run_id: str) -> MaterialShelf:
    """The run's shelf: its batches read the day's material once (one run's at a time)."""
    global _shelf
    with _shelf_lock:
        if _shelf is None or _shelf[0] != run_id:
            _shelf = (run_id, MaterialShelf())
        return _shelf[1]


def release_material(run_id: str) -> None:
    """Let go of the run's material once its last batch is done."""
    global _shelf
    with _shelf_lock:
        if _shelf is not None and _shelf[0] == run_id:
            _shelf = None


def render(settings: Settings, brief: Brief) -> Rendered:
    options = settings.briefs
    return render_brief(brief, bank_name=options.bank_name, desk_url=options.desk_url, time_zone=options.time_zone,
                        card="webhook" in settings.delivery.channels)  # a card only for a webhook to post


def preview(engine: Engine, settings: Settings, rm_ref: str, *, period: dt.date, until: dt.datetime) -> Rendered:
    """One RM's brief as it would be sent now, without sending or recording anything."""
    active_rms(engine, [rm_ref])
    since = {rm_ref: last_brief_window_end(engine, rm_ref, KIND)}
    (brief,) = compose_briefs(engine, period=period, until=until, since=since, rm_refs=[rm_ref], kind=KIND,
                              record_feedback=False)
    return render(settings, brief)
