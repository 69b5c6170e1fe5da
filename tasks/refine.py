"""Prefect tasks of the refine flow: each works on a batch (a range of documents, all series)."""
from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from mi.refining.documents import IdRange, analyse_documents, pending_document_ranges
from mi.refining.entities import build_linker, link_documents
from mi.refining.events import group_new_documents
from mi.refining.pulse import write_pulse
from mi.refining.series import SeriesOutcome, analyse_series
from mi.refining.summary import day_summary, document_days
from mi.runtime import current_runtime
from mi.warehouse.base import utcnow


@task(name="plan-document-batches", cache_policy=NO_CACHE)
def plan_document_batches(chunk: int = 5_000) -> list[IdRange]:
    return pending_document_ranges(current_runtime().engine, chunk)


@task(name="tag-documents", task_run_name="tag-{ids.first}-{ids.last}", cache_policy=NO_CACHE)
def tag_documents(ids: IdRange) -> int:
    return analyse_documents(current_runtime().engine, ids, utcnow())


@task(name="group-events", cache_policy=NO_CACHE)
def group_events() -> tuple[int, int]:
    return group_new_documents(current_runtime().engine)


@task(name="link-entities", cache_policy=NO_CACHE)
def link_entities(batches: list[IdRange]) -> int:
    engine = current_runtime().engine
    linker = build_linker(engine)
    if linker is None:
        return 0
    return sum(link_documents(engine, linker, ids) for ids in batches)


@task(name="analyse-series", cache_policy=NO_CACHE)
def analyse_all_series(as_of: dt.date) -> SeriesOutcome:
    return analyse_series(current_runtime().engine, as_of)


@task(name="industry-pulse", cache_policy=NO_CACHE)
def industry_pulse(days: set[dt.date]) -> tuple[int, int]:
    return write_pulse(current_runtime().engine, days)


@task(name="plan-pulse-days", cache_policy=NO_CACHE)
def plan_pulse_days(batches: list[IdRange], as_of: dt.date) -> set[dt.date]:
    """The days whose industry pulse the new documents change, and ``as_of`` itself."""
    return document_days(current_runtime().engine, batches) | {as_of}


@task(name="summarise-day", cache_policy=NO_CACHE)
def summarise_day(as_of: dt.date, stats: dict[str, int]) -> str:
    """The day in one markdown page (the refine flow's artifact)."""
    return day_summary(current_runtime().engine, as_of, stats)
