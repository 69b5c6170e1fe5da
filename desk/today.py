"""Today's brief on the desk: the email's composition (``mi.briefs.compose``), never another.

The window is the one today's email covered (from where the RM's previous brief ended), up
to now: the page shows what the morning brief said, and what came in since. Nothing is
recorded by looking (the product department's decisions are shown, not marked as carried).
Feedback on an item is checked against the RM's brief composed again: only an item of the
signed-in RM's own brief can be judged.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from mi.briefs.compose import compose_briefs
from mi.briefs.relevance import item_key
from mi.briefs.view import BriefView, ItemView, present
from mi.records.briefs import Brief, BriefItem
from mi.warehouse.desk import VERDICTS, BriefFeedback
from mi.warehouse.loading import dialect_insert
from mi.warehouse.outbox import BriefDelivery

KIND = "daily"


@dataclass(frozen=True)
class Judged:
    """An item as the desk shows it, with what its feedback form posts."""

    view: ItemView
    key: str  # item_key
    customer_ref: str
    verdict: str | None  # the RM's verdict so far


@dataclass(frozen=True)
class TodaySection:
    key: str
    items: tuple[Judged, ...]


def window_start(engine: Engine, rm_ref: str, period: dt.date) -> dt.datetime | None:
    """Where today's email started (or, before it is sent, where the last one ended)."""
    table = BriefDelivery.__table__.c
    with engine.connect() as conn:
        today = conn.execute(select(table.window_start).where(
            table.rm_ref == rm_ref, table.kind == KIND, table.period == period, table.status == "sent")
            .order_by(table.id).limit(1)).first()
        if today is not None:
            return today.window_start
        return conn.execute(select(func.max(table.window_end)).where(
            table.rm_ref == rm_ref, table.kind == KIND, table.status == "sent", table.period < period)).scalar()


def todays_brief(engine: Engine, rm_ref: str, *, period: dt.date, now: dt.datetime) -> Brief:
    (brief,) = compose_briefs(engine, period=period, until=now, since={rm_ref: window_start(engine, rm_ref, period)},
                              rm_refs=[rm_ref], kind=KIND, record_feedback=False)
    return brief


def _ranked(brief: Brief, key: str) -> list[BriefItem]:
    # present() orders a section's items this way; the same order pairs each view with its item.
    return sorted(brief.section(key), key=lambda item: -item.score if math.isfinite(item.score) else 0.0)


def sections(engine: Engine, rm_id: int, brief: Brief, view: BriefView) -> list[TodaySection]:
    with engine.connect() as conn:
        said = {(r.item_key, r.customer_ref): r.verdict for r in conn.execute(
            select(BriefFeedback.item_key, BriefFeedback.customer_ref, BriefFeedback.verdict)
            .where(BriefFeedback.rm_id == rm_id))}
    shown = []
    for section in view.sections:
        items = _ranked(brief, section.key)
        assert len(items) == len(section.items)
        shown.append(TodaySection(section.key, tuple(
            Judged(view_item, item_key(item), item.customer_ref or "", said.get((item_key(item), item.customer_ref or "")))
            for view_item, item in zip(section.items, items, strict=True))))
    return shown


def view_of(brief: Brief, bank_name: str) -> BriefView:
    return present(brief, bank_name=bank_name)


class UnknownItem(LookupError):
    """No item of the RM's brief has that key (another RM's, or one no longer composed)."""


def give_feedback(engine: Engine, rm_id: int, brief: Brief, *, key: str, customer_ref: str, verdict: str,
                  at: dt.datetime) -> BriefItem:
    """Store the RM's verdict on an item of ``brief`` (theirs, composed just now); the latest
    verdict on an item stands."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
    item = next((i for i in brief.items if item_key(i) == key and (i.customer_ref or "") == customer_ref), None)
    if item is None:
        raise UnknownItem(key)
    values = {"rm_id": rm_id, "brief_key": brief.key, "item_key": key, "section": item.section,
              "customer_ref": customer_ref, "verdict": verdict, "at": at}
    with engine.begin() as conn:
        conn.execute(dialect_insert(conn, BriefFeedback.__table__).values(**values).on_conflict_do_update(
            index_elements=["rm_id", "item_key", "customer_ref"],
            set_={"verdict": verdict, "at": at, "brief_key": brief.key, "section": item.section}))
    return item
