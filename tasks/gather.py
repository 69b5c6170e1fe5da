"""Prefect tasks of the gather flow: one task run per batch of channels, never per item.

A channel whose payloads have not changed is a conditional GET answered 304: a few
milliseconds of work, against tens of milliseconds of Prefect's own for a task run (its
creation, states and events, most of it in the API server). So the flow hands its worker
threads batches of ready channels (`gather_channels_task`; about 30 task runs for a day of
200 channels), each channel's result and failure still its own.

Two kinds of Prefect global concurrency limits keep runs apart: ``mi-channel:<name>`` (one
run gathers a channel at a time, whichever flow or machine it runs on) and
``mi-host:<host>`` for each web host (``MI_CONCURRENCY_PER_HOST`` channels at once, so two
flows never hammer one site together). The limits are created or updated from the settings
at the start of each gather run.

A run first tries to take every slot it needs at once, for the whole run (`run_slots`: a
few requests of one slot per limit, each held under its lease, through the API directly:
`mi.tasks.slots`): then its channels take none and the flow itself keeps each host within
the slots the run holds. Slots taken per channel had cost about a second of wall time and
150 ms of CPU each (measured in `bench/bank_day.py`), half of a 200-channel gather. When
another run holds some of the slots, the run does not wait for all of them: each channel
then waits for its own, and a channel whose slot stays taken reports itself busy while the
rest run.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.gathering import ChannelResult, gather_channel
from mi.records.channels import ChannelConfig
from mi.runtime import current_runtime
from mi.settings import Settings
from mi.tasks.slots import held_slots
from mi.warehouse.loading import sync_channels

#: How long a channel task waits for its concurrency slots before it reports the channel busy.
SLOT_WAIT_SECONDS = 900.0
#: How long a run waits to take all its slots at once before its tasks each wait for their own.
#: Generous: on a loaded machine the API can take seconds to answer, and a run that wrongly
#: concludes another holds its slots pays a lease per channel (see above).
RUN_SLOT_WAIT_SECONDS = 30.0
#: Limits taken in one request (one lease): a few hundred keep each of the API's
#: transactions short. (Prefect's own ``concurrency()`` refused more than 100, for the event
#: it emits; `held_slots` emits none.)
LIMITS_PER_REQUEST = 250
#: Limits read from the API per page.
LIMITS_PAGE = 200
#: A channel whose gathering raised (not a failure it reports: the database went away) is
#: tried once more after this many seconds, inside its batch.
CHANNEL_RETRY_SECONDS = 30.0


def limit_names(config: ChannelConfig) -> dict[str, str]:
    """The channel's global concurrency limits: name -> "channel" or "host"."""
    names = {f"mi-channel:{config.name}": "channel"}
    for url in config.urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            names[f"mi-host:{parts.hostname.lower()}"] = "host"
    return names


def channel_hosts(config: ChannelConfig) -> list[str]:
    """The web hosts a channel reads (the keys of its ``mi-host:`` limits)."""
    return [name.removeprefix("mi-host:") for name, kind in limit_names(config).items() if kind == "host"]


@contextmanager
def run_slots(configs: Sequence[ChannelConfig], settings: Settings, parallel: int) -> Iterator[dict[str, int] | None]:
    """Hold the slots of all these channels for the length of the block, if they are free now.

    Yields how many channels of each host the run may gather at once (the host slots it
    holds: at most the per-host setting, the run's own parallelism and the host's channels),
    or None when the slots could not all be taken within `RUN_SLOT_WAIT_SECONDS` (another
    run holds some) or the API refused: then each channel task takes its own.
    """
    hosts = Counter(host for config in configs for host in channel_hosts(config))
    budget = {host: min(settings.concurrency_per_host, parallel, count) for host, count in hosts.items()}
    # One slot per request and limit: Prefect answers a request for several slots of one
    # limit seconds later than for one (2.3 s against 0.05 s for four, measured), so a host's
    # k slots are k requests of one, each request covering every host that gets that many.
    requests = [sorted(f"mi-channel:{config.name}" for config in configs)]
    requests += [sorted(f"mi-host:{host}" for host, size in budget.items() if size > layer)
                 for layer in range(max(budget.values(), default=0))]
    requests = [names[i:i + LIMITS_PER_REQUEST] for names in requests for i in range(0, len(names), LIMITS_PER_REQUEST)]
    held = ExitStack()
    try:
        held.enter_context(held_slots(requests, RUN_SLOT_WAIT_SECONDS))
    except Exception:  # TimeoutError when another run holds one; an API error: each channel asks for its own
        budget = None
    with held:
        yield budget


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
        # One read of every limit, then a write only for those missing or of another size:
        # asking for each of a 200-channel day's limits by name took seconds of every run.
        existing: dict[str, int] = {}
        while True:
            page = client.read_global_concurrency_limits(limit=LIMITS_PAGE, offset=len(existing))
            existing.update((found.name, found.limit) for found in page)
            if len(page) < LIMITS_PAGE:
                break
        for limit, size in sorted(wanted.items()):
            if existing.get(limit) != size:
                client.upsert_global_concurrency_limit_by_name(limit, size)
    return len(wanted)


# The transport retries a fetch itself (429/5xx, no answer); a channel whose gathering raised
# outside it (the database went away) is tried once more inside the batch: I/O, and idempotent.
@task(name="gather-channels", task_run_name="gather-{label}", cache_policy=NO_CACHE)
def gather_channels_task(channel_names: list[str], since: dt.date | None = None, run_holds_slots: bool = False,
                         label: str = "") -> list[ChannelResult]:
    """Fetch, land, parse and load these channels one after another; each one's failure comes
    back in its own result, and the others go on. ``label`` names the task run only.

    With ``run_holds_slots`` the flow holds the channels' slots (`run_slots`); otherwise each
    channel takes its own and reports itself busy if they stay taken.
    """
    return [gather_one(name, since, run_holds_slots) for name in channel_names]


def gather_one(channel_name: str, since: dt.date | None, run_holds_slots: bool,
               retry_seconds: float = CHANNEL_RETRY_SECONDS) -> ChannelResult:
    """One channel of a batch: its slots (unless the run holds them), then `gather_channel`;
    tried once more after ``retry_seconds`` when it raised, reported failed if it raises again."""
    runtime = current_runtime()
    config = runtime.channel(channel_name)
    slots = ExitStack()
    try:
        if not run_holds_slots:
            slots.enter_context(held_slots([list(limit_names(config))], SLOT_WAIT_SECONDS))
    except TimeoutError:
        return ChannelResult(channel=config.name, kind=config.kind,
                             error=f"not run: another run held its concurrency slots for {SLOT_WAIT_SECONDS:g} s")
    with slots:
        for attempt in (1, 2):
            try:
                return gather_channel(runtime.engine, config, runtime.transport, since=since,
                                      limits=runtime.settings.limits)
            except Exception as exc:  # noqa: BLE001 - one channel's crash never stops the batch
                if attempt == 2:
                    return ChannelResult(channel=config.name, kind=config.kind,
                                         error=f"crashed twice: {type(exc).__name__}: {exc}")
                time.sleep(retry_seconds)
    raise AssertionError("unreachable")
