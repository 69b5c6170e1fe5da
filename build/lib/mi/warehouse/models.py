"""Warehouse models: the raw layer (payloads verbatim) and the clean layer.

Raw layer: ``RawItem`` keeps every fetched payload byte for byte with where it came from,
its hash, and whether it parsed. Nothing is parsed before it is landed, so a parser fix can
replay it. Clean layer: ``Channel`` (configuration and health), ``Document``, ``Series`` and
``Observation``. No relationships are mapped: every read is an explicit Core query, so
nothing is loaded behind the caller's back.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from mi.warehouse.base import Base, BigId, utcnow


class ParseStatus:
    """Values of ``RawItem.parse_status``."""

    PENDING = "pending"  # landed, not parsed and loaded yet (or its load failed for a passing reason)
    PARSED = "parsed"  # every record loaded
    PARTIAL = "partial"  # loaded, but some rows/items were set aside (see parse_error)
    QUARANTINED = "quarantined"  # nothing usable; payload kept for replay
    FETCH_ERROR = "fetch_error"  # the fetch itself failed; body kept if the server sent one



class Channel(Base):
    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(Text, default="")
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    industry_hints: Mapped[list[str]] = mapped_column(default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Incremental state: per-target ETag/Last-Modified and the newest item seen.
    cursor: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Health, shown by `mi channels`.
    last_run_at: Mapped[dt.datetime | None]
    last_success_at: Mapped[dt.datetime | None]
    last_error_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    items_fetched: Mapped[int] = mapped_column(default=0)
    items_new: Mapped[int] = mapped_column(default=0)
    items_quarantined: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RawItem(Base):
    __tablename__ = "raw_items"
    __table_args__ = (
        # The same bytes from the same place are landed once, however often fetched.
        UniqueConstraint("channel_id", "external_id", "content_hash"),
        Index("ix_raw_items_channel_status", "channel_id", "parse_status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    external_id: Mapped[str] = mapped_column(Text)  # the URL or path fetched
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of payload (and error)
    fetched_at: Mapped[dt.datetime]
    http_status: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(default=0)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    parse_status: Mapped[str] = mapped_column(String(20), default=ParseStatus.PENDING)
    parse_error: Mapped[str | None] = mapped_column(Text)
    parsed_at: Mapped[dt.datetime | None]
    record_count: Mapped[int] = mapped_column(default=0)
    #: The payload holds something an RM flagged confidential (a field note): it is kept for
    #: replay like any payload, but never shown outside the RM's book.
    confidential: Mapped[bool] = mapped_column(default=False, server_default=false())


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("channel_id", "external_id"),
        Index("ix_documents_published_at", "published_at"),
        Index("ix_documents_content_hash", "content_hash"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    raw_item_id: Mapped[int | None] = mapped_column(ForeignKey("raw_items.id"))
    external_id: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="news")
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime | None]
    language: Mapped[str | None] = mapped_column(String(12))
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of normalised title+text
    industry_hints: Mapped[list[str]] = mapped_column(default=list)
    fetched_at: Mapped[dt.datetime]


class Series(Base):
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(100))
    frequency: Mapped[str] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(2))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Observation(Base):
    """One value of a series on a date, as known from ``vintage`` on.

    A revision does not overwrite: it adds a row with a later vintage. The current value of
    (series, date) is the row with the latest vintage.
    """

    __tablename__ = "observations"

    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    vintage: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    raw_item_id: Mapped[int | None] = mapped_column(ForeignKey("raw_items.id"))
