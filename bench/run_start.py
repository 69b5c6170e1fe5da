"""Benchmark: seconds from `mi run gather` to its first task, without and with `mi server`.

Each measurement starts a fresh `mi run gather --param channels=<one local feed>` process
(what a market-information officer types) and times, from the moment the process is
launched, the first line Prefect logs for a task run, and the process's end. First with
no server (Prefect starts its temporary API inside the process), then with the persistent
local API of `mi server start` (started once before, not counted). A throwaway data dir
and a one-channel configuration keep the work itself small: the figures are the overhead.

Run: .venv/bin/python bench/run_start.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEED = ROOT / "tests" / "fixtures" / "feeds" / "rss-parser" / "input" / "guardian.rss"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_run(env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first task-run log line, seconds to the process's end)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mi.cli", "run", "gather", "--param", "channels=bench-feed"],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = None
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if first is None and "Task run '" in line:
            first = time.perf_counter() - started
    process.wait()
    total = time.perf_counter() - started
    if process.returncode != 0 or first is None:
        raise RuntimeError(f"mi run gather failed (exit {process.returncode}) or logged no task run:\n"
                           + "".join(lines[-20:]))
    return first, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mi-run-start-"))
    try:
        shutil.copy(FEED, work / "feed.rss")
        (work / "channels.yaml").write_text(f"channels:\n  - name: bench-feed\n    kind: feed\n"
                                            f"    url: {work / 'feed.rss'}\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MI_"))}
        env.update({"MI_DATA_DIR": str(work / "var"), "MI_CHANNELS": str(work / "channels.yaml"),
                    "MI_PREFECT_PORT": str(_free_port()), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                    # Prefect's default (20 s) is not always enough for the temporary API on a loaded machine.
                    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"})
        figures: dict[str, list[tuple[float, float]]] = {"no server (temporary API)": [], "mi server running": []}
        for _ in range(args.repeat):
            figures["no server (temporary API)"].append(one_run(env))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mi.cli", "server", "start"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        server_start = time.perf_counter() - started
        try:
            for _ in range(args.repeat):
                figures["mi server running"].append(one_run(env))
        finally:
            subprocess.run([sys.executable, "-m", "mi.cli", "server", "stop"], env=env, cwd=ROOT, check=False,
                           capture_output=True)
        print(f"{'':28} {'first task (s)':>15} {'whole run (s)':>14}   runs: {args.repeat}, median shown")
        for name, runs in figures.items():
            first, whole = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            print(f"{name:28} {first:15.1f} {whole:14.1f}   (first task: {', '.join(f'{r[0]:.1f}' for r in runs)})")
        print(f"`mi server start` itself took {server_start:.1f} s (once per machine, not per run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
