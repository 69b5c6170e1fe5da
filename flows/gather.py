"""Flow ``gather``: every enabled channel (or the ones named) into the warehouse."""
from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.futures import as_completed
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from mi.gathering import ChannelResult
from mi.runtime import current_runtime
from mi.tasks.gather import gather_channel_task, sync_channel_table

# Fetching is I/O-bound; a few threads overlap network waits. SQLite serialises writes.
MAX_PARALLEL_CHANNELS = 4


@flow(name="gather", task_runner=ThreadPoolTaskRunner(max_workers=MAX_PARALLEL_CHANNELS))
def gather(channels: list[str] | None = None, since: dt.date | None = None) -> list[ChannelResult] | State:
    """Gather ``channels`` (default: every enabled channel); drop items published before ``since``."""
    logger = get_run_logger()
    selected = current_runtime().select(channels)
    sync_channel_table()
    futures = {}
    for config in selected:  # configuration order, so a channel's `after:` ones come first
        # A channel that reads rows referring to another's (coverage → customers) waits
        # for it when both run in this flow; the others run side by side.
        waits = [futures[name] for name in config.after if name in futures]
        futures[config.name] = gather_channel_task.submit(config.name, since, wait_for=waits)
    results: list[ChannelResult] = []
    for done, future in enumerate(as_completed(list(futures.values())), start=1):
        result = future.result()
        results.append(result)
        log = logger.error if result.error else logger.info
        log("[%d/%d] %s: %s, %d fetched, %d new, %d unchanged, %d quarantined%s",
            done, len(futures), result.channel, result.status, result.fetched, result.new,
            result.unchanged, result.quarantined, f" ({result.error})" if result.error else "")
    order = {config.name: i for i, config in enumerate(selected)}
    results.sort(key=lambda r: order[r.channel])
    failed = [r.channel for r in results if r.error]
    summary = f"{len(results)} channels, {len(failed)} failed" + (f" ({', '.join(failed)})" if failed else "")
    create_table_artifact(key="gather-channels", table=[r.as_row() for r in results],
                          description=f"gather: {summary}")
    if failed:
        # The run shows as Failed in Prefect (so schedules and automations see it), while
        # the other channels' results are kept as the state's data.
        return Failed(message=f"gather: {summary}", data=results)
    return results


def outcome(state: State) -> Any:
    """A flow run's data, also when the run ended Failed on purpose; re-raises a real crash."""
    data = state.result(raise_on_failure=False)
    if isinstance(data, BaseException):
        raise data
    return data
