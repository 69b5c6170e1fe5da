"""Flow runs keep their heartbeats and end without waiting on the heartbeat thread (``mi.heartbeats``).

How much sooner a run ends is a benchmark figure (``bench/bank_day.py``'s orchestration share),
not a timed test; here: the heartbeat is ours on the pinned Prefect, every flow run still sends
heartbeats through Prefect's own event, and no heartbeat thread outlives its run."""
from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.prefect_runs import heartbeats_sent

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _heartbeat_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "mi-flow-heartbeat" and t.is_alive()]


def test_importing_the_flows_puts_the_prompt_heartbeat_in_prefects_place() -> None:
    import mi.flows.daily  # noqa: F401  (any flow module)
    from mi import heartbeats

    # Fails after a Prefect upgrade whose flow engine lacks what the heartbeat relies on:
    # look at mi/heartbeats.py again before taking that upgrade.
    assert heartbeats._engine_has_what_we_use() is None
    assert heartbeats.installed()


def test_every_flow_run_sends_heartbeats_and_none_outlives_its_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import mi.flows  # noqa: F401  (installs the heartbeat)
    from prefect import flow

    sent = heartbeats_sent(monkeypatch, by=lambda engine: engine.flow_run.name)  # the real events go out too
    during: list[int] = []

    @flow(name="heartbeat-stage")
    def stage() -> int:
        during.append(len(_heartbeat_threads()))
        return 1

    @flow(name="heartbeat-day")
    def day() -> int:
        during.append(len(_heartbeat_threads()))
        return stage() + stage()

    before = len(_heartbeat_threads())
    assert day() == 2
    assert len(sent) == 3 and len(set(sent)) == 3  # the day and both stages, one heartbeat each at start
    assert [n - before for n in during] == [1, 2, 2]  # the day's thread, then the day's and one stage's
    assert len(_heartbeat_threads()) == before  # each joined when its run ended


def test_a_heartbeat_that_fails_to_send_does_not_fail_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import mi.flows  # noqa: F401
    from prefect import flow
    from prefect.flow_engine import FlowRunEngine

    def broken(engine: Any, *args: Any, **kwargs: Any) -> None:
        raise ConnectionError("events endpoint down")

    monkeypatch.setattr(FlowRunEngine, "_emit_flow_run_heartbeat", broken)

    @flow(name="heartbeat-broken")
    def work() -> str:
        return "done"

    assert work() == "done"


def test_a_deployments_entrypoint_gets_the_prompt_heartbeat_too() -> None:
    """A worker loads ``flows/daily.py:daily`` by path, as prefect.yaml names it, in a fresh process."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = ("from prefect.flows import load_flow_from_entrypoint\n"
            "load_flow_from_entrypoint('flows/daily.py:daily')\n"
            "from mi import heartbeats\n"
            "print(heartbeats.installed())\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True"
