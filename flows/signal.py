"""Flow ``signal``: field notes into demand signals for the product department, published
once per period (digest, webhook, CSV and Markdown report) with a table artifact."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from pydantic import Field

from mi.flows.parameters import Recipient
from mi.tasks.signals import DEFAULT_RECIPIENT, deliver, plan_note_batches, publish, read_note_needs, refresh, report


@flow(name="signal")
def signal(day: dt.date | None = None, since: dt.date | None = None,
           min_customers: Annotated[int, Field(ge=1, le=100_000)] = 2,
           min_score: Annotated[float, Field(ge=0, le=100)] = 0.0,
           recipient: Recipient = DEFAULT_RECIPIENT) -> dict[str, object]:
    """Read the needs of new notes, group the notes dated in [since, day] (default: the last
    180 days) into signals of at least ``min_customers`` customers, publish the period's new
    signals (scoring at least ``min_score``) and material updates to ``recipient``, and
    write the period's report."""
    logger = get_run_logger()
    as_of = day or dt.datetime.now(dt.timezone.utc).date()
    read = sum(read_note_needs(ids) for ids in plan_note_batches())
    refreshed = refresh(as_of, since, min_customers)
    published = publish(as_of, recipient, min_score)
    sent, failed = deliver()
    files, rows = report(published.period)
    stats: dict[str, object] = {
        "notes_read": read, "notes_in_window": refreshed.notes, "signals": refreshed.candidates,
        "signals_new": refreshed.created, "signals_changed": refreshed.changed, "published_new": published.new,
        "published_updates": published.updated, "messages_sent": sent, "messages_failed": failed,
        "period": published.period, "report": files,
    }
    logger.info("signal %s: %s", as_of, ", ".join(f"{k}={v}" for k, v in stats.items() if k != "report"))
    create_table_artifact(key="signals", table=rows,
                          description=f"demand signals {published.period}: {published.new} new, "
                                      f"{published.updated} updated")
    return stats
