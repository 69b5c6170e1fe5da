"""Tag documents (industries, themes, sentiment) into ``document_analysis``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update

from mi.analysis.industries import industries_version, tag_industries
from mi.analysis.language import chinese_variant, detect_language, supported
from mi.analysis.sentiment import classify_article_sentiment, sentiment_version
from mi.analysis.themes import tag_themes, themes_version
from mi.analysis.zh_document import tag_zh_document
from mi.analysis.zh_text import is_chinese_code
from mi.refining.zh_entities import zh_book_names
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


def reopen_documents(engine: Engine, first: dt.date, last: dt.date) -> int:
    """Make the documents that arrived from ``first`` to ``last`` (UTC days, both included)
    pending again: their analysis rows go, so the next tagging step reads them with today's
    models, and their days' industry pulse is written again. One transaction: a run killed
    after it leaves them pending, and the next refine finishes the work. Returns how many."""
    start = dt.datetime.combine(first, dt.time.min, dt.timezone.utc)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, dt.timezone.utc)
    arrived = select(Document.id).where(Document.fetched_at >= start, Document.fetched_at < end)
    with engine.begin() as conn:
        return conn.execute(delete(DocumentAnalysis).where(DocumentAnalysis.document_id.in_(arrived))).rowcount


def analyse_documents(engine: Engine, ids: IdRange, now: dt.datetime) -> int:
    """Tag the unanalysed documents in ``ids``; returns how many rows were written."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Document.id, Document.title, Document.summary, Document.text, Document.industry_hints,
                   Document.language)
            .outerjoin(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
            .where(Document.id.between(ids.first, ids.last), DocumentAnalysis.document_id.is_(None))
            .order_by(Document.id)).all()
    if not rows:
        return 0
    # A document without a language (a feed that declared none, before feeds detected it) gets one now;
    # a declared "zh" is made precise (zh-Hans / zh-Hant) from its script.
    languages = [chinese_variant(r.language, r.title, r.text or r.summary) if r.language
                 else detect_language(r.title, r.text or r.summary) for r in rows]
    chinese_rows = [i for i, lang in enumerate(languages) if is_chinese_code(lang)]
    # the book's Chinese names, so that a tone word inside a name (兴业银行) is read as part of it
    names = zh_book_names(engine) if chinese_rows else frozenset()
    chinese = {i: tag_zh_document(rows[i].title, rows[i].text or rows[i].summary or "", rows[i].industry_hints or (),
                                  names) for i in chinese_rows}
    english = [i for i, lang in enumerate(languages) if supported(lang)]
    # Sentiment reads the headline and the lead, as a reader takes in a story.
    scored = classify_article_sentiment([(rows[i].title, rows[i].text or rows[i].summary or "") for i in english])
    sentiments = dict(zip(english, scored, strict=True))
    version = tagger_version()
    records = []
    for i, (row, language) in enumerate(zip(rows, languages, strict=True)):
        hints = row.industry_hints or ()
        sentiment = sentiments.get(i)
        if i in chinese:  # Chinese has its own models (analysis/zh_*)
            zh = chinese[i]
            records.append({"document_id": row.id, "industries": zh.industries, "themes": zh.themes,
                            "sentiment_label": zh.sentiment.label, "sentiment_score": round(zh.sentiment.score, 4),
                            "tagger_version": version, "language": language, "analysed_at": now})
            continue
        records.append({
            "document_id": row.id,
            # outside English: the channel's own industry hints only, no English-rule tags, no tone
            "industries": tag_industries(row.title, row.text, hints=hints) if sentiment else sorted(set(hints)),
            "themes": tag_themes(row.title, row.text) if sentiment else [],
            "sentiment_label": sentiment.label if sentiment else "neutral",
            "sentiment_score": round(float(sentiment.score), 4) if sentiment else 0.0,
            "tagger_version": version,
            "language": language,
            "analysed_at": now,
        })
    with engine.begin() as conn:
        for row, language in zip(rows, languages, strict=True):
            if language and language != row.language:
                conn.execute(update(Document).where(Document.id == row.id).values(language=language))
        return len(insert_new(conn, DocumentAnalysis.__table__, records, conflict=["document_id"],
                              returning="document_id"))

