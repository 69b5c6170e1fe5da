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
from typing import Any

from sqlalchemy import Engine, select, update

from mi.channel_results import ChannelResult, Tally
from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.records.redaction import redact_text, redact_url
from mi.sources.base import BaseSource
from mi.sources.registry import source_for
from mi.transport import Transport
from mi.transport.http import FetchError, Response
from mi.warehouse.base import utcnow
from mi.warehouse.engine import is_transient
from mi.warehouse.loading import land_raw_item, mark_raw_item, unfinished_raw_items
from mi.warehouse.models import Channel, ParseStatus, RawItem
from mi.warehouse.record_loading import LoadBatch, load_parsed


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
    """Run one channel end to end. Never raises for the channel's own trouble.

    First it finishes what an earlier run left unfinished (payloads landed but not loaded
    when the process was killed or the database went away), then it fetches its targets.
    """
    started = time.monotonic()
    now = now or utcnow()
    limits = limits or Limits()
    tally = Tally()
    channel_id: int | None = None
    cursor: dict[str, Any] = {}
    validators: dict[str, dict[str, str]] = {}
    try:
        with engine.begin() as conn:
            channel_id, stored = conn.execute(
                select(Channel.id, Channel.cursor).where(Channel.name == config.name)).one()
        cursor = dict(stored or {})
        validators = dict(cursor.get("http", {}))
        source = source_for(config, limits)
        follow = resume_unfinished(engine, source, channel_id, tally)
        queue = list(dict.fromkeys([*source.targets(cursor, transport), *follow]))
        tally.warnings.extend(source.notices)
        seen = set(queue)
        limit = len(queue) + config.pages_to_follow(limits)
        deadline = started + limits.channel_deadline
        while queue:
            if time.monotonic() > deadline:
                tally.errors.append(f"stopped after the channel deadline of {limits.channel_deadline:g} s "
                                    f"(MI_LIMIT_CHANNEL_DEADLINE); {len(queue)} target(s) left for the next run")
                break
            target = queue.pop(0)
            for extra in _gather_target(engine, source, channel_id, target, transport, validators,
                                        tally, since, now):
                if extra not in seen and len(seen) < limit:
                    seen.add(extra)
                    queue.append(extra)
    except Interrupted as exc:
        tally.errors.append(str(exc))
    except Exception as exc:  # a bug, a config error or a lost database must not stop the run
        tally.errors.append(f"{type(exc).__name__}: {exc}")
    result = tally.result(config, started)
    if channel_id is not None:
        cursor["http"] = validators  # what was fetched and processed: kept even if the run stopped early
        try:
            record_health(engine, channel_id, result, cursor, now)
        except Exception as exc:  # the database went away: the result still says what happened
            result = dataclasses.replace(result, error="; ".join(
                filter(None, [result.error, f"channel health not recorded: {type(exc).__name__}: {exc}"])))
    return result


class Interrupted(Exception):
    """The warehouse stopped answering mid-payload: what was landed stays pending for the next run."""


def resume_unfinished(engine: Engine, source: BaseSource, channel_id: int, tally: Tally) -> list[str]:
    """Parse and load every payload an earlier run landed but did not finish; their follow-ups.

    Each is loaded as of its own fetch time, so the warehouse ends as if that run had not
    been interrupted (the same vintage for its observations, the same sighting for offers).
    """
    with engine.connect() as conn:
        raw_ids = unfinished_raw_items(conn, channel_id)
    follow: list[str] = []
    for raw_id in raw_ids:
        with engine.connect() as conn:
            row = conn.execute(select(RawItem.external_id, RawItem.payload, RawItem.content_type,
                                      RawItem.fetched_at).where(RawItem.id == raw_id)).one()
        tally.resumed += 1
        follow += parse_and_load(engine, source, channel_id, raw_id, row.payload, row.external_id,
                                 row.content_type, tally, now=row.fetched_at)
    if raw_ids:
        tally.warnings.append(f"finished {len(raw_ids)} payload(s) an earlier run landed but did not load")
    return follow


