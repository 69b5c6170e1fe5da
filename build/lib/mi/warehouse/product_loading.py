"""Writing the bank's product shelf and product metrics, keyed by the bank's product refs."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from mi.records.products import PRODUCT_FIELDS, MetricRecord, ProductRecord
from mi.warehouse.products import Product, ProductMetric
from mi.warehouse.upserts import Written, ids_by, upsert


def load_products(conn: Connection, records: Sequence[ProductRecord]) -> Written:
    rows = [{"product_ref": r.product_ref, "name": r.name, "category": r.category,
             "launch_date": r.launch_date, "target_segment": r.target_segment,
             "target_industries": list(r.target_industries), "uptake_target": r.uptake_target,
             "cost": r.cost, "status": r.status} for r in records]
    given = records[0].given if records else frozenset()
    # Only columns the payload had: a query without target_industries keeps the shelf's.
    update = tuple(name for name in PRODUCT_FIELDS[1:] if name in given)
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
