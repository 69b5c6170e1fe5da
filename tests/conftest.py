"""Shared fixtures: a real loopback HTTP server and real warehouses (SQLite, PostgreSQL)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mi.warehouse.engine import create_warehouse_engine, migrate
from tests.loopback import RecordedSite

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_URL = os.environ.get("MI_TEST_POSTGRES_URL")


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordedSite]:
    """The loopback server; a transport the runtime builds from the settings may reach it
    (as ``MI_HTTP_PRIVATE_HOSTS`` lets a bank's transport reach its intranet)."""
    monkeypatch.setenv("MI_HTTP_PRIVATE_HOSTS", "127.0.0.1")
    server = RecordedSite()
    yield server
    server.close()


def _sqlite_engine(path: Path) -> Iterator[Engine]:
    """A migrated SQLite warehouse at ``path``."""
    engine = create_warehouse_engine(f"sqlite:///{path}")
    migrate(engine)
    yield engine
    engine.dispose()


def _postgres_engine() -> Iterator[Engine]:
    """A fresh schema per test, so tests never see each other's rows."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_warehouse_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_warehouse_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated warehouse on each backend the machine offers."""
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("MI_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server "
                        "(`.ci/run` sets it to the machine's 127.0.0.1:5432/test)")
        yield from _postgres_engine()
        return
    yield from _sqlite_engine(tmp_path / "warehouse.sqlite")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    yield from _sqlite_engine(tmp_path / "warehouse.sqlite")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's test harness, entered once per session (it costs about 10 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
