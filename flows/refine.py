"""Flow ``refine``: the clean layer into the analysis layer, in batches; and ``daily``,
which gathers and then refines, as the morning schedule runs it."""
from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Failed, State

from mi.flows.gather import gather, outcome
from mi.gathering import ChannelResult
from mi.refining.summary import day_summary, document_days
from mi.runtime import current_runtime
from mi.tasks.refine import (
    analyse_all_series,
    group_events,
    industry_pulse,
    link_entities,
    plan_document_batches,
    tag_documents,
)


@flow(name="refine")
def refine(day: dt.date | None = None) -> dict[str, int]:
    """Tag, group, link and analyse whatever gather brought in; summarise ``day`` (default today)."""
    logger = get_run_logger()
    as_of = day or dt.datetime.now(dt.timezone.utc).date()
    batches = plan_document_batches()
    tagged = sum(tag_documents(ids) for ids in batches)
    new_events, touched_events = group_events()
    links = link_entities(batches)
    series = analyse_all_series(as_of)
    pulse_new, pulse_updated = industry_pulse(document_days(current_runtime().engine, batches) | {as_of})
    stats = {
        "documents_tagged": tagged, "events_new": new_events, "events_touched": touched_events,
        "entity_links_new": links, "series_analysed": series.analysed, "anomalies_new": series.new_anomalies,
        "forecast_points_new": series.new_forecasts, "pulse_rows_new": pulse_new, "pulse_rows_updated": pulse_updated,
    }
    for skipped in series.skipped:
        logger.warning("series skipped: %s", skipped)
    logger.info("refine %s: %s", as_of, ", ".join(f"{k}={v}" for k, v in stats.items()))
    create_markdown_artifact(key="refine-day", markdown=day_summary(current_runtime().engine, as_of, stats),
                             description=f"refine {as_of}")
    return stats


@flow(name="daily")
def daily(channels: list[str] | None = None, since: dt.date | None = None,
          day: dt.date | None = None) -> tuple[list[ChannelResult], dict[str, int]] | State:
    """The morning run: gather every channel, then refine what came in (even when a
    channel failed: the others' news is still today's news); Failed if a channel failed."""
    gathered = gather(channels=channels, since=since, return_state=True)
    results = outcome(gathered)
    stats = refine(day=day)
    if gathered.is_failed():
        return Failed(message=gathered.message, data=(results, stats))
    return results, stats
