"""Gather one channel: fetch → land raw → parse → load clean, and keep its health.

Plain functions, no Prefect: ``mi.tasks.gather`` wraps them as tasks, ``mi replay`` and
the tests call them directly. Sources fetch and parse; the warehouse lands and loads;
this module is where the two meet. One channel's trouble is always caught and recorded here,
so it can never stop another channel.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select, update

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.registry import source_for
from mi.transport import Transport
from mi.transport.http import FetchError, Response
from mi.warehouse.base import utcnow
from mi.warehouse.loading import land_raw_item, mark_raw_item, payload_digest
from mi.warehouse.models import Channel, ParseStatus, RawItem
from mi.warehouse.record_loading import LoadBatch, load_parsed

MAX_PROBLEMS_KEPT = 50


@dataclass(frozen=True)
class ChannelResult:
    """What one channel's run did; one row of the run's table artifact."""

    channel: str
    kind: str
    fetched: int = 0  # payloads retrieved (including "not modified" answers)
    new: int = 0  # clean records added (documents, observations)
    unchanged: int = 0  # payloads not modified + records already in the warehouse
    quarantined: int = 0  # payloads or rows set aside with a reason
    error: str | None = None  # what stopped a payload or the channel, for the operator
    problems: tuple[str, ...] = field(default=(), compare=False)  # rows/items set aside
    warnings: tuple[str, ...] = field(default=(), compare=False)  # worth knowing, nothing lost
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        return "partial" if self.quarantined else "ok"

    def as_row(self) -> dict[str, Any]:
        return {
            "channel": self.channel, "kind": self.kind, "status": self.status,
            "fetched": self.fetched, "new": self.new, "unchanged": self.unchanged,
            "quarantined": self.quarantined, "error": self.error or self._set_aside(),
        }

    def _set_aside(self) -> str:
        if not self.problems:
            return ""
        return f"{self.quarantined} set aside, first: {self.problems[0]}"


@dataclass
class _Tally:
    fetched: int = 0
    new: int = 0
    unchanged: int = 0
    quarantined: int = 0
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def result(self, config: ChannelConfig, started: float) -> ChannelResult:
        error = "; ".join(self.errors[:3]) + (f" (+{len(self.errors) - 3} more)" if len(self.errors) > 3 else "")
        return ChannelResult(
            channel=config.name, kind=config.kind, fetched=self.fetched, new=self.new,
            unchanged=self.unchanged, quarantined=self.quarantined, error=error or None,
            problems=tuple(self.problems[:MAX_PROBLEMS_KEPT]), warnings=tuple(self.warnings[:MAX_PROBLEMS_KEPT]),
            seconds=time.monotonic() - started,
        )


def content_type_problem(source: BaseSource, content_type: str | None) -> str | None:
    accepted = source.accepted_content_types
    if not accepted or not content_type:
        return None
    lowered = content_type.lower()
    if any(token in lowered for token in accepted):
        return None
    return f"unexpected content type {content_type!r} for a {source.kind} channel"


def gather_channel(engine: Engine, config: ChannelConfig, transport: Transport, *,
                   since: dt.date | None = None, now: dt.datetime | None = None,
                   limits: Limits | None = None) -> ChannelResult:
    """Run one channel end to end. Never raises for the channel's own trouble."""
    started = time.monotonic()
    now = now or utcnow()
    tally = _Tally()
    with engine.begin() as conn:
        channel_id, cursor = conn.execute(
            select(Channel.id, Channel.cursor).where(Channel.name == config.name)).one()
    cursor = dict(cursor or {})
    try:
        limits = limits or Limits()
        source = source_for(config, limits)
        validators: dict[str, dict[str, str]] = dict(cursor.get("http", {}))
        queue = list(dict.fromkeys(source.targets(cursor, transport)))
        seen = set(queue)
        limit = len(queue) + config.pages_to_follow(limits)
        while queue:
            target = queue.pop(0)
            for extra in _gather_target(engine, source, channel_id, target, transport, validators,
                                        tally, since, now):
                if extra not in seen and len(seen) < limit:
                    seen.add(extra)
                    queue.append(extra)
        cursor["http"] = validators
    except Exception as exc:  # a bug or a config error in this channel must not stop the run
        tally.errors.append(f"{type(exc).__name__}: {exc}")
    result = tally.result(config, started)
    record_health(engine, channel_id, result, cursor, now)
    return result


def _gather_target(engine: Engine, source: BaseSource, channel_id: int, target: str,
                   transport: Transport, validators: dict[str, dict[str, str]], tally: _Tally,
                   since: dt.date | None, now: dt.datetime) -> list[str]:
    """Fetch, land, parse and load one target; return the further targets it points to."""
    known = validators.get(target, {})
    try:
        response = source.fetch(target, transport, etag=known.get("etag"), last_modified=known.get("last_modified"))
    except FetchError as exc:
        with engine.begin() as conn:
            land_raw_item(conn, channel_id=channel_id, external_id=target, payload=exc.body,
                          fetched_at=now, http_status=exc.status, content_type=exc.content_type,
                          status=ParseStatus.FETCH_ERROR, error=str(exc))
        tally.errors.append(str(exc))
        return []
    tally.fetched += 1
    if response.not_modified:
        tally.unchanged += 1
        return []
    refused = content_type_problem(source, response.content_type)
    with engine.begin() as conn:
        raw_id, is_new = land_raw_item(
            conn, channel_id=channel_id, external_id=target, payload=response.body, fetched_at=now,
            http_status=response.status, content_type=response.content_type,
            status=ParseStatus.QUARANTINED if refused else ParseStatus.PENDING, error=refused)
    digest = payload_digest(response.body, refused)
    previous = known.get("sha256")
    validators[target] = _validators(response, digest)
    if not is_new and previous in (None, digest):
        tally.unchanged += 1
        return []
    # Not new but not the latest either: the page went back to bytes it served before (a
    # rate back to last week's value). Those bytes are today's truth, so read them again.
    if refused:
        tally.quarantined += 1
        tally.errors.append(f"{target}: {refused}")
        return []
    return parse_and_load(engine, source, channel_id, raw_id, response.body, target,
                          response.content_type, tally, since=since, now=now)


