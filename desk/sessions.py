"""Server-side sessions: the cookie carries a random token, the warehouse its SHA-256, the
account and the session's CSRF token. Signing out or expiry ends a session for good."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, select

from mi.desk.accounts import Account, account_by_id
from mi.warehouse.desk import DeskSession

COOKIE = "mi_desk_session"
#: The CSRF token of the sign-in form, before there is a session (double-submit cookie).
SIGN_IN_COOKIE = "mi_desk_sign_in"


@dataclass(frozen=True)
class Session:
    account: Account
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def open_session(engine: Engine, account: Account, *, now: dt.datetime, hours: float) -> str:
    """A new session for ``account``; returns the token for the cookie."""
    token = new_token()
    with engine.begin() as conn:
        conn.execute(DeskSession.__table__.insert().values(
            token_hash=_digest(token), account_id=account.id, csrf_token=new_token(), created_at=now,
            expires_at=now + dt.timedelta(hours=hours)))
    return token


def session_for(engine: Engine, token: str | None, *, now: dt.datetime) -> Session | None:
    if not token or len(token) > 100:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(DeskSession).where(DeskSession.token_hash == _digest(token))).first()
        if row is None or row.ended_at is not None or row.expires_at <= now:
            return None
        account = account_by_id(conn, row.account_id)
    return Session(account, row.csrf_token) if account is not None else None


def end_session(engine: Engine, token: str | None, *, now: dt.datetime) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(DeskSession.__table__.update().where(DeskSession.token_hash == _digest(token))
                         .values(ended_at=now))


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; an absent token never matches."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))
