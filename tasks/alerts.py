"""Prefect tasks of the alert flow: one check over the warehouse, one delivery batch."""
from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.briefs.alerts import AlertThresholds, RmAlert, find_alerts, health_message, render_alert, staff_digest
from mi.delivery import channels_from_settings
from mi.delivery.alerts import AlertDelivery, send_alerts
from mi.refining.health import HealthChange, check_health
from mi.runtime import current_runtime
from mi.warehouse.ops import RmAlert as RmAlertRow

__all__ = ["STAFF_RECIPIENT", "AlertThresholds", "check_source_health", "check_thresholds", "deliver_alerts"]

#: Where the staff digest goes (the market-information desk's mailbox).
STAFF_RECIPIENT = "market-information@bank.invalid"


@task(name="find-alerts", cache_policy=NO_CACHE, timeout_seconds=600)
def check_thresholds(now: dt.datetime, day: dt.date, thresholds: AlertThresholds) -> list[RmAlert]:
    with current_runtime().engine.connect() as conn:
        return find_alerts(conn, now=now, day=day, thresholds=thresholds)


def _already(alerts: list[RmAlert]) -> set[tuple[str, str]]:
    """(event, RM) pairs an earlier check queued: they do not count as fired again."""
    from sqlalchemy import select

    keys = sorted({a.event.key for a in alerts})
    if not keys:
        return set()
    with current_runtime().engine.connect() as conn:
        return {(row.event_key, row.rm_ref) for row in conn.execute(
            select(RmAlertRow.event_key, RmAlertRow.rm_ref).where(RmAlertRow.event_key.in_(keys)))}


# Sending is I/O (SMTP, webhooks): a retry of the task re-sends only what is still due.
@task(name="send-alerts", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10, timeout_seconds=900)
def deliver_alerts(alerts: list[RmAlert], now: dt.datetime, run_id: str, staff: str) -> tuple[list[RmAlert],
                                                                                            AlertDelivery]:
    """Queue and send each alert not sent before, and a digest of the new ones to the staff."""
    runtime = current_runtime()
    settings = runtime.settings
    seen = _already(alerts)
    fresh = [a for a in alerts if (a.event.key, a.rm_ref) not in seen]
    messages = []
    for alert in alerts:
        brief, rendered = render_alert(alert, now=now, bank_name=settings.briefs.bank_name)
        messages.append((brief, rendered, alert.event.key, alert.event.kind))
    if fresh:
        brief, rendered = staff_digest(fresh, now=now, staff=staff, bank_name=settings.briefs.bank_name)
        messages.append((brief, rendered, brief.event_key, "digest"))
    outcome = send_alerts(runtime.engine, messages, channels_from_settings(settings), run_id=run_id,
                          max_attempts=settings.delivery.max_attempts, now=now)
    return fresh, outcome


@task(name="source-health", cache_policy=NO_CACHE, timeout_seconds=600)
def check_source_health(channels: list[str] | None, now: dt.datetime | None = None,
                        staff: str = STAFF_RECIPIENT) -> list[HealthChange]:
    """Open or clear the channels' health episodes; tell the staff once per change."""
    runtime = current_runtime()
    settings = runtime.settings
    moment = now or dt.datetime.now(dt.timezone.utc)
    changes = check_health(runtime.engine, moment, channels=channels)
    if changes:
        brief, rendered = health_message(changes, now=moment, staff=staff, bank_name=settings.briefs.bank_name)
        send_alerts(runtime.engine, [(brief, rendered, brief.event_key, "health")], channels_from_settings(settings),
                    run_id=f"health-{moment.isoformat()}", max_attempts=settings.delivery.max_attempts, now=moment)
    return changes
