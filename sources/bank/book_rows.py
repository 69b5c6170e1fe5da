"""Rows of the bank's book (RMs, customers, companies, coverage, holdings) as typed records.

Each ``build_*`` reads one mapped row: a row that cannot be loaded raises ``BadRow``; a
row that loads with something left out (an identifier that fails its check digit, an
industry code no table maps) adds a note, which the channel reports with the line number.
"""
from __future__ import annotations

import re

from mi.records.book import (
    RM_LANGUAGES,
    CompanyRecord,
    CoverageRecord,
    CustomerRecord,
    HoldingRecord,
    Industry,
    Names,
    RmRecord,
)
from mi.records.identifiers import IDENTIFIER_KINDS, normalise
from mi.reference.industries import SECTIONS, isic_section, normalise_scheme
from mi.sources.reading.fields import BadRow, Row, RowNotes, TableShape

SEGMENTS = ("corporate", "private")
_COUNTRY = re.compile(r"[A-Z]{2}")
# "zh-CN", "en_GB", "ZH": the primary subtag of a BCP 47 / POSIX tag decides.
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*")
_LABELS = {"ticker": "ticker", "cik": "SEC CIK", "lei": "LEI (ISO 17442 check digits)",
           "uscc": "unified social credit code (GB 32100 check character)"}


def country(row: Row, notes: RowNotes) -> str | None:
    value = row.text("country")
    if value is None:
        return None
    if not _COUNTRY.fullmatch(value.upper()):
        notes.problems.append(f"country {value!r} is not an ISO 3166 two-letter code; left empty")
        return None
    return value.upper()


def industry(row: Row, notes: RowNotes) -> Industry:
    """The code as given, plus its ISIC section through the mapping tables."""
    scheme_text, code = row.text("industry_scheme"), row.text("industry_code")
    given_section = row.text("isic_section")
    if given_section is not None and given_section.upper() not in SECTIONS:
        notes.problems.append(f"isic_section {given_section!r} is not a section letter A-U; left empty")
        given_section = None
    if code is None:
        return Industry(isic_section=given_section.upper() if given_section else None)
    scheme = normalise_scheme(scheme_text or "")
    if scheme is None:
        notes.warnings.append(f"industry_scheme {scheme_text!r} is not one of ISIC, NAICS, SIC, GICS, GBT4754; "
                     "industry left unmapped")
        return Industry(scheme_text, code, given_section.upper() if given_section else None)
    section = isic_section(scheme, code)
    if section is None:
        notes.warnings.append(f"{scheme} code {code!r} maps to no ISIC section; loaded without one")
    return Industry(scheme, code, section)


def names(row: Row, notes: RowNotes) -> Names:
    found: dict[str, tuple[str, ...]] = {}
    for kind in IDENTIFIER_KINDS:
        good = []
        for value in row.items(kind):
            spelled = normalise(kind, value)
            if spelled is None:
                notes.problems.append(f"{kind} {value!r} is not a valid {_LABELS[kind]}; not stored")
            else:
                good.append(spelled)
        if good:
            found[kind] = tuple(dict.fromkeys(good))
    return Names(aliases=row.items("aliases"), identifiers=found)


def language(row: Row, notes: RowNotes) -> str:
    """The RM's brief language; one the briefs are not written in keeps the RM, in the default."""
    value = row.text("language")
    if value is None:
        return RM_LANGUAGES[0]
    tag = _LANGUAGE_TAG.fullmatch(value.strip())
    primary = tag.group(1).casefold() if tag else None
    if primary not in RM_LANGUAGES:
        notes.problems.append(f"language {value!r} is not one of {', '.join(RM_LANGUAGES)}; "
                              f"{RM_LANGUAGES[0]} used")
        return RM_LANGUAGES[0]
    return primary


def build_rm(row: Row, notes: RowNotes) -> RmRecord:
    return RmRecord(row.line, row.required("rm_ref"), row.required("name"), row.text("email"),
                    row.text("team"), row.flag("active", True), language(row, notes))


def build_customer(row: Row, notes: RowNotes) -> CustomerRecord:
    ref, name = row.required("customer_ref"), row.required("name")
    segment = row.choice("segment", SEGMENTS)
    if segment is None:
        raise BadRow("missing segment")
    return CustomerRecord(row.line, ref, name, segment, country(row, notes), industry(row, notes),
                          names(row, notes) if segment == "corporate" else Names())


def build_company(row: Row, notes: RowNotes) -> CompanyRecord:
    ref, name = row.text("company_ref"), row.required("name")
    known_by = names(row, notes)
    if ref is None and not any(kind in known_by.identifiers for kind in ("lei", "cik", "uscc")):
        raise BadRow("missing company_ref, and no lei, cik or uscc to derive one from")
    return CompanyRecord(row.line, ref, name, country(row, notes), industry(row, notes), known_by)


def build_coverage(row: Row, notes: RowNotes) -> CoverageRecord:
    return CoverageRecord(row.line, row.required("rm_ref"), row.required("customer_ref"),
                          (row.text("role") or "primary").casefold()[:20], row.date("since"))


def build_holding(row: Row, notes: RowNotes) -> HoldingRecord:
    return HoldingRecord(row.line, row.required("customer_ref"), row.required("product_ref"),
                         row.date("opened_on"), row.number("balance"))


_INDUSTRY_FIELDS = ("industry_scheme", "industry_code", "isic_section")
_NAME_FIELDS = ("aliases", *IDENTIFIER_KINDS)

SHAPES = {
    "relationship_managers": TableShape(
        "relationship_managers", ("rm_ref", "name", "email", "team", "active", "language"), ("rm_ref", "name"),
        build_rm, lambda r: r.rm_ref),
    "customers": TableShape(
        "customers", ("customer_ref", "name", "segment", "country", *_INDUSTRY_FIELDS, *_NAME_FIELDS),
        ("customer_ref", "name", "segment"), build_customer, lambda r: r.customer_ref),
    "companies": TableShape(
        "companies", ("company_ref", "name", "country", *_INDUSTRY_FIELDS, *_NAME_FIELDS), ("name",),
        build_company, lambda r: r.company_ref or tuple(sorted(r.names.identifiers.items()))),
    "coverage": TableShape(
        "coverage", ("rm_ref", "customer_ref", "role", "since"), ("rm_ref", "customer_ref"),
        build_coverage, lambda r: (r.rm_ref, r.customer_ref)),
    "holdings": TableShape(
        "holdings", ("customer_ref", "product_ref", "opened_on", "balance"), ("customer_ref", "product_ref"),
        build_holding, lambda r: (r.customer_ref, r.product_ref)),
}
