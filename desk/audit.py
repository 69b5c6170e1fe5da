"""The desk's audit log: every customer-page view, brief view, decision, note and feedback,
with who, when, from where and on what. Written in the transaction of what it records
where there is one, so an action and its audit row commit together."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, select

from mi.desk.accounts import Account
from mi.warehouse.desk import DeskAudit


def record(conn: Connection, account: Account | None, action: str, *, target: str | None = None,
           client: str | None = None, at: dt.datetime, **detail: Any) -> None:
    conn.execute(DeskAudit.__table__.insert().values(
        at=at, account_id=account.id if account else None, username=account.username if account else "",
        role=account.role if account else "", action=action, target=(target or None) and target[:200],
        client=(client or None) and client[:100], detail={k: v for k, v in detail.items() if v is not None}))


def latest(engine: Engine, limit: int = 200) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(DeskAudit).order_by(DeskAudit.id.desc()).limit(limit)))
