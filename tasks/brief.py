"""Prefect tasks of the brief flow: one task run per batch of RMs, never per RM."""
from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.briefing import BatchReport, active_rms, brief_batch
from mi.delivery import channels_from_settings
from mi.runtime import current_runtime


@task(name="plan-brief-batches", cache_policy=NO_CACHE)
def plan_brief_batches(rms: list[str] | None) -> list[list[str]]:
    """The RMs to brief (``rms``, else every active RM) in batches of ``MI_BRIEF_BATCH``."""
    runtime = current_runtime()
    refs = active_rms(runtime.engine, rms)
    size = runtime.settings.briefs.batch
    return [refs[start:start + size] for start in range(0, len(refs), size)]


def _batch_name(parameters: dict[str, Any]) -> str:
    rms = parameters.get("rms") or []
    return f"brief-{rms[0]}-{rms[-1]}" if rms else "brief-none"


@task(name="brief-rms", task_run_name=_batch_name, cache_policy=NO_CACHE)
def brief_rms(rms: list[str], period: dt.date, until: dt.datetime, channels: list[str] | None, dry_run: bool,
              run_id: str) -> BatchReport:
    """Compose, render and deliver one batch; delivery failures come back in the report."""
    runtime = current_runtime()
    settings = runtime.settings
    if channels is not None:  # an ad-hoc run may name the channels (e.g. only eml)
        settings = settings.with_delivery_channels(channels)
    return brief_batch(runtime.engine, settings, rms, period=period, until=until,
                       channels=channels_from_settings(settings), run_id=run_id, dry_run=dry_run).report()
