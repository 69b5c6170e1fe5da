"""Flow ``alert`` (intraday): fresh market series and breaking news against thresholds, a
short alert to each RM whose customers are exposed (at most once per event and RM, through
the outbox), and a digest of what fired to the market-information staff.

With ``channels``, those (the fast ones: FX, oil, the news wires) are gathered and refined
first, so one scheduled run refreshes and checks.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.runtime import flow_run
from pydantic import Field

from mi.flows.gather import gather
from mi.flows.parameters import ChannelNames, Recipient
from mi.flows.refine import refine
from mi.tasks.alerts import STAFF_RECIPIENT, AlertThresholds, check_thresholds, deliver_alerts


@flow(name="alert")
def alert(channels: ChannelNames | None = None, window_hours: Annotated[float, Field(gt=0, le=168)] = 6.0,
          min_anomaly_score: Annotated[float, Field(gt=0, le=100)] = 3.5,
          min_move: Annotated[float, Field(gt=0, le=1)] = 0.02,
          min_move_points: Annotated[float, Field(gt=0, le=100)] = 0.15,
          max_tone: Annotated[float, Field(ge=-1, le=0)] = -0.3,
          staff: Recipient = STAFF_RECIPIENT, as_of: dt.datetime | None = None) -> dict[str, object]:
    """Gather and refine ``channels`` (if given), then alert the RMs exposed to what breached:
    a series' latest point scoring ``min_anomaly_score`` or moving ``min_move`` (prices,
    relative) or ``min_move_points`` (rates); a story of the last ``window_hours`` reading at
    or below ``max_tone`` for a customer. ``staff`` gets a digest of what fired. ``as_of``
    checks as of another moment than now (a re-check of what would have fired then)."""
    logger = get_run_logger()
    now = as_of or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    if channels:
        gather(channels=channels, return_state=True)  # a failed channel shows in its own run; check the rest
        refine(day=now.date())
    thresholds = AlertThresholds(min_anomaly_score=min_anomaly_score, min_move=min_move,
                                 min_move_points=min_move_points, max_tone=max_tone, window_hours=window_hours)
    found = check_thresholds(now, now.date(), thresholds)
    run_id = str(flow_run.get_id() or f"local-{now.isoformat()}")
    fresh, delivery = deliver_alerts(found, now, run_id, staff)
    rows = [{"event": a.event.key, "kind": a.event.kind, "title": a.event.title[:120], "rm": a.rm_ref,
             "customers": ", ".join(a.customers[:3])} for a in fresh]
    stats: dict[str, object] = {"breaches": len({a.event.key for a in found}), "rm_alerts_new": len(fresh),
                                "messages_queued": delivery.queued, "messages_sent": delivery.sent,
                                "messages_failed": delivery.failed, "skipped": delivery.skipped}
    logger.info("alert: %s", ", ".join(f"{k}={v}" for k, v in stats.items()))
    create_table_artifact(key="alert-digest", table=rows or [{"event": "", "kind": "", "title": "nothing fired",
                                                              "rm": "", "customers": ""}],
                          description=f"alert: {len(fresh)} new RM alert(s) from {stats['breaches']} breach(es)")
    return stats
