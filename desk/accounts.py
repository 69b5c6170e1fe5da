"""Desk accounts: argon2 password hashes, roles, the RM an account reads for, sample accounts.

Roles: ``rm`` (one RM's book: their brief, customers, notes, feedback, alerts), ``product``
(the signals board and follow-up), ``staff`` (channel health, runs, inspect) and ``admin``
(product and staff pages, and the audit log). Only an ``rm`` account is tied to an RM, and
only an ``rm`` account reads customer data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, func, select

from mi.warehouse.book import RelationshipManager
from mi.warehouse.desk import ROLES, DeskAccount, DeskSignIn

#: Which pages each role reaches besides the sign-in page.
RIGHTS: dict[str, frozenset[str]] = {
    "rm": frozenset({"rm"}),
    "product": frozenset({"product"}),
    "staff": frozenset({"staff"}),
    "admin": frozenset({"product", "staff", "admin"}),
}
MIN_PASSWORD = 10
_HASHER = PasswordHasher()  # argon2id with the library's RFC 9106 "low memory" defaults
#: Verified against when the account does not exist, so an unknown name costs the same time.
_DUMMY_HASH = _HASHER.hash("no such account: the time of a real check")


class AccountError(ValueError):
    """An account that cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    rm_id: int | None
    rm_ref: str | None

    def may(self, area: str) -> bool:
        return area in RIGHTS.get(self.role, frozenset())


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _account(conn: Connection, row: DeskAccount | None) -> Account | None:
    if row is None:
        return None
    rm_ref = None
    if row.rm_id is not None:
        rm_ref = conn.execute(select(RelationshipManager.rm_ref).where(RelationshipManager.id == row.rm_id)).scalar()
    return Account(row.id, row.username, row.display_name, row.role, row.rm_id, rm_ref)


def account_by_id(conn: Connection, account_id: int) -> Account | None:
    row = conn.execute(select(DeskAccount).where(DeskAccount.id == account_id, DeskAccount.active.is_(True))).first()
    return _account(conn, row)


def create_account(engine: Engine, username: str, password: str, *, role: str, rm_ref: str | None = None,
                   display_name: str | None = None, replace: bool = False) -> Account:
    """Create (or with ``replace``, reset) an account. An ``rm`` account names its RM."""
    username = username.strip().lower()
    if not username or len(username) > 100 or not username.replace(".", "").replace("-", "").replace("_", "")\
            .isalnum():
        raise AccountError("a username is 1-100 letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
    with engine.begin() as conn:
        rm_id = None
        if role == "rm":
            rm = conn.execute(select(RelationshipManager).where(RelationshipManager.rm_ref == (rm_ref or ""))).first()
            if rm is None:
                raise AccountError(f"an rm account needs an RM of the book; no RM {rm_ref!r}")
            rm_id, display_name = rm.id, display_name or rm.name
        elif rm_ref:
            raise AccountError("only an rm account is tied to an RM")
        values = {"display_name": display_name or username, "role": role, "rm_id": rm_id,
                  "password_hash": hash_password(password), "active": True}
        existing = conn.execute(select(DeskAccount.id).where(DeskAccount.username == username)).scalar()
        if existing is not None and not replace:
            raise AccountError(f"account {username!r} exists")
        if existing is None:
            conn.execute(DeskAccount.__table__.insert().values(username=username, **values))
        else:
            conn.execute(DeskAccount.__table__.update().where(DeskAccount.id == existing).values(**values))
        row = conn.execute(select(DeskAccount).where(DeskAccount.username == username)).first()
        found = _account(conn, row)
    assert found is not None
    return found


class SignInRefused(Exception):
    """Too many failed attempts lately: the desk answers 429 without checking the password."""


def authenticate(engine: Engine, username: str, password: str, *, client: str, now: dt.datetime,
                 failures: int, client_failures: int, window: float) -> Account | None:
    """The account when ``password`` is right; None when not. Every attempt is recorded; after
    ``failures`` failed attempts on one name (or ``client_failures`` from one address) within
    ``window`` seconds, attempts are refused without a check until the window has passed."""
    username = username.strip().lower()[:100]
    client = client[:100]
    since = now - dt.timedelta(seconds=window)
    with engine.connect() as conn:
        by_name = conn.execute(select(func.count()).select_from(DeskSignIn).where(
            DeskSignIn.username == username, DeskSignIn.ok.is_(False), DeskSignIn.at >= since)).scalar_one()
        by_client = conn.execute(select(func.count()).select_from(DeskSignIn).where(
            DeskSignIn.client == client, DeskSignIn.ok.is_(False), DeskSignIn.at >= since)).scalar_one()
        if by_name >= failures or by_client >= client_failures:
            raise SignInRefused(username)
        row = conn.execute(select(DeskAccount).where(DeskAccount.username == username,
                                                     DeskAccount.active.is_(True))).first()
    ok = _verify(row.password_hash if row is not None else None, password)
    with engine.begin() as conn:
        conn.execute(DeskSignIn.__table__.insert().values(username=username, client=client, at=now, ok=ok))
        if ok and row is not None and _HASHER.check_needs_rehash(row.password_hash):
            conn.execute(DeskAccount.__table__.update().where(DeskAccount.id == row.id)
                         .values(password_hash=hash_password(password)))
        return _account(conn, row) if ok else None


def account_named(engine: Engine, username: str) -> Account | None:
    """The active account of this name (for a sign-in the bank's identity provider vouched for)."""
    with engine.connect() as conn:
        row = conn.execute(select(DeskAccount).where(DeskAccount.username == username.strip().lower()[:100],
                                                     DeskAccount.active.is_(True))).first()
        return _account(conn, row)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def sample_accounts(engine: Engine) -> list[tuple[str, str, str, str]]:
    """Accounts for the bundled sample bank, the same on every machine: one per RM of the book
    (``rm001`` / ``rm001-sample``), ``product``, ``staff`` and ``admin`` (``<name>-sample``).
    SAMPLE ONLY: these passwords are published in the README. Returns (username, password,
    role, RM) rows."""
    with engine.connect() as conn:
        rms = conn.execute(select(RelationshipManager.rm_ref).order_by(RelationshipManager.rm_ref)).scalars().all()
    made = []
    for rm_ref in rms:
        name = rm_ref.lower()
        create_account(engine, name, f"{name}-sample", role="rm", rm_ref=rm_ref, replace=True)
        made.append((name, f"{name}-sample", "rm", rm_ref))
    for role, display in (("product", "Product department"), ("staff", "Market information"),
                          ("admin", "Desk administrator")):
        create_account(engine, role, f"{role}-sample", role=role, display_name=display, replace=True)
        made.append((role, f"{role}-sample", role, ""))
    return made
