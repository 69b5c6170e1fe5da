"""Industry pulse: per ISIC section and day, news volume against its own baseline, sentiment
and its trend, the linked series that moved and the competitor changes that touch it."""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, and_, func, select, update

from mi.warehouse.analysis import DocumentAnalysis, IndustryPulse, PulseWatermark, SeriesAnomaly
from mi.warehouse.base import utcnow
from mi.warehouse.loading import dialect_insert, insert_new
from mi.warehouse.models import Document, Series
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange

BASELINE_DAYS = 28
TREND_DAYS = 7
HEATING_Z = 2.0
COOLING_Z = -1.5
SENTIMENT_SHIFT = 0.2
MIN_DOCUMENTS_FOR_SENTIMENT = 3
_MARK_CHUNK = 500  # ids per IN (...): far below SQLite's bound-parameter limit
_FIELDS = ("documents", "baseline", "volume_z", "sentiment", "sentiment_trend", "competitor_changes",
           "series_moves", "label")


def _doc_day(published: dt.datetime | None, fetched: dt.datetime) -> dt.date:
    return (published or fetched).date()


def _daily_news(engine: Engine, first: dt.date, last: dt.date) -> dict[tuple[str, dt.date], list[float]]:
    """Sentiment scores of the documents of each (section, day) in [first, last]."""
    start = dt.datetime.combine(first, dt.time(), dt.timezone.utc)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    day_of = func.coalesce(Document.published_at, Document.fetched_at)
    with engine.connect() as conn:
        rows = conn.execute(select(Document.published_at, Document.fetched_at, DocumentAnalysis.industries,
                                   DocumentAnalysis.sentiment_score)
                            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
                            .where(day_of >= start, day_of < end)).all()
    scores: dict[tuple[str, dt.date], list[float]] = defaultdict(list)
    for published, fetched, sections, score in rows:
        for section in sections or []:
            scores[(section, _doc_day(published, fetched))].append(score)
    return scores


def _competitor_changes(engine: Engine, first: dt.date, last: dt.date) -> dict[tuple[str, dt.date], int]:
    with engine.connect() as conn:
        rows = conn.execute(select(CompetitorOfferChange.observed_on, CompetitorOffer.industries)
                            .join(CompetitorOffer, CompetitorOffer.id == CompetitorOfferChange.offer_id)
                            .where(CompetitorOfferChange.observed_on.between(first, last))).all()
    counts: dict[tuple[str, dt.date], int] = defaultdict(int)
    for day, industries in rows:
        for section in set(industries or []) | {"K"}:  # every bank offer is financial-services news
            counts[(section, day)] += 1
    return counts


