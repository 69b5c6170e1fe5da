"""prefect.yaml: every deployment points at a real flow and passes parameters it accepts;
`mi serve` builds the same deployments with their schedules."""
from __future__ import annotations

import inspect

from mi.serving import load_flow, read_deployments, to_deployments
from mi.settings import SNAPSHOT_CHANNELS
from mi.sources.config import load_channels


def test_every_deployment_names_a_flow_and_valid_parameters() -> None:
    served = read_deployments()
    channels = {c.name for c in load_channels(SNAPSHOT_CHANNELS)}
    assert {d.name for d in served} >= {"daily", "gather-adhoc", "refine-adhoc"}
    for deployment in served:
        flow = load_flow(deployment.entrypoint)
        assert set(deployment.parameters) <= set(inspect.signature(flow.fn).parameters), deployment.name
        assert deployment.cron or "ad hoc" in deployment.description.lower(), deployment.name
        for channel in deployment.parameters.get("channels") or []:
            assert channel in channels, f"{deployment.name}: unknown channel {channel}"


def test_serve_builds_each_deployment_with_its_cron_schedule() -> None:
    served = {d.name: d for d in read_deployments()}
    built = {d.name: d for d in to_deployments(list(served.values()))}
    assert built.keys() == served.keys()
    daily = built["daily"]
    assert daily.flow_name == "daily"
    [schedule] = daily.schedules
    assert schedule.schedule.cron == "30 5 * * 1-5" and schedule.schedule.timezone == "Europe/Berlin"
    assert built["gather-adhoc"].schedules in (None, [])
