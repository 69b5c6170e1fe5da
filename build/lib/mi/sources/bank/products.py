"""Channel kinds ``products`` and ``product_metrics``: the bank's own shelf and its uptake.

Both read CSV, XLSX or a database query with the options of ``mi.sources.bank.tables``
(``TableOptions``); ``columns`` may map only to the kind's fields below.

* ``products`` fields: product_ref*, name*, category* (deposit, loan, fx, trade_finance,
  ...; stored lower case with underscores), launch_date, target_segment, target_industries
  (ISIC section letters separated by '|', ';' or ','), uptake_target (customers expected
  in the first year), cost, status (default active).
* ``product_metrics`` fields: product_ref*, date* (a day, or a month such as 2025-03),
  customers, volume, revenue; one row per product and date, a re-sent figure overwrites.

(* = the header must have it.) Load products before their metrics and before holdings.
"""
from __future__ import annotations

import re
from typing import ClassVar

from mi.records.products import PRODUCT_FIELDS, MetricRecord, ProductRecord
from mi.reference.industries import SECTIONS
from mi.sources.bank.tables import TableOptions, TableSource
from mi.sources.reading.fields import BadRow, Row, RowNotes, TableShape

_SECTION_SEPARATORS = re.compile(r"[\s|;,/]+")
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


PRODUCTS = TableShape("products", PRODUCT_FIELDS, ("product_ref", "name", "category"), build_product,
                      lambda r: r.product_ref)
PRODUCT_METRICS = TableShape("product_metrics", ("product_ref", "date", "customers", "volume", "revenue"),
                             ("product_ref", "date"), build_metric, lambda r: (r.product_ref, r.date))


class ProductsOptions(TableOptions):
    FIELDS: ClassVar[tuple[str, ...]] = PRODUCTS.fields


class ProductMetricsOptions(TableOptions):
    FIELDS: ClassVar[tuple[str, ...]] = PRODUCT_METRICS.fields


class ProductsSource(TableSource):
    kind = "products"
    Options = ProductsOptions

    def table_shape(self) -> TableShape:
        return PRODUCTS


class ProductMetricsSource(TableSource):
    kind = "product_metrics"
    Options = ProductMetricsOptions

    def table_shape(self) -> TableShape:
        return PRODUCT_METRICS
