"""Typed records passed between the channel layer and the warehouse.

Channels produce these from raw payloads; the warehouse loads them. Nothing here knows
about Prefect or SQLAlchemy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocumentRecord:
    """One news item, article page or notice, as parsed from a payload."""

    external_id: str  # the channel's stable id for the item: feed guid, link, or page URL
    url: str | None
    title: str | None
    text: str
    summary: str | None = None
    published_at: dt.datetime | None = None  # timezone-aware, UTC
    language: str | None = None
    kind: str = "news"


@dataclass(frozen=True)
class SeriesRecord:
    """A time series described by a payload (FX rate, index, yield, statistic)."""

    key: str  # globally unique, e.g. "ecb.eurofxref.USD"
    name: str
    unit: str
    frequency: str  # "D", "B", "W", "M", "Q", "A"
    source: str
    industry: str | None = None  # ISIC Rev.4 section letter, when the series describes one


@dataclass(frozen=True)
class ObservationRecord:
    series_key: str
    date: dt.date
    value: float


@dataclass(frozen=True)
class ParseResult:
    """What one payload yielded.

    ``problems`` are row- or item-level issues that were set aside while the rest of the
    payload loaded (a text cell in a number column, an entry without a date). ``fatal``
    is set when nothing usable came out of the payload (not a feed, unreadable CSV); the
    records already parsed before a break are still kept in the lists.
    """

    documents: list[DocumentRecord] = field(default_factory=list)
    series: list[SeriesRecord] = field(default_factory=list)
    observations: list[ObservationRecord] = field(default_factory=list)
    #: Kind-specific typed records (competitor offers, field notes, book rows, ...) that the
    #: source's own ``load`` writes.
    records: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Things the operator should know that lost nothing (a date that could not be read,
    #: a guessed character encoding): recorded on the raw item, not counted as quarantined.
    warnings: list[str] = field(default_factory=list)
    fatal: str | None = None
    #: More targets this payload points to (the next page of a paginated API), fetched in
    #: the same run through the same path.
    follow: list[str] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return len(self.documents) + len(self.observations) + len(self.records)
