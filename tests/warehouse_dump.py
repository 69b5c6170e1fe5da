"""The warehouse's content as comparable data: every table, rows without their run's traces.

Two warehouses that went through different histories (a run killed and resumed, a run
that went straight through) hold the same content when their dumps are equal. What may
differ is left out: surrogate ids (a sequence also advances for a rolled-back insert),
the times a run did something (fetched, parsed, analysed, first and last seen; only
whether they are set is kept) and run counters on channels. Foreign keys are replaced by
the natural key of the row they point to, so ``observations.series_id`` compares as the
series key and ``raw_item_id`` as (channel name, URL, content hash).
"""
from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Engine, Table, select

from mi.warehouse.base import Base

#: Columns that record when a run did something, not what the warehouse knows.
RUN_TIMES = {"fetched_at", "parsed_at", "created_at", "updated_at", "analysed_at", "linked_at", "pulsed_at",
             "last_run_at", "last_success_at", "last_error_at", "first_seen", "last_seen", "withdrawn_at"}
#: Channel health adds up every run's work and trouble, an interrupted run's included.
RUN_COUNTERS = {"items_fetched", "items_new", "items_quarantined", "consecutive_failures", "last_error",
                "last_error_at", "last_run_at", "last_success_at"}


def _natural_key(table: Table) -> list[str]:
    """The columns that identify a row: its first unique constraint, else its primary key."""
    for constraint in sorted(table.constraints, key=lambda c: c.name or ""):
        if constraint.__class__.__name__ == "UniqueConstraint":
            return [column.name for column in constraint.columns]
    return [column.name for column in table.primary_key.columns]


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    tables = Base.metadata.tables
    with engine.connect() as conn:
        rows = {name: [dict(r) for r in conn.execute(select(table)).mappings()] for name, table in tables.items()}
    by_id = {name: {row["id"]: row for row in table_rows} for name, table_rows in rows.items()
             if "id" in tables[name].c}
    members: dict[Any, list[Any]] = {}  # event id -> its documents' keys: an event is its documents

    def key_of(name: str, row: dict[str, Any]) -> Any:
        if name == "events":
            return tuple(sorted(members.get(row["id"], [])))
        return tuple(value_of(name, column, row[column]) for column in _natural_key(tables[name]))

    def value_of(name: str, column: str, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, (bytes, memoryview)):  # a payload: its bytes compare by their hash
            return f"<{len(value)} bytes, sha256 {hashlib.sha256(bytes(value)).hexdigest()[:16]}>"
        foreign = list(tables[name].c[column].foreign_keys)
        if foreign:
            target = foreign[0].column.table.name
            return (target, key_of(target, by_id[target][value]))
        return value

    for row in rows["document_analysis"]:
        if row["event_id"] is not None:
            members.setdefault(row["event_id"], []).append(key_of("documents", by_id["documents"][row["document_id"]]))
    result: dict[str, list[tuple[Any, ...]]] = {}
    for name, table in tables.items():
        skipped = {"id", "event_key"} | RUN_TIMES | (RUN_COUNTERS if name == "channels" else set())
        columns = [c.name for c in table.columns if c.name not in skipped]
        times = [c.name for c in table.columns if c.name in RUN_TIMES and c.name not in skipped - RUN_TIMES
                 and not (name == "channels" and c.name in RUN_COUNTERS)]
        result[name] = sorted(
            (tuple(repr(value_of(name, c, row[c])) for c in columns) + tuple(row[c] is not None for c in times)
             for row in rows[name]), key=repr)
    return result


def differences(expected: dict[str, list[tuple[Any, ...]]], actual: dict[str, list[tuple[Any, ...]]],
                limit: int = 3) -> list[str]:
    """Per table: how many rows each side lacks, with a few examples."""
    found = []
    for name in sorted(expected.keys() | actual.keys()):
        want, got = set(expected.get(name, [])), set(actual.get(name, []))
        if want != got:
            missing, extra = sorted(want - got, key=repr), sorted(got - want, key=repr)
            shown = [repr(row)[:300] for row in missing[:limit]], [repr(row)[:300] for row in extra[:limit]]
            found.append(f"{name}: {len(missing)} missing {shown[0]}, {len(extra)} extra {shown[1]}")
    return found
