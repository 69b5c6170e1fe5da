"""Compose every RM's brief for a period: what arrived since their last brief, about their book.

``compose_briefs`` reads the batch's material and books once, builds each RM's sections
(``mi.briefs.sections``) and checks the one rule no template may be trusted with: a brief
names only the RM's own customers, and a confidential note only reaches its author.
A brief that would break it is not produced: the error names the RM and the item.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, Engine, select

from mi.briefs import sections
from mi.briefs.book import RmBook, load_books
from mi.briefs.material import Material, MaterialShelf, load_material
from mi.briefs.relevance import Verdict, apply_feedback
from mi.records.briefs import Brief, BriefItem
from mi.signals.feedback import decisions_for
from mi.warehouse.desk import BriefFeedback

#: Notes older than this are not quoted beside today's news.
NOTE_DAYS = 90


class ConfidentialityError(RuntimeError):
    """A composed brief names a customer outside its RM's book (a bug: never sent)."""


def compose_briefs(engine: Engine, *, period: dt.date, until: dt.datetime,
                   since: Mapping[str, dt.datetime | None] | None = None, rm_refs: list[str] | None = None,
                   kind: str = "daily", record_feedback: bool = True, shelf: MaterialShelf | None = None
                   ) -> list[Brief]:
    """One brief per RM (every active RM when ``rm_refs`` is None), in RM order.

    ``since`` gives each RM's window start (the end of their last delivered brief; None or
    absent: everything up to ``until``). Material is read once from the earliest start.
    The product department's decisions on signals an RM's notes fed join that RM's brief
    once (``mi.signals.feedback``); ``record_feedback=False`` (a preview) shows them
    without recording that a brief carried them. With a ``shelf`` the material read for an
    earlier batch of the same run (same start, end and day) is used again."""
    since = dict(since or {})
    with engine.connect() as conn:
        books = load_books(conn, rm_refs, notes_since=period - dt.timedelta(days=NOTE_DAYS))
        starts = [since.get(book.rm_ref) for book in books]
        earliest = None if not starts or any(start is None for start in starts) else min(starts)  # type: ignore[type-var]
        if shelf is None:
            material = load_material(conn, since=earliest, until=until, day=period)
        else:
            material = shelf.get((str(engine.url), earliest, until, period),
                                 lambda: load_material(conn, since=earliest, until=until, day=period))
        verdicts = load_verdicts(conn, [book.rm_id for book in books])
    material.move_facts = {move.series_id: sections.move_facts(move) for move in material.moves}
    windows: dict[dt.datetime | None, Material] = {}  # most RMs share one window: build it once
    briefs = []
    for book in books:
        start = since.get(book.rm_ref)
        if start not in windows:
            windows[start] = _window(material, start)
        briefs.append(compose_one(book, windows[start], period=period, since=start, kind=kind,
                                  verdicts=verdicts.get(book.rm_id, ())))
    with engine.begin() as conn:
        for index, (book, brief) in enumerate(zip(books, briefs, strict=True)):
            decided = decisions_for(conn, book.rm_id, None, until=until,
                                    brief_key=brief.key if record_feedback else None)
            if decided:
                briefs[index] = dataclasses.replace(brief, items=(*brief.items, *decided))
    return briefs


def compose_one(book: RmBook, material: Material, *, period: dt.date, since: dt.datetime | None,
                kind: str = "daily", verdicts: Sequence[Verdict] = ()) -> Brief:
    """One RM's brief from material already restricted to what arrived after ``since``; the
    RM's feedback on earlier items (``verdicts``, from the desk) weighs the ranking."""
    window = material
    news = sections.customer_news(book, window)
    shown = {source for item in news for source in item.sources}
    moves = sections.market_moves(book, window)
    items = [*news, *sections.industries(book, window, shown), *moves, *sections.competitor_changes(book, window),
             *sections.suggestions(book, window, news, moves)]
    items = apply_feedback(items, verdicts)
    check_confidentiality(book, items)
    customers = sorted({item.customer_ref for item in items if item.customer_ref})
    return Brief(rm_ref=book.rm_ref, rm_name=book.name, rm_email=book.email, language=book.language,
                 kind=kind, period=period, window_start=since, window_end=material.until,
                 items=tuple(items), customers=tuple(customers))


def load_verdicts(conn: Connection, rm_ids: list[int]) -> dict[int, list[Verdict]]:
    """Each RM's feedback on brief items (written by the desk), oldest first."""
    found: dict[int, list[Verdict]] = {}
    for start in range(0, len(rm_ids), 500):
        for row in conn.execute(select(BriefFeedback).where(BriefFeedback.rm_id.in_(rm_ids[start:start + 500]))
                                .order_by(BriefFeedback.at, BriefFeedback.id)):
            found.setdefault(row.rm_id, []).append(Verdict(row.item_key, row.section, row.customer_ref, row.verdict))
    return found


def check_confidentiality(book: RmBook, items: list[BriefItem]) -> None:
    own = {c.ref for c in book.customers.values()}
    names = {c.name for c in book.customers.values()}
    for item in items:
        refs = {item.customer_ref} if item.customer_ref else set()
        refs |= set(filter(None, (item.detail.get("_customers") or "").split(",")))
        if not refs <= own or (item.customer_name and item.customer_name not in names):
            raise ConfidentialityError(f"brief of {book.rm_ref}: item {item.title[:60]!r} names a customer "
                                       "outside the RM's book; not composed")


def _window(material: Material, since: dt.datetime | None) -> Material:
    """The material as this RM sees it: news, market points and offer changes that arrived
    after ``since`` (a move whose latest point arrived before is yesterday's news)."""
    if since is None:
        return material
    news = [n for n in material.news if n.fetched_at >= since]
    moves = [m for m in material.moves if m.arrived is not None and m.arrived >= since]
    return Material(until=material.until, news=news, pulse=material.pulse, moves=moves,
                    offer_changes=[c for c in material.offer_changes if c.arrived >= since],
                    shelf=material.shelf, bank_companies=material.bank_companies,
                    move_facts=material.move_facts).index()
