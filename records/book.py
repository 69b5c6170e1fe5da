"""The bank's book as read from its extracts: RMs, customers, companies, coverage, holdings.

Every record keeps the payload line it came from (for problems reported back) and the
fields the payload had (``given``), so that a loader updates only what was sent.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

_NO_FIELDS: frozenset[str] = frozenset()
#: Languages an RM can read briefs in (ISO 639-1); the first is the default.
RM_LANGUAGES: tuple[str, ...] = ("en", "zh")


@dataclass(frozen=True)
class Industry:
    scheme: str | None = None
    code: str | None = None
    isic_section: str | None = None


@dataclass(frozen=True)
class Names:
    """What a company is known by, for entity linking."""

    aliases: tuple[str, ...] = ()
    identifiers: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class RmRecord:
    line: int
    rm_ref: str
    name: str
    email: str | None
    team: str | None
    active: bool
    language: str = RM_LANGUAGES[0]  # what the RM's briefs are written in
    given: frozenset[str] = field(default=_NO_FIELDS, compare=False, repr=False)


@dataclass(frozen=True)
class CustomerRecord:
    line: int
    customer_ref: str
    name: str
    segment: str
    country: str | None
    industry: Industry
    names: Names
    given: frozenset[str] = field(default=_NO_FIELDS, compare=False, repr=False)


@dataclass(frozen=True)
class CompanyRecord:
    line: int
    company_ref: str | None  # None: derived from the identifiers when loading
    name: str
    country: str | None
    industry: Industry
    names: Names
    given: frozenset[str] = field(default=_NO_FIELDS, compare=False, repr=False)


@dataclass(frozen=True)
class CoverageRecord:
    line: int
    rm_ref: str
    customer_ref: str
    role: str
    since: dt.date | None
    given: frozenset[str] = field(default=_NO_FIELDS, compare=False, repr=False)


@dataclass(frozen=True)
class HoldingRecord:
    line: int
    customer_ref: str
    product_ref: str
    opened_on: dt.date | None
    balance: float | None
    given: frozenset[str] = field(default=_NO_FIELDS, compare=False, repr=False)
