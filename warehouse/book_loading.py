"""Writing book records into the warehouse (relationship managers, companies, customers,
coverage, holdings).

Rows are keyed by the bank's refs, so a payload loaded twice adds nothing and a changed
attribute updates its row. Only columns the payload had are updated: an extract without a
``team`` column does not blank every RM's team. A row that names an RM, customer or
product the warehouse does not know is set aside with its line number (``Problems``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, select, tuple_

from mi.records.book import CompanyRecord, CoverageRecord, CustomerRecord, HoldingRecord, Industry, Names, RmRecord
from mi.records.identifiers import UNIQUE_KINDS, company_ref
from mi.warehouse.book import Company, CompanyAlias, Coverage, Customer, Holding, RelationshipManager
from mi.warehouse.loading import insert_new
from mi.warehouse.products import Product
from mi.warehouse.upserts import Written, ids_by, upsert

#: Ids per IN list.
_CHUNK = 500

Problems = list[str]
_LABELS = {"rm_ref": "RM", "customer_ref": "customer", "product_ref": "product"}
_INDUSTRY_COLUMNS = ("industry_scheme", "industry_code", "isic_section")
# The three industry columns move together: any industry field in the payload rewrites all.
_INDUSTRY_SOURCES = {column: _INDUSTRY_COLUMNS for column in _INDUSTRY_COLUMNS}


def _updatable(given: frozenset[str], columns: dict[str, Sequence[str]]) -> tuple[str, ...]:
    """Table columns to overwrite, from the payload fields that feed them."""
    return tuple(column for column, fields in columns.items() if any(name in given for name in fields))


def _industry_values(industry: Industry) -> dict[str, Any]:
    return {"industry_scheme": industry.scheme, "industry_code": industry.code,
            "isic_section": industry.isic_section}


def load_rms(conn: Connection, records: Sequence[RmRecord]) -> Written:
    rows = [{"rm_ref": r.rm_ref, "name": r.name, "email": r.email, "team": r.team, "active": r.active,
             "language": r.language} for r in records]
    given = records[0].given if records else frozenset()
    update = _updatable(given, {"name": ("name",), "email": ("email",), "team": ("team",), "active": ("active",),
                                "language": ("language",)})
    return upsert(conn, RelationshipManager.__table__, rows, key=("rm_ref",), update=update)


def _company_update(given: frozenset[str]) -> tuple[str, ...]:
    return _updatable(given, {"name": ("name",), "country": ("country",), **_INDUSTRY_SOURCES})


def _write_companies(conn: Connection, entries: list[tuple[str, str, str | None, Industry, Names]],
                     given: frozenset[str]) -> tuple[Written, dict[str, int]]:
    """Upsert (ref, name, country, industry, names) entries; add their aliases; ids by ref."""
    rows: dict[str, dict[str, Any]] = {}
    for ref, name, country, industry, _ in entries:
        rows[ref] = {"company_ref": ref, "name": name, "country": country, **_industry_values(industry)}
    written = upsert(conn, Company.__table__, list(rows.values()), key=("company_ref",),
                     update=_company_update(given))
    ids = ids_by(conn, Company.__table__, "company_ref", rows)
    aliases = {
        (ids[ref], kind, value[:200]): None
        for ref, name, _, _, names in entries
        for kind, value in [("name", name), *(("name", alias) for alias in names.aliases),
                            *((kind, value) for kind, values in names.identifiers.items() for value in values)]
    }
    # Aliases accumulate: a former name or ticker still helps recognise old text.
    insert_new(conn, CompanyAlias.__table__,
               [{"company_id": cid, "kind": kind, "value": value} for cid, kind, value in aliases],
               conflict=("company_id", "kind", "value"))
    return written, ids


def _owners_by_identifier(conn: Connection, names: Sequence[Names]) -> dict[tuple[str, str], int]:
    """Companies already known by one of these unique identifiers (LEI, CIK, USCC)."""
    wanted = {(kind, value) for n in names for kind in UNIQUE_KINDS for value in n.identifiers.get(kind, ())}
    if not wanted:
        return {}
    table = CompanyAlias.__table__
    query = select(table.c.kind, table.c.value, table.c.company_id).where(
        tuple_(table.c.kind, table.c.value).in_(sorted(wanted)))
    return {(kind, value): company_id for kind, value, company_id in conn.execute(query)}


def _refs_by_id(conn: Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    table = Company.__table__
    return dict(conn.execute(select(table.c.id, table.c.company_ref).where(table.c.id.in_(sorted(ids)))).all())


def _known_ref(record_names: Names, owners: dict[tuple[str, str], int], linked: int | None,
               refs: dict[int, str]) -> str | None:
    """The ref of the company this record already is: linked before, or same identifier."""
    if linked is not None:
        return refs.get(linked)
    for kind in UNIQUE_KINDS:
        for value in record_names.identifiers.get(kind, ()):
            if (kind, value) in owners:
                return refs.get(owners[(kind, value)])
    return None


def load_companies(conn: Connection, records: Sequence[CompanyRecord]) -> Written:
    owners = _owners_by_identifier(conn, [r.names for r in records])
    refs = _refs_by_id(conn, set(owners.values()))
    entries = []
    for r in records:
        ref = r.company_ref or _known_ref(r.names, owners, None, refs) or company_ref(r.names.identifiers, "")
        entries.append((ref, r.name, r.country, r.industry, r.names))
    written, _ = _write_companies(conn, entries, records[0].given if records else frozenset())
    return written


def load_customers(conn: Connection, records: Sequence[CustomerRecord]) -> Written:
    """Customers, and for corporates the company (with aliases) entity linking matches."""
    table = Customer.__table__
    given = records[0].given if records else frozenset()
    linked = dict(conn.execute(select(table.c.customer_ref, table.c.company_id).where(
        table.c.customer_ref.in_([r.customer_ref for r in records]))).all()) if records else {}
    corporates = [r for r in records if r.segment == "corporate"]
    owners = _owners_by_identifier(conn, [r.names for r in corporates])
    refs = _refs_by_id(conn, {cid for cid in linked.values() if cid} | set(owners.values()))
    company_of: dict[str, str] = {}
    for r in corporates:
        company_of[r.customer_ref] = (_known_ref(r.names, owners, linked.get(r.customer_ref), refs)
                                      or company_ref(r.names.identifiers, f"CUSTOMER:{r.customer_ref}"))
    written, ids = _write_companies(
        conn, [(company_of[r.customer_ref], r.name, r.country, r.industry, r.names) for r in corporates], given)
    rows = [{"customer_ref": r.customer_ref, "name": r.name, "segment": r.segment,
             "company_id": ids.get(company_of.get(r.customer_ref, "")), "country": r.country,
             **_industry_values(r.industry)} for r in records]
    update = ("company_id", *_updatable(given, {"name": ("name",), "segment": ("segment",),
                                                "country": ("country",), **_INDUSTRY_SOURCES}))
    # Companies count only where they are new: a customer's own update already says it changed.
    return upsert(conn, table, rows, key=("customer_ref",), update=update) + Written(written.inserted)


def _resolve(conn: Connection, records: Sequence[Any], lookups: dict[str, tuple[Any, str]],
             problems: Problems) -> list[tuple[Any, dict[str, int]]]:
    """Each record with the ids its refs name; records naming an unknown ref are set aside."""
    ids = {field: ids_by(conn, table, column, {getattr(r, field) for r in records})
           for field, (table, column) in lookups.items()}
    resolved = []
    for r in records:
        unknown = [f"{_LABELS[field]} {getattr(r, field)!r}"
                   for field in lookups if getattr(r, field) not in ids[field]]
        if unknown:
            problems.append(f"line {r.line}: unknown {' and '.join(unknown)}; row not loaded")
            continue
        resolved.append((r, {field: ids[field][getattr(r, field)] for field in lookups}))
    return resolved


def load_coverage(conn: Connection, records: Sequence[CoverageRecord], problems: Problems, *,
                  replace: bool = False) -> Written:
    lookups = {"rm_ref": (RelationshipManager.__table__, "rm_ref"),
               "customer_ref": (Customer.__table__, "customer_ref")}
    resolved = _resolve(conn, records, lookups, problems)
    rows = [{"rm_id": ids["rm_ref"], "customer_id": ids["customer_ref"], "role": r.role, "since": r.since}
            for r, ids in resolved]
    given = records[0].given if records else frozenset()
    written = upsert(conn, Coverage.__table__, rows, key=("rm_id", "customer_id"),
                     update=_updatable(given, {"role": ("role",), "since": ("since",)}))
    if replace:
        written += Written(updated=_drop_unlisted(conn, Coverage.__table__, rows, "rm_id"))
    return written


def load_holdings(conn: Connection, records: Sequence[HoldingRecord], problems: Problems, *,
                  replace: bool = False) -> Written:
    lookups = {"customer_ref": (Customer.__table__, "customer_ref"),
               "product_ref": (Product.__table__, "product_ref")}
    resolved = _resolve(conn, records, lookups, problems)
    rows = [{"customer_id": ids["customer_ref"], "product_id": ids["product_ref"], "opened_on": r.opened_on,
             "balance": r.balance} for r, ids in resolved]
    given = records[0].given if records else frozenset()
    written = upsert(conn, Holding.__table__, rows, key=("customer_id", "product_id"),
                     update=_updatable(given, {"opened_on": ("opened_on",), "balance": ("balance",)}))
    if replace:
        written += Written(updated=_drop_unlisted(conn, Holding.__table__, rows, "product_id"))
    return written


def _drop_unlisted(conn: Connection, table: Any, rows: Sequence[dict[str, Any]], other: str) -> int:
    """For each customer in the payload, delete its rows the payload no longer lists.

    Customers absent from the payload keep theirs: a partial extract must not strip the
    rest of the book. Used when a file is the full current picture per customer (coverage
    moves from one RM to another: the old RM must stop seeing the customer).

    The customers' stored rows are read in chunks and only the rows no longer listed are
    deleted, by id: a DELETE per customer had cost a scan of the table each (coverage is not
    indexed by customer first), 16 s for 15,000 customers, growing with the square of the book.
    """
    listed: dict[int, set[int]] = {}
    for row in rows:
        listed.setdefault(row["customer_id"], set()).add(row[other])
    customers = sorted(listed)
    stale: list[int] = []
    for start in range(0, len(customers), _CHUNK):
        chunk = customers[start:start + _CHUNK]
        for row_id, customer_id, value in conn.execute(
                select(table.c.id, table.c.customer_id, table.c[other]).where(table.c.customer_id.in_(chunk))):
            if value not in listed[customer_id]:
                stale.append(row_id)
    for start in range(0, len(stale), _CHUNK):
        conn.execute(delete(table).where(table.c.id.in_(stale[start:start + _CHUNK])))
    return len(stale)
