"""Tag documents (industries, themes, sentiment) into ``document_analysis``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from mi.analysis.industries import industries_version, tag_industries
from mi.analysis.sentiment import classify_article_sentiment, sentiment_version
from mi.analysis.themes import tag_themes, themes_version
from mi.warehouse.analysis import DocumentAnalysis
from mi.warehouse.loading import insert_new
from mi.warehouse.models import Document


def tagger_version() -> str:
    """Which models and word lists tagged a row, so a re-tag after an upgrade can find it."""
    return f"{sentiment_version()}-t{themes_version()}-i{industries_version()}"[:20]


@dataclass(frozen=True)
class IdRange:
    """Documents ``first <= id <= last``: what travels between tasks instead of rows."""

    first: int
    last: int


def pending_document_ranges(engine: Engine, chunk: int = 5_000) -> list[IdRange]:
    """Id ranges covering every document not analysed yet, ``chunk`` documents each."""
    with engine.connect() as conn:
        ids = conn.execute(
            select(Document.id).outerjoin(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
            .where(DocumentAnalysis.document_id.is_(None)).order_by(Document.id)).scalars().all()
    return [IdRange(ids[i], ids[min(i + chunk, len(ids)) - 1]) for i in range(0, len(ids), chunk)]


def analyse_documents(engine: Engine, ids: IdRange, now: dt.datetime) -> int:
    """Tag the unanalysed documents in ``ids``; returns how many rows were written."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Document.id, Document.title, Document.summary, Document.text, Document.industry_hints)
            .outerjoin(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
            .where(Document.id.between(ids.first, ids.last), DocumentAnalysis.document_id.is_(None))
            .order_by(Document.id)).all()
    if not rows:
        return 0
    # Sentiment reads the headline and the lead, as a reader takes in a story.
    sentiments = classify_article_sentiment([(r.title, r.text or r.summary or "") for r in rows])
    version = tagger_version()
    records = []
    for row, sentiment in zip(rows, sentiments, strict=True):
        records.append({
            "document_id": row.id,
            "industries": tag_industries(row.title, row.text, hints=row.industry_hints or ()),
            "themes": tag_themes(row.title, row.text),
            "sentiment_label": sentiment.label,
            "sentiment_score": round(float(sentiment.score), 4),
            "tagger_version": version,
            "analysed_at": now,
        })
    with engine.begin() as conn:
        return len(insert_new(conn, DocumentAnalysis.__table__, records, conflict=["document_id"],
                              returning="document_id"))

