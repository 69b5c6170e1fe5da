"""The bank's product shelf and the monthly or daily figures of each product."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

_NO_FIELDS: frozenset[str] = frozenset()
#: The fields of a product row, key first.
PRODUCT_FIELDS = ("product_ref", "name", "category", "launch_date", "target_segment", "target_industries",
                  "uptake_target", "cost", "status")


@dataclass(frozen=True)
class ProductRecord:
    line: int
    product_ref: str
    name: str
    category: str
    launch_date: dt.date | None
    target_segment: str | None
    target_industries: tuple[str, ...]
    uptake_target: int | None
    cost: float | None
    status: str
    given: frozenset[str] = field(default=_NO_FIELDS, compare=False, repr=False)


@dataclass(frozen=True)
class MetricRecord:
    line: int
    product_ref: str
    date: dt.date
    customers: int | None
    volume: float | None
    revenue: float | None
    given: frozenset[str] = field(default=_NO_FIELDS, compare=False, repr=False)
