"""Engines and schema migration for the warehouse.

SQLite (the embedded default) gets WAL, synchronous=NORMAL and a busy timeout so that
concurrent channel tasks in one process don't trip over each other's writes: five minutes,
since one channel of a large book (50,000 customers and their holdings, the bank-day
benchmark at scale 10) holds the write lock for more than the 30 s it used to be, and the
feeds landing meanwhile failed. Any other SQLAlchemy URL (PostgreSQL at scale) is used as
given.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: How long an SQLite connection waits for another's write transaction before it fails.
SQLITE_BUSY_SECONDS = 300


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.close()


def create_warehouse_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the warehouse schema to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(engine), revision)


def is_transient(exc: BaseException) -> bool:
    """Whether a failed statement says more about the connection than about the data.

    A dropped connection, a server restart or a lock timeout fail every statement alike,
    so what was being written is retried later rather than set aside as bad input.
    """
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError, DisconnectionError))
