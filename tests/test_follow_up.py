"""Product follow-up arithmetic: target ramp, benefit against cost, break-even, trend, episodes."""
from __future__ import annotations

import datetime as dt

import pytest

from mi.signals.follow_up import Metric, ProductFacts, follow_up, summary

PRODUCT = ProductFacts(1, "P9", "Dynamic Discounting", "supply_chain_finance", dt.date(2026, 1, 15), 120, 120000.0)


def months(customers: list[int], revenue: float = 20000.0) -> list[Metric]:
    return [Metric(dt.date(2026, 1 + i, 1), c, None, revenue) for i, c in enumerate(customers)]


def test_benefit_against_cost_per_month_with_the_break_even_month() -> None:
    result = follow_up(PRODUCT, months([10, 20, 30, 40, 50, 60, 70, 80]), as_of=dt.date(2026, 8, 31))
    first = result.months[0]
    assert (first.since_launch, first.target, first.cost, first.net) == (1, 10.0, 10000.0, 10000.0)
    assert result.break_even == dt.date(2026, 1, 1) and result.months[-1].cumulative_net == 80000.0
    one_off = follow_up(PRODUCT, months([10] * 8), as_of=dt.date(2026, 8, 31), cost_basis="one_off")
    assert one_off.months[0].cost == 120000.0 and one_off.months[1].cost == 0.0
    assert one_off.break_even == dt.date(2026, 6, 1)  # 6 x 20,000 pays the 120,000
    with pytest.raises(ValueError, match="cost_basis"):
        follow_up(PRODUCT, [], as_of=dt.date(2026, 8, 31), cost_basis="weekly")


def test_months_before_launch_or_after_the_day_are_left_out() -> None:
    metrics = [Metric(dt.date(2025, 12, 1), 5, None, 1.0), *months([10, 20]),
               Metric(dt.date(2026, 9, 1), 90, None, 1.0)]
    result = follow_up(PRODUCT, metrics, as_of=dt.date(2026, 3, 1))
    assert [m.month for m in result.months] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


def test_underperformance_starts_after_the_grace_months_and_a_new_episode_after_recovery() -> None:
    behind = follow_up(PRODUCT, months([1, 2, 3, 4, 5, 6]), as_of=dt.date(2026, 6, 30))
    assert [m.under_target for m in behind.months] == [False, False, False, True, True, True]
    assert behind.under_target and behind.under_since == dt.date(2026, 4, 1)
    recovered = follow_up(PRODUCT, months([1, 2, 3, 40, 50, 20, 21]), as_of=dt.date(2026, 7, 31))
    assert recovered.under_since == dt.date(2026, 6, 1)  # the run of months behind that is current
    assert not follow_up(PRODUCT, months([1, 2, 3, 40]), as_of=dt.date(2026, 4, 30)).under_target


def test_the_trend_reads_the_last_months_of_customers() -> None:
    assert follow_up(PRODUCT, months([10, 20, 30, 40]), as_of=dt.date(2026, 4, 30)).trend == "up"
    assert follow_up(PRODUCT, months([40, 30, 20, 10]), as_of=dt.date(2026, 4, 30)).trend == "down"
    flat = follow_up(PRODUCT, months([30, 30, 31, 30]), as_of=dt.date(2026, 4, 30))
    assert flat.trend == "flat" and "not broken even" not in summary(flat)
