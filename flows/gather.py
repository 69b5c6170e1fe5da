"""Flow ``gather``: every enabled channel (or the ones named) into the warehouse."""
from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from mi.flows.parameters import ChannelNames
from mi.gathering import ChannelResult
from mi.records.channels import ChannelConfig
from mi.records.inert import visible_controls
from mi.runtime import current_runtime
from mi.tasks.alerts import check_source_health
from mi.tasks.gather import (
    RUN_SLOT_WAIT_SECONDS,
    channel_hosts,
    ensure_concurrency_limits,
    gather_channels_task,
    run_slots,
    sync_channel_table,
)

# Fetching is I/O-bound; a few threads overlap network waits. SQLite serialises writes.
MAX_PARALLEL_CHANNELS = 4
#: A batch is the ready channels ÷ (worker threads × this): it shrinks as the day runs out,
#: so that a thread which finishes early finds more to do and a slow channel holds back few
#: others, and a day of 200 channels is about 30 task runs, not 200.
BATCHES_PER_WORKER = 2
#: The most channels in one batch (one task run), whatever the day's size.
MAX_BATCH = 50


@flow(name="gather", task_runner=ThreadPoolTaskRunner(max_workers=MAX_PARALLEL_CHANNELS))
def gather(channels: ChannelNames | None = None, since: dt.date | None = None) -> list[ChannelResult] | State:
    """Gather ``channels`` (default: every enabled channel); drop items published before ``since``."""
    logger = get_run_logger()
    runtime = current_runtime()
    selected = runtime.select(channels)
    sync_channel_table()
    limits = ensure_concurrency_limits([config.name for config in selected], return_state=True)
    if limits.is_failed():  # the channels still run; a missing limit only warns
        logger.warning("concurrency limits not set: %s", limits.message)
    # No Prefect task timeout: in a worker thread it cannot interrupt a blocking read and
    # only warns on every run. The deadlines that end a slow channel are the transport's
    # per target and the gathering code's per channel (``Limits``).
    with run_slots(selected, runtime.settings, MAX_PARALLEL_CHANNELS) as host_budget:
        if host_budget is None:
            logger.warning("another run holds some of these channels' slots (or the API did not answer in %g s): "
                           "each channel waits for its own", RUN_SLOT_WAIT_SECONDS)
        done = _run_channels(logger, selected, since, host_budget)
    results = [done[config.name] for config in selected]
    failed = [r.channel for r in results if r.error]
    summary = f"{len(results)} channels, {len(failed)} failed" + (f" ({', '.join(failed)})" if failed else "")
    create_table_artifact(key="gather-channels", table=[r.as_row() for r in results],
                          description=f"gather: {summary}")
    # Silence, volume and layout of the channels just gathered: the staff hear of a change once.
    health = check_source_health([r.channel for r in results], return_state=True)
    if health.is_failed():
        logger.warning("source health not checked: %s", health.message)
    else:
        for change in health.result():
            logger.warning("source health: %s %s %s (%s)", visible_controls(change.channel), change.condition,
                           change.change, visible_controls(change.detail))
    if failed:
        # The run shows as Failed in Prefect (so schedules and automations see it), while
        # the other channels' results are kept as the state's data.
        return Failed(message=f"gather: {summary}", data=results)
    return results


def _run_channels(logger: Any, selected: list[ChannelConfig], since: dt.date | None,
                  host_budget: dict[str, int] | None) -> dict[str, ChannelResult]:
    """Hand the worker threads batches of ready channels, in configuration order: a channel is
    ready once its `after:` channels are done and (when the run holds the host slots) its hosts
    are within the run's slots; their results by channel.

    A batch gathers its channels one after another, so it counts once against each host it
    reads. While many channels are ready the batches are about ``ready / (workers ×
    BATCHES_PER_WORKER)`` channels each, so that threads which finish early find more to do.
    """
    names = {config.name for config in selected}
    hosts_of = {config.name: channel_hosts(config) for config in selected}  # parsed once, checked on every pass
    busy: dict[str, int] = {}  # host -> batches reading it now (when the run holds the host slots)
    waiting = list(selected)  # configuration order, so a channel's `after:` ones come first
    running: dict[Any, list[ChannelConfig]] = {}
    done: dict[str, ChannelResult] = {}
    while waiting or running:
        ready = _ready(logger, waiting, names, done, len(selected))
        free = MAX_PARALLEL_CHANNELS - len(running)
        size = max(1, min(MAX_BATCH, -(-len(ready) // (MAX_PARALLEL_CHANNELS * BATCHES_PER_WORKER))))
        while ready and free > 0:
            batch: list[ChannelConfig] = []
            batch_hosts: set[str] = set()
            for config in list(ready):
                hosts = set(hosts_of[config.name]) - batch_hosts
                if host_budget is not None and any(busy.get(host, 0) >= host_budget[host] for host in hosts):
                    continue  # this host has as many batches running as the run holds slots for
                ready.remove(config)
                batch.append(config)
                for host in hosts:
                    busy[host] = busy.get(host, 0) + 1
                batch_hosts |= hosts
                if len(batch) == size:
                    break
            if not batch:
                break  # every ready channel waits for a host slot
            for config in batch:
                waiting.remove(config)
            label = batch[0].name + (f" +{len(batch) - 1}" if len(batch) > 1 else "")
            future = gather_channels_task.submit([config.name for config in batch], since,
                                                 run_holds_slots=host_budget is not None, label=label)
            running[future] = batch
            free -= 1
        if not running:
            if waiting:  # each waits for another that waits too: an `after:` cycle
                for config in waiting:
                    done[config.name] = ChannelResult(
                        channel=config.name, kind=config.kind,
                        error="not run: its `after:` channels wait for each other (a cycle)")
                waiting.clear()
            continue
        future = next(as_completed(list(running)))
        batch = running.pop(future)
        for host in {host for config in batch for host in hosts_of[config.name]}:
            busy[host] -= 1
        for result in future.result():
            done[result.channel] = result
            _log(logger, len(done), len(selected), result)
    return done


def _ready(logger: Any, waiting: list[ChannelConfig], names: set[str], done: dict[str, ChannelResult],
           total: int) -> list[ChannelConfig]:
    """The waiting channels whose `after:` channels are all done. One of whose `after:`
    channels failed is settled here as not run: its rows would be refused against a
    half-loaded book and not read again."""
    ready = []
    for config in list(waiting):
        before = [name for name in config.after if name in names]
        if any(name not in done for name in before):
            continue
        failed = [name for name in before if done[name].error]
        if failed:
            waiting.remove(config)
            done[config.name] = ChannelResult(
                channel=config.name, kind=config.kind,
                error=f"not run: {', '.join(failed)} failed first (it reads rows referring to theirs)")
            _log(logger, len(done), total, done[config.name])
            continue
        ready.append(config)
    return ready


def _log(logger: Any, done: int, total: int, result: ChannelResult) -> None:
    log = logger.error if result.error else logger.info
    # An error can quote fetched text: its control characters are shown, never sent to the terminal.
    log("[%d/%d] %s: %s, %d fetched, %d new, %d unchanged, %d quarantined%s%s",
        done, total, visible_controls(result.channel), result.status, result.fetched, result.new,
        result.unchanged, result.quarantined, f", {result.resumed} resumed" if result.resumed else "",
        f" ({visible_controls(result.error)})" if result.error else "")


def outcome(state: State) -> Any:
    """A flow run's data, also when the run ended Failed on purpose; re-raises a real crash."""
    data = state.result(raise_on_failure=False)
    if isinstance(data, BaseException):
        raise data
    return data
