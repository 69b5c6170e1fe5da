"""Competitors' offers in the warehouse: what changed since the last look, and the listing.

``load_offers`` compares one page's offers with what the channel last saw and writes the
difference as change rows (new, changed per field, withdrawn, reintroduced). It only runs
for a page that parsed: a page whose layout broke never gets here, so a redesign cannot
withdraw a competitor's whole shelf.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update

from mi.records.offers import TRACKED_FIELDS, OfferRecord
from mi.warehouse.loading import insert_new
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange


@dataclass(frozen=True)
class OfferChange:
    observed_on: dt.date
    competitor: str
    product_name: str
    category: str | None
    change: str  # new, changed, withdrawn, reintroduced
    field: str  # the changed field; "" for the other changes
    old_value: str | None
    new_value: str | None
    offer_key: str
    offer_id: int
    url: str | None


def shown(value: Any) -> str | None:
    """A field value as the change log keeps it (text, whatever the column type)."""
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) <= 1e-9 * max(1.0, abs(old), abs(new))
    return old == new


def load_offers(conn: Connection, records: Sequence[OfferRecord], *, channel_id: int,
                raw_item_id: int | None, seen_at: dt.datetime, industries: Sequence[str] = ()) -> int:
    """Bring the channel's offers in line with one page; return the change rows written."""
    table = CompetitorOffer.__table__
    known = {row.offer_key: row for row in conn.execute(select(table).where(table.c.channel_id == channel_id))}
    changes: list[dict[str, Any]] = []

    def change(offer_id: int, kind: str, field: str = "", old: Any = None, new: Any = None) -> None:
        changes.append({"offer_id": offer_id, "observed_on": seen_at.date(), "change": kind, "field": field,
                        "old_value": shown(old), "new_value": shown(new), "raw_item_id": raw_item_id})

    for record in records:
        values = {"competitor": record.competitor, "product_name": record.product_name,
                  "category": record.category, "url": record.url, "last_seen": seen_at}
        row = known.get(record.offer_key)
        if row is None:
            new_ids = insert_new(conn, table, [{
                **values, **{name: getattr(record, name) for name in TRACKED_FIELDS},
                "channel_id": channel_id, "offer_key": record.offer_key, "industries": list(industries),
                "first_seen": seen_at, "withdrawn_at": None,
            }], conflict=["channel_id", "offer_key"])
            if new_ids:
                change(new_ids[0], "new")
            continue
        if row.withdrawn_at is not None:
            values["withdrawn_at"] = None
            change(row.id, "reintroduced")
        for name in TRACKED_FIELDS:
            old, new = getattr(row, name), getattr(record, name)
            if name not in record.unreadable and not _same(old, new):
                values[name] = new
                change(row.id, "changed", name, old, new)
        conn.execute(update(table).where(table.c.id == row.id).values(**values))

    on_page = {record.offer_key for record in records}
    for key, row in known.items():
        if key not in on_page and row.withdrawn_at is None:
            conn.execute(update(table).where(table.c.id == row.id).values(withdrawn_at=seen_at))
            change(row.id, "withdrawn")
    return _write_changes(conn, changes)


def _write_changes(conn: Connection, changes: list[dict[str, Any]]) -> int:
    """Insert change rows; the unique key makes a repeated page a no-op.

    A field that changes twice on one day (two runs) keeps one row holding the day's net
    change: its new value moves on, and a change back to the morning's value removes it.
    """
    table = CompetitorOfferChange.__table__
    written = len(insert_new(conn, table, changes, conflict=["offer_id", "observed_on", "change", "field"]))
    if written == len(changes):
        return written
    for row in changes:
        if row["change"] != "changed":
            continue  # a second "withdrawn" on the same day says nothing new
        key = (table.c.offer_id == row["offer_id"], table.c.observed_on == row["observed_on"],
               table.c.change == "changed", table.c.field == row["field"])
        earlier = conn.execute(select(table.c.id, table.c.old_value, table.c.new_value).where(*key)).one()
        if earlier.new_value == row["new_value"]:
            continue  # this very row was just inserted, or the same change again
        if earlier.old_value == row["new_value"]:
            conn.execute(delete(table).where(table.c.id == earlier.id))
        else:
            conn.execute(update(table).where(table.c.id == earlier.id).values(
                new_value=row["new_value"], raw_item_id=row["raw_item_id"]))
        written += 1
    return written


def offer_changes(engine_or_conn: Engine | Connection, since: dt.date) -> list[OfferChange]:
    """Every competitor offer change observed on or after ``since``, oldest first."""
    changes, offers = CompetitorOfferChange.__table__, CompetitorOffer.__table__
    query = (
        select(changes.c.observed_on, offers.c.competitor, offers.c.product_name, offers.c.category,
               changes.c.change, changes.c.field, changes.c.old_value, changes.c.new_value,
               offers.c.offer_key, offers.c.id.label("offer_id"), offers.c.url)
        .join(offers, offers.c.id == changes.c.offer_id)
        .where(changes.c.observed_on >= since)
        .order_by(changes.c.observed_on, offers.c.competitor, offers.c.product_name, changes.c.change,
                  changes.c.field)
    )
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.connect() as conn:
            rows = conn.execute(query).all()
    else:
        rows = engine_or_conn.execute(query).all()
    return [OfferChange(**row._mapping) for row in rows]
