"""The records of entity linking, shared by the English and the Chinese linkers (no I/O)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompanyName:
    company_id: int
    name: str  # legal name, e.g. "Apple Inc."
    aliases: tuple[str, ...] = ()  # short names, former names, brands
    tickers: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()  # "CIK:320193", LEI, unified social credit code, ...
    sections: tuple[str, ...] = ()  # ISIC sections of its industry, when the book knows it
    country: str = ""  # ISO 3166 two-letter code, when the book knows it


@dataclass(frozen=True)
class EntityLink:
    company_id: int
    name: str
    mention: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class MentionCandidate:
    """One piece of evidence found in a text, accepted or not, for audits."""

    company_id: int
    mention: str
    start: int  # offsets in ``title + "\n" + text``
    end: int
    kind: str  # identifier, exchange_ticker, cashtag, legal_name, name_ticker, name, alias, short, rejected
    strong: bool  # enough on its own to link
    confidence: float
    note: str  # the reason, or why it does not count on its own
    bar: float = 0.0  # > 0: context may decide it, with at least this score (linking_context)


@dataclass(frozen=True)
class Rejection:
    """A company found in the text and not linked, with the reason."""

    company_id: int
    name: str
    mention: str
    reason: str
