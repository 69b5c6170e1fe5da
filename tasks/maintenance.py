"""Prefect tasks of the maintenance flow: Prefect's own history, raw payloads, the database."""
from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.runtime import current_runtime
from mi.warehouse.maintenance import PruneOutcome, prune_payloads, vacuum_analyze

TERMINAL = ("COMPLETED", "FAILED", "CANCELLED", "CRASHED")
_BATCH = 200


async def _prune_history(before: dt.datetime, keep: set[str]) -> tuple[int, int]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterExpectedStartTime,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    runs = artifacts = 0
    async with get_client() as client:
        while True:
            old = await client.read_flow_runs(flow_run_filter=FlowRunFilter(
                expected_start_time=FlowRunFilterExpectedStartTime(before_=before),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType(t) for t in TERMINAL])),
                id=FlowRunFilterId(not_any_=[uuid.UUID(k) for k in keep]) if keep else None),
                limit=_BATCH)
            if not old:
                return runs, artifacts
            ids = [run.id for run in old]
            for artifact in await client.read_artifacts(artifact_filter=ArtifactFilter(
                    flow_run_id=ArtifactFilterFlowRunId(any_=ids))):
                await client.delete_artifact(artifact.id)
                artifacts += 1
            for run_id in ids:
                # Its task runs and states go with it; its logs are removed by the API's own
                # orphan vacuum (``mi server start`` enables it).
                await client.delete_flow_run(run_id)
                runs += 1


# Talking to the API is I/O: a retry deletes only what is still there.
@task(name="prune-prefect-history", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10, timeout_seconds=1800)
def prune_prefect_history(before: dt.datetime, keep: list[str]) -> tuple[int, int]:
    """Delete finished flow runs that were due before ``before`` (never ``keep``, this run and
    its parents) with their artifacts: (runs, artifacts)."""
    return asyncio.run(_prune_history(before, set(keep)))


@task(name="prune-raw-payloads", cache_policy=NO_CACHE, timeout_seconds=1800)
def prune_raw(before: dt.datetime) -> PruneOutcome:
    return prune_payloads(current_runtime().engine, older_than=before)


@task(name="vacuum-analyze", cache_policy=NO_CACHE, timeout_seconds=3600)
def vacuum() -> str:
    return vacuum_analyze(current_runtime().engine)
