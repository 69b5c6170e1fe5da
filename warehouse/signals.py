"""Demand signals and product follow-up: what the product department is told, decides and
launches, and how launched products do.

- ``NoteNeed``: the need read from each field note (redone when the reader changes).
- ``DemandSignal``: notes of one need grouped, with its score, status and decision; its
  notes (``SignalNote``), outside evidence (``SignalEvidence``) and history
  (``SignalEvent``: every status change and decision, with owner and reason).
- ``SignalPublication``: what went out, keyed (signal, period, kind), so a rerun sends
  nothing twice; ``SignalMessage``: the outbox of digests and webhooks until sent.
- ``SignalFeedback``: which decision reached which RM's brief (exactly once).
- ``ProductAlert``: an underperforming launched product, raised once per episode.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mi.warehouse.base import Base, BigId, utcnow


class NoteNeed(Base):
    __tablename__ = "note_needs"
    __table_args__ = (Index("ix_note_needs_need", "need"),)

    note_id: Mapped[int] = mapped_column(BigId, ForeignKey("field_notes.id"), primary_key=True)
    need: Mapped[str | None] = mapped_column(String(40))  # a key of mi.signals.vocabulary, None: none read
    score: Mapped[float] = mapped_column(Float, default=0.0)
    language: Mapped[str] = mapped_column(String(4), default="en")
    unread: Mapped[bool] = mapped_column(default=False)  # Chinese note no cue could read
    cues: Mapped[list[str]] = mapped_column(default=list)
    reader_version: Mapped[str] = mapped_column(String(20))
    read_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DemandSignal(Base):
    __tablename__ = "demand_signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_key: Mapped[str] = mapped_column(String(120), unique=True)  # need key, emerging:…, tags:…
    kind: Mapped[str] = mapped_column(String(12))  # need, emerging, tags
    need: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    # new, sent, acknowledged, accepted, rejected, reserved, launched
    status: Mapped[str] = mapped_column(String(20), default="new")
    owner: Mapped[str | None] = mapped_column(String(100))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))  # set when launched
    review_on: Mapped[dt.date | None] = mapped_column(Date)  # a reserved signal comes back then
    first_noted_on: Mapped[dt.date] = mapped_column(Date)
    last_noted_on: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[int] = mapped_column(default=0)
    customers: Mapped[int] = mapped_column(default=0)
    rms: Mapped[int] = mapped_column(default=0)
    confidential_notes: Mapped[int] = mapped_column(default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    #: Score parts with reasons, shareable quotes, facets: what a product manager reads.
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    revision: Mapped[int] = mapped_column(default=1)  # bumped when notes, evidence or score change
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SignalNote(Base):
    __tablename__ = "signal_notes"
    __table_args__ = (Index("ix_signal_notes_note", "note_id"),)

    signal_id: Mapped[int] = mapped_column(ForeignKey("demand_signals.id"), primary_key=True)
    note_id: Mapped[int] = mapped_column(BigId, ForeignKey("field_notes.id"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignalEvidence(Base):
    __tablename__ = "signal_evidence"
    __table_args__ = (UniqueConstraint("signal_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("demand_signals.id"))
    ref: Mapped[str] = mapped_column(String(120))  # offer:12, offer_change:5, anomaly:3:2026-11-20, ...
    kind: Mapped[str] = mapped_column(String(30))  # competitor_offer, competitor_change, market_move, pulse, news
    stance: Mapped[str] = mapped_column(String(10), default="supports")  # supports, weakens
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    observed_on: Mapped[dt.date | None] = mapped_column(Date)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignalEvent(Base):
    """One step of a signal's life: created, sent, updated, a decision, launched, review due."""

    __tablename__ = "signal_events"
    __table_args__ = (Index("ix_signal_events_signal", "signal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("demand_signals.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SignalPublication(Base):
    """A signal as published in one period by one kind of output: never twice."""

    __tablename__ = "signal_publications"
    __table_args__ = (UniqueConstraint("signal_id", "period", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("demand_signals.id"))
    period: Mapped[str] = mapped_column(String(20))  # 2026-W48 (signals), 2026-11 (follow-up)
    kind: Mapped[str] = mapped_column(String(20))  # digest, webhook, report, review
    change: Mapped[str] = mapped_column(String(10))  # new, update, review, listed
    revision: Mapped[int] = mapped_column(default=1)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("signal_events.id"))  # a review's reservation
    what_changed: Mapped[str | None] = mapped_column(Text)
    #: The figures as published, which the next material-growth check compares with.
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message_key: Mapped[str | None] = mapped_column(String(160))
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignalMessage(Base):
    """The outbox of signal and follow-up messages: written with the publications, sent after."""

    __tablename__ = "signal_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(20))  # email, webhook
    recipient: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class SignalFeedback(Base):
    """A decision as it reached one RM's brief."""

    __tablename__ = "signal_feedback"

    event_id: Mapped[int] = mapped_column(ForeignKey("signal_events.id"), primary_key=True)
    rm_id: Mapped[int] = mapped_column(ForeignKey("relationship_managers.id"), primary_key=True)
    brief_key: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProductAlert(Base):
    __tablename__ = "product_alerts"
    __table_args__ = (UniqueConstraint("product_id", "kind", "episode_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    kind: Mapped[str] = mapped_column(String(30))  # under_target
    episode_start: Mapped[dt.date] = mapped_column(Date)  # first month of the run of months under target
    raised_on: Mapped[dt.date] = mapped_column(Date)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message_key: Mapped[str | None] = mapped_column(String(160))


class SignalWatermark(Base):
    """The digest of everything the last signal refresh read (the window's notes and their
    readings, the market evidence, the book, the signals as refresh sees them), so that a run
    with nothing new groups nothing again; ``candidates`` is what that refresh found."""

    __tablename__ = "signal_watermarks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # "refresh:<since>:<as_of>:<min_customers>"
    inputs_digest: Mapped[str] = mapped_column(String(64))
    candidates: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
