"""Candidate signals from the window's notes: grouped, backed by evidence, scored, stored.

One signal per group of notes (``mi.signals.grouping``) with at least ``min_customers``
distinct customers, keyed by the group's key, so rerunning a day finds the same signals.
A signal's notes, evidence and score are rewritten each run; its ``revision`` moves only
when one of them changed, which is what publication compares against. A launched signal
is closed: notes of the same need dated after its launch start a signal of their own
(``<need>@<launch day>``). Decided signals (accepted, rejected, reserved) keep gathering
notes and evidence: a material increase is published as an update.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, select

from mi.signals.evidence import Evidence, Market, competitor_offers, evidence_for, load_market
from mi.signals.grouping import Group, group_notes
from mi.signals.reading import WindowNote, book_balance, window_notes
from mi.signals.scoring import Facts, score
from mi.signals.sharing import mask_names, name_forms, shareable_quotes
from mi.signals.vocabulary import BY_KEY
from mi.warehouse.base import utcnow
from mi.warehouse.book import CompanyAlias, Customer
from mi.warehouse.loading import dialect_insert
from mi.warehouse.signals import DemandSignal, SignalEvent, SignalEvidence, SignalNote, SignalWatermark

LOOKBACK_DAYS = 180
MIN_CUSTOMERS = 2
_CHUNK = 500


@dataclass(frozen=True)
class RefreshOutcome:
    notes: int  # read notes in the window
    candidates: int  # groups broad enough to be a signal
    created: int
    changed: int  # existing signals whose notes, evidence or score moved


def refresh_signals(engine: Engine, *, as_of: dt.date, since: dt.date | None = None,
                    min_customers: int = MIN_CUSTOMERS) -> RefreshOutcome:
    """Group the notes dated in [since, as_of] (default: the last ``LOOKBACK_DAYS``) into signals.

    When nothing it reads changed since the last refresh (see ``_inputs_digest``), nothing is
    grouped or written again: the signals would come out the same.
    """
    since = since or as_of - dt.timedelta(days=LOOKBACK_DAYS)
    window = (as_of, since, min_customers)
    with engine.begin() as conn:
        notes = window_notes(conn, since=since, until=as_of)
        market = load_market(conn, as_of)
        context = _Context(as_of, market, book_balance(conn), _names(conn, {n.customer_id for n in notes}))
        stored = {row.signal_key: row for row in conn.execute(select(DemandSignal))}
        mark = conn.execute(select(SignalWatermark).where(SignalWatermark.name == _MARK)).first()
        if mark is not None and mark.inputs_digest == _inputs_digest(window, notes, context, stored):
            return RefreshOutcome(len(notes), mark.candidates, 0, 0)
        by_ref = {n.note.ref: n for n in notes}
        groups = group_notes([n.note for n in notes], {n.note.ref: n.reading for n in notes})
        candidates = created = changed = 0
        for group in groups:
            key, members = group.key, [by_ref[ref] for ref in group.members]
            current = stored.get(key)
            if current is not None and current.status == "launched":
                launched_on = dt.date.fromisoformat(current.details.get("launched_on") or as_of.isoformat())
                key = f"{group.key}@{launched_on.isoformat()}"
                members = [m for m in members if m.note.noted_on > launched_on]
                current = stored.get(key)
            customers = {m.customer_id for m in members if m.customer_id is not None}
            if not members or (len(customers) < min_customers and current is None):
                continue
            candidates += 1
            outcome = _write(conn, key, group, members, current, context)
            created += outcome == "created"
            changed += outcome == "changed"
        # The signals as this refresh left them: the next run reads them so, unless something
        # (a launch, new notes or evidence) changed in between.
        after = {row.signal_key: row for row in conn.execute(select(DemandSignal))}
        statement = dialect_insert(conn, SignalWatermark.__table__)
        conn.execute(statement.on_conflict_do_update(index_elements=["name"], set_={
            "inputs_digest": statement.excluded.inputs_digest, "candidates": statement.excluded.candidates,
            "updated_at": statement.excluded.updated_at}),
            {"name": _MARK, "inputs_digest": _inputs_digest(window, notes, context, after), "candidates": candidates,
             "updated_at": utcnow()})
    return RefreshOutcome(len(notes), candidates, created, changed)


_MARK = "refresh"


def _inputs_digest(window: tuple[dt.date, dt.date, int], notes: list[WindowNote], context: _Context,
                   stored: dict[str, DemandSignal]) -> str:
    """Everything a refresh reads, as the warehouse holds it, and the code that reads it: the
    window, the notes with their readings and customers, the market evidence, the book's
    balance and names, and of each stored signal what refresh looks at (launched or not, its
    details and fingerprint; a decision or a publication changes nothing refresh computes)."""
    digest = hashlib.sha256(_code_version())
    digest.update(repr((window, notes, context.market, context.book_balance,
                        sorted((k, sorted(v)) for k, v in context.names.items()))).encode())
    for key in sorted(stored):
        row = stored[key]
        digest.update(repr((key, row.status == "launched", row.details, row.fingerprint)).encode())
    return digest.hexdigest()


@cache
def _code_version() -> bytes:
    """The signals package's own source: a change of the vocabulary, grouping or scoring
    refreshes every signal again."""
    here = Path(__file__).parent
    return hashlib.sha256(b"".join(path.read_bytes() for path in sorted(here.glob("*.py")))).digest()


@dataclass(frozen=True)
class _Context:
    as_of: dt.date
    market: Market
    book_balance: float
    names: dict[int, list[str]]  # customer id -> its names and aliases


def _names(conn: Connection, customer_ids: set[int | None]) -> dict[int, list[str]]:
    ids = sorted(i for i in customer_ids if i is not None)
    names: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for customer_id, name, alias in conn.execute(
                select(Customer.id, Customer.name, CompanyAlias.value)
                .outerjoin(CompanyAlias, (CompanyAlias.company_id == Customer.company_id)
                           & (CompanyAlias.kind == "name"))
                .where(Customer.id.in_(chunk))):
            names[customer_id].extend(n for n in (name, alias) if n)
    return dict(names)


def _title(group: Group, forms: list[str]) -> str:
    if group.kind == "need" and group.need:
        return BY_KEY[group.need].title
    masked = {w.casefold() for form in forms for w in form.split()}
    terms = [t for t in group.terms if not set(t.replace("-", " ").split()) & masked]
    if group.kind == "tags":
        return "Notes tagged " + (", ".join(terms) if terms else "(tags not quotable)") + " (text not read)"
    return "Emerging need: " + (", ".join(terms) if terms else "notes not quotable")


def _facts(members: list[WindowNote], evidence: list[Evidence], group: Group, context: _Context) -> Facts:
    as_of = context.as_of
    customers = {m.customer_id: m.balance for m in members if m.customer_id is not None}
    need = BY_KEY.get(group.need or "")
    shelf = tuple(ref for category in (need.shelf if need else ()) for ref in context.market.shelf.get(category, ()))
    kinds = Counter((e.kind, e.stance) for e in evidence)
    return Facts(
        notes=len(members), customers=len(customers), rms=len({m.rm_id for m in members}),
        confidential_notes=sum(1 for m in members if m.note.confidential),
        recent_notes=sum(1 for m in members if (as_of - m.note.noted_on).days < 30),
        prior_notes=sum(1 for m in members if 30 <= (as_of - m.note.noted_on).days < 90),
        balance=sum(customers.values()), book_balance=context.book_balance, shelf_products=shelf,
        competitor_offers=len(competitor_offers(context.market, need)) if need else 0,
        competitor_changes=kinds[("competitor_change", "supports")], market_moves=kinds[("market_move", "supports")],
        heating_industries=kinds[("pulse", "supports")], cooling_industries=kinds[("pulse", "weakens")],
        news=kinds[("news", "supports")], known_need=group.kind == "need")


def _write(conn: Connection, key: str, group: Group, members: list[WindowNote], current: DemandSignal | None,
           context: _Context) -> str:
    forms = name_forms(n for m in members if m.customer_id is not None for n in context.names.get(m.customer_id, ()))
    sections = {m.section for m in members if m.section}
    evidence = evidence_for(context.market, BY_KEY.get(group.need or ""), sections)
    facts = _facts(members, evidence, group, context)
    total, parts = score(facts)
    details = {
        "parts": [{"name": p.name, "value": round(p.value, 3), "weight": p.weight, "points": p.points,
                   "reason": mask_names(p.reason, forms)} for p in parts],
        "quotes": shareable_quotes([(m.note.text, m.note.confidential) for m in members], forms),
        "segments": dict(Counter(m.segment or "unknown" for m in members)),
        "industries": dict(Counter(m.section for m in members if m.section)),
        "languages": dict(Counter(m.reading.language for m in members)),
        "evidence": dict(Counter(e.kind for e in evidence)),
    }
    if current is not None and current.details.get("launched_on"):
        details["launched_on"] = current.details["launched_on"]
    note_ids = sorted(m.note_id for m in members)
    fingerprint = hashlib.sha256(repr((note_ids, sorted(e.ref for e in evidence), total)).encode()).hexdigest()
    values = {
        "kind": group.kind, "need": group.need, "category": BY_KEY[group.need].category if group.need else None,
        "title": _title(group, forms), "first_noted_on": members[0].note.noted_on,
        "last_noted_on": members[-1].note.noted_on, "notes": facts.notes, "customers": facts.customers,
        "rms": facts.rms, "confidential_notes": facts.confidential_notes, "score": total, "details": details,
        "fingerprint": fingerprint,
    }
    table = DemandSignal.__table__
    if current is None:
        signal_id = conn.execute(table.insert().values(signal_key=key, status="new", revision=1, **values)
                                 .returning(table.c.id)).scalar_one()
        conn.execute(SignalEvent.__table__.insert().values(signal_id=signal_id, kind="created", to_status="new",
                                                           detail={"notes": facts.notes, "score": total}))
        outcome = "created"
    elif current.fingerprint != fingerprint or current.details != details:
        signal_id = current.id
        revision = current.revision + (current.fingerprint != fingerprint)
        conn.execute(table.update().where(table.c.id == signal_id)
                     .values(revision=revision, updated_at=utcnow(), **values))
        outcome = "changed"
    else:
        return "same"
    _set_members(conn, signal_id, note_ids)
    _set_evidence(conn, signal_id, evidence)
    return outcome


def _set_members(conn: Connection, signal_id: int, note_ids: list[int]) -> None:
    table = SignalNote.__table__
    stored = set(conn.execute(select(table.c.note_id).where(table.c.signal_id == signal_id)).scalars())
    gone = sorted(stored - set(note_ids))
    for start in range(0, len(gone), _CHUNK):
        chunk = gone[start:start + _CHUNK]
        conn.execute(delete(table).where(table.c.signal_id == signal_id, table.c.note_id.in_(chunk)))
    fresh = [{"signal_id": signal_id, "note_id": i} for i in note_ids if i not in stored]
    if fresh:
        statement = dialect_insert(conn, table).on_conflict_do_nothing(index_elements=["signal_id", "note_id"])
        for start in range(0, len(fresh), _CHUNK):
            conn.execute(statement, fresh[start:start + _CHUNK])


def _set_evidence(conn: Connection, signal_id: int, evidence: list[Evidence]) -> None:
    table = SignalEvidence.__table__
    refs = {e.ref for e in evidence}
    stored = set(conn.execute(select(table.c.ref).where(table.c.signal_id == signal_id)).scalars())
    gone = sorted(stored - refs)
    if gone:
        conn.execute(delete(table).where(table.c.signal_id == signal_id, table.c.ref.in_(gone)))
    fresh = [{"signal_id": signal_id, "ref": e.ref, "kind": e.kind, "stance": e.stance, "title": e.title[:2000],
              "url": e.url, "observed_on": e.observed_on} for e in evidence if e.ref not in stored]
    if fresh:
        conn.execute(dialect_insert(conn, table).on_conflict_do_nothing(index_elements=["signal_id", "ref"]), fresh)
