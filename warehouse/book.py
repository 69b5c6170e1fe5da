"""The bank's book: relationship managers, customers, who covers whom, what they hold,
and the companies (with aliases and identifiers) that entity linking matches against.

Industry codes are kept as given (scheme + code) next to the ISIC Rev.4 section they map
to, so a wrong mapping can be fixed in the tables without losing the original.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mi.warehouse.base import Base, utcnow


class Company(Base):
    """A legal entity the pipeline can recognise in text: customers and public companies."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_ref: Mapped[str] = mapped_column(String(100), unique=True)  # stable id: LEI, CIK:..., or bank id
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    industry_scheme: Mapped[str | None] = mapped_column(String(10))  # ISIC, GBT4754, NAICS, SIC, GICS
    industry_code: Mapped[str | None] = mapped_column(String(20))
    isic_section: Mapped[str | None] = mapped_column(String(1))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CompanyAlias(Base):
    """A name or identifier a company is known by: alias, former name, ticker, CIK, LEI, USCC."""

    __tablename__ = "company_aliases"
    __table_args__ = (
        UniqueConstraint("company_id", "kind", "value"),
        Index("ix_company_aliases_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    kind: Mapped[str] = mapped_column(String(10))  # name, ticker, cik, lei, uscc
    value: Mapped[str] = mapped_column(String(200))


class RelationshipManager(Base):
    __tablename__ = "relationship_managers"

    id: Mapped[int] = mapped_column(primary_key=True)
    rm_ref: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    # ISO 639-1 code of the language the RM's briefs are written in (records.book.RM_LANGUAGES)
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_ref: Mapped[str] = mapped_column(String(50), unique=True)  # the bank's customer number
    name: Mapped[str] = mapped_column(Text)
    segment: Mapped[str] = mapped_column(String(20))  # corporate, private
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    country: Mapped[str | None] = mapped_column(String(2))
    industry_scheme: Mapped[str | None] = mapped_column(String(10))
    industry_code: Mapped[str | None] = mapped_column(String(20))
    isic_section: Mapped[str | None] = mapped_column(String(1))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Coverage(Base):
    """Which RM owns which customer. An RM sees only customers covered here."""

    __tablename__ = "coverage"
    # Looked up by customer too (a replacing extract, a customer's RMs): the unique key leads with the RM.
    __table_args__ = (UniqueConstraint("rm_id", "customer_id"), Index("ix_coverage_customer_id", "customer_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    rm_id: Mapped[int] = mapped_column(ForeignKey("relationship_managers.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    role: Mapped[str] = mapped_column(String(20), default="primary")
    since: Mapped[dt.date | None] = mapped_column(Date)


class Holding(Base):
    """A product a customer holds."""

    __tablename__ = "holdings"
    __table_args__ = (UniqueConstraint("customer_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    balance: Mapped[float | None] = mapped_column(Float)
