"""The China desk's Chinese field notes (issue 13) land, are read as needs and become
evidence of demand signals next to the other desks' English notes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, select

from mi.signals.build import refresh_signals
from mi.signals.reading import pending_note_ranges, read_notes
from mi.sources.config import load_channels
from mi.warehouse.book import Customer
from mi.warehouse.products import FieldNote
from mi.warehouse.signals import DemandSignal, NoteNeed, SignalNote
from tests.helpers import gather_all

ROOT = Path(__file__).parent.parent
BOOK = ("bank-relationship-managers", "bank-customers", "bank-coverage")
DAY = dt.date(2026, 11, 27)


def test_chinese_field_notes_are_read_as_needs_and_join_demand_signals(engine: Engine) -> None:
    book = [c for c in load_channels(ROOT / "snapshot" / "bank" / "channels.fragment.yaml") if c.name in BOOK]
    notes = load_channels(ROOT / "snapshot" / "notes" / "channels.fragment.yaml")
    results = gather_all(engine, *book, *notes, now=dt.datetime(2026, 11, 27, 5, tzinfo=dt.timezone.utc))
    assert all(r.status == "ok" for r in results), [(r.channel, r.problems[:3]) for r in results]
    for ids in pending_note_ranges(engine):
        read_notes(engine, ids)
    refresh_signals(engine, as_of=DAY)
    with engine.connect() as conn:
        chinese = conn.execute(select(FieldNote.id, NoteNeed.need, NoteNeed.language)
                               .join(NoteNeed, NoteNeed.note_id == FieldNote.id)
                               .join(Customer, Customer.id == FieldNote.customer_id)
                               .where(Customer.customer_ref.like("C300%"))).all()
        in_signals = {row.need for row in conn.execute(
            select(DemandSignal.need).join(SignalNote, SignalNote.signal_id == DemandSignal.id)
            .where(SignalNote.note_id.in_([c.id for c in chinese])))}
    assert len(chinese) == 12 and {c.language for c in chinese} == {"zh"}
    assert all(c.need for c in chinese)  # every China-desk note reads as a need
    assert {"fx_receivables_hedge", "supply_chain_finance"} <= in_signals
