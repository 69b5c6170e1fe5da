"""Follow-up of a launched product from its own figures: uptake against target, benefit
against cost per month since launch with the break-even point, the trend, and whether it
underperforms. Pure functions over the product channels' rows.

Assumptions, all from the product's own fields:
- ``uptake_target`` is the number of customers expected within the first year; the target
  for month m after launch ramps up evenly: target x min(m, 12) / 12.
- ``cost`` is the launch and running cost. ``cost_basis="annual"`` (default) reads it as a
  year's cost and charges a twelfth every month since launch; ``"one_off"`` charges it
  all in the launch month.
- Benefit is the month's revenue (``ProductMetric.revenue``); net = revenue - cost of the
  month; break-even is the first month when the cumulative net reaches zero. The month's
  volume is shown beside it (what the revenue was earned on), not used in the arithmetic.
- A product underperforms in a month when, after ``grace_months``, its customers are below
  ``threshold`` x that month's target. The episode starts at the first such month of the
  current run, which is what an alert is keyed by: one alert per episode.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 0.8
GRACE_MONTHS = 3
TREND_MONTHS = 6
COST_BASES = ("annual", "one_off")


@dataclass(frozen=True)
class ProductFacts:
    id: int
    ref: str
    name: str
    category: str
    launch_date: dt.date
    uptake_target: int | None
    cost: float | None


@dataclass(frozen=True)
class Metric:
    month: dt.date
    customers: int | None
    volume: float | None
    revenue: float | None


@dataclass(frozen=True)
class Month:
    month: dt.date
    since_launch: int  # 1 = the launch month
    customers: int
    target: float | None
    uptake: float | None  # customers / target
    revenue: float
    cost: float
    net: float
    cumulative_net: float
    under_target: bool
    volume: float | None = None  # the month's business volume (balances, turnover), as reported


@dataclass(frozen=True)
class FollowUp:
    product: ProductFacts
    months: tuple[Month, ...]
    break_even: dt.date | None  # first month whose cumulative net reached zero
    trend: str  # up, flat, down (customers over the last months)
    slope: float  # customers per month
    under_target: bool  # in the latest month
    under_since: dt.date | None  # start of the current episode
    signals: tuple[str, ...] = ()  # the signals that justified it

    @property
    def latest(self) -> Month | None:
        return self.months[-1] if self.months else None


def _months_between(start: dt.date, month: dt.date) -> int:
    return (month.year - start.year) * 12 + month.month - start.month + 1


def follow_up(product: ProductFacts, metrics: Sequence[Metric], *, as_of: dt.date, threshold: float = THRESHOLD,
              grace_months: int = GRACE_MONTHS, cost_basis: str = "annual", signals: Sequence[str] = ()) -> FollowUp:
    if cost_basis not in COST_BASES:
        raise ValueError(f"cost_basis must be one of {COST_BASES}, not {cost_basis!r}")
    cost = float(product.cost or 0.0)
    rows: list[Month] = []
    cumulative = 0.0
    break_even = None
    for metric in sorted(metrics, key=lambda m: m.month):
        since = _months_between(product.launch_date, metric.month)
        if since < 1 or metric.month > as_of:
            continue
        customers = int(metric.customers or 0)
        target = product.uptake_target * min(since, 12) / 12 if product.uptake_target else None
        month_cost = cost / 12 if cost_basis == "annual" else (cost if since == 1 else 0.0)
        revenue = float(metric.revenue or 0.0)
        cumulative += revenue - month_cost
        if break_even is None and cumulative >= 0 and (revenue or cost):
            break_even = metric.month
        under = bool(target) and since > grace_months and customers < threshold * target  # type: ignore[operator]
        rows.append(Month(metric.month, since, customers, round(target, 1) if target else None,
                          round(customers / target, 3) if target else None, round(revenue, 2),
                          round(month_cost, 2), round(revenue - month_cost, 2), round(cumulative, 2), under,
                          round(metric.volume, 2) if metric.volume is not None else None))
    trend, slope = _trend([m.customers for m in rows[-TREND_MONTHS:]])
    under_since = None
    if rows and rows[-1].under_target:
        for month in reversed(rows):
            if not month.under_target:
                break
            under_since = month.month
    return FollowUp(product, tuple(rows), break_even, trend, slope, bool(rows and rows[-1].under_target),
                    under_since, tuple(signals))


def _trend(values: Sequence[int]) -> tuple[str, float]:
    """Least-squares slope per month; up or down when it moves 2% of the mean a month."""
    n = len(values)
    if n < 2:
        return "flat", 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    slope = (sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
             / sum((x - mean_x) ** 2 for x in range(n)))
    if mean_y and slope > 0.02 * mean_y:
        return "up", round(slope, 2)
    if mean_y and slope < -0.02 * mean_y:
        return "down", round(slope, 2)
    return "flat", round(slope, 2)


def summary(result: FollowUp) -> str:
    """One line a product manager reads, e.g. for an alert."""
    latest = result.latest
    if latest is None:
        return f"{result.product.ref} {result.product.name}: no figures since launch"
    uptake = (f"{latest.customers} customers against {latest.target:g} expected ({latest.uptake:.0%})"
              if latest.target else f"{latest.customers} customers (no target)")
    even = f"break-even {result.break_even.strftime('%Y-%m')}" if result.break_even else "not broken even"
    return (f"{result.product.ref} {result.product.name}: {uptake} in month {latest.since_launch} since launch; "
            f"cumulative net {latest.cumulative_net:,.0f}, {even}; customers trend {result.trend}")
