"""Helpers shared by several test modules (fixtures live in ``conftest.py``)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select

from mi.channel_results import ChannelResult
from mi.gathering import gather_channel
from mi.records.channels import ChannelConfig
from mi.records.parsed import ParseResult
from mi.settings import Settings
from mi.transport import QueryReader, Transport
from mi.transport.http import HttpTransport
from mi.warehouse.loading import sync_channels
from mi.warehouse.record_loading import LoadBatch, load_parsed

#: The loopback server's host: tests that talk to it must allow it, as a bank allows its
#: intranet (``MI_HTTP_PRIVATE_HOSTS``); the transport refuses loopback addresses otherwise.
LOOPBACK_HOSTS = ("127.0.0.1",)


def make_transport(**http: Any) -> Transport:
    """The production transport with test timings (no rate limit, short timeouts, quick
    retries), allowed to reach the loopback server."""
    options: dict[str, Any] = {"min_interval": 0.0, "timeout": 2.0, "backoff": 0.01, "max_retries": 1,
                               "private_hosts": LOOPBACK_HOSTS, **http}
    return Transport(HttpTransport(**options), queries=QueryReader(variables=Settings.from_env().variables))


def count(engine: Engine, model: type) -> int:
    """Rows of a model's table."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def gather_all(engine: Engine, *channels: ChannelConfig, now: dt.datetime,
               transport: Transport | None = None) -> list[ChannelResult]:
    """Configure ``channels`` and gather each in turn, as the flow would in their order."""
    with engine.begin() as conn:
        sync_channels(conn, list(channels))
    transport = transport or make_transport()
    return [gather_channel(engine, channel, transport, now=now) for channel in channels]


def load_into(engine: Engine, parsed: ParseResult, *, fetched_at: dt.datetime,
              channel_id: int = 1) -> tuple[int, list[str]]:
    """Write one parsed payload as gathering would: (rows new, problems of parse and load)."""
    batch = LoadBatch(channel_id=channel_id, raw_item_id=None, fetched_at=fetched_at, replaces=parsed.replaces,
                      problems=list(parsed.problems))
    with engine.begin() as conn:
        new = load_parsed(conn, parsed, batch)
    return new, batch.problems
