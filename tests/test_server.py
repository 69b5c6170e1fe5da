"""One way to stand the system up: `mi server start|status|stop` runs a persistent local
Prefect API; `mi deploy` on that fresh server creates the work pool and the deployments of
prefect.yaml, and a `prefect worker` executes one; `mi run` uses the server when it is up,
so the run's history outlives the process. Real processes on loopback, nothing mocked."""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES

pytestmark = pytest.mark.flow

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mi(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mi.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    base = tmp_path_factory.mktemp("server")
    feed = base / "feed.rss"
    feed.write_bytes((FIXTURES / "feeds" / "rss-parser" / "input" / "guardian.rss").read_bytes())
    (base / "channels.yaml").write_text(yaml.safe_dump({"channels": [
        {"name": "local-feed", "kind": "feed", "url": str(feed)}]}))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PREFECT_", "MI_"))}
    env.update({"MI_DATA_DIR": str(base / "var"), "MI_PREFECT_PORT": str(_free_port()),
                "MI_CHANNELS": str(base / "channels.yaml"), "MI_PREFECT_START_TIMEOUT": "240",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    started = mi(env, "server", "start")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield env
    finally:
        mi(env, "server", "stop", timeout=120)


def _api(env: dict[str, str]) -> str:
    return f"http://127.0.0.1:{env['MI_PREFECT_PORT']}/api"


def _read(env: dict[str, str], what: Any) -> Any:
    """``what(client)`` against the test's server, whatever harness this session runs."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def go() -> Any:
        async with get_client() as client:
            return await what(client)

    with temporary_settings(updates={PREFECT_API_URL: _api(env)}):
        return asyncio.run(go())


def test_server_status_shows_it_up_and_a_second_start_keeps_it(server_env: dict[str, str]) -> None:
    status = mi(server_env, "server", "status", "--format", "json")
    assert status.returncode == 0 and '"server": "up"' in status.stdout
    pid = yaml.safe_load(status.stdout)[0]["pid"]
    again = mi(server_env, "server", "start", "--format", "json")
    assert again.returncode == 0 and yaml.safe_load(again.stdout)[0]["pid"] == pid
    assert (Path(server_env["MI_DATA_DIR"]) / "prefect" / "prefect.db").exists()  # SQLite, under the data dir


def test_mi_run_uses_the_running_server_and_its_history_stays(server_env: dict[str, str]) -> None:
    ran = mi(server_env, "run", "gather", "--param", "channels=local-feed")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"Prefect API: {_api(server_env)}" in ran.stderr

    async def runs(client: Any) -> tuple[list[Any], list[Any]]:
        return await client.read_flow_runs(), await client.read_task_runs()

    flow_runs, task_runs = _read(server_env, runs)
    assert [r.state_type.value for r in flow_runs if r.name and r.state_name] == ["COMPLETED"]
    names = {r.name for r in task_runs}
    assert "gather-local-feed" in names and any(name.startswith("sync-channels") for name in names)


def test_mi_deploy_creates_the_pool_and_deployments_and_a_worker_runs_one(server_env: dict[str, str]) -> None:
    from prefect.exceptions import PrefectHTTPStatusError

    deployed = mi(server_env, "deploy", timeout=600)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "work pool mi-default created" in deployed.stdout
    expected = {entry["name"] for entry in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]}

    async def registered(client: Any) -> tuple[Any, dict[str, Any]]:
        pool = await client.read_work_pool("mi-default")
        return pool, {d.name: d for d in await client.read_deployments()}

    pool, deployments = _read(server_env, registered)
    assert pool.type == "process" and set(deployments) == expected
    daily = deployments["daily"]
    assert daily.work_pool_name == "mi-default"
    assert [s.schedule.timezone for s in daily.schedules] == ["Asia/Shanghai"]

    async def create_run(client: Any) -> Any:
        return await client.create_flow_run_from_deployment(deployments["gather-adhoc"].id,
                                                            parameters={"channels": ["local-feed"]})

    flow_run = _read(server_env, create_run)

    async def bad_run(client: Any) -> Any:
        return await client.create_flow_run_from_deployment(deployments["gather-adhoc"].id,
                                                            parameters={"channels": []})

    with pytest.raises(PrefectHTTPStatusError):  # refused by the server: nothing is scheduled
        _read(server_env, bad_run)

    worker_env = {**server_env, "PREFECT_API_URL": _api(server_env), "MI_PROJECT_DIR": str(ROOT)}
    worker = subprocess.run([sys.executable, "-m", "prefect", "worker", "start", "--pool", "mi-default",
                             "--run-once"], env=worker_env, cwd=ROOT, capture_output=True, text=True, timeout=600,
                            check=False)
    assert worker.returncode == 0, worker.stdout[-3000:] + worker.stderr[-3000:]

    async def state_of(client: Any) -> Any:
        return (await client.read_flow_run(flow_run.id)).state

    state = _read(server_env, state_of)
    assert state.is_completed(), (state, worker.stdout[-3000:] + worker.stderr[-3000:])


def test_mi_serve_runs_deployments_that_prefect_deploy_registered_before(server_env: dict[str, str]) -> None:
    """Regression: runs of a deployment `prefect deploy` had registered crashed under
    `mi serve` ("Downloading flow code from storage at None ... FileNotFoundError")."""
    import signal
    import time

    deployed = mi(server_env, "deploy", timeout=600)  # (again: registered by prefect deploy --all)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    serve = subprocess.Popen([sys.executable, "-m", "mi.cli", "serve"], env=server_env, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        async def create_run(client: Any) -> Any:
            for _ in range(240):  # until serve has taken the deployment over (module-path entrypoint)
                deployment = next(d for d in await client.read_deployments() if d.name == "gather-adhoc")
                if deployment.entrypoint == "mi.flows.gather.gather":
                    break
                await asyncio.sleep(1)
            return await client.create_flow_run_from_deployment(deployment.id,
                                                                parameters={"channels": ["local-feed"]})

        flow_run = _read(server_env, create_run)

        async def state_of(client: Any) -> Any:
            return (await client.read_flow_run(flow_run.id)).state

        deadline = time.monotonic() + 300
        state = _read(server_env, state_of)
        while not state.is_final() and time.monotonic() < deadline:
            time.sleep(2)
            state = _read(server_env, state_of)
        assert state.is_completed(), state
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            output, _ = serve.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            output, _ = serve.communicate()
    assert "FileNotFoundError" not in output and "storage at None" not in output
    assert "serving daily: flows/daily.py:daily (cron 30 5 * * 1-5 Asia/Shanghai)" in output


def test_server_stop_ends_it(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PREFECT_", "MI_"))}
    env.update({"MI_DATA_DIR": str(tmp_path / "var"), "MI_PREFECT_PORT": str(_free_port()),
                "MI_PREFECT_START_TIMEOUT": "240"})
    assert mi(env, "server", "status").returncode == 1
    assert mi(env, "server", "start").returncode == 0
    pid = yaml.safe_load(mi(env, "server", "status", "--format", "json").stdout)[0]["pid"]
    stopped = mi(env, "server", "stop", "--format", "json")
    assert stopped.returncode == 0 and '"server": "down"' in stopped.stdout
    assert not Path(f"/proc/{pid}").exists() or b"prefect" not in Path(f"/proc/{pid}/cmdline").read_bytes()
