"""After a kill -9 at any point, one rerun gives the same warehouse as an uninterrupted run.

Real processes: ``tests/crash_run.py`` gathers every channel of the bundled snapshot and
refines the day, and SIGKILLs itself in the middle of its Nth transaction; the test then
reruns it once and compares the whole warehouse (``tests/warehouse_dump.py``) with a run
that was never interrupted. Kill points are spread over the run (landing, loading the ECB
history, the book, notes, refine's tagging, linking and pulse), on SQLite and PostgreSQL.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from mi.warehouse.engine import create_warehouse_engine
from mi.warehouse.models import Channel, ParseStatus, RawItem
from tests.conftest import POSTGRES_URL
from tests.warehouse_dump import differences, dump

ROOT = Path(__file__).resolve().parents[1]
#: Where in the run (as a share of its commits) each kill lands.
KILL_POINTS = (0.05, 0.25, 0.45, 0.65, 0.85, 0.97)


class Warehouse:
    """A fresh warehouse and the environment that points a process at it."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.schema = None
        if backend == "postgres":
            self.schema = f"crash_{uuid.uuid4().hex[:10]}"
            with create_warehouse_engine(POSTGRES_URL).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            url = f"{POSTGRES_URL}?options=-csearch_path%3D{self.schema}"
        else:
            url = f"sqlite:///{folder / 'warehouse.sqlite'}"
        self.url = url
        self.env = {**os.environ, "MI_DATABASE_URL": url, "MI_DATA_DIR": str(folder),
                    "PYTHONPATH": str(ROOT), "MI_CHANNELS": str(ROOT / "config" / "channels.snapshot.yaml"),
                    "MI_CRASH_SKIP": "ecb-eurofxref-history,shiller-sp500-monthly"}
        self.engine: Engine | None = None

    def run(self, kill_at: int | None = None, mode: str = "kill") -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "tests.crash_run", *([str(kill_at)] if kill_at else [])]
        return subprocess.run(command, cwd=ROOT, env={**self.env, "MI_CRASH_MODE": mode}, capture_output=True,
                              text=True, timeout=600)

    def open(self) -> Engine:
        self.engine = self.engine or create_warehouse_engine(self.url)
        return self.engine

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
        if self.schema:
            with create_warehouse_engine(POSTGRES_URL).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _needs(backend: str) -> None:
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip("MI_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server "
                    "(`.ci/run` sets it to the machine's 127.0.0.1:5432/test)")


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[dict, int]]]:
    """Per backend, the uninterrupted run's warehouse and how many commits it made (lazily)."""
    made: dict[str, tuple[dict, int]] = {}
    opened: list[Warehouse] = []

    class Lazy(dict):  # type: ignore[type-arg]
        def __missing__(self, backend: str) -> tuple[dict, int]:
            warehouse = Warehouse(backend, tmp_path_factory.mktemp(f"reference-{backend}"))
            opened.append(warehouse)
            done = warehouse.run()
            assert done.returncode == 0, done.stderr[-3000:]
            made[backend] = (dump(warehouse.open()), int(done.stdout.strip().splitlines()[-1]))
            return made[backend]

    yield Lazy()
    for warehouse in opened:
        warehouse.close()


@pytest.mark.parametrize("point", KILL_POINTS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_after_a_kill_9_one_rerun_gives_the_warehouse_of_an_uninterrupted_run(
        backend: str, point: float, references: dict[str, tuple[dict, int]], tmp_path: Path) -> None:
    _needs(backend)
    expected, commits = references[backend]
    kill_at = max(1, int(commits * point))
    warehouse = Warehouse(backend, tmp_path)
    try:
        killed = warehouse.run(kill_at)
        assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr[-2000:])
        rerun = warehouse.run()
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        engine = warehouse.open()
        found = differences(expected, dump(engine))
        assert not found, f"kill at commit {kill_at} of {commits}:\n" + "\n".join(found)
        with engine.connect() as conn:
            pending = conn.execute(select(func.count()).select_from(RawItem)
                                   .where(RawItem.parse_status == ParseStatus.PENDING)).scalar_one()
            failing = conn.execute(select(Channel.name).where(Channel.consecutive_failures > 0)).scalars().all()
        assert pending == 0 and failing == []
    finally:
        warehouse.close()


@pytest.mark.postgres
@pytest.mark.parametrize("point", (0.2, 0.5, 0.8))
def test_a_dropped_connection_fails_one_channel_and_one_rerun_completes_the_warehouse(
        point: float, references: dict[str, tuple[dict, int]], tmp_path: Path) -> None:
    """Regression: a read outside the channel's error handling crashed the whole run, and
    with coverage half loaded every note was refused and never read again."""
    _needs("postgres")
    expected, commits = references["postgres"]
    warehouse = Warehouse("postgres", tmp_path)
    try:
        dropped = warehouse.run(max(1, int(commits * point)), mode="drop")
        assert dropped.returncode == 0, dropped.stderr[-3000:]  # the run went on with the other channels
        rerun = warehouse.run()
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        engine = warehouse.open()
        found = differences(expected, dump(engine))
        assert not found, "\n".join(found)
        with engine.connect() as conn:
            failing = conn.execute(select(Channel.name).where(Channel.consecutive_failures > 0)).scalars().all()
        assert failing == []  # the rerun that finished the channel's work shows it healthy again
    finally:
        warehouse.close()
