"""Housekeeping of the warehouse: raw payloads past their retention, and VACUUM/ANALYZE.

A payload is pruned by emptying it, never by deleting its row: the row's key (channel,
target, content hash) is what keeps the same bytes from being landed and parsed again.
Never pruned: a payload that is not fully parsed (quarantined, partial, pending, a fetch
error: those are kept for ``mi replay``), and one an open demand signal points at (the
news documents of its evidence, the field notes it groups).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, text, update

from mi.warehouse.models import Document, ParseStatus, RawItem
from mi.warehouse.products import FieldNote
from mi.warehouse.signals import DemandSignal, SignalEvidence, SignalNote

#: Signals whose evidence is still in use: not rejected, not yet launched and closed.
CLOSED_SIGNALS = ("rejected", "launched")
_CHUNK = 500


@dataclass(frozen=True)
class PruneOutcome:
    payloads: int
    bytes: int
    protected: int  # old enough, but kept for an open signal


def protected_raw_items(engine: Engine) -> set[int]:
    """Raw items an open signal points at, through its evidence documents or its notes."""
    with engine.connect() as conn:
        open_ids = select(DemandSignal.id).where(DemandSignal.status.not_in(CLOSED_SIGNALS))
        refs = conn.execute(select(SignalEvidence.ref).where(SignalEvidence.signal_id.in_(open_ids),
                                                             SignalEvidence.ref.like("document:%"))).scalars()
        document_ids = sorted({int(ref.split(":", 1)[1]) for ref in refs if ref.split(":", 1)[1].isdigit()})
        found: set[int] = set()
        for start in range(0, len(document_ids), _CHUNK):
            found.update(conn.execute(select(Document.raw_item_id).where(
                Document.id.in_(document_ids[start:start + _CHUNK]), Document.raw_item_id.is_not(None))).scalars())
        found.update(conn.execute(select(FieldNote.raw_item_id).join(SignalNote, SignalNote.note_id == FieldNote.id)
                                  .where(SignalNote.signal_id.in_(open_ids), FieldNote.raw_item_id.is_not(None)))
                     .scalars())
    return found


def prune_payloads(engine: Engine, *, older_than: dt.datetime) -> PruneOutcome:
    """Empty the payloads fetched before ``older_than`` that nothing needs any more."""
    keep = protected_raw_items(engine)
    table = RawItem.__table__
    with engine.begin() as conn:
        candidates = conn.execute(select(table.c.id, func.length(table.c.payload)).where(
            table.c.fetched_at < older_than, table.c.parse_status == ParseStatus.PARSED,
            func.length(table.c.payload) > 0)).all()
        prunable = [(raw_id, size or 0) for raw_id, size in candidates if raw_id not in keep]
        ids = [raw_id for raw_id, _ in prunable]
        for start in range(0, len(ids), _CHUNK):
            conn.execute(update(table).where(table.c.id.in_(ids[start:start + _CHUNK])).values(payload=b""))
    return PruneOutcome(payloads=len(ids), bytes=sum(size for _, size in prunable),
                        protected=len(candidates) - len(prunable))


def vacuum_analyze(engine: Engine) -> str:
    """Give freed space back and refresh the planner's statistics (outside any transaction)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("VACUUM"))
            conn.execute(text("ANALYZE"))
            return "VACUUM; ANALYZE"
        conn.execute(text("VACUUM (ANALYZE)"))
        return "VACUUM (ANALYZE)"
