"""Flow ``refine``: the clean layer into the analysis layer, in batches."""
from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from mi.tasks.refine import (
    analyse_all_series,
    group_events,
    industry_pulse,
    link_entities,
    plan_document_batches,
    reopen_range,
    summarise_day,
    tag_documents,
)


@flow(name="refine")
def refine(day: dt.date | None = None, since: dt.date | None = None) -> dict[str, int]:
    """Tag, group, link and analyse whatever gather brought in; summarise ``day`` (default today).

    ``since`` re-runs a date range: the documents that arrived from ``since`` to ``day`` are
    tagged again with today's models (after an upgrade of a word list or the tone model, say)
    and the industry pulse of their days is written again."""
    logger = get_run_logger()
    as_of = day or dt.datetime.now(dt.timezone.utc).date()
    if since is not None and since > as_of:
        raise ValueError(f"since ({since}) is after day ({as_of})")
    reopened = reopen_range(since, as_of) if since is not None else 0
    batches = plan_document_batches()
    tagged = sum(tag_documents(ids) for ids in batches)
    new_events, touched_events = group_events()
    links = link_entities()
    series = analyse_all_series(as_of)
    pulse_new, pulse_updated = industry_pulse(as_of)
    stats = {
        **({"documents_reopened": reopened} if since is not None else {}),
        "documents_tagged": tagged, "events_new": new_events, "events_touched": touched_events,
        "entity_links_new": links, "series_analysed": series.analysed, "anomalies_new": series.new_anomalies,
        "forecast_points_new": series.new_forecasts, "pulse_rows_new": pulse_new, "pulse_rows_updated": pulse_updated,
    }
    for skipped in series.skipped:
        logger.warning("series skipped: %s", skipped)
    logger.info("refine %s: %s", as_of, ", ".join(f"{k}={v}" for k, v in stats.items()))
    create_markdown_artifact(key="refine-day", markdown=summarise_day(as_of, stats), description=f"refine {as_of}")
    return stats
