"""Flow-run heartbeats that stop as soon as the run ends.

Prefect sends a heartbeat event for every flow run from a thread of its own (the server marks
a run crashed when they stop arriving), and when the run ends it waits for that thread. In
Prefect 3.9 the thread sleeps in one-second steps between heartbeats, so every flow run's
end waits for the rest of the current second: 0.6 s a run on a bare parent flow with five
subflows (6.1 s against 2.3 s). ``daily`` had turned its stages' heartbeats off to avoid that
wait (so a stage whose process died looked alive) and still waited at its own end: most of
what ``bench/bank_day.py`` counted as orchestration beyond the flow runs' API calls.

``install()`` puts in Prefect's place a heartbeat that sends the same events at the same
interval from the same kind of thread and waits on an event instead, so the run's end wakes
it at once. It changes nothing else: ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY`` still sets the
interval, a run already in a final state still sends none. Where the pinned Prefect's flow
engine no longer has the parts this relies on (after an upgrade), ``install()`` leaves
Prefect's own heartbeat in place and says so in the log; ``tests/test_heartbeats.py`` fails
then, so the upgrade looks at it again.
"""
from __future__ import annotations

import contextlib
import contextvars
import inspect
import logging
import threading
from collections.abc import Iterator
from typing import Any

_log = logging.getLogger(__name__)
_JOIN_SECONDS = 2.0  # a heartbeat being sent when the run ends may finish first


@contextlib.contextmanager
def prompt_heartbeats(engine: Any, join_on_exit: bool = True) -> Iterator[None]:
    """Heartbeats for ``engine``'s flow run while the block runs; stopped at once when it ends."""
    seconds = engine.heartbeat_seconds
    if seconds is None:
        yield
        return
    resource, related = engine._build_heartbeat_event_template()
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            run = engine.flow_run
            if run is not None and run.state is not None and run.state.is_final():
                return
            try:
                engine._emit_flow_run_heartbeat(resource, related)
            except Exception:  # a heartbeat that fails to send must never fail the run
                engine.logger.debug("could not send a flow-run heartbeat", exc_info=True)
            stop.wait(seconds)

    # The thread runs in a copy of this context, so that it sees the run's Prefect settings
    # (its API URL) rather than the process's defaults.
    thread = threading.Thread(target=contextvars.copy_context().run, args=(beat,), daemon=True,
                              name="mi-flow-heartbeat")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        if join_on_exit:
            thread.join(timeout=_JOIN_SECONDS)


def _engine_has_what_we_use() -> str | None:
    """Why Prefect's flow engine cannot take our heartbeat, or None when it can."""
    from prefect import flow_engine

    own = getattr(flow_engine, "_send_heartbeats", None)
    if own is None:
        return "prefect.flow_engine has no _send_heartbeats"
    if list(inspect.signature(own).parameters) != ["engine", "join_on_exit"]:
        return f"prefect.flow_engine._send_heartbeats takes {inspect.signature(own)}"
    for name in ("_build_heartbeat_event_template", "_emit_flow_run_heartbeat", "heartbeat_seconds"):
        if not hasattr(flow_engine.FlowRunEngine, name):
            return f"prefect's FlowRunEngine has no {name}"
    return None


def install() -> bool:
    """Use ``prompt_heartbeats`` for every flow run of this process; True when it is in place."""
    if installed():
        return True
    why_not = _engine_has_what_we_use()
    if why_not:
        _log.warning("flow-run heartbeats left as Prefect sends them (%s): each flow run's end may wait "
                     "up to a second for its heartbeat thread", why_not)
        return False
    from prefect import flow_engine

    flow_engine._send_heartbeats = prompt_heartbeats
    return True


def installed() -> bool:
    from prefect import flow_engine

    return flow_engine._send_heartbeats is prompt_heartbeats
