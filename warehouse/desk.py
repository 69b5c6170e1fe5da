"""The desk's tables: who may sign in, their sessions, sign-in attempts, the audit log, and
RMs' feedback on brief items (which brief composition reads back for its ranking).

An account with the role ``rm`` is tied to one relationship manager: every customer-data
query the desk runs for it is scoped by that RM (``mi.desk.scope``). Passwords are kept
only as argon2 hashes; a session cookie holds a random token whose SHA-256 alone is kept.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mi.warehouse.base import BigId, Base, utcnow

ROLES = ("rm", "product", "staff", "admin")
#: What an RM may say about one item of a brief.
VERDICTS = ("useful", "not_relevant", "wrong_customer")


class DeskAccount(Base):
    __tablename__ = "desk_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)  # kept lower-case
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(10))  # one of ROLES
    rm_id: Mapped[int | None] = mapped_column(ForeignKey("relationship_managers.id"))  # role rm only
    password_hash: Mapped[str | None] = mapped_column(Text)  # argon2id; None: signs in through OIDC only
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DeskSession(Base):
    __tablename__ = "desk_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the cookie's token
    account_id: Mapped[int] = mapped_column(ForeignKey("desk_accounts.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]


class DeskSignIn(Base):
    """Every sign-in attempt: what the rate limit counts, and an audit of who tried."""

    __tablename__ = "desk_sign_ins"
    __table_args__ = (Index("ix_desk_sign_ins_username_at", "username", "at"),
                      Index("ix_desk_sign_ins_client_at", "client", "at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    client: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool] = mapped_column(default=False)


class DeskAudit(Base):
    """One row per customer-page view, brief view, decision, note and feedback."""

    __tablename__ = "desk_audit"
    __table_args__ = (Index("ix_desk_audit_at", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("desk_accounts.id"))
    username: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(40))  # view_customer, decide_signal, ...
    target: Mapped[str | None] = mapped_column(String(200))  # customer ref, signal key, brief key
    client: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class BriefFeedback(Base):
    """An RM's verdict on one item of a brief, keyed by what the item stands on.

    ``item_key`` is the item's sources joined (``document:12,event:3``): the same story
    composed again tomorrow has the same key, so a verdict follows it."""

    __tablename__ = "brief_feedback"
    __table_args__ = (UniqueConstraint("rm_id", "item_key", "customer_ref"),
                      Index("ix_brief_feedback_rm_id", "rm_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rm_id: Mapped[int] = mapped_column(ForeignKey("relationship_managers.id"))
    brief_key: Mapped[str] = mapped_column(String(100))
    item_key: Mapped[str] = mapped_column(String(400))
    section: Mapped[str] = mapped_column(String(20))
    customer_ref: Mapped[str] = mapped_column(String(50), default="")  # "" for items about no customer
    verdict: Mapped[str] = mapped_column(String(20))  # one of VERDICTS
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
