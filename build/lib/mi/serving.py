"""``mi serve``: run the deployments of prefect.yaml from this process, on their schedules.

For a single machine without a work pool: the same entrypoints, parameters and cron
schedules as ``prefect deploy --all`` would register, served by ``prefect.serve``.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mi.settings import PROJECT_ROOT


@dataclass(frozen=True)
class ServedDeployment:
    name: str
    entrypoint: str
    parameters: dict[str, Any]
    cron: str | None
    timezone: str | None
    description: str


def read_deployments(path: Path = PROJECT_ROOT / "prefect.yaml") -> list[ServedDeployment]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    served = []
    for entry in spec.get("deployments", []):
        schedule = (entry.get("schedules") or [{}])[0]
        served.append(ServedDeployment(
            name=entry["name"], entrypoint=entry["entrypoint"], parameters=entry.get("parameters") or {},
            cron=schedule.get("cron"), timezone=schedule.get("timezone"),
            description=entry.get("description", "")))
    return served


def load_flow(entrypoint: str) -> Any:
    """The flow an entrypoint such as ``flows/daily.py:daily`` names, imported as ``mi.flows.daily``.

    Every folder at the repository root is a subpackage of ``mi`` (see pyproject.toml), so
    the module is imported under its package name, never as a loose file: the served flow
    is the same object the CLI and the tests run."""
    path, _, name = entrypoint.partition(":")
    module = importlib.import_module("mi." + Path(path).with_suffix("").as_posix().replace("/", "."))
    return getattr(module, name)


def to_deployments(served: list[ServedDeployment]) -> list[Any]:
    deployments = []
    for item in served:
        flow = load_flow(item.entrypoint)
        options: dict[str, Any] = {"name": item.name, "parameters": item.parameters,
                                   "description": item.description}
        if item.cron:
            from prefect.schedules import Cron

            options["schedule"] = Cron(item.cron, timezone=item.timezone or "UTC")
        deployments.append(flow.to_deployment(**options))
    return deployments


def serve_all() -> None:
    from prefect import serve

    serve(*to_deployments(read_deployments()))
