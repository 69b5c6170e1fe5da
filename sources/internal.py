"""Channel kinds ``products`` and ``product_metrics``: the bank's own shelf and its uptake.

Both read CSV, XLSX or a database query with the options of ``mi.sources.table_source``.

* ``products`` fields: product_ref*, name*, category* (deposit, loan, fx, trade_finance,
  ...; stored lower case with underscores), launch_date, target_segment, target_industries
  (ISIC section letters separated by '|', ';' or ','), uptake_target (customers expected
  in the first year), cost, status (default active).
* ``product_metrics`` fields: product_ref*, date* (a day, or a month such as 2025-03),
  customers, volume, revenue; one row per product and date, a re-sent figure overwrites.

(* = the header must have it.) Load products before their metrics and before holdings.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from mi.reference.industries import SECTIONS
from mi.sources.base import LoadContext, register
from mi.sources.records import ParseResult
from mi.sources.row_fields import BadRow, Row, RowNotes, TableShape
from mi.sources.table_source import TableSource
from mi.sources.upserts import Written, ids_by, upsert
from mi.warehouse.products import Product, ProductMetric

_SECTION_SEPARATORS = re.compile(r"[\s|;,/]+")
_NO_FIELDS: frozenset[str] = frozenset()
_PRODUCT_FIELDS = ("product_ref", "name", "category", "launch_date", "target_segment", "target_industries",
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


def _label(row: Row, name: str, size: int, default: str | None = None) -> str | None:
    """A short code-like value: lower case, words joined by underscores."""
    value = row.text(name)
    if value is None:
        return default
    label = re.sub(r"[\s\-]+", "_", value.casefold())
    if len(label) > size:
        raise BadRow(f"{name} {value!r} is longer than {size} characters")
    return label


def sections(row: Row, notes: RowNotes) -> tuple[str, ...]:
    value = row.text("target_industries") or ""
    kept = []
    for item in filter(None, _SECTION_SEPARATORS.split(value)):
        if item.upper() in SECTIONS:
            kept.append(item.upper())
        else:
            notes.problems.append(f"target_industries item {item!r} is not an ISIC section letter A-U; dropped")
    return tuple(dict.fromkeys(kept))


def build_product(row: Row, notes: RowNotes) -> ProductRecord:
    ref, name = row.required("product_ref"), row.required("name")
    category = _label(row, "category", 40)
    if category is None:
        raise BadRow("missing category")
    uptake = row.integer("uptake_target")
    if uptake is not None and uptake < 0:
        raise BadRow(f"uptake_target {uptake} is negative")
    return ProductRecord(row.line, ref, name, category, row.date("launch_date"),
                         _label(row, "target_segment", 20), sections(row, notes), uptake,
                         row.number("cost"), _label(row, "status", 20, "active") or "active")


def build_metric(row: Row, notes: RowNotes) -> MetricRecord:
    ref, date = row.required("product_ref"), row.date("date")
    if date is None:
        raise BadRow("missing date")
    return MetricRecord(row.line, ref, date, row.integer("customers"), row.number("volume"),
                        row.number("revenue"))


PRODUCTS = TableShape("products", _PRODUCT_FIELDS, ("product_ref", "name", "category"), build_product,
                      lambda r: r.product_ref)
PRODUCT_METRICS = TableShape("product_metrics", ("product_ref", "date", "customers", "volume", "revenue"),
                             ("product_ref", "date"), build_metric, lambda r: (r.product_ref, r.date))


def load_products(conn: Connection, records: Sequence[ProductRecord]) -> Written:
    rows = [{"product_ref": r.product_ref, "name": r.name, "category": r.category,
             "launch_date": r.launch_date, "target_segment": r.target_segment,
             "target_industries": list(r.target_industries), "uptake_target": r.uptake_target,
             "cost": r.cost, "status": r.status} for r in records]
    given = records[0].given if records else frozenset()
    # Only columns the payload had: a query without target_industries keeps the shelf's.
    update = tuple(name for name in _PRODUCT_FIELDS[1:] if name in given)
    return upsert(conn, Product.__table__, rows, key=("product_ref",), update=update)


def load_metrics(conn: Connection, records: Sequence[MetricRecord], problems: list[str]) -> Written:
    ids = ids_by(conn, Product.__table__, "product_ref", {r.product_ref for r in records})
    rows = []
    for r in records:
        if r.product_ref not in ids:
            # One problem per refused row: the gathering counts them as set-aside records.
            problems.append(f"line {r.line}: unknown product {r.product_ref!r}; row not loaded")
            continue
        rows.append({"product_id": ids[r.product_ref], "date": r.date, "customers": r.customers,
                     "volume": r.volume, "revenue": r.revenue})
    given = records[0].given if records else frozenset()
    update = tuple(name for name in ("customers", "volume", "revenue") if name in given)
    return upsert(conn, ProductMetric.__table__, rows, key=("product_id", "date"), update=update)


@register
class ProductsSource(TableSource):
    kind = "products"

    def table_shape(self) -> TableShape:
        return PRODUCTS

    def load(self, conn: Connection, parsed: ParseResult, context: LoadContext) -> int:
        return load_products(conn, parsed.records).changed


@register
class ProductMetricsSource(TableSource):
    kind = "product_metrics"

    def table_shape(self) -> TableShape:
        return PRODUCT_METRICS

    def load(self, conn: Connection, parsed: ParseResult, context: LoadContext) -> int:
        # Metrics for a product not on the shelf are only found here, against the warehouse.
        return load_metrics(conn, parsed.records, parsed.problems).changed
