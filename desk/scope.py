"""Every read of customer data the desk makes, scoped by the signed-in RM in the query itself.

Each function takes the RM's id and joins through ``coverage``: a customer another RM covers
is not found (``NotInBook``), whatever id or name a URL or a form carries. Templates only
ever see what these return. Notes shown are the RM's own.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select

from mi.briefs.sections import COMPETING
from mi.warehouse.analysis import DocumentAnalysis, DocumentEntity
from mi.warehouse.book import Coverage, Customer, Holding, RelationshipManager
from mi.warehouse.models import Document
from mi.warehouse.outbox import BriefDelivery
from mi.warehouse.products import CompetitorOffer, FieldNote, Product

NEWS_LIMIT = 50
NOTES_LIMIT = 100


class NotInBook(LookupError):
    """The customer is not in the signed-in RM's book (or does not exist: the same answer)."""


@dataclass(frozen=True)
class CustomerRow:
    id: int
    ref: str
    name: str
    segment: str
    country: str | None
    section: str | None
    company_id: int | None
    balance: float
    products: int


@dataclass(frozen=True)
class NewsRow:
    title: str
    url: str | None
    published_at: dt.datetime | None
    tone: str | None
    mention: str


@dataclass(frozen=True)
class HoldingRow:
    product_ref: str
    name: str
    category: str
    balance: float | None
    opened_on: dt.date | None


@dataclass(frozen=True)
class OfferRow:
    competitor: str
    product_name: str
    category: str | None
    rate: float | None
    term: str | None
    url: str | None


@dataclass(frozen=True)
class NoteRow:
    noted_on: dt.date
    text: str
    tags: tuple[str, ...]
    confidential: bool


def _covered(rm_id: int):  # type: ignore[no-untyped-def]
    return select(Coverage.customer_id).where(Coverage.rm_id == rm_id)


def customers(conn: Connection, rm_id: int) -> list[CustomerRow]:
    """The RM's book, largest balance first."""
    balance = (select(Holding.customer_id, func.coalesce(func.sum(Holding.balance), 0.0).label("balance"),
                      func.count(Holding.id).label("products")).group_by(Holding.customer_id).subquery())
    rows = conn.execute(
        select(Customer, balance.c.balance, balance.c.products)
        .outerjoin(balance, balance.c.customer_id == Customer.id)
        .where(Customer.id.in_(_covered(rm_id)))
        .order_by(func.coalesce(balance.c.balance, 0.0).desc(), Customer.customer_ref))
    return [CustomerRow(r.id, r.customer_ref, r.name, r.segment, r.country, r.isic_section, r.company_id,
                        float(r.balance or 0.0), int(r.products or 0)) for r in rows]


def customer(conn: Connection, rm_id: int, ref: str) -> CustomerRow:
    """One customer of the RM's book by its ref; ``NotInBook`` for any other."""
    for row in customers(conn, rm_id):
        if row.ref == ref:
            return row
    raise NotInBook(ref)


def news(conn: Connection, rm_id: int, ref: str, limit: int = NEWS_LIMIT) -> list[NewsRow]:
    """Stories linked to the customer's company, newest first, with their tone for it."""
    found = customer(conn, rm_id, ref)
    if found.company_id is None:
        return []
    rows = conn.execute(
        select(Document.title, Document.url, Document.published_at, DocumentEntity.tone, DocumentEntity.mention,
               DocumentAnalysis.sentiment_label)
        .join(DocumentEntity, DocumentEntity.document_id == Document.id)
        .outerjoin(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
        .where(DocumentEntity.company_id == found.company_id,
               Document.id.not_in(select(DocumentAnalysis.document_id)
                                  .where(DocumentAnalysis.duplicate_of.is_not(None))))
        .order_by(Document.published_at.desc().nulls_last(), Document.id.desc()).limit(limit))
    return [NewsRow(r.title or "", r.url, r.published_at, r.tone or r.sentiment_label, r.mention) for r in rows]


def holdings(conn: Connection, rm_id: int, ref: str) -> list[HoldingRow]:
    found = customer(conn, rm_id, ref)
    rows = conn.execute(select(Product.product_ref, Product.name, Product.category, Holding.balance, Holding.opened_on)
                        .join(Product, Product.id == Holding.product_id)
                        .where(Holding.customer_id == found.id).order_by(Product.product_ref))
    return [HoldingRow(*row) for row in rows]


def competitor_offers(conn: Connection, rm_id: int, ref: str) -> list[OfferRow]:
    """Competitors' live offers in the categories the shelf aims at the customer's segment
    (and industry), by the same mapping of their categories to ours as the brief uses."""
    found = customer(conn, rm_id, ref)
    segments = {found.segment, "sme"} if found.segment == "corporate" else {found.segment}
    ours = {category for category, segment, industries in conn.execute(
        select(Product.category, Product.target_segment, Product.target_industries))
        if (segment is None or segment in segments) and (not industries or (found.section or "") in industries)}
    rows = conn.execute(select(CompetitorOffer).where(CompetitorOffer.withdrawn_at.is_(None))
                        .order_by(CompetitorOffer.competitor, CompetitorOffer.product_name))
    offers = []
    for row in rows:
        folded = (row.category or "").lower().replace("-", "_")
        if not set(COMPETING.get(folded, (folded,))) & ours:
            continue
        if row.industries and (found.section or "") not in row.industries:
            continue
        offers.append(OfferRow(row.competitor, row.product_name, row.category, row.rate, row.term, row.url))
    return offers


def own_notes(conn: Connection, rm_id: int, ref: str, limit: int = NOTES_LIMIT) -> list[NoteRow]:
    found = customer(conn, rm_id, ref)
    rows = conn.execute(select(FieldNote).where(and_(FieldNote.customer_id == found.id, FieldNote.rm_id == rm_id))
                        .order_by(FieldNote.noted_on.desc(), FieldNote.id.desc()).limit(limit))
    return [NoteRow(r.noted_on, r.text, tuple(r.tags or ()), r.confidential) for r in rows]


def rm_ref_of(conn: Connection, rm_id: int) -> str:
    return conn.execute(select(RelationshipManager.rm_ref).where(RelationshipManager.id == rm_id)).scalar_one()


def deliveries(conn: Connection, rm_id: int, *, kind: str, limit: int = 60) -> list[BriefDelivery]:
    """Briefs (``daily``) or alerts (``alert``) delivered to the RM, newest first, one per key."""
    rm_ref = rm_ref_of(conn, rm_id)
    rows = conn.execute(select(BriefDelivery).where(BriefDelivery.rm_ref == rm_ref, BriefDelivery.kind == kind)
                        .order_by(BriefDelivery.period.desc(), BriefDelivery.id)).all()
    seen: dict[str, BriefDelivery] = {}
    for row in rows:
        if row.brief_key not in seen or row.status == "sent":
            seen[row.brief_key] = row
    return list(seen.values())[:limit]


def delivery(conn: Connection, rm_id: int, delivery_id: int) -> BriefDelivery:
    """One delivery of the RM's; ``NotInBook`` for another RM's."""
    rm_ref = rm_ref_of(conn, rm_id)
    row = conn.execute(select(BriefDelivery).where(BriefDelivery.id == delivery_id,
                                                   BriefDelivery.rm_ref == rm_ref)).first()
    if row is None:
        raise NotInBook(str(delivery_id))
    return row
