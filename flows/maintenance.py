"""Flow ``maintenance`` (weekly): Prefect's run history, logs and artifacts past their
retention, raw payloads past theirs (never one a quarantine or an open signal points at),
then VACUUM/ANALYZE of the warehouse."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.runtime import flow_run
from pydantic import Field

from mi.tasks.maintenance import prune_prefect_history, prune_raw, vacuum


@flow(name="maintenance")
def maintenance(history_days: Annotated[int, Field(ge=1, le=3650)] = 30,
                payload_days: Annotated[int, Field(ge=1, le=3650)] = 90, vacuum_database: bool = True
                ) -> dict[str, object]:
    """Delete finished flow runs older than ``history_days`` (their task runs, logs and
    artifacts with them), empty raw payloads older than ``payload_days`` that nothing needs,
    and VACUUM/ANALYZE the warehouse when ``vacuum_database``."""
    logger = get_run_logger()
    now = dt.datetime.now(dt.timezone.utc)
    keep = [str(i) for i in (flow_run.get_id(), flow_run.get_parent_flow_run_id()) if i]
    runs, artifacts = prune_prefect_history(now - dt.timedelta(days=history_days), keep)
    pruned = prune_raw(now - dt.timedelta(days=payload_days))
    stats: dict[str, object] = {
        "flow_runs_deleted": runs, "artifacts_deleted": artifacts, "payloads_pruned": pruned.payloads,
        "payload_bytes_freed": pruned.bytes, "payloads_kept_for_open_signals": pruned.protected,
        "database": vacuum() if vacuum_database else "not vacuumed",
    }
    logger.info("maintenance: %s", ", ".join(f"{k}={v}" for k, v in stats.items()))
    create_table_artifact(key="maintenance", table=[{"step": k, "value": str(v)} for k, v in stats.items()],
                          description="maintenance: what was pruned")
    return stats
