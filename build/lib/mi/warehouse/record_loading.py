"""Everything one parsed payload yields, written in one transaction: the warehouse's side of a channel.

Sources return typed records and never see a connection; this module picks the writer for
each record type. Documents and series need no entry here: every channel kind that yields
them is loaded by ``load_parsed`` as it is. A new kind of record (a new table) adds one
writer and one line in ``WRITERS``.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection

from mi.records.book import CompanyRecord, CoverageRecord, CustomerRecord, HoldingRecord, RmRecord
from mi.records.notes import NOT_LOADED, NoteDraft
from mi.records.offers import OfferRecord
from mi.records.parsed import ParseResult
from mi.records.products import MetricRecord, ProductRecord
from mi.records.series import ObservationRecord, SeriesRecord
from mi.warehouse.book_loading import load_companies, load_coverage, load_customers, load_holdings, load_rms
from mi.warehouse.loading import SERIES_KEY_CHARS, load_documents, load_observations, load_series
from mi.warehouse.note_loading import record_notes
from mi.warehouse.offer_loading import load_offers
from mi.warehouse.product_loading import load_metrics, load_products


@dataclass
class LoadBatch:
    """Where a payload came from, and the problems found while writing it.

    Some rows can only be refused against the warehouse (a coverage row naming an RM the
    book does not hold, a note about a customer the RM does not cover): writers append
    them to ``problems`` as ``line N: reason``, and the caller reports them with the
    payload's own parse problems.
    """

    channel_id: int
    raw_item_id: int | None
    fetched_at: dt.datetime
    channel: str = ""  # the channel's name, and
    target: str = ""  # the URL or file the payload came from (a scope for a file's own note ids)
    industry_hints: tuple[str, ...] = ()
    replaces: bool = False
    problems: list[str] = field(default_factory=list)


Writer = Callable[[Connection, Sequence[Any], LoadBatch], int]


def _notes(conn: Connection, records: Sequence[NoteDraft], batch: LoadBatch) -> int:
    scope = f"{batch.channel}/{PurePath(batch.target).name}" if batch.target else batch.channel
    written = record_notes(conn, records, raw_item_id=batch.raw_item_id, id_scope=scope)
    batch.problems.extend(f"{o.draft.where}: {o.reason}; {NOT_LOADED}" for o in written.rejected)
    return written.written


#: The writer for each record type; each returns how many rows it added or changed.
WRITERS: dict[type, Writer] = {
    RmRecord: lambda conn, records, batch: load_rms(conn, records).changed,
    CustomerRecord: lambda conn, records, batch: load_customers(conn, records).changed,
    CompanyRecord: lambda conn, records, batch: load_companies(conn, records).changed,
    CoverageRecord: lambda conn, records, batch: load_coverage(
        conn, records, batch.problems, replace=batch.replaces).changed,
    HoldingRecord: lambda conn, records, batch: load_holdings(
        conn, records, batch.problems, replace=batch.replaces).changed,
    ProductRecord: lambda conn, records, batch: load_products(conn, records).changed,
    MetricRecord: lambda conn, records, batch: load_metrics(conn, records, batch.problems).changed,
    OfferRecord: lambda conn, records, batch: load_offers(
        conn, records, channel_id=batch.channel_id, raw_item_id=batch.raw_item_id,
        seen_at=batch.fetched_at, industries=batch.industry_hints),
    NoteDraft: _notes,
}


def _storable_series(parsed: ParseResult, problems: list[str]) -> tuple[list[SeriesRecord], list[ObservationRecord]]:
    """The series whose key fits the warehouse, and their observations; the others are problems.

    A key is a series' identity, so an over-long one is refused rather than cut (two keys
    cut alike would merge two series); the payload's other series still load.
    """
    too_long = {s.key for s in parsed.series if len(s.key) > SERIES_KEY_CHARS}
    if not too_long:
        return parsed.series, parsed.observations
    counts = Counter(o.series_key for o in parsed.observations if o.series_key in too_long)
    for key in sorted(too_long):
        problems.append(f"series key {key[:60]!r}... is {len(key)} characters, over the {SERIES_KEY_CHARS} "
                        f"the warehouse keeps; its {counts[key]} observations not loaded")
    return ([s for s in parsed.series if s.key not in too_long],
            [o for o in parsed.observations if o.series_key not in too_long])


def load_parsed(conn: Connection, parsed: ParseResult, batch: LoadBatch) -> int:
    """Write a payload's documents, series and typed records; return how many rows were new."""
    new = load_documents(conn, channel_id=batch.channel_id, raw_item_id=batch.raw_item_id,
                         documents=parsed.documents, fetched_at=batch.fetched_at,
                         industry_hints=batch.industry_hints)
    if parsed.observations:
        series, observations = _storable_series(parsed, batch.problems)
        series_ids = load_series(conn, channel_id=batch.channel_id, series=series)
        new += load_observations(conn, series_ids=series_ids, observations=observations,
                                 vintage=batch.fetched_at.date(), raw_item_id=batch.raw_item_id)
    by_type: dict[type, list[Any]] = {}
    for record in parsed.records:
        by_type.setdefault(type(record), []).append(record)
    for record_type, records in by_type.items():
        try:
            writer = WRITERS[record_type]
        except KeyError:
            raise TypeError(f"no warehouse writer for {record_type.__name__} records") from None
        new += writer(conn, records, batch)
    return new
