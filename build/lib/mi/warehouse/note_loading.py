"""Recording field notes: resolve the RM and customer against the book, check coverage, write.

Rules, the same for intake files and ``mi note add``:

* The RM is named by ``rm_ref``; the customer by ``customer_ref`` or by name — the
  customer's own name or one of its company's name aliases, compared without regard to
  case or runs of spaces. A ref wins over a name. A name that matches several customers
  is refused with the candidates' refs, so the RM can say which one was meant; a name
  matching none is refused as unknown.
* Confidentiality: coverage (the ``coverage`` table) decides which customers an RM may
  see, so an RM may only record notes about customers they cover. A note naming a
  customer outside the RM's coverage is **rejected, not loaded**: it is most likely a typo
  (the wrong customer, whose file would then carry someone else's intelligence), and if it
  is not, the note holds information the bank's coverage model says that RM should not be
  handling. The problem names both ("RM RM012 does not cover customer C0042 (...)"); once
  coverage is fixed, re-read the file (``mi replay --channel ... --include-partial``) or
  correct the row.
* Identity: the note's own id when the file has one, else a hash of RM, customer, date
  and text (``note_values.note_ref``); the same note twice adds one row. A copy of a
  recorded note may raise its ``confidential`` flag but never lifts it: a copy without
  the flag must not expose a note someone flagged. Otherwise a copy identified by the
  hash is the same note and changes nothing (the first copy's tags and spelling stay),
  while a copy carrying the note's id is an edit in the system that issued the id and
  replaces the date, text and tags. An id already used for a note by another RM or about
  another customer is refused (two spreadsheets numbering their rows 1, 2, 3 must not
  overwrite each other).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Table, func, or_, select, update

from mi.records.notes import MAX_SOURCE, NoteDraft, NoteError, note_ref
from mi.warehouse.book import CompanyAlias, Coverage, Customer, RelationshipManager
from mi.warehouse.loading import insert_new
from mi.warehouse.products import FieldNote

ADDED, UPDATED, UNCHANGED, REJECTED = "added", "updated", "unchanged", "rejected"
_CHUNK = 500  # values per IN (...): far below SQLite's bound-parameter limit
_MAX_CANDIDATES = 8
_SPACES = re.compile(r"\s+")
_COMPARED = ("noted_on", "text", "tags", "confidential")
_PROVENANCE = ("source", "raw_item_id", "extra")


@dataclass(frozen=True)
class Party:
    """An RM or a customer as the book knows it."""

    id: int
    ref: str
    name: str


@dataclass(frozen=True)
class NoteOutcome:
    draft: NoteDraft
    status: str  # added, updated, unchanged or rejected
    reason: str | None = None  # why it was rejected
    note_ref: str | None = None
    rm: Party | None = None
    customer: Party | None = None


@dataclass(frozen=True)
class NoteBatch:
    outcomes: tuple[NoteOutcome, ...]
    written: int  # field_notes rows inserted or updated

    @property
    def rejected(self) -> tuple[NoteOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == REJECTED)


def _name_key(name: str) -> str:
    return _SPACES.sub(" ", name).strip().casefold()


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _by_ref(conn: Connection, table: Table, ref_column: str, values: Iterable[str]) -> dict[str, list[Party]]:
    """Parties whose ref is one of ``values``, keyed by the casefolded ref.

    SQL ``lower()`` only folds ASCII on SQLite, so the exact values are asked for too and
    the folding that decides is Python's.
    """
    wanted = sorted({v for v in values if v})
    found: dict[str, list[Party]] = {}
    ref = table.c[ref_column]
    for chunk in _chunks(wanted):
        query = select(table.c.id, ref, table.c.name).where(
            or_(ref.in_(list(chunk)), func.lower(ref).in_([v.lower() for v in chunk])))
        for row in conn.execute(query):
            found.setdefault(row[1].casefold(), []).append(Party(row[0], row[1], row[2]))
    return found


def _pick(found: dict[str, list[Party]], value: str) -> Party | None:
    """The party with exactly this ref, else the one matching it without regard to case."""
    matches = found.get(value.casefold(), [])
    exact = [p for p in matches if p.ref == value]
    return (exact or matches or [None])[0]


class BookLookup:
    """The RMs, customers and coverage that one batch of notes names, read once per batch."""

    def __init__(self, conn: Connection, drafts: Sequence[NoteDraft]) -> None:
        self._conn = conn
        self._rms = _by_ref(conn, RelationshipManager.__table__, "rm_ref", (d.rm for d in drafts))
        self._customers = _by_ref(conn, Customer.__table__, "customer_ref", (d.customer for d in drafts))
        self._names: dict[str, dict[int, Party]] | None = None
        self._coverage: set[tuple[int, int]] | None = None

    def rm(self, value: str) -> Party:
        if not value:
            raise NoteError("missing RM")
        party = _pick(self._rms, value)
        if party is None:
            raise NoteError(f"unknown RM {value!r}")
        return party

    def customer(self, value: str, rm: Party | None = None) -> Party:
        """The customer a note names, by ref or by name; a name is looked up in ``rm``'s book.

        Candidates outside the RM's book are never listed: the refusal would tell the RM
        who those customers are."""
        if not value:
            raise NoteError("missing customer")
        party = _pick(self._customers, value)
        if party is not None:
            return party
        matches = sorted(self._name_index().get(_name_key(value), {}).values(), key=lambda p: p.ref)
        if not matches:
            raise NoteError(f"unknown customer {value!r} (no customer id, name or alias matches)")
        if rm is not None:
            covered = [p for p in matches if self.covers(rm, p)]
            if not covered:
                raise NoteError(f"RM {rm.ref} does not cover the customer given as {value!r}")
            matches = covered
        if len(matches) > 1:
            listed = ", ".join(f"{p.ref} ({p.name})" for p in matches[:_MAX_CANDIDATES])
            more = f" and {len(matches) - _MAX_CANDIDATES} more" if len(matches) > _MAX_CANDIDATES else ""
            raise NoteError(f"customer name {value!r} is ambiguous: matches {listed}{more} — use the customer id")
        return matches[0]

    def covers(self, rm: Party, customer: Party) -> bool:
        if self._coverage is None:
            table = Coverage.__table__
            rm_ids = sorted({p.id for parties in self._rms.values() for p in parties})
            self._coverage = set()
            for chunk in _chunks(rm_ids):
                query = select(table.c.rm_id, table.c.customer_id).where(table.c.rm_id.in_(list(chunk)))
                self._coverage.update((r, c) for r, c in self._conn.execute(query))
        return (rm.id, customer.id) in self._coverage

    def _name_index(self) -> dict[str, dict[int, Party]]:
        """Every customer by its name and its company's name aliases.

        Read whole, once per batch and only when a note names a customer by name: Python's
        casefold handles accented names alike on every backend, which SQL lower() does not.
        """
        if self._names is None:
            customers, aliases = Customer.__table__, CompanyAlias.__table__
            index: dict[str, dict[int, Party]] = {}
            parties = {row.id: Party(row.id, row.customer_ref, row.name) for row in self._conn.execute(
                select(customers.c.id, customers.c.customer_ref, customers.c.name))}
            for party in parties.values():
                index.setdefault(_name_key(party.name), {})[party.id] = party
            alias_rows = self._conn.execute(
                select(customers.c.id, aliases.c.value)
                .select_from(customers.join(aliases, aliases.c.company_id == customers.c.company_id))
                .where(aliases.c.kind == "name"))
            for customer_id, alias in alias_rows:
                index.setdefault(_name_key(alias), {})[customer_id] = parties[customer_id]
            self._names = index
        return self._names


def record_notes(conn: Connection, drafts: Sequence[NoteDraft], *, raw_item_id: int | None = None,
                 id_scope: str = "") -> NoteBatch:
    """Resolve and write a batch of notes; each draft gets an outcome, none raises.

    ``id_scope`` names where the drafts' own ids come from (a channel and a file): ids are
    only compared within one scope (``mi.records.notes.note_ref``)."""
    lookup = BookLookup(conn, drafts)
    outcomes: list[NoteOutcome] = []
    candidates: list[tuple[int, dict[str, Any]]] = []  # (index in outcomes, row to write)
    for draft in drafts:
        try:
            rm, customer = _resolve(lookup, draft)
        except NoteError as exc:
            outcomes.append(NoteOutcome(draft, REJECTED, str(exc)))
            continue
        ref = note_ref(note_id=draft.note_id, rm_ref=rm.ref, customer_ref=customer.ref,
                       noted_on=draft.noted_on, text=draft.text, id_scope=id_scope)
        outcomes.append(NoteOutcome(draft, UNCHANGED, note_ref=ref, rm=rm, customer=customer))
        candidates.append((len(outcomes) - 1, _row(draft, ref, rm, customer, raw_item_id)))
    stored = _stored(conn, [row["note_ref"] for _, row in candidates])
    current = dict(stored)
    inserts: dict[str, dict[str, Any]] = {}
    updates: dict[str, dict[str, Any]] = {}
    for index, row in candidates:
        ref = row["note_ref"]
        before = current.get(ref)
        if before is None:
            current[ref] = inserts[ref] = row
            status = ADDED
        elif (before["rm_id"], before["customer_id"]) != (row["rm_id"], row["customer_id"]):
            outcomes[index] = NoteOutcome(outcomes[index].draft, REJECTED,
                                          f"note id {outcomes[index].draft.note_id!r} already belongs to a "
                                          "note by another RM or about another customer in this file; "
                                          "give this note its own id")
            continue
        else:
            merged = _merge(before, row, edit=outcomes[index].draft.note_id is not None)
            if all(before[name] == merged[name] for name in _COMPARED):
                continue
            current[ref] = merged
            # A repeat inside the batch just refines the row about to be inserted.
            (inserts if ref in inserts else updates)[ref] = merged
            status = UPDATED if ref in updates else UNCHANGED
        outcomes[index] = replace(outcomes[index], status=status)
    inserted = set(insert_new(conn, FieldNote.__table__, list(inserts.values()), conflict=("note_ref",),
                              returning="note_ref"))
    for ref, row in updates.items():
        table = FieldNote.__table__
        conn.execute(update(table).where(table.c.note_ref == ref).values(
            {name: row[name] for name in (*_COMPARED, *_PROVENANCE)}))
    # A concurrent writer may have inserted the same note first: then it is not ours.
    outcomes = [replace(o, status=UNCHANGED) if o.status == ADDED and o.note_ref not in inserted else o
                for o in outcomes]
    return NoteBatch(tuple(outcomes), len(inserted) + len(updates))


def _merge(before: dict[str, Any], copy: dict[str, Any], *, edit: bool) -> dict[str, Any]:
    """What a recorded note becomes when another copy of it arrives (rules: module docstring)."""
    base = copy if edit else before
    return {**base, "confidential": before["confidential"] or copy["confidential"]}


def _resolve(lookup: BookLookup, draft: NoteDraft) -> tuple[Party, Party]:
    """The RM and customer, or a NoteError giving every reason the note cannot be recorded."""
    reasons: list[str] = []
    rm = customer = None
    try:
        rm = lookup.rm(draft.rm)
    except NoteError as exc:
        reasons.append(str(exc))
    try:
        customer = lookup.customer(draft.customer, rm)
    except NoteError as exc:
        reasons.append(str(exc))
    if rm is None or customer is None:
        raise NoteError("; ".join(reasons))
    if not lookup.covers(rm, customer):
        # Named as given, never by the book's name for it: an RM must not learn who a
        # customer outside their book is by trying refs.
        raise NoteError(f"RM {rm.ref} does not cover the customer given as {draft.customer!r}")
    return rm, customer


def _row(draft: NoteDraft, ref: str, rm: Party, customer: Party, raw_item_id: int | None) -> dict[str, Any]:
    return {"note_ref": ref, "rm_id": rm.id, "customer_id": customer.id, "noted_on": draft.noted_on,
            "text": draft.text, "tags": list(draft.tags), "confidential": draft.confidential,
            "source": draft.source[:MAX_SOURCE], "raw_item_id": raw_item_id, "extra": dict(draft.extra)}


def _stored(conn: Connection, refs: Sequence[str]) -> dict[str, dict[str, Any]]:
    table = FieldNote.__table__
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(refs))):
        query = select(table.c.note_ref, table.c.rm_id, table.c.customer_id,
                       *(table.c[name] for name in (*_COMPARED, *_PROVENANCE))
                       ).where(table.c.note_ref.in_(list(chunk)))
        for row in conn.execute(query).mappings():
            found[row["note_ref"]] = {**row, "tags": list(row["tags"] or []), "extra": dict(row["extra"] or {})}
    return found
