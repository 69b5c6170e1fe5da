"""``mi serve``: run the deployments of prefect.yaml from this process, on their schedules.

For a single machine without a work pool: the same entrypoints, parameters and schedules
as ``prefect deploy --all`` registers, served by ``prefect.serve``. Every schedule of a
deployment is honoured (``cron``, ``interval``, ``rrule``, ``active: false``,
``parameters``, ``slug``); a key this module cannot honour is reported, never dropped
silently. A schedule's time zone is the bank's (``MI_TIME_ZONE``) unless it names one.
"""
from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mi.settings import PROJECT_ROOT

#: Schedule keys ``mi serve`` honours; any other key is reported as ignored.
SCHEDULE_KEYS = frozenset({"cron", "interval", "anchor_date", "rrule", "timezone", "day_or", "active",
                           "parameters", "slug"})
_TEMPLATE = re.compile(r"^\{\{\s*\$(\w+)\s*\}\}$")


@dataclass(frozen=True)
class ServedSchedule:
    cron: str | None = None
    interval: float | None = None  # seconds
    rrule: str | None = None
    timezone: str | None = None
    anchor_date: dt.datetime | None = None
    day_or: bool = True
    active: bool = True
    parameters: Mapping[str, Any] = field(default_factory=dict)
    slug: str | None = None

    def describe(self) -> str:
        what = (f"cron {self.cron}" if self.cron else f"every {self.interval:g} s" if self.interval is not None
                else f"rrule {self.rrule}")
        return f"{what} {self.timezone or 'UTC'}" + ("" if self.active else " (inactive)")


@dataclass(frozen=True)
class ServedDeployment:
    name: str
    entrypoint: str
    parameters: dict[str, Any]
    description: str
    schedules: tuple[ServedSchedule, ...] = ()
    work_pool: str | None = None
    #: What could not be honoured (a schedule key, a schedule with no kind), one line each.
    warnings: tuple[str, ...] = ()

    @property
    def cron(self) -> str | None:  # the first cron schedule, for readers of the earlier single-schedule form
        return next((s.cron for s in self.schedules if s.cron), None)


def _resolve(value: Any, environ: Mapping[str, str]) -> Any:
    """A ``{{ $NAME }}`` value as ``prefect deploy`` reads it: from the environment."""
    if isinstance(value, str):
        match = _TEMPLATE.match(value.strip())
        if match:
            return environ.get(match[1]) or None
    return value


def read_schedule(entry: Mapping[str, Any], time_zone: str,
                  environ: Mapping[str, str]) -> tuple[ServedSchedule | None, list[str]]:
    """One schedule entry of prefect.yaml, and what in it cannot be honoured."""
    warnings = [f"schedule key {key!r} is not honoured by mi serve" for key in sorted(set(entry) - SCHEDULE_KEYS)]
    kinds = [key for key in ("cron", "interval", "rrule") if entry.get(key) is not None]
    if len(kinds) != 1:
        warnings.append(f"a schedule needs exactly one of cron, interval, rrule (found {kinds or 'none'}): skipped")
        return None, warnings
    anchor = entry.get("anchor_date")
    if isinstance(anchor, str):
        anchor = dt.datetime.fromisoformat(anchor)
    interval = entry.get("interval")
    if isinstance(interval, dt.timedelta):
        interval = interval.total_seconds()
    return ServedSchedule(
        cron=entry.get("cron"), interval=float(interval) if interval is not None else None, rrule=entry.get("rrule"),
        timezone=_resolve(entry.get("timezone"), environ) or time_zone, anchor_date=anchor,
        day_or=bool(entry.get("day_or", True)), active=bool(entry.get("active", True)),
        parameters=dict(entry.get("parameters") or {}), slug=entry.get("slug")), warnings


def read_deployments(path: Path | None = None, time_zone: str | None = None,
                     environ: Mapping[str, str] | None = None) -> list[ServedDeployment]:
    """prefect.yaml's deployments; a schedule without a time zone follows ``time_zone`` (the
    bank's, ``MI_TIME_ZONE``)."""
    import os

    from mi.settings import BriefSettings

    environ = os.environ if environ is None else environ
    time_zone = time_zone or BriefSettings.from_env(environ).time_zone
    spec = yaml.safe_load((path or PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    served = []
    for entry in spec.get("deployments", []):
        schedules, warnings = [], []
        for raw in entry.get("schedules") or []:
            schedule, problems = read_schedule(raw, time_zone, environ)
            warnings += problems
            if schedule is not None:
                schedules.append(schedule)
        served.append(ServedDeployment(
            name=entry["name"], entrypoint=entry["entrypoint"], parameters=entry.get("parameters") or {},
            description=entry.get("description", ""), schedules=tuple(schedules),
            work_pool=(entry.get("work_pool") or {}).get("name"), warnings=tuple(warnings)))
    return served


def load_flow(entrypoint: str) -> Any:
    """The flow an entrypoint such as ``flows/daily.py:daily`` names, imported as ``mi.flows.daily``.

    Every folder at the repository root is a subpackage of ``mi`` (see pyproject.toml), so
    the module is imported under its package name, never as a loose file: the served flow
    is the same object the CLI and the tests run."""
    path, _, name = entrypoint.partition(":")
    module = importlib.import_module("mi." + Path(path).with_suffix("").as_posix().replace("/", "."))
    return getattr(module, name)


def prefect_schedule(item: ServedSchedule) -> Any:
    """The ``prefect.schedules`` object for one schedule."""
    from prefect.schedules import Cron, Interval, RRule

    common: dict[str, Any] = {"timezone": item.timezone, "active": item.active,
                              "parameters": dict(item.parameters), "slug": item.slug}
    if item.cron:
        return Cron(item.cron, day_or=item.day_or, **common)
    if item.interval is not None:
        return Interval(dt.timedelta(seconds=item.interval), anchor_date=item.anchor_date, **common)
    return RRule(item.rrule, **common)


def to_deployments(served: list[ServedDeployment]) -> list[Any]:
    """Runner deployments of ``served``. Their entrypoints are module paths
    (``mi.flows.daily.daily``): a deployment ``prefect deploy`` registered before under the
    same name keeps no storage path, and a file entrypoint would send its runs looking for
    flow code "in storage at None"; the installed package is found wherever this runs."""
    from prefect.deployments.runner import EntrypointType

    deployments = []
    for item in served:
        flow = load_flow(item.entrypoint)
        options: dict[str, Any] = {"name": item.name, "parameters": item.parameters,
                                   "description": item.description, "entrypoint_type": EntrypointType.MODULE_PATH}
        if item.schedules:
            options["schedules"] = [prefect_schedule(s) for s in item.schedules]
        deployments.append(flow.to_deployment(**options))
    return deployments


def serve_all(served: list[ServedDeployment] | None = None) -> None:
    from prefect import serve

    serve(*to_deployments(served if served is not None else read_deployments()))
