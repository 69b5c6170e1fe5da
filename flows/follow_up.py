"""Flow ``follow_up``: launched products against their targets and costs, alerts when one
underperforms (once), reserved signals back for review, the month's report and a table
artifact."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from pydantic import Field

from mi.flows.parameters import CostBasis, Recipient
from mi.tasks.signals import DEFAULT_RECIPIENT, deliver, follow_up_products, reviews


@flow(name="follow_up")
def follow_up(day: dt.date | None = None, months: Annotated[int, Field(ge=1, le=240)] = 24,
              threshold: Annotated[float, Field(gt=0, le=10)] = 0.8,
              grace_months: Annotated[int, Field(ge=0, le=120)] = 3, cost_basis: CostBasis = "annual",
              recipient: Recipient = DEFAULT_RECIPIENT) -> dict[str, object]:
    """Follow up products launched in the last ``months`` months (and every product a signal
    became) as of ``day``: under target when customers fall below ``threshold`` x the ramped
    first-year target after ``grace_months``; ``cost_basis`` "annual" or "one_off" reads the
    product's cost (see mi.signals.follow_up)."""
    logger = get_run_logger()
    as_of = day or dt.datetime.now(dt.timezone.utc).date()
    outcome = follow_up_products(as_of, months, threshold, grace_months, cost_basis, recipient)
    due = reviews(as_of, recipient)
    sent, failed = deliver()
    stats: dict[str, object] = {
        "products": outcome.products, "under_target": outcome.under_target, "alerts_new": outcome.alerts,
        "reviews_due": due.reviews, "messages_sent": sent, "messages_failed": failed, "period": outcome.period,
        "report": [str(path) for path in outcome.files],
    }
    logger.info("follow_up %s: %s", as_of, ", ".join(f"{k}={v}" for k, v in stats.items() if k != "report"))
    create_table_artifact(key="follow-up", table=list(outcome.rows),
                          description=f"product follow-up {outcome.period}: {outcome.under_target} under target, "
                                      f"{outcome.alerts} new alerts")
    return stats
