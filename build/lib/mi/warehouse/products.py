"""Products: the bank's own shelf with its metrics, competitors' offers with their history,
and RMs' field notes about what customers need."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mi.warehouse.base import Base, BigId, utcnow


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_ref: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))  # deposit, loan, fx, wealth, trade_finance, ...
    launch_date: Mapped[dt.date | None] = mapped_column(Date)
    target_segment: Mapped[str | None] = mapped_column(String(20))
    target_industries: Mapped[list[str]] = mapped_column(default=list)  # ISIC sections
    uptake_target: Mapped[int | None]  # customers expected within the first year
    cost: Mapped[float | None] = mapped_column(Float)  # launch and running cost, bank currency
    status: Mapped[str] = mapped_column(String(20), default="active")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProductMetric(Base):
    __tablename__ = "product_metrics"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    customers: Mapped[int | None]
    volume: Mapped[float | None] = mapped_column(Float)
    revenue: Mapped[float | None] = mapped_column(Float)


class CompetitorOffer(Base):
    """A competitor's product as last seen; ``withdrawn_at`` is set when it disappears."""

    __tablename__ = "competitor_offers"
    __table_args__ = (UniqueConstraint("channel_id", "offer_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    competitor: Mapped[str] = mapped_column(String(100))
    offer_key: Mapped[str] = mapped_column(String(200))  # normalised product name
    product_name: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(40))
    rate: Mapped[float | None] = mapped_column(Float)  # percent per year
    term: Mapped[str | None] = mapped_column(String(50))
    min_amount: Mapped[float | None] = mapped_column(Float)
    fees: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    industries: Mapped[list[str]] = mapped_column(default=list)
    first_seen: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]
    withdrawn_at: Mapped[dt.datetime | None]


class CompetitorOfferChange(Base):
    """One visible change: a new offer, a withdrawn one, or a changed field."""

    __tablename__ = "competitor_offer_changes"
    __table_args__ = (UniqueConstraint("offer_id", "observed_on", "change", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("competitor_offers.id"))
    observed_on: Mapped[dt.date] = mapped_column(Date)
    change: Mapped[str] = mapped_column(String(20))  # new, changed, withdrawn, reintroduced
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    raw_item_id: Mapped[int | None] = mapped_column(ForeignKey("raw_items.id"))


class FieldNote(Base):
    """An RM's note about a customer's need or a market hint."""

    __tablename__ = "field_notes"
    __table_args__ = (Index("ix_field_notes_customer", "customer_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    note_ref: Mapped[str] = mapped_column(String(64), unique=True)  # stable: given id or content hash
    rm_id: Mapped[int] = mapped_column(ForeignKey("relationship_managers.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    noted_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    confidential: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(200))  # file name and line, or "cli"
    raw_item_id: Mapped[int | None] = mapped_column(ForeignKey("raw_items.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
