"""Prefect tasks of the gather flow: one task run per channel, never per item.

Each channel task holds a slot of two Prefect global concurrency limits while it runs:
``mi-channel:<name>`` (one run gathers a channel at a time, whichever flow or machine it
runs on) and ``mi-host:<host>`` for each web host it reads (``MI_CONCURRENCY_PER_HOST``
tasks at once, so two flows never hammer one site together). The limits are created or
updated from the settings at the start of each gather run.
"""
from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from urllib.parse import urlsplit

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency

from mi.gathering import ChannelResult, gather_channel
from mi.records.channels import ChannelConfig
from mi.runtime import current_runtime
from mi.warehouse.loading import sync_channels

#: How long a channel task waits for its concurrency slots before it reports the channel busy.
SLOT_WAIT_SECONDS = 900.0


def limit_names(config: ChannelConfig) -> dict[str, str]:
    """The channel's global concurrency limits: name -> "channel" or "host"."""
    names = {f"mi-channel:{config.name}": "channel"}
    for url in config.urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            names[f"mi-host:{parts.hostname.lower()}"] = "host"
    return names


@task(name="sync-channels", cache_policy=NO_CACHE, timeout_seconds=300)
def sync_channel_table() -> int:
    runtime = current_runtime()
    with runtime.engine.begin() as conn:
        return len(sync_channels(conn, runtime.channels))


# I/O: a retry after a crash (a dropped database connection) is safe, every write is idempotent.
@task(name="concurrency-limits", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5, timeout_seconds=120)
def ensure_concurrency_limits(channel_names: list[str]) -> int:
    """Create or update the global concurrency limits of these channels from the settings."""
    from prefect.client.orchestration import get_client

    runtime = current_runtime()
    settings = runtime.settings
    wanted: dict[str, int] = {}
    for name in channel_names:
        for limit, kind in limit_names(runtime.channel(name)).items():
            wanted[limit] = settings.concurrency_per_host if kind == "host" else settings.concurrency_per_channel
    with get_client(sync_client=True) as client:
        for limit, size in sorted(wanted.items()):
            client.upsert_global_concurrency_limit_by_name(limit, size)
    return len(wanted)


# The transport retries a fetch itself (429/5xx, no answer); a Prefect retry re-runs the
# channel after a crash outside it (the database went away): I/O, and idempotent.
@task(name="gather-channel", task_run_name="gather-{channel_name}", cache_policy=NO_CACHE, retries=1,
      retry_delay_seconds=30)
def gather_channel_task(channel_name: str, since: dt.date | None = None) -> ChannelResult:
    """Fetch, land, parse and load one channel. Its failures come back in the result."""
    runtime = current_runtime()
    config = runtime.channel(channel_name)
    slots = ExitStack()
    try:
        slots.enter_context(concurrency(list(limit_names(config)), occupy=1, timeout_seconds=SLOT_WAIT_SECONDS))
    except TimeoutError:
        return ChannelResult(channel=config.name, kind=config.kind,
                             error=f"not run: another run held its concurrency slots for {SLOT_WAIT_SECONDS:g} s")
    with slots:
        return gather_channel(runtime.engine, config, runtime.transport, since=since, limits=runtime.settings.limits)
