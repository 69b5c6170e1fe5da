"""A morning run (gather every snapshot channel, then refine) in a process of its own, that
can kill itself with SIGKILL at its Nth database commit, or (MI_CRASH_MODE=drop, PostgreSQL)
have the server drop its connection there instead.

Run by tests/test_crash_recovery.py as ``python -m tests.crash_run [N]`` with the warehouse
in MI_DATABASE_URL / MI_DATA_DIR. It calls the same plain functions as the ``daily`` flow's
tasks, one channel after another, so a kill point is reproducible: commit N is the same
transaction in every run. The kill comes from the operating system (SIGKILL, as ``kill -9``):
no handler, no cleanup, no flush. The last line printed is the number of commits made.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import sys

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from mi.gathering import gather_channel
from mi.refining.documents import analyse_documents, pending_document_ranges
from mi.refining.entities import build_linker, link_pending
from mi.refining.events import group_new_documents
from mi.refining.pulse import write_pending_pulse
from mi.refining.series import analyse_series
from mi.runtime import Runtime
from mi.settings import Settings
from mi.warehouse.base import utcnow
from mi.warehouse.loading import sync_channels

#: The day every run refines, so that runs on either side of midnight agree.
AS_OF = dt.date(2026, 11, 27)


def main(kill_at: int | None) -> int:
    runtime = Runtime(Settings.from_env())
    engine = runtime.engine  # migrated here, before any commit is counted
    commits = 0

    drop = os.environ.get("MI_CRASH_MODE") == "drop"

    @event.listens_for(Engine, "commit")
    def count(conn: Connection) -> None:
        nonlocal commits
        commits += 1
        if commits != kill_at:
            return
        if not drop:  # in the middle of transaction N: it never reaches the database
            os.kill(os.getpid(), signal.SIGKILL)
        # The server ends this session, as a restart or a network cut would: the commit fails.
        pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
        with create_engine(runtime.settings.database_url, poolclass=NullPool).connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    with engine.begin() as conn:
        sync_channels(conn, runtime.channels)
    # The largest histories make every run slow and add no other kind of kill point.
    skipped = set(filter(None, os.environ.get("MI_CRASH_SKIP", "").split(",")))
    failed: set[str] = set()
    for config in [c for c in runtime.select(None) if c.name not in skipped]:
        # As the gather flow does: a channel whose `after:` channels failed is not run (its
        # rows refer to theirs and would be refused against a half-loaded book).
        if failed.intersection(config.after):
            failed.add(config.name)
            print(f"{config.name}: not run, {', '.join(sorted(failed & set(config.after)))} failed first",
                  file=sys.stderr)
            continue
        result = gather_channel(engine, config, runtime.transport, limits=runtime.settings.limits)
        if result.error:
            failed.add(config.name)
            print(f"{result.channel}: {result.error}", file=sys.stderr)
    for ids in pending_document_ranges(engine):
        analyse_documents(engine, ids, utcnow())
    group_new_documents(engine)
    linker = build_linker(engine)
    if linker is not None:
        link_pending(engine, linker)
    analyse_series(engine, AS_OF)
    write_pending_pulse(engine, AS_OF)
    print(commits)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else None))
