"""Source health beyond failures: a channel gone silent, its volume collapsing or
exploding against its own history, its layout broken.

Each channel is judged against itself, from what it landed (``raw_items``):

- **silent**: nothing new for longer than ``silent_factor`` x its usual interval (the median
  gap between its last landings, at least ``min_landings`` of them), and at least
  ``min_silence``;
- **volume_low / volume_high**: the records of the last 24 hours against the median of the
  24-hour windows before (``volume_days`` of them, at least ``min_volume_days`` with
  anything landed): below ``low_ratio`` x or above ``high_ratio`` x that median;
- **layout**: the newest payloads (``layout_run`` of them) were all set aside, unreadable,
  while earlier ones parsed: the site changed its layout (or its format).

A condition opens one episode (``channel_health_alerts``) and one message to the staff;
it stays open, unrepeated, while the condition holds, and clears itself, with a second
message, when the channel recovers.
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import Engine, select

from mi.warehouse.models import Channel, ParseStatus, RawItem
from mi.warehouse.ops import clear_health_alert, open_health_alert, open_health_alerts

CONDITIONS = ("silent", "volume_low", "volume_high", "layout")


@dataclass(frozen=True)
class HealthRules:
    silent_factor: float = 3.0
    min_landings: int = 5
    min_silence: dt.timedelta = dt.timedelta(hours=1)
    volume_days: int = 28
    min_volume_days: int = 7
    low_ratio: float = 0.2
    high_ratio: float = 5.0
    min_volume: int = 5  # a median below this is too small to judge a collapse by
    layout_run: int = 2


@dataclass(frozen=True)
class Finding:
    channel: str
    condition: str
    detail: str


@dataclass(frozen=True)
class HealthChange:
    channel: str
    condition: str
    detail: str
    change: str  # opened, cleared
    at: dt.datetime


def _span(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} d" if hours >= 48 else f"{hours:.1f} h" if hours >= 1 else f"{hours * 60:.0f} min"


def assess(name: str, landings: list[tuple[dt.datetime, str, int, str | None]], now: dt.datetime,
           rules: HealthRules = HealthRules()) -> list[Finding]:
    """The conditions one channel is in: ``landings`` are (fetched_at, parse status,
    records, parse error) of its payloads, oldest first."""
    found = []
    fetched = [row for row in landings if row[1] != ParseStatus.FETCH_ERROR]
    times = [row[0] for row in fetched]
    if len(times) >= rules.min_landings:
        recent = times[-21:]
        gaps = [later - earlier for earlier, later in zip(recent, recent[1:]) if later > earlier]
        if gaps:
            usual = statistics.median(gaps)
            quiet = now - times[-1]
            if quiet > max(rules.silent_factor * usual, rules.min_silence):
                found.append(Finding(name, "silent", f"nothing new for {_span(quiet)} (usually every {_span(usual)})"))
    windows = [0] * (rules.volume_days + 1)  # [0] = the last 24 h
    for when, _, records, _ in fetched:
        age = int((now - when) / dt.timedelta(days=1))
        if 0 <= age <= rules.volume_days:
            windows[age] += records
    history = [count for count in windows[1:] if count > 0]
    if len(history) >= rules.min_volume_days:
        usual_volume = statistics.median(history)
        latest = windows[0]
        if 0 < latest < rules.low_ratio * usual_volume and usual_volume >= rules.min_volume:
            found.append(Finding(name, "volume_low", f"{latest} records in 24 h, usually {usual_volume:g}"))
        elif latest > rules.high_ratio * usual_volume:
            found.append(Finding(name, "volume_high", f"{latest} records in 24 h, usually {usual_volume:g}"))
    statuses = [row[1] for row in fetched]
    recent = statuses[-rules.layout_run:]
    if len(recent) == rules.layout_run and all(s == ParseStatus.QUARANTINED for s in recent) \
            and any(s in (ParseStatus.PARSED, ParseStatus.PARTIAL) for s in statuses[:-rules.layout_run]):
        error = (fetched[-1][3] or "unreadable").splitlines()[0][:200]
        found.append(Finding(name, "layout", f"the last {rules.layout_run} payloads could not be read: {error}"))
    return found


def check_health(engine: Engine, now: dt.datetime, rules: HealthRules = HealthRules(),
                 channels: list[str] | None = None) -> list[HealthChange]:
    """Assess every enabled channel (or ``channels``); open an episode for each new condition
    and clear those that no longer hold. Returns what opened or cleared in this check."""
    since = now - dt.timedelta(days=rules.volume_days + 1)
    changes: list[HealthChange] = []
    with engine.begin() as conn:
        query = select(Channel.id, Channel.name).where(Channel.enabled.is_(True))
        if channels is not None:
            query = query.where(Channel.name.in_(channels))
        known = dict(conn.execute(query).all())
        open_now = open_health_alerts(conn)
        for channel_id, name in sorted(known.items(), key=lambda item: item[1]):
            landings = [tuple(row) for row in conn.execute(
                select(RawItem.fetched_at, RawItem.parse_status, RawItem.record_count, RawItem.parse_error)
                .where(RawItem.channel_id == channel_id, RawItem.fetched_at >= since, RawItem.fetched_at <= now)
                .order_by(RawItem.fetched_at, RawItem.id))]
            findings = {f.condition: f for f in assess(name, landings, now, rules)}
            for condition, finding in findings.items():
                if (channel_id, condition) not in open_now:
                    open_health_alert(conn, channel_id, condition, finding.detail, now)
                    changes.append(HealthChange(name, condition, finding.detail, "opened", now))
            for (open_channel, condition), row in open_now.items():
                if open_channel == channel_id and condition not in findings:
                    clear_health_alert(conn, row.id, now)
                    changes.append(HealthChange(name, condition, row.detail, "cleared", now))
    return changes


def open_conditions(engine: Engine) -> dict[int, list[str]]:
    """Per channel id, its open conditions as ``condition: detail`` lines (for ``mi channels``)."""
    with engine.connect() as conn:
        found: dict[int, list[str]] = {}
        for (channel_id, condition), row in sorted(open_health_alerts(conn).items()):
            found.setdefault(channel_id, []).append(f"{condition}: {row.detail}")
    return found
