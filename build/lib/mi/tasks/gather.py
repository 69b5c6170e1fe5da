"""Prefect tasks of the gather flow: one task run per channel, never per item."""
from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.gathering import ChannelResult, gather_channel
from mi.runtime import current_runtime
from mi.warehouse.loading import sync_channels


@task(name="sync-channels", cache_policy=NO_CACHE)
def sync_channel_table() -> int:
    runtime = current_runtime()
    with runtime.engine.begin() as conn:
        return len(sync_channels(conn, runtime.channels))


@task(name="gather-channel", task_run_name="gather-{channel_name}", cache_policy=NO_CACHE)
def gather_channel_task(channel_name: str, since: dt.date | None = None) -> ChannelResult:
    """Fetch, land, parse and load one channel. Its failures come back in the result."""
    runtime = current_runtime()
    return gather_channel(runtime.engine, runtime.channel(channel_name), runtime.transport, since=since,
                          limits=runtime.settings.limits)