def _series_moves(engine: Engine, first: dt.date, last: dt.date) -> dict[tuple[str, dt.date], list[str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(Series.industry, Series.key, SeriesAnomaly.date)
                            .join(SeriesAnomaly, SeriesAnomaly.series_id == Series.id)
                            .where(Series.industry.is_not(None),
                                   SeriesAnomaly.date.between(first - dt.timedelta(days=TREND_DAYS), last))).all()
    moves: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    for section, key, day in rows:
        for offset in range(TREND_DAYS):  # a move stays news for a week
            moves[(section, day + dt.timedelta(days=offset))].add(key)
    return {k: sorted(v) for k, v in moves.items()}


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def pulse_rows(engine: Engine, days: set[dt.date]) -> list[dict]:
    if not days:
        return []
    first, last = min(days) - dt.timedelta(days=BASELINE_DAYS), max(days)
    news = _daily_news(engine, first, last)
    offers = _competitor_changes(engine, min(days), last)
    moves = _series_moves(engine, min(days), last)
    sections = {s for s, _ in news} | {s for s, _ in offers} | {s for s, _ in moves}
    rows = []
    for day in sorted(days):
        for section in sorted(sections):
            today = news.get((section, day), [])
            past = [len(news.get((section, day - dt.timedelta(days=n)), [])) for n in range(1, BASELINE_DAYS + 1)]
            baseline = _mean(past)
            volume_z = (len(today) - baseline) / math.sqrt(baseline + 1.0)
            recent = [s for n in range(TREND_DAYS) for s in news.get((section, day - dt.timedelta(days=n)), [])]
            before = [s for n in range(TREND_DAYS, BASELINE_DAYS) for s in
                      news.get((section, day - dt.timedelta(days=n)), [])]
            trend = _mean(recent) - _mean(before) if len(recent) >= MIN_DOCUMENTS_FOR_SENTIMENT and before else 0.0
            changed = offers.get((section, day), 0)
            moved = moves.get((section, day), [])
            if not today and not changed and not moved:
                continue
            heating = volume_z >= HEATING_Z or trend >= SENTIMENT_SHIFT
            cooling = volume_z <= COOLING_Z or trend <= -SENTIMENT_SHIFT
            rows.append({"section": section, "day": day, "documents": len(today), "baseline": round(baseline, 3),
                         "volume_z": round(volume_z, 3), "sentiment": round(_mean(today), 3),
                         "sentiment_trend": round(trend, 3), "competitor_changes": changed,
                         "series_moves": moved,
                         "label": "heating" if heating and not cooling else "cooling" if cooling else "steady"})
    return rows


def pending_pulse(engine: Engine) -> tuple[set[dt.date], list[int]]:
    """The days whose pulse new documents change, and those documents (not in any pulse yet)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Document.id, Document.published_at, Document.fetched_at)
                            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
                            .where(DocumentAnalysis.pulsed_at.is_(None))).all()
    return {_doc_day(published, fetched) for _, published, fetched in rows}, [row.id for row in rows]


def inputs_digest(engine: Engine, day: dt.date) -> str:
    """A digest of everything ``day``'s pulse is computed from: the analysed documents of its
    baseline window, the competitor changes of the day, the anomalies of its trend window,
    and this module's code. Counts (and the latest anomaly) suffice: these rows are only ever
    added, and a document added or re-tagged is not in a pulse yet, which forces the write."""
    start = dt.datetime.combine(day - dt.timedelta(days=BASELINE_DAYS), dt.time(), dt.timezone.utc)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    day_of = func.coalesce(Document.published_at, Document.fetched_at)
    with engine.connect() as conn:
        news = conn.execute(select(func.count()).select_from(Document)
                            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
                            .where(day_of >= start, day_of < end)).scalar_one()
        offers = conn.execute(select(func.count()).select_from(CompetitorOfferChange)
                              .where(CompetitorOfferChange.observed_on == day)).scalar_one()
        moves = conn.execute(select(func.count(), func.max(SeriesAnomaly.date))
                             .join(Series, Series.id == SeriesAnomaly.series_id)
                             .where(Series.industry.is_not(None),
                                    SeriesAnomaly.date.between(day - dt.timedelta(days=TREND_DAYS), day))).one()
    # only what the warehouse knows goes in (no surrogate ids, no run times): a resumed run and
    # an uninterrupted one leave the same digest
    digest = hashlib.sha256(_module_source())
    digest.update(repr((day.isoformat(), news, offers, moves[0], str(moves[1]))).encode())
    return digest.hexdigest()


@cache
def _module_source() -> bytes:
    return Path(__file__).read_bytes()


def write_pending_pulse(engine: Engine, as_of: dt.date) -> tuple[int, int]:
    """The pulse of ``as_of`` and of every day new documents speak of; returns (new, updated).

    With no new documents and nothing else ``as_of``'s pulse reads changed since it was last
    written (see ``inputs_digest``), nothing is computed. The pulse rows, their days' input
    digests and the documents' ``pulsed_at`` marks commit together: a run killed before this
    step leaves its documents pending, so the next run writes their days.
    """
    days, documents = pending_pulse(engine)
    if not documents and not pulse_stale(engine, as_of):
        return 0, 0
    return write_pulse(engine, days | {as_of}, documents)


def pulse_stale(engine: Engine, day: dt.date) -> bool:
    """Whether ``day``'s pulse was never written or its inputs changed since."""
    with engine.connect() as conn:
        stored = conn.execute(select(PulseWatermark.inputs_digest).where(PulseWatermark.day == day)).scalar()
    return stored != inputs_digest(engine, day)


def write_pulse(engine: Engine, days: set[dt.date], documents: list[int] | None = None) -> tuple[int, int]:
    """Insert new (section, day) rows and update changed ones; returns (new, updated).

    ``documents`` are marked as counted in the pulse in the same transaction."""
    # read before the rows, so that anything arriving in between makes the digest stale, never the pulse
    digests = [{"day": day, "inputs_digest": inputs_digest(engine, day), "updated_at": utcnow()} for day in days]
    rows = pulse_rows(engine, days)
    new = updated = 0
    with engine.begin() as conn:
        if digests:
            statement = dialect_insert(conn, PulseWatermark.__table__)
            conn.execute(statement.on_conflict_do_update(index_elements=["day"], set_={
                "inputs_digest": statement.excluded.inputs_digest, "updated_at": statement.excluded.updated_at}),
                digests)
        if rows:
            existing = {(r.section, r.day): r for r in conn.execute(
                select(IndustryPulse.__table__).where(IndustryPulse.day.in_(sorted(days))))}
            fresh = [r for r in rows if (r["section"], r["day"]) not in existing]
            new = len(insert_new(conn, IndustryPulse.__table__, fresh, conflict=["section", "day"],
                                 returning="section"))
            for row in rows:
                old = existing.get((row["section"], row["day"]))
                if old is not None and any(getattr(old, f) != row[f] for f in _FIELDS):
                    conn.execute(update(IndustryPulse.__table__).where(and_(
                        IndustryPulse.section == row["section"], IndustryPulse.day == row["day"]))
                        .values({f: row[f] for f in _FIELDS}))
                    updated += 1
        table = DocumentAnalysis.__table__
        for start in range(0, len(documents or []), _MARK_CHUNK):
            conn.execute(update(table).where(table.c.document_id.in_(documents[start:start + _MARK_CHUNK]))
                         .values(pulsed_at=utcnow()))
    return new, updated
