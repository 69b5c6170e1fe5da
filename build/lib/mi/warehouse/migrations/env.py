"""Alembic environment: runs against the engine handed over by mi.warehouse.engine.migrate,
or against MI_DATABASE_URL when called from the alembic command line."""
from __future__ import annotations

from alembic import context

import mi.warehouse  # noqa: F401  (registers every table)
from mi.warehouse.base import Base

config = context.config


def _engine():
    engine = config.attributes.get("engine")
    if engine is None:
        from mi.settings import Settings
        from mi.warehouse.engine import create_warehouse_engine

        engine = create_warehouse_engine(Settings.from_env().database_url)
    return engine


def run_migrations_online() -> None:
    with _engine().begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; pass a database URL")
run_migrations_online()
