"""The book as the Chinese linker reads it, and the links and tones of one Chinese document."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from mi.analysis.linking import CompanyName
from mi.analysis.zh_linking import ZhLinker
from mi.analysis.zh_tone import zh_entity_tone
from mi.warehouse.book import Company, CompanyAlias


def book_companies(engine: Engine) -> list[CompanyName]:
    """Every company with its aliases and tickers (the identifiers are the English linker's)."""
    with engine.connect() as conn:
        companies = conn.execute(select(Company.id, Company.name, Company.isic_section)).all()
        aliases = conn.execute(select(CompanyAlias.company_id, CompanyAlias.kind, CompanyAlias.value)).all()
    grouped: dict[int, dict[str, list[str]]] = {c.id: {"alias": [], "ticker": []} for c in companies}
    for company_id, kind, value in aliases:
        if kind in ("alias", "ticker"):
            grouped[company_id][kind].append(value)
        elif kind not in ("cik", "lei", "uscc"):
            grouped[company_id]["alias"].append(value)
    return [CompanyName(c.id, c.name, tuple(grouped[c.id]["alias"]), tuple(grouped[c.id]["ticker"]), (),
                        (c.isic_section,) if c.isic_section else ()) for c in companies]


def build_zh_linker(engine: Engine) -> ZhLinker | None:
    companies = book_companies(engine)
    return ZhLinker(companies) if companies else None


def zh_book_names(engine: Engine) -> frozenset[str]:
    """The Chinese names of the book's companies, as the segmenter should know them."""
    linker = build_zh_linker(engine)
    return linker.names if linker else frozenset()


@dataclass(frozen=True)
class ZhLink:
    company_id: int
    mention: str
    confidence: float
    reason: str
    tone: str
    tone_score: float


def link_zh_document(linker: ZhLinker, title: str | None, text: str | None) -> list[ZhLink]:
    """Confident links of a Chinese document, each with the tone toward its company."""
    out = []
    for link in linker.link(title, text):
        tone = zh_entity_tone(title, text or "", (link.mention, link.name), linker.names)
        out.append(ZhLink(link.company_id, link.mention, link.confidence, link.reason, tone.label,
                          round(float(tone.score), 4)))
    return out


def zh_links(engine: Engine, rows: list) -> list[dict]:
    """document_entities rows for Chinese documents (rows with id, title, text)."""
    if not rows:
        return []
    linker = build_zh_linker(engine)
    if linker is None:
        return []
    return [{"document_id": row.id, "company_id": link.company_id, "mention": link.mention[:200],
             "confidence": round(link.confidence, 3), "reason": link.reason[:500],
             "tone": link.tone, "tone_score": link.tone_score}
            for row in rows for link in link_zh_document(linker, row.title, row.text)]
