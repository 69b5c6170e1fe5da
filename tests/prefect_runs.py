"""Task runs as Prefect's API records them, and the heartbeats flow runs send, for flow tests.

Task runs reach the API as events, which the server records a moment after the flow run
returns (a flow that ends at once can be read before its last task run is). Read them after
the client has sent every event and the server's record has settled: two reads a moment
apart that agree, every run in a final state. A wait for the record, not a timed check."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

_PAUSE = 0.2
_WAIT = 30.0


def recorded_task_runs(flow_run_id: Any) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all()
    deadline = time.monotonic() + _WAIT
    last: list[tuple[str, str]] | None = None
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            seen = sorted((str(run.id), str(run.state_type)) for run in runs)
            settled = all(run.state is not None and run.state.is_final() for run in runs)
            if (seen == last and settled) or time.monotonic() > deadline:
                return runs
            last = seen
            time.sleep(_PAUSE)


def heartbeats_sent(monkeypatch: Any, by: Callable[[Any], str]) -> list[str]:
    """A list that fills, as flow runs send heartbeats, with ``by(engine)`` of each sender; each
    heartbeat still goes out as Prefect's own event."""
    from prefect.flow_engine import FlowRunEngine

    sent: list[str] = []
    emit = FlowRunEngine._emit_flow_run_heartbeat

    def counted(engine: Any, *args: Any, **kwargs: Any) -> None:
        sent.append(by(engine))
        emit(engine, *args, **kwargs)

    monkeypatch.setattr(FlowRunEngine, "_emit_flow_run_heartbeat", counted)
    return sent
