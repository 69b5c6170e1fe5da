"""Each RM's book as a brief needs it: who they cover, what those customers hold, where the
book is concentrated, read once for a batch of RMs.

This is the confidentiality boundary of a brief: composition only ever looks at the
customers listed in an RM's ``RmBook``, so another RM's customer cannot reach it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from mi.warehouse.book import Coverage, Customer, Holding, RelationshipManager
from mi.warehouse.products import FieldNote, Product

_CHUNK = 500


@dataclass(frozen=True)
class BookCustomer:
    id: int
    ref: str
    name: str
    segment: str
    country: str | None
    section: str | None  # ISIC Rev.4 section
    company_id: int | None
    balance: float  # sum of the balances of its holdings
    holds: frozenset[str]  # product categories it holds
    products: frozenset[str]  # product refs it holds


@dataclass(frozen=True)
class RmNote:
    customer_id: int
    noted_on: dt.date
    text: str
    tags: tuple[str, ...]
    confidential: bool
    mine: bool  # written by this RM


@dataclass
class RmBook:
    rm_id: int
    rm_ref: str
    name: str
    email: str | None
    language: str
    customers: dict[int, BookCustomer] = field(default_factory=dict)
    notes: list[RmNote] = field(default_factory=list)

    @property
    def by_company(self) -> dict[int, BookCustomer]:
        return {c.company_id: c for c in self.customers.values() if c.company_id is not None}

    def section_shares(self) -> list[tuple[str, float]]:
        """ISIC sections of the book with their share of its customers, largest first."""
        counts = Counter(c.section for c in self.customers.values() if c.section)
        total = sum(counts.values())
        return [(section, n / total) for section, n in counts.most_common()] if total else []

    @property
    def largest_balance(self) -> float:
        return max((c.balance for c in self.customers.values()), default=0.0)


def load_books(conn: Connection, rm_refs: list[str] | None, *, notes_since: dt.date) -> list[RmBook]:
    """The books of ``rm_refs`` (every active RM when None), ordered by RM ref."""
    query = select(RelationshipManager).where(RelationshipManager.active.is_(True))
    if rm_refs is not None:
        query = select(RelationshipManager).where(RelationshipManager.rm_ref.in_(rm_refs))
    rms = conn.execute(query.order_by(RelationshipManager.rm_ref)).all()
    books = {rm.id: RmBook(rm.id, rm.rm_ref, rm.name, rm.email, _language(rm)) for rm in rms}
    if not books:
        return []
    covered: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(books), _CHUNK):
        chunk = list(books)[start:start + _CHUNK]
        for rm_id, customer_id in conn.execute(select(Coverage.rm_id, Coverage.customer_id)
                                               .where(Coverage.rm_id.in_(chunk))):
            covered[rm_id].add(customer_id)
    customer_ids = sorted({c for ids in covered.values() for c in ids})
    customers = _customers(conn, customer_ids)
    for rm_id, ids in covered.items():
        books[rm_id].customers = {i: customers[i] for i in sorted(ids) if i in customers}
    books_of: dict[int, list[RmBook]] = defaultdict(list)  # customer -> the books holding it, in RM order
    for book in books.values():
        for customer_id in book.customers:
            books_of[customer_id].append(book)
    for note in _notes(conn, customer_ids, notes_since):
        for book in books_of.get(note.customer_id, ()):
            mine = note.rm_id == book.rm_id
            # A confidential note reaches only its author's brief.
            if mine or not note.confidential:
                book.notes.append(RmNote(note.customer_id, note.noted_on, note.text, tuple(note.tags or ()),
                                         note.confidential, mine))
    return list(books.values())


def _language(rm: Any) -> str:
    language = getattr(rm, "language", None) or "en"
    return language if language in ("en", "zh") else "en"


def _customers(conn: Connection, ids: list[int]) -> dict[int, BookCustomer]:
    found: dict[int, BookCustomer] = {}
    holdings: dict[int, list[tuple[float, str, str]]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for customer_id, balance, category, ref in conn.execute(
                select(Holding.customer_id, Holding.balance, Product.category, Product.product_ref)
                .join(Product, Product.id == Holding.product_id).where(Holding.customer_id.in_(chunk))):
            holdings[customer_id].append((float(balance or 0.0), category, ref))
        for row in conn.execute(select(Customer).where(Customer.id.in_(chunk))):
            held = holdings.get(row.id, [])
            found[row.id] = BookCustomer(
                id=row.id, ref=row.customer_ref, name=row.name, segment=row.segment, country=row.country,
                section=row.isic_section, company_id=row.company_id,
                balance=sum(balance for balance, _, _ in held),
                holds=frozenset(category for _, category, _ in held),
                products=frozenset(ref for _, _, ref in held))
    return found


def _notes(conn: Connection, customer_ids: list[int], since: dt.date) -> list[Any]:
    notes: list[Any] = []
    for start in range(0, len(customer_ids), _CHUNK):
        notes.extend(conn.execute(select(FieldNote).where(
            FieldNote.customer_id.in_(customer_ids[start:start + _CHUNK]), FieldNote.noted_on >= since)
            .order_by(FieldNote.noted_on.desc(), FieldNote.id)))
    return notes
