"""prefect.yaml: every deployment points at a real flow and passes parameters it accepts."""
from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import yaml

from mi.settings import PROJECT_ROOT, SNAPSHOT_CHANNELS
from mi.sources.config import load_channels


def test_every_deployment_names_a_flow_and_valid_parameters() -> None:
    spec = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    channels = {c.name for c in load_channels(SNAPSHOT_CHANNELS)}
    assert spec["deployments"]
    for deployment in spec["deployments"]:
        path, _, name = deployment["entrypoint"].partition(":")
        module = importlib.import_module(Path(path).with_suffix("").as_posix().replace("/", "."))
        flow = getattr(module, name)
        accepted = set(inspect.signature(flow.fn).parameters)
        assert set(deployment.get("parameters") or {}) <= accepted, deployment["name"]
        assert deployment.get("schedules") or "ad hoc" in deployment["description"].lower(), deployment["name"]
        for channel in (deployment.get("parameters") or {}).get("channels") or []:
            assert channel in channels, f"{deployment['name']}: unknown channel {channel}"
