"""What a refine run has to do, found with a few cheap queries before any step starts, so that
a run with nothing new ends at once instead of walking every step to find nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from mi.refining.documents import IdRange, pending_document_ranges
from mi.refining.pulse import pulse_stale
from mi.refining.series import pending_series
from mi.warehouse.analysis import DocumentAnalysis
from mi.warehouse.book import Company


@dataclass(frozen=True)
class RefinePlan:
    """Which steps have work for ``as_of``; a step left out here finds nothing to do."""

    batches: tuple[IdRange, ...]  # the documents not tagged yet, in tagging batches
    events: bool  # tagged documents not in an event yet
    links: bool  # tagged documents not linked yet, and a book to link them to
    # series with new or changed points, or results not yet written for the day; None: not
    # counted, because documents are waiting (the run goes on, and the series step finds its own)
    series: int | None
    pulse: bool  # documents not in a pulse yet, or the day's pulse inputs changed

    @property
    def documents(self) -> bool:
        return bool(self.batches)

    @property
    def nothing(self) -> bool:
        return not (self.documents or self.events or self.links or self.series is None or self.series
                    or self.pulse)


def plan_refine(engine: Engine, as_of: dt.date, chunk: int = 5_000) -> RefinePlan:
    batches = tuple(pending_document_ranges(engine, chunk))
    analysed = DocumentAnalysis.document_id
    with engine.connect() as conn:
        def some(query) -> bool:
            return conn.execute(query.limit(1)).first() is not None
        ungrouped = some(select(analysed).where(DocumentAnalysis.event_id.is_(None)))
        unlinked = some(select(analysed).where(DocumentAnalysis.linked_at.is_(None)))
        book = some(select(Company.id))
        unpulsed = some(select(analysed).where(DocumentAnalysis.pulsed_at.is_(None)))
    if batches or ungrouped or (unlinked and book) or unpulsed:
        # a day with new material: reading every series' points here would read them twice
        return RefinePlan(batches=batches, events=ungrouped, links=unlinked and book, series=None, pulse=True)
    series = len(pending_series(engine, as_of))
    # the pulse also reads the anomalies the series step writes: with series pending, it runs after it anyway
    pulse = bool(series) or pulse_stale(engine, as_of)
    return RefinePlan(batches=batches, events=ungrouped, links=unlinked and book, series=series, pulse=pulse)
