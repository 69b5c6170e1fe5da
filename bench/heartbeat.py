"""Benchmark: what a flow run's heartbeat costs at its end, Prefect's own against ``mi.heartbeats``.

A parent flow runs five subflows of one short task each (the shape of ``daily``: six flow
runs), three times each way, in one process against Prefect's temporary API (its start-up not
counted): with Prefect 3.9's heartbeat (a thread that sleeps in one-second steps and is
joined when the run ends), with ``mi.heartbeats`` (the same events; the thread waits on an
event and stops at once) and with no heartbeat at all (the floor). Prints the seconds of each
and the cost per flow run above the floor.

Run: .venv/bin/python bench/heartbeat.py [--task-seconds 0.3] [--repeat 3]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task-seconds", type=float, default=0.3, help="work in each subflow's task")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="mi-bench-heartbeat-"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

    from prefect import flow, task
    from prefect import flow_engine
    from prefect.testing.utilities import prefect_test_harness

    from mi import heartbeats

    prefects = flow_engine._send_heartbeats

    @contextlib.contextmanager
    def none(engine: Any, join_on_exit: bool = True) -> Iterator[None]:
        yield

    @task
    def work(i: int) -> int:
        time.sleep(args.task_seconds)
        return i

    @flow
    def stage(i: int) -> int:
        return work(i)

    @flow
    def day() -> int:
        return sum(stage(i) for i in range(5))

    theirs, ours, floor_label = "Prefect's heartbeat", "mi.heartbeats", "no heartbeat"
    ways = {theirs: prefects, ours: heartbeats.prompt_heartbeats, floor_label: none}
    figures: dict[str, float] = {}
    with prefect_test_harness(server_startup_timeout=120):
        day()  # warm-up: the API's first answers and the flows' registration, not counted
        for label, beat in ways.items():
            flow_engine._send_heartbeats = beat
            seconds = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                day()
                seconds.append(time.perf_counter() - started)
            figures[label] = statistics.median(seconds)
            print(f"{label:20} median {figures[label]:.2f} s  ({', '.join(f'{s:.2f}' for s in seconds)})", flush=True)
        flow_engine._send_heartbeats = prefects
    floor = figures[floor_label]
    print(f"\nsix flow runs, {5 * args.task_seconds:.1f} s of task work; above the floor, per flow run: "
          f"{theirs} {(figures[theirs] - floor) / 6:.2f} s, {ours} {(figures[ours] - floor) / 6:.2f} s")


if __name__ == "__main__":
    main()
