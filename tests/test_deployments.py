"""prefect.yaml: every deployment points at a real flow and passes parameters its typed
model accepts; `mi serve` builds the same deployments with every schedule of each, in the
bank's time zone, and says what it cannot honour."""
from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from mi.flows.parameters import PARAMETERS, ParameterError, validate
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
        validate(flow.name, deployment.parameters)  # raises ParameterError on a bad one
        for schedule in deployment.schedules:
            validate(flow.name, {**deployment.parameters, **schedule.parameters})
        assert deployment.schedules or "ad hoc" in deployment.description.lower(), deployment.name
        assert deployment.work_pool == "mi-default" and not deployment.warnings, deployment.name
        for channel in deployment.parameters.get("channels") or []:
            assert channel in channels, f"{deployment.name}: unknown channel {channel}"


def test_every_flow_of_prefect_yaml_has_a_parameter_model() -> None:
    flows = {load_flow(d.entrypoint).name for d in read_deployments()}
    assert flows <= set(PARAMETERS)


def test_a_deployment_with_a_bad_parameter_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="since"):
        validate("gather", {"channels": ["markets-wire"], "since": "yesterday"})
    with pytest.raises(ParameterError, match="unexpected|extra|permitted"):
        validate("refine", {"day": None, "days": 3})


def test_serve_builds_each_deployment_with_its_schedule_in_the_banks_time_zone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MI_TIME_ZONE", raising=False)
    served = {d.name: d for d in read_deployments()}
    built = {d.name: d for d in to_deployments(list(served.values()))}
    assert built.keys() == served.keys()
    daily = built["daily"]
    assert daily.flow_name == "daily"
    [schedule] = daily.schedules
    assert schedule.schedule.cron == "30 5 * * 1-5" and schedule.schedule.timezone == "Asia/Shanghai"
    assert built["gather-adhoc"].schedules in (None, [])
    monkeypatch.setenv("MI_TIME_ZONE", "Asia/Hong_Kong")
    [moved] = to_deployments([d for d in read_deployments() if d.name == "daily"])[0].schedules
    assert moved.schedule.timezone == "Asia/Hong_Kong"


SCHEDULES = """
deployments:
  - name: many
    entrypoint: flows/refine.py:refine
    parameters: {}
    schedules:
      - cron: "0 9 * * 1-5"
      - interval: 900
        anchor_date: "2026-11-30T09:00:00+08:00"
        timezone: Europe/London
      - rrule: "FREQ=WEEKLY;BYDAY=SA;BYHOUR=3"
        active: false
        parameters: {day: "2026-11-28"}
      - cron: "0 12 * * *"
        catchup: true
      - timezone: UTC
"""


def test_serve_honours_every_schedule_and_warns_about_what_it_cannot(tmp_path: Path) -> None:
    path = tmp_path / "prefect.yaml"
    path.write_text(SCHEDULES)
    [item] = read_deployments(path, environ={})
    assert [(s.cron, s.interval, s.rrule, s.active) for s in item.schedules] == [
        ("0 9 * * 1-5", None, None, True), (None, 900.0, None, True),
        (None, None, "FREQ=WEEKLY;BYDAY=SA;BYHOUR=3", False), ("0 12 * * *", None, None, True)]
    assert [s.timezone for s in item.schedules] == ["Asia/Shanghai", "Europe/London", "Asia/Shanghai", "Asia/Shanghai"]
    assert len(item.warnings) == 2
    assert "catchup" in item.warnings[0] and "exactly one of cron, interval, rrule" in item.warnings[1]
    [deployment] = to_deployments([item])
    kinds = [s.schedule for s in deployment.schedules]
    assert kinds[0].cron == "0 9 * * 1-5" and kinds[1].interval.total_seconds() == 900
    assert "FREQ=WEEKLY;BYDAY=SA;BYHOUR=3" in kinds[2].rrule and deployment.schedules[2].active is False
    assert deployment.schedules[2].parameters == {"day": "2026-11-28"}
