"""Writing reference rows keyed by the bank's own refs: insert new, update changed, skip same.

The book and product tables are snapshots the bank re-sends in full, so most rows of a run
are unchanged. Comparing with what is stored first keeps unchanged rows (and their
``updated_at``) untouched and lets the loader say how many rows were really new or
changed; the write itself is still an ON CONFLICT upsert, so a concurrent writer cannot
make it fail on the unique key.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select, tuple_

from mi.warehouse.base import utcnow
from mi.warehouse.loading import dialect_insert

_CHUNK = 500  # keys per IN (...) lookup; well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class Written:
    inserted: int = 0
    updated: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated

    def __add__(self, other: Written) -> Written:
        return Written(self.inserted + other.inserted, self.updated + other.updated)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def existing(conn: Connection, table: Table, key: Sequence[str], columns: Sequence[str],
             keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Stored values of ``columns`` for each key tuple that is already there."""
    key_columns = [table.c[name] for name in key]
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for chunk in _chunks(wanted):
        where = (key_columns[0].in_([k[0] for k in chunk]) if len(key) == 1
                 else tuple_(*key_columns).in_(list(chunk)))
        query = select(*key_columns, *(table.c[name] for name in columns)).where(where)
        for row in conn.execute(query).mappings():
            found[tuple(row[name] for name in key)] = {name: row[name] for name in columns}
    return found


def same(stored: Any, given: Any) -> bool:
    if isinstance(stored, float) and isinstance(given, (int, float)):
        return math.isclose(stored, given, rel_tol=1e-12, abs_tol=1e-12)
    return stored == given


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, key: Sequence[str],
           update: Sequence[str]) -> Written:
    """Insert rows whose key is new; overwrite ``update`` columns of rows that differ."""
    if not rows:
        return Written()
    stored = existing(conn, table, key, update, [tuple(row[name] for name in key) for row in rows])
    fresh, changed = [], []
    for row in rows:
        current = stored.get(tuple(row[name] for name in key))
        if current is None:
            fresh.append(row)
        elif any(not same(current[name], row[name]) for name in update):
            changed.append(row)
    to_write = fresh + changed
    if to_write:
        statement = dialect_insert(conn, table)
        set_ = {name: statement.excluded[name] for name in update}
        if "updated_at" in table.c:
            # ON CONFLICT DO UPDATE ignores Python-side onupdate defaults: set it here.
            set_["updated_at"] = utcnow()
        statement = (statement.on_conflict_do_update(index_elements=list(key), set_=set_) if set_
                     else statement.on_conflict_do_nothing(index_elements=list(key)))
        for chunk in _chunks(to_write):
            conn.execute(statement, list(chunk))
    return Written(len(fresh), len(changed))


def ids_by(conn: Connection, table: Table, column: str, values: Iterable[Any]) -> dict[Any, int]:
    """``{value: id}`` for the rows whose ``column`` holds one of ``values``."""
    wanted = list(dict.fromkeys(values))
    found: dict[Any, int] = {}
    for chunk in _chunks(wanted):
        query = select(table.c[column], table.c.id).where(table.c[column].in_(list(chunk)))
        found.update(dict(conn.execute(query).all()))
    return found