def _gather_target(engine: Engine, source: BaseSource, channel_id: int, target: str,
                   transport: Transport, validators: dict[str, dict[str, str]], tally: Tally,
                   since: dt.date | None, now: dt.datetime) -> list[str]:
    """Fetch, land, parse and load one target; return the further targets it points to.

    The target is fetched as configured, and stored and reported as ``redact_url`` shows
    it: a key in its query string never reaches the warehouse, a log or a message."""
    shown = redact_url(target)
    known = validators.get(shown, {})
    if (not_before := known.get("not_before")) and now < dt.datetime.fromisoformat(not_before):
        tally.warnings.append(f"{shown}: not fetched: the server asked not to be asked again before {not_before}")
        return []
    try:
        response = source.fetch(target, transport, etag=known.get("etag"), last_modified=known.get("last_modified"))
    except FetchError as exc:
        if exc.retry_after:  # the server's own word on when to ask again, kept for the next run
            later = now + dt.timedelta(seconds=exc.retry_after)
            validators[shown] = {**known, "not_before": later.isoformat(timespec="seconds")}
        with engine.begin() as conn:
            land_raw_item(conn, channel_id=channel_id, external_id=shown, payload=exc.body,
                          fetched_at=now, http_status=exc.status, content_type=exc.content_type,
                          status=ParseStatus.FETCH_ERROR, error=redact_text(str(exc)))
        tally.errors.append(redact_text(str(exc)))
        return []
    tally.fetched += 1
    if response.not_modified:
        tally.unchanged += 1
        return []
    refused = content_type_problem(source, response.content_type)
    with engine.begin() as conn:
        landed = land_raw_item(
            conn, channel_id=channel_id, external_id=shown, payload=response.body, fetched_at=now,
            http_status=response.status, content_type=response.content_type,
            status=ParseStatus.QUARANTINED if refused else ParseStatus.PENDING, error=refused)
    validators[shown] = _validators(response)
    if not landed.new and landed.status != ParseStatus.PENDING and not landed.superseded:
        tally.unchanged += 1
        return []
    # New bytes; bytes an interrupted run left pending; or bytes the target served before
    # something else (a rate back to last week's value), which are today's truth again.
    if refused:
        tally.quarantined += 1
        tally.errors.append(f"{shown}: {refused}")
        return []
    return parse_and_load(engine, source, channel_id, landed.id, response.body, shown,
                          response.content_type, tally, since=since, now=now)


def _validators(response: Response) -> dict[str, str]:
    """What the next run sends back for a conditional GET (ETag, Last-Modified)."""
    return {k: v for k, v in (("etag", response.etag), ("last_modified", response.last_modified)) if v}


def parse_and_load(engine: Engine, source: BaseSource, channel_id: int, raw_id: int, body: bytes,
                   target: str, content_type: str | None, tally: Tally, *,
                   since: dt.date | None = None, now: dt.datetime | None = None) -> list[str]:
    """Parse one landed payload and load what it yields, recording the outcome on it.

    Returns the further targets the payload points to (pagination)."""
    now = now or utcnow()
    try:
        parsed = source.parse(body, url=target, content_type=content_type)
    except Exception as exc:  # parsers must not raise; if one does, quarantine, don't crash
        parsed = ParseResult(fatal=f"parser crashed: {type(exc).__name__}: {exc}")
    parsed = _since(parsed, since)
    confidential = parsed.confidential or (source.may_hold_confidential and bool(parsed.fatal or parsed.problems))
    if parsed.fatal and not parsed.record_count:
        with engine.begin() as conn:
            mark_raw_item(conn, raw_id, status=ParseStatus.QUARANTINED, error=parsed.fatal,
                          record_count=0, parsed_at=now, confidential=confidential)
        tally.problems.extend(f"{target}: {problem}" for problem in parsed.problems)
        tally.quarantined += 1 + len(parsed.problems)
        tally.errors.append(f"{target}: {parsed.fatal}")
        return []
    parse_problems = len(parsed.problems)
    batch = LoadBatch(channel_id=channel_id, raw_item_id=raw_id, fetched_at=now, channel=source.config.name,
                      target=target, industry_hints=source.config.industry_hints, replaces=parsed.replaces,
                      problems=list(parsed.problems))
    try:
        with engine.begin() as conn:
            new = load_parsed(conn, parsed, batch)
            notes = ([parsed.fatal] if parsed.fatal else []) + batch.problems
            status = ParseStatus.PARTIAL if notes else ParseStatus.PARSED
            notes += [f"warning: {w}" for w in parsed.warnings]
            mark_raw_item(conn, raw_id, status=status, error="\n".join(notes) or None,
                          record_count=parsed.record_count, parsed_at=now, confidential=confidential)
    except Exception as exc:
        if is_transient(exc):
            # The connection, not the payload, failed: it stays pending and the next run
            # (or this one's next channel, once the database is back) finishes it.
            raise Interrupted(f"{target}: the warehouse stopped answering ({type(exc).__name__}); "
                              "the payload is kept and will be loaded by the next run") from exc
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
    tally = Tally()
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
    result = tally.result(config, started)
    if raw_ids and not result.error:
        clear_failure_after_replay(engine, channel_id)
    return result


def clear_failure_after_replay(engine: Engine, channel_id: int) -> bool:
    """After a replay that read what had been set aside, the channel is no longer failing if
    its newest payload now reads: ``mi channels`` says so at once, not after the next fetch."""
    with engine.begin() as conn:
        newest = conn.execute(select(RawItem.parse_status).where(RawItem.channel_id == channel_id)
                              .order_by(RawItem.fetched_at.desc(), RawItem.id.desc()).limit(1)).scalar()
        if newest not in (ParseStatus.PARSED, ParseStatus.PARTIAL):
            return False
        table = Channel.__table__
        conn.execute(update(table).where(table.c.id == channel_id).values(last_error=None, consecutive_failures=0))
    return True
