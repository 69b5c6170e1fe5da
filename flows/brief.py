"""Flow ``brief``: every RM's brief for a period, composed, rendered and delivered once."""
from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from mi.briefing import BatchReport, release_material
from mi.flows.parameters import DeliveryChannels, RmRefs
from mi.records.inert import md_text
from mi.tasks.brief import brief_rms, plan_brief_batches

#: Outcomes that mean a brief did not reach its RM on a channel (this run or for good).
UNDELIVERED = {"failed", "gave_up", "deferred"}


@flow(name="brief")
def brief(period: dt.date | None = None, rms: RmRefs | None = None, channels: DeliveryChannels | None = None,
          dry_run: bool = False) -> list[BatchReport]:
    """Brief ``rms`` (default: every active RM) for ``period`` (default: today, UTC) on
    ``channels`` (default: ``MI_DELIVERY_CHANNELS``); ``dry_run`` composes and renders only."""
    logger = get_run_logger()
    until = dt.datetime.now(dt.timezone.utc)
    period = period or until.date()
    run_id = str(flow_run.get_id() or f"local-{until.isoformat()}")
    try:
        results = [brief_rms(batch, period, until, channels, dry_run, run_id) for batch in plan_brief_batches(rms)]
    finally:
        release_material(run_id)
    rows = [row for result in results for row in result.rows()]
    undelivered = [row for row in rows if row["outcome"] in UNDELIVERED]
    summary = (f"{sum(r.brief_count for r in results)} briefs for {period}, "
               f"{sum(1 for row in rows if row['outcome'] == 'sent')} sent, {len(undelivered)} not delivered")
    logger.info("brief: %s", summary)
    create_table_artifact(key="brief-deliveries", table=rows, description=f"brief: {summary}")
    sample = next((result.sample for result in results if result.sample), None)
    if sample is not None:
        create_markdown_artifact(key="brief-sample", markdown=sample_markdown(*sample),
                                 description="one of this run's briefs, as text")
    return results


def sample_markdown(subject: str, text: str) -> str:
    """A brief's text part as inert markdown: every line escaped, nothing taken as a link."""
    lines = [f"### {md_text(subject)}", ""] + [md_text(line) + "  " for line in text.splitlines()]
    return "\n".join(lines)
