"""Flow ``daily``: the morning run before the branches open.

gather → refine → brief → signal → follow_up, each stage a subflow run inside a task, so
that brief and signal can run side by side (``MI_DAILY_SIDE_BY_SIDE``; off by default: see
``Settings.daily_side_by_side``). A stage that fails stops only the stages that need
its output (``NEEDS``); a stage that finished with some failures (a channel that failed, a
brief not delivered) lets the others go on: the other channels' news is still today's
news. The run ends Failed when any stage failed or finished with failures, and leaves a
``daily-summary`` table artifact: per stage its outcome, seconds and counts.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from mi.briefing import BatchReport
from mi.flows.brief import UNDELIVERED, brief
from mi.flows.follow_up import follow_up
from mi.flows.gather import gather, outcome
from mi.flows.parameters import ChannelNames
from mi.flows.refine import refine
from mi.flows.signal import signal
from mi.gathering import ChannelResult
from mi.memory import release_freed_memory
from mi.records.inert import visible_controls
from mi.runtime import current_runtime

#: What each stage needs to have run first. A failed stage skips the stages that need it.
NEEDS: dict[str, tuple[str, ...]] = {
    "gather": (), "refine": ("gather",), "brief": ("refine",), "signal": ("refine",), "follow_up": ("signal",),
}


@dataclass
class StageResult:
    stage: str
    #: completed; partial (finished, with failures inside: a channel, a delivery); failed
    #: (raised or crashed: what needs it is skipped); skipped (something it needs failed).
    status: str
    seconds: float = 0.0
    counts: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    data: Any = None

    @property
    def usable(self) -> bool:
        return self.status in ("completed", "partial")

    def row(self) -> dict[str, Any]:
        counts = ", ".join(f"{key}={value}" for key, value in self.counts.items())
        return {"stage": self.stage, "status": self.status, "seconds": round(self.seconds, 2), "counts": counts,
                "message": visible_controls(self.message)}


def _counts(stage: str, data: Any) -> dict[str, Any]:
    if stage == "gather":
        return {"channels": len(data), "failed": sum(1 for r in data if r.error),
                "fetched": sum(r.fetched for r in data), "new": sum(r.new for r in data),
                "quarantined": sum(r.quarantined for r in data)}
    if stage == "brief":
        rows = [row for batch in data for row in batch.rows()]
        return {"briefs": sum(batch.brief_count for batch in data),
                "sent": sum(1 for row in rows if row["outcome"] == "sent"),
                "undelivered": sum(1 for row in rows if row["outcome"] in UNDELIVERED)}
    return {key: value for key, value in dict(data).items() if isinstance(value, (int, float, str))}


_FLOWS = {"gather": gather, "refine": refine, "brief": brief, "signal": signal, "follow_up": follow_up}


@task(name="daily-stage", task_run_name="stage-{stage}", cache_policy=NO_CACHE)
def run_stage(stage: str, parameters: dict[str, Any]) -> StageResult:
    """Run one stage's flow; whatever it raises comes back as a failed stage."""
    started = time.perf_counter()
    try:
        # Each stage's flow run sends its own heartbeats, so a process that dies mid-stage shows
        # that stage crashed; they end with the run (mi.heartbeats), costing the day nothing.
        state = _FLOWS[stage](**parameters, return_state=True)
        data = outcome(state)
    except Exception as exc:  # noqa: BLE001 - a stage's crash is reported, and stops what needs it
        return StageResult(stage, "failed", time.perf_counter() - started,
                           message=f"{type(exc).__name__}: {exc}")
    finally:
        release_freed_memory()  # what the stage freed goes back before the next one grows
    counts = _counts(stage, data)
    partial = state.is_failed() or (stage == "brief" and counts["undelivered"] > 0)
    message = (state.message or "") if state.is_failed() else (
        f"{counts['undelivered']} brief(s) not delivered" if partial else "")
    return StageResult(stage, "partial" if partial else "completed", time.perf_counter() - started, counts,
                       message, data)


def _skipped(stage: str, done: dict[str, StageResult]) -> StageResult | None:
    missing = [need for need in NEEDS[stage] if not done[need].usable]
    if missing:
        return StageResult(stage, "skipped", message=f"not run: {', '.join(missing)} failed")
    return None


@flow(name="daily", task_runner=ThreadPoolTaskRunner(max_workers=2))
def daily(channels: ChannelNames | None = None, since: dt.date | None = None,
          day: dt.date | None = None
          ) -> tuple[list[ChannelResult], dict[str, int], list[BatchReport]] | State:
    """The morning run: gather ``channels`` (default every enabled one; items since ``since``),
    refine, then brief every RM and read demand signals (side by side when so set), then follow up launched
    products, all as of ``day`` (default today). Returns (gather results, refine counts, brief
    batches); Failed when any stage failed or finished with failures."""
    logger = get_run_logger()
    parameters = {"gather": {"channels": channels, "since": since}, "refine": {"day": day},
                  "brief": {"period": day}, "signal": {"day": day}, "follow_up": {"day": day}}
    done: dict[str, StageResult] = {}

    def run(stage: str) -> None:
        done[stage] = _skipped(stage, done) or run_stage(stage, parameters[stage])

    run("gather")
    run("refine")
    if current_runtime().settings.daily_side_by_side:
        side_by_side = {}
        for stage in ("brief", "signal"):
            skipped = _skipped(stage, done)
            if skipped:
                done[stage] = skipped
            else:
                side_by_side[stage] = run_stage.submit(stage, parameters[stage])
        for stage, future in side_by_side.items():
            done[stage] = future.result()
    else:
        run("brief")
        run("signal")
    run("follow_up")

    stages = [done[stage] for stage in NEEDS]
    for result in stages:
        log = logger.info if result.status == "completed" else logger.error
        log("daily %s: %s in %.1f s %s%s", result.stage, result.status, result.seconds,
            ", ".join(f"{k}={v}" for k, v in result.counts.items()),
            f" ({visible_controls(result.message)})" if result.message else "")
    troubled = [result for result in stages if result.status != "completed"]
    summary = f"{len(stages) - len(troubled)} of {len(stages)} stages completed" + (
        f"; {', '.join(f'{r.stage} {r.status}' for r in troubled)}" if troubled else "")
    create_table_artifact(key="daily-summary", table=[result.row() for result in stages],
                          description=f"daily: {summary}")
    data = (done["gather"].data if done["gather"].usable else [],
            done["refine"].data if done["refine"].usable else {},
            done["brief"].data if done["brief"].usable else [])
    if troubled:
        first = troubled[0]
        return Failed(message=f"daily: {summary}" + (f" - {first.message}" if first.message else ""), data=data)
    return data
