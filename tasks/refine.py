"""Prefect tasks of the refine flow: each works on a batch (a range of documents, all series)."""
from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.refining.documents import IdRange, analyse_documents, reopen_documents
from mi.refining.entities import build_linker, link_pending
from mi.refining.events import group_new_documents
from mi.refining.plan import RefinePlan, plan_refine
from mi.refining.pulse import write_pending_pulse
from mi.refining.series import SeriesOutcome, analyse_series
from mi.refining.summary import day_summary
from mi.runtime import current_runtime
from mi.warehouse.base import utcnow

#: A refine batch that runs longer than this is ended (and the flow fails) rather than holding the day up.
TASK_TIMEOUT = 3600.0


@task(name="reopen-documents", cache_policy=NO_CACHE, timeout_seconds=TASK_TIMEOUT)
def reopen_range(first: dt.date, last: dt.date) -> int:
    """An ad-hoc re-run over a date range: what arrived then is tagged again (see ``reopen_documents``)."""
    return reopen_documents(current_runtime().engine, first, last)


@task(name="plan-refine", cache_policy=NO_CACHE, timeout_seconds=TASK_TIMEOUT)
def plan_day(as_of: dt.date) -> RefinePlan:
    """Which refine steps have work for ``as_of`` (none: the run ends here), and the documents
    to tag in batches."""
    return plan_refine(current_runtime().engine, as_of)


@task(name="tag-documents", task_run_name="tag-{ids.first}-{ids.last}", cache_policy=NO_CACHE,
      timeout_seconds=TASK_TIMEOUT)
def tag_documents(ids: IdRange) -> int:
    return analyse_documents(current_runtime().engine, ids, utcnow())


@task(name="group-events", cache_policy=NO_CACHE, timeout_seconds=TASK_TIMEOUT)
def group_events() -> tuple[int, int]:
    return group_new_documents(current_runtime().engine)


@task(name="link-entities", cache_policy=NO_CACHE, timeout_seconds=TASK_TIMEOUT)
def link_entities() -> int:
    """Link every document not linked yet (an interrupted run's included) to the book's companies."""
    engine = current_runtime().engine
    linker = build_linker(engine)
    if linker is None:  # no book yet: the documents stay pending until there is one
        return 0
    return link_pending(engine, linker)


@task(name="analyse-series", cache_policy=NO_CACHE, timeout_seconds=TASK_TIMEOUT)
def analyse_all_series(as_of: dt.date) -> SeriesOutcome:
    """Every series with new or changed points; the others' stored results are reused."""
    return analyse_series(current_runtime().engine, as_of)


@task(name="industry-pulse", cache_policy=NO_CACHE, timeout_seconds=TASK_TIMEOUT)
def industry_pulse(as_of: dt.date) -> tuple[int, int]:
    """The pulse of ``as_of`` and of every day the documents not in a pulse yet speak of."""
    return write_pending_pulse(current_runtime().engine, as_of)


@task(name="summarise-day", cache_policy=NO_CACHE, timeout_seconds=TASK_TIMEOUT)
def summarise_day(as_of: dt.date, stats: dict[str, int]) -> str:
    """The day in one markdown page (the refine flow's artifact)."""
    return day_summary(current_runtime().engine, as_of, stats)
