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
    summarise_day,
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
    links = link_entities()
    series = analyse_all_series(as_of)
    pulse_new, pulse_updated = industry_pulse(as_of)
    stats = {
        "documents_tagged": tagged, "events_new": new_events, "events_touched": touched_events,
        "entity_links_new": links, "series_analysed": series.analysed, "anomalies_new": series.new_anomalies,
        "forecast_points_new": series.new_forecasts, "pulse_rows_new": pulse_new, "pulse_rows_updated": pulse_updated,
    }
    for skipped in series.skipped:
        logger.warning("series skipped: %s", skipped)
    logger.info("refine %s: %s", as_of, ", ".join(f"{k}={v}" for k, v in stats.items()))
    create_markdown_artifact(key="refine-day", markdown=summarise_day(as_of, stats), description=f"refine {as_of}")
    return stats
