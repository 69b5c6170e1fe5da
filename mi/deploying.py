"""``mi deploy``: register prefect.yaml's deployments with the Prefect API, pools first.

``prefect deploy --all`` on a fresh server fails because the work pool the deployments
name does not exist; this creates every pool prefect.yaml names (a ``process`` pool, which
runs flow runs as processes on the worker's machine), then runs ``prefect deploy --all``
itself with ``MI_PROJECT_DIR`` and ``MI_TIME_ZONE`` set, so both ways register the same.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from mi.settings import PROJECT_ROOT

POOL_TYPE = "process"


@dataclass(frozen=True)
class DeployOutcome:
    pools_created: tuple[str, ...]
    pools_found: tuple[str, ...]
    deployments: tuple[str, ...]


def pool_names(path: Path | None = None) -> list[str]:
    """The work pools prefect.yaml's deployments name, in order of first use."""
    spec = yaml.safe_load((path or PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    names: list[str] = []
    for entry in spec.get("deployments", []):
        name = (entry.get("work_pool") or {}).get("name")
        if name and name not in names:
            names.append(name)
    return names


async def _ensure_pools(names: list[str]) -> tuple[list[str], list[str]]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    created, found = [], []
    async with get_client() as client:
        for name in names:
            try:
                await client.read_work_pool(name)
                found.append(name)
                continue
            except ObjectNotFound:
                pass
            try:
                await client.create_work_pool(WorkPoolCreate(name=name, type=POOL_TYPE))
                created.append(name)
            except ObjectAlreadyExists:  # another process made it meanwhile
                found.append(name)
    return created, found


def ensure_work_pools(names: list[str]) -> tuple[list[str], list[str]]:
    """Create the pools that are missing: (created, already there)."""
    return asyncio.run(_ensure_pools(names))


def deploy_environment(environ: Mapping[str, str], api_url: str, time_zone: str) -> dict[str, str]:
    return {**environ, "PREFECT_API_URL": api_url, "MI_PROJECT_DIR": str(PROJECT_ROOT), "MI_TIME_ZONE": time_zone,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def register_deployments(environ: Mapping[str, str], api_url: str, time_zone: str,
                         timeout: float = 600.0) -> subprocess.CompletedProcess[str]:
    """``prefect --no-prompt deploy --all`` from the project folder, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "prefect", "--no-prompt", "deploy", "--all"], cwd=PROJECT_ROOT,
                          env=deploy_environment(environ, api_url, time_zone), capture_output=True, text=True,
                          timeout=timeout, check=False)


async def _deployment_names() -> list[str]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        found = await client.read_deployments()
        flows = {f.id: f.name for f in await client.read_flows()}
    return sorted(f"{flows.get(d.flow_id, '?')}/{d.name}" for d in found)


def registered_deployments() -> list[str]:
    """``flow/deployment`` names the API knows."""
    return asyncio.run(_deployment_names())
