"""What one payload yielded: the records a source's ``parse`` hands to the warehouse."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mi.records.documents import DocumentRecord
from mi.records.series import ObservationRecord, SeriesRecord


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
    #: Typed records of the other kinds (book rows, products, competitor offers, field
    #: notes); the warehouse picks the loader for each by its type (``mi.warehouse.record_loading``).
    records: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Things the operator should know that lost nothing (a date that could not be read,
    #: a guessed character encoding): recorded on the raw item, not counted as quarantined.
    warnings: list[str] = field(default_factory=list)
    fatal: str | None = None
    #: More targets this payload points to (the next page of a paginated API), fetched in
    #: the same run through the same path.
    follow: list[str] = field(default_factory=list)
    #: The payload is the full current list for each owner it names (coverage or holdings
    #: per customer), so rows of those owners that it no longer lists are to be removed.
    replaces: bool = False
    #: Which parser read the payload, where a channel kind has more than one (feeds: the
    #: lxml fast path or feedparser, and why); recorded on the raw item.
    reader: str | None = None

    @property
    def confidential(self) -> bool:
        """Whether a record of this payload is flagged confidential (an RM's field note)."""
        return any(getattr(record, "confidential", False) for record in self.records)

    @property
    def record_count(self) -> int:
        return len(self.documents) + len(self.observations) + len(self.records)
