"""A signal's score, 0-100, as the sum of five parts a product manager can read, each with
the reason for its value.

| part | weight | full marks when |
|---|---|---|
| breadth | 30 | 10 customers of 5 RMs |
| recency and growth | 20 | 4 notes in the last 30 days, at twice the rate of the 60 days before |
| value of the customers | 20 | they hold 10% of what the bank's customers hold with it |
| gap on our shelf | 15 | no active product of the need's category, and competitors offer one |
| market momentum | 15 | market moves, heating industries and news behind the need |

Confidential notes count in breadth, recency and value like any note; only their number
is shown. Pure function over ``Facts``.
"""
from __future__ import annotations

from dataclasses import dataclass

WEIGHTS = {"breadth": 30, "recency": 20, "value": 20, "gap": 15, "market": 15}


@dataclass(frozen=True)
class Facts:
    notes: int
    customers: int
    rms: int
    confidential_notes: int
    recent_notes: int  # in the last 30 days
    prior_notes: int  # in the 60 days before those
    balance: float  # what the signal's customers hold with the bank
    book_balance: float  # what all customers hold
    shelf_products: tuple[str, ...]  # our active products of the need's categories
    competitor_offers: int  # competitors' active offers for the need
    competitor_changes: int  # their launches and changes, last 90 days (supporting)
    market_moves: int
    heating_industries: int
    cooling_industries: int
    news: int
    known_need: bool  # read as a need of the vocabulary (not an emerging group)


@dataclass(frozen=True)
class Part:
    name: str
    value: float  # 0..1
    weight: int
    reason: str

    @property
    def points(self) -> float:
        return round(self.value * self.weight, 1)


def _cap(value: float) -> float:
    return max(0.0, min(1.0, value))


def score(facts: Facts) -> tuple[float, tuple[Part, ...]]:
    parts = (_breadth(facts), _recency(facts), _value(facts), _gap(facts), _market(facts))
    return round(sum(part.points for part in parts), 1), parts


def _breadth(f: Facts) -> Part:
    value = 0.6 * _cap(f.customers / 10) + 0.4 * _cap(f.rms / 5)
    hidden = f" ({f.confidential_notes} confidential: counted, not quoted)" if f.confidential_notes else ""
    return Part("breadth", value, WEIGHTS["breadth"],
                f"{f.notes} notes from {f.customers} customers of {f.rms} RMs{hidden}")


def _recency(f: Facts) -> Part:
    rate_recent, rate_prior = f.recent_notes / 30, f.prior_notes / 60
    growth = rate_recent / rate_prior if rate_prior else (2.0 if f.recent_notes else 0.0)
    value = 0.5 * _cap(f.recent_notes / 4) + 0.5 * _cap(growth / 2)
    if not f.prior_notes:
        trend = "none in the 60 days before" if f.recent_notes else "none recently"
    else:
        trend = f"{growth:.1f}x the rate of the 60 days before"
    return Part("recency", value, WEIGHTS["recency"], f"{f.recent_notes} notes in the last 30 days, {trend}")


def _value(f: Facts) -> Part:
    share = f.balance / f.book_balance if f.book_balance else 0.0
    return Part("value", _cap(share / 0.10), WEIGHTS["value"],
                f"its customers hold {_amount(f.balance)} with the bank ({share:.1%} of the book)")


def _gap(f: Facts) -> Part:
    if not f.known_need:
        return Part("gap", 0.5, WEIGHTS["gap"], "a need the shelf's categories do not name yet")
    if not f.shelf_products:
        value = 1.0 if f.competitor_offers else 0.8
        reason = "no product of ours serves it" + (
            f"; competitors have {f.competitor_offers} offers" if f.competitor_offers else "")
    else:
        value = _cap(0.2 + 0.15 * f.competitor_changes + (0.2 if f.competitor_offers > len(f.shelf_products) else 0))
        reason = (f"we offer {', '.join(f.shelf_products)}; competitors have {f.competitor_offers} offers"
                  f" and {f.competitor_changes} launches or changes in 90 days")
    return Part("gap", value, WEIGHTS["gap"], reason)


def _market(f: Facts) -> Part:
    value = _cap(0.35 * f.market_moves + 0.25 * f.heating_industries + 0.1 * f.news - 0.15 * f.cooling_industries)
    bits = [f"{f.market_moves} market moves", f"{f.heating_industries} heating industries", f"{f.news} news items"]
    if f.cooling_industries:
        bits.append(f"{f.cooling_industries} cooling industries (against)")
    return Part("market", value, WEIGHTS["market"], ", ".join(bits) + " in the last weeks")


def _amount(value: float) -> str:
    if value >= 1e9:
        return f"{value / 1e9:.1f}bn"
    if value >= 1e6:
        return f"{value / 1e6:.1f}m"
    return f"{value:,.0f}"
