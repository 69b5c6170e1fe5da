"""Flow ``refine``: the clean layer into the analysis layer, in batches."""
from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from mi.refining.series import SeriesOutcome
from mi.tasks.refine import (
    analyse_all_series,
    group_events,
    industry_pulse,
    link_entities,
    plan_day,
    reopen_range,
    summarise_day,
    tag_documents,
)


@flow(name="refine")
def refine(day: dt.date | None = None, since: dt.date | None = None) -> dict[str, int]:
    """Tag, group, link and analyse whatever gather brought in; summarise ``day`` (default today).

    A run first asks which steps have work (``plan-refine``): with nothing new (no documents,
    no changed series, the day's pulse and series results already written) it ends there. A
    step with no work is not started.

    ``since`` re-runs a date range: the documents that arrived from ``since`` to ``day`` are
    tagged again with today's models (after an upgrade of a word list or the tone model, say)
    and the industry pulse of their days is written again."""
    logger = get_run_logger()
    as_of = day or dt.datetime.now(dt.timezone.utc).date()
    if since is not None and since > as_of:
        raise ValueError(f"since ({since}) is after day ({as_of})")
    reopened = reopen_range(since, as_of) if since is not None else 0
    plan = plan_day(as_of)
    if plan.nothing:
        stats = _stats(since, reopened, 0, (0, 0), 0, SeriesOutcome(0, 0, 0, 0, ()), (0, 0))
        logger.info("refine %s: nothing new since the last run", as_of)
        return stats
    tagged = sum(tag_documents(ids) for ids in plan.batches)
    events = group_events() if plan.events or tagged else (0, 0)
    links = link_entities() if plan.links or tagged else 0
    series = analyse_all_series(as_of) if plan.series != 0 else SeriesOutcome(0, 0, 0, 0, ())
    pulse = industry_pulse(as_of)
    stats = _stats(since, reopened, tagged, events, links, series, pulse)
    for skipped in series.skipped:
        logger.warning("series skipped: %s", skipped)
    logger.info("refine %s: %s", as_of, ", ".join(f"{k}={v}" for k, v in stats.items()))
    create_markdown_artifact(key="refine-day", markdown=summarise_day(as_of, stats), description=f"refine {as_of}")
    return stats


def _stats(since: dt.date | None, reopened: int, tagged: int, events: tuple[int, int], links: int,
           series: SeriesOutcome, pulse: tuple[int, int]) -> dict[str, int]:
    return {
        **({"documents_reopened": reopened} if since is not None else {}),
        "documents_tagged": tagged, "events_new": events[0], "events_touched": events[1],
        "entity_links_new": links, "series_analysed": series.analysed, "series_unchanged": series.unchanged,
        "anomalies_new": series.new_anomalies, "forecast_points_new": series.new_forecasts,
        "pulse_rows_new": pulse[0], "pulse_rows_updated": pulse[1],
    }
