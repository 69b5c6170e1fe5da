"""The product department's pages: the signals board (the same items and decisions as
``mi signals list|show|decide``) and the follow-up of launched products as charts drawn on
the server (bars whose heights are worked out here; the template only places them)."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import Engine, select

from mi.briefs.view import safe_href
from mi.signals.follow_store import follow_ups
from mi.signals.follow_up import FollowUp
from mi.signals.items import load_signals, to_items
from mi.signals.lifecycle import DecisionError, find_signal
from mi.signals.render import SignalItem
from mi.warehouse.signals import SignalEvent

BAR_HEIGHT = 48  # px, the tallest bar (the stylesheet's h48)
#: Decisions the board offers (acknowledge and launch stay on the command line, which takes a product).
BOARD_DECISIONS = ("accept", "reject", "reserve")


def board(engine: Engine, status: str | None = None) -> list[SignalItem]:
    with engine.connect() as conn:
        return to_items(conn, load_signals(conn, statuses=[status] if status else None))


def signal_page(engine: Engine, key: str) -> tuple[SignalItem, list[dict[str, str]]]:
    """One signal as an item with its history; ``DecisionError`` when there is none."""
    with engine.connect() as conn:
        signal = find_signal(conn, key)
        (item,) = to_items(conn, [signal])
        history = [{"at": e.at.isoformat(timespec="minutes"), "to": e.to_status, "owner": e.owner or "",
                    "reason": e.reason or "", "review_on": e.review_on.isoformat() if e.review_on else ""}
                   for e in conn.execute(select(SignalEvent).where(SignalEvent.signal_id == signal.id)
                                         .order_by(SignalEvent.at, SignalEvent.id))]
    return item, history


def evidence_href(url: str | None) -> str | None:
    return safe_href(url)


@dataclass(frozen=True)
class Bar:
    label: str  # the month, 2026-03
    value: float
    height: int  # px, 0-48
    kind: str  # a class: "actual", "target", "revenue", "cost", "gain", "loss"
    title: str  # what a pointer over the bar says


@dataclass(frozen=True)
class ProductChart:
    follow_up: FollowUp
    uptake: tuple[tuple[Bar, Bar], ...]  # per month: customers, target
    money: tuple[tuple[Bar, Bar], ...]  # per month: revenue, cost
    cumulative: tuple[Bar, ...]  # per month: the cumulative net (gain or loss)


def _height(value: float, largest: float) -> int:
    if not largest or not math.isfinite(value):
        return 0
    return max(1 if value else 0, round(BAR_HEIGHT * abs(value) / largest))


def charts(engine: Engine, as_of: dt.date) -> list[ProductChart]:
    with engine.connect() as conn:
        results = follow_ups(conn, as_of=as_of)
    drawn = []
    for result in results:
        months = result.months
        top_customers = max([m.customers for m in months] + [m.target or 0 for m in months] + [0])
        top_money = max([m.revenue for m in months] + [m.cost for m in months] + [0.0])
        top_net = max([abs(m.cumulative_net) for m in months] + [0.0])
        uptake = tuple((Bar(_month(m.month), m.customers, _height(m.customers, top_customers), "actual",
                            f"{_month(m.month)}: {m.customers} customers"),
                        Bar(_month(m.month), m.target or 0, _height(m.target or 0, top_customers), "target",
                            f"{_month(m.month)}: target {m.target or 0:g}")) for m in months)
        money = tuple((Bar(_month(m.month), m.revenue, _height(m.revenue, top_money), "revenue",
                           f"{_month(m.month)}: revenue {m.revenue:,.0f}"),
                       Bar(_month(m.month), m.cost, _height(m.cost, top_money), "cost",
                           f"{_month(m.month)}: cost {m.cost:,.0f}")) for m in months)
        cumulative = tuple(Bar(_month(m.month), m.cumulative_net, _height(m.cumulative_net, top_net),
                               "gain" if m.cumulative_net >= 0 else "loss",
                               f"{_month(m.month)}: cumulative net {m.cumulative_net:,.0f}") for m in months)
        drawn.append(ProductChart(result, uptake, money, cumulative))
    return drawn


def _month(day: dt.date) -> str:
    return day.strftime("%Y-%m")


__all__ = ["BOARD_DECISIONS", "DecisionError", "board", "charts", "signal_page"]
