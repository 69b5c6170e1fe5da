"""Analysis layer (marts) written by the refine flow and read by briefs and demand signals.

Each table is keyed so that re-running a day rewrites the same rows instead of adding new
ones.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mi.warehouse.base import Base, utcnow


class Event(Base):
    """A story: exact and near-duplicate documents grouped, with the earliest publication."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(64), unique=True)  # id of its founding document
    title: Mapped[str | None] = mapped_column(Text)
    first_published_at: Mapped[dt.datetime | None]
    document_count: Mapped[int] = mapped_column(default=1)
    channel_count: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DocumentAnalysis(Base):
    """What refine concluded about one document."""

    __tablename__ = "document_analysis"
    __table_args__ = (Index("ix_document_analysis_event", "event_id"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    industries: Mapped[list[str]] = mapped_column(default=list)  # ISIC Rev.4 sections
    themes: Mapped[list[str]] = mapped_column(default=list)
    sentiment_label: Mapped[str] = mapped_column(String(10), default="neutral")
    sentiment_score: Mapped[float] = mapped_column(Float, default=0.0)
    tagger_version: Mapped[str] = mapped_column(String(20), default="")
    # The language the taggers took it to be in; outside theirs, no tags or tone were given.
    language: Mapped[str | None] = mapped_column(String(12))
    analysed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Later refine steps mark what they have done, in the same transaction as their
    # output, so a crash between steps leaves the rest to the next run instead of losing it.
    linked_at: Mapped[dt.datetime | None]
    pulsed_at: Mapped[dt.datetime | None]


class DocumentEntity(Base):
    """A confident link from a document to a company, and why it was made."""

    __tablename__ = "document_entities"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    mention: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    # How the document reads for this company (positive, negative, neutral, score in [-1, 1]);
    # empty where the document's language has no sentiment model.
    tone: Mapped[str | None] = mapped_column(String(10))
    tone_score: Mapped[float | None] = mapped_column(Float)


class SeriesMetric(Base):
    __tablename__ = "series_metrics"

    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[float | None] = mapped_column(Float)
    change_1d: Mapped[float | None] = mapped_column(Float)
    change_1w: Mapped[float | None] = mapped_column(Float)
    change_1m: Mapped[float | None] = mapped_column(Float)
    change_ytd: Mapped[float | None] = mapped_column(Float)
    trend: Mapped[str | None] = mapped_column(String(10))  # up, down, flat
    trend_slope: Mapped[float | None] = mapped_column(Float)


class SeriesAnomaly(Base):
    __tablename__ = "series_anomalies"

    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    change: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(20), default="move")  # move, level_shift


class SeriesForecast(Base):
    __tablename__ = "series_forecasts"

    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    lower: Mapped[float] = mapped_column(Float)
    upper: Mapped[float] = mapped_column(Float)


class IndustryPulse(Base):
    """Per ISIC section and day: news volume against its baseline, sentiment, linked moves."""

    __tablename__ = "industry_pulse"

    section: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    documents: Mapped[int] = mapped_column(default=0)
    baseline: Mapped[float] = mapped_column(Float, default=0.0)
    volume_z: Mapped[float] = mapped_column(Float, default=0.0)
    sentiment: Mapped[float] = mapped_column(Float, default=0.0)
    sentiment_trend: Mapped[float] = mapped_column(Float, default=0.0)
    competitor_changes: Mapped[int] = mapped_column(default=0)
    series_moves: Mapped[list[str]] = mapped_column(default=list)
    label: Mapped[str] = mapped_column(String(10), default="steady")  # heating, cooling, steady
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SeriesWatermark(Base):
    """What the last analysis of a series read and concluded, so that an unchanged series is not
    analysed again: the digest of its current points (and unit, frequency), the version of the
    analysis code, and its results (metrics, forecast; anomalies are in ``series_anomalies``)."""

    __tablename__ = "series_watermarks"

    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    points_digest: Mapped[str] = mapped_column(String(64))
    analysis_version: Mapped[str] = mapped_column(String(64))
    # the day whose metric and forecast rows were last written from ``results``
    as_of: Mapped[dt.date] = mapped_column(Date)
    results: Mapped[dict[str, Any]] = mapped_column(default=dict)
    analysed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PulseWatermark(Base):
    """The digest of what a day's industry pulse was computed from, so that a re-run with
    nothing new does not compute it again."""

    __tablename__ = "pulse_watermarks"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    inputs_digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