def _validators(response: Response, digest: str) -> dict[str, str]:
    """What the next run sends back (ETag, Last-Modified) and the hash of what was read."""
    kept = {k: v for k, v in (("etag", response.etag), ("last_modified", response.last_modified)) if v}
    return {**kept, "sha256": digest}


def parse_and_load(engine: Engine, source: BaseSource, channel_id: int, raw_id: int, body: bytes,
                   target: str, content_type: str | None, tally: _Tally, *,
                   since: dt.date | None = None, now: dt.datetime | None = None) -> list[str]:
    """Parse one landed payload and load what it yields, recording the outcome on it.

    Returns the further targets the payload points to (pagination)."""
    now = now or utcnow()
    try:
        parsed = source.parse(body, url=target, content_type=content_type)
    except Exception as exc:  # parsers must not raise; if one does, quarantine, don't crash
        parsed = ParseResult(fatal=f"parser crashed: {type(exc).__name__}: {exc}")
    parsed = _since(parsed, since)
    if parsed.fatal and not parsed.record_count:
        with engine.begin() as conn:
            mark_raw_item(conn, raw_id, status=ParseStatus.QUARANTINED, error=parsed.fatal,
                          record_count=0, parsed_at=now)
        tally.problems.extend(f"{target}: {problem}" for problem in parsed.problems)
        tally.quarantined += 1 + len(parsed.problems)
        tally.errors.append(f"{target}: {parsed.fatal}")
        return []
    parse_problems = len(parsed.problems)
    batch = LoadBatch(channel_id=channel_id, raw_item_id=raw_id, fetched_at=now,
                      industry_hints=source.config.industry_hints, replaces=parsed.replaces,
                      problems=list(parsed.problems))
    try:
        with engine.begin() as conn:
            new = load_parsed(conn, parsed, batch)
            notes = ([parsed.fatal] if parsed.fatal else []) + batch.problems
            status = ParseStatus.PARTIAL if notes else ParseStatus.PARSED
            notes += [f"warning: {w}" for w in parsed.warnings]
            mark_raw_item(conn, raw_id, status=status, error="\n".join(notes) or None,
                          record_count=parsed.record_count, parsed_at=now)
    except Exception as exc:
        with engine.begin() as conn:
            mark_raw_item(conn, raw_id, status=ParseStatus.QUARANTINED,
                          error=f"load failed: {type(exc).__name__}: {exc}", record_count=0, parsed_at=now)
        tally.quarantined += 1
        tally.errors.append(f"{target}: load failed: {exc}")
        return []
    tally.problems.extend(f"{target}: {problem}" for problem in batch.problems)
    tally.warnings.extend(f"{target}: warning: {warning}" for warning in parsed.warnings)
    tally.quarantined += len(batch.problems)
    refused_at_load = len(batch.problems) - parse_problems
    tally.new += new
    tally.unchanged += max(0, parsed.record_count - refused_at_load - new)
    return list(parsed.follow)


def _since(parsed: ParseResult, since: dt.date | None) -> ParseResult:
    if since is None:
        return parsed
    return dataclasses.replace(
        parsed,
        documents=[d for d in parsed.documents if d.published_at is None or d.published_at.date() >= since],
        observations=[o for o in parsed.observations if o.date >= since],
    )


def record_health(engine: Engine, channel_id: int, result: ChannelResult, cursor: dict[str, Any],
                  now: dt.datetime) -> None:
    table = Channel.__table__
    values: dict[str, Any] = {
        "cursor": cursor, "last_run_at": now,
        "items_fetched": table.c.items_fetched + result.fetched,
        "items_new": table.c.items_new + result.new,
        "items_quarantined": table.c.items_quarantined + result.quarantined,
    }
    if result.error:
        values.update(last_error=result.error, last_error_at=now,
                      consecutive_failures=table.c.consecutive_failures + 1)
    else:
        values.update(last_success_at=now, consecutive_failures=0)
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == channel_id).values(**values))


def replay_channel(engine: Engine, config: ChannelConfig, *, include_partial: bool = False,
                   limits: Limits | None = None) -> ChannelResult:
    """Re-parse a channel's quarantined raw items (after a parser fix) from the kept payloads."""
    started = time.monotonic()
    tally = _Tally()
    source = source_for(config, limits)
    statuses = [ParseStatus.QUARANTINED, ParseStatus.PENDING] + ([ParseStatus.PARTIAL] if include_partial else [])
    with engine.begin() as conn:
        channel_id = conn.execute(select(Channel.id).where(Channel.name == config.name)).scalar_one()
        raw_ids = conn.execute(select(RawItem.id).where(
            RawItem.channel_id == channel_id, RawItem.parse_status.in_(statuses)).order_by(RawItem.id)).scalars().all()
    for raw_id in raw_ids:
        with engine.begin() as conn:
            row = conn.execute(select(RawItem.external_id, RawItem.payload, RawItem.content_type,
                                      RawItem.fetched_at).where(RawItem.id == raw_id)).one()
        tally.fetched += 1
        # Loaded as of when it was fetched: a replayed payload must not pose as today's news
        # (an observation's vintage, a competitor offer's last sighting).
        parse_and_load(engine, source, channel_id, raw_id, row.payload, row.external_id,
                       row.content_type, tally, now=row.fetched_at)
    return tally.result(config, started)
