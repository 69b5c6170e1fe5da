"""Link company mentions in documents to the companies of the bank's book."""
from __future__ import annotations

from sqlalchemy import Engine, select, update

from mi.analysis.entity_tone import ToneRequest, entity_tones
from mi.analysis.language import supported
from mi.analysis.linking import CompanyName, Linker
from mi.analysis.linking_names import common_words_from_texts
from mi.analysis.zh_text import is_chinese_code
from mi.refining.documents import IdRange
from mi.refining.zh_entities import zh_links
from mi.warehouse.analysis import DocumentAnalysis, DocumentEntity
from mi.warehouse.base import utcnow
from mi.warehouse.book import Company, CompanyAlias
from mi.warehouse.loading import insert_new
from mi.warehouse.models import Channel, Document

_IDENTIFIER_KINDS = {"cik", "lei", "uscc"}
_MARK_CHUNK = 500  # ids per IN (...): far below SQLite's bound-parameter limit


def build_linker(engine: Engine, sample_texts: list[str] | None = None) -> Linker | None:
    """A linker over every company with its aliases, tickers and identifiers."""
    with engine.connect() as conn:
        companies = conn.execute(select(Company.id, Company.name, Company.isic_section, Company.country)).all()
        aliases = conn.execute(select(CompanyAlias.company_id, CompanyAlias.kind, CompanyAlias.value)).all()
    if not companies:
        return None
    grouped: dict[int, dict[str, list[str]]] = {c.id: {"alias": [], "ticker": [], "id": []} for c in companies}
    for company_id, kind, value in aliases:
        slot = "ticker" if kind == "ticker" else "id" if kind in _IDENTIFIER_KINDS else "alias"
        grouped[company_id][slot].append(value)
    # the company's ISIC section and country let a document's industry and its channel's market
    # count as context for an ambiguous name
    names = [CompanyName(c.id, c.name, tuple(grouped[c.id]["alias"]), tuple(grouped[c.id]["ticker"]),
                         tuple(grouped[c.id]["id"]), (c.isic_section,) if c.isic_section else (), c.country or "")
             for c in companies]
    common = common_words_from_texts(sample_texts) if sample_texts else None
    return Linker(names, common_words=common)


def link_pending(engine: Engine, linker: Linker, chunk: int = 5_000) -> int:
    """Link every analysed document not linked yet, ``chunk`` at a time; returns new links.

    Each chunk's links and its ``linked_at`` marks commit together, so a run killed half
    way leaves exactly the unlinked documents for the next run.
    """
    new = 0
    for ids in pending_link_ranges(engine, chunk):
        new += link_documents(engine, linker, ids)
    return new


def pending_link_ranges(engine: Engine, chunk: int = 5_000) -> list[IdRange]:
    with engine.connect() as conn:
        ids = conn.execute(select(DocumentAnalysis.document_id).where(DocumentAnalysis.linked_at.is_(None))
                           .order_by(DocumentAnalysis.document_id)).scalars().all()
    return [IdRange(ids[i], ids[min(i + chunk, len(ids)) - 1]) for i in range(0, len(ids), chunk)]


def link_documents(engine: Engine, linker: Linker, ids: IdRange) -> int:
    """Write confident links for the not yet linked documents in ``ids``; returns how many links were new."""
    with engine.connect() as conn:
        markets = {cid: (config or {}).get("market") or ""
                   for cid, config in conn.execute(select(Channel.id, Channel.config)).all()}
        rows = conn.execute(select(Document.id, Document.title, Document.text, DocumentAnalysis.industries,
                                   DocumentAnalysis.language, Document.channel_id)
                            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
                            .where(Document.id.between(ids.first, ids.last),
                                   DocumentAnalysis.linked_at.is_(None))).all()
    links, requests = [], []
    chinese = [row for row in rows if is_chinese_code(row.language)]
    links += zh_links(engine, chinese)  # Chinese has its own linker and tone (refining/zh_entities.py)
    for row in rows:
        if is_chinese_code(row.language):
            continue
        english = supported(row.language)
        # outside English the context cues mean nothing: exact names, tickers and identifiers only
        for link in linker.link(row.title, row.text, sections=row.industries or (), context=english,
                                market=markets.get(row.channel_id, "")):
            links.append({"document_id": row.id, "company_id": link.company_id, "mention": link.mention,
                          "confidence": round(link.confidence, 3), "reason": link.reason,
                          "tone": None, "tone_score": None})
            if english:
                requests.append((len(links) - 1, ToneRequest(row.title, row.text or "", (link.mention, link.name))))
    for (at, _), tone in zip(requests, entity_tones([r for _, r in requests]), strict=True):
        links[at]["tone"], links[at]["tone_score"] = tone.label, round(float(tone.score), 4)
    with engine.begin() as conn:
        new = len(insert_new(conn, DocumentEntity.__table__, links, conflict=["document_id", "company_id"],
                             returning="document_id"))
        table = DocumentAnalysis.__table__
        done = [row.id for row in rows]
        for start in range(0, len(done), _MARK_CHUNK):
            conn.execute(update(table).where(table.c.document_id.in_(done[start:start + _MARK_CHUNK]))
                         .values(linked_at=utcnow()))
    return new
