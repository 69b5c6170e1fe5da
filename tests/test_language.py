"""Language awareness (issue 11): every document gets its language; only English gets the
English-rule tags, tone and context-decided links; Chinese (issue 13) gets its own."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select

from mi.analysis.entity_tone import ToneRequest, entity_tones
from mi.analysis.language import detect_language, supported
from mi.records.channels import ChannelConfig
from mi.records.documents import DocumentRecord
from mi.refining.documents import analyse_documents, pending_document_ranges
from mi.refining.entities import build_linker, link_pending
from mi.warehouse.analysis import DocumentAnalysis, DocumentEntity
from mi.warehouse.book import Company, CompanyAlias
from mi.warehouse.loading import load_documents, sync_channels
from mi.warehouse.models import Document

NOW = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.timezone.utc)
# Real headlines and leads: heise developer news (rss-parser fixture, MIT) and a Chinese
# finance headline of the kind the zh channels carry.
GERMAN = ("Java-Anwendungsserver: WildFly 10 ist fertig",
          "Der Nachfolger des JBoss Application Server unterstützt Java EE 7 vollständig; die Entwickler "
          "haben zudem die Startzeit deutlich verkürzt und Gewinne bei der Leistung erzielt.")
CHINESE = ("贵州茅台前三季度净利润增长15%，股价大涨",
           "贵州茅台发布三季报，公司前三季度实现营业收入同比增长，净利润大幅增长，超出市场预期。")
ENGLISH = ("Chevron profit beats estimates, shares jump",
           "Chevron said quarterly profit rose sharply as refining margins improved, and its shares jumped.")


def test_languages_are_detected_and_only_english_is_supported() -> None:
    assert detect_language(*GERMAN) == "de"
    assert detect_language(*CHINESE) == "zh-Hans"
    assert detect_language(*ENGLISH) == "en"
    assert detect_language("Up", None) is None  # too short to tell
    assert supported("en") and supported(None) and not supported("de") and not supported("zh") and not supported("zh-Hant")


def _seed(engine: Engine) -> dict[str, int]:
    with engine.begin() as conn:
        ids = sync_channels(conn, [ChannelConfig("wire", "feed", ("a",))])
        docs = [DocumentRecord(key, f"http://a/{key}", title, text, published_at=NOW, language=None)
                for key, (title, text) in (("de", GERMAN), ("zh", CHINESE), ("en", ENGLISH))]
        load_documents(conn, channel_id=ids["wire"], raw_item_id=None, documents=docs, fetched_at=NOW)
        company = conn.execute(insert(Company).values(company_ref="CIK:93410", name="Chevron Corporation",
                                                      isic_section="B").returning(Company.id)).scalar_one()
        moutai = conn.execute(insert(Company).values(company_ref="USCC:91520000214434146R", name="贵州茅台酒股份有限公司")
                              .returning(Company.id)).scalar_one()
        conn.execute(insert(CompanyAlias), [{"company_id": company, "kind": "alias", "value": "Chevron"},
                                            {"company_id": moutai, "kind": "alias", "value": "贵州茅台"}])
        return {"chevron": company, "moutai": moutai}


def test_german_gets_no_english_tags_or_tone_and_chinese_gets_the_chinese_models(engine: Engine) -> None:
    companies = _seed(engine)
    for ids in pending_document_ranges(engine):
        analyse_documents(engine, ids, NOW)
    link_pending(engine, build_linker(engine))
    with engine.connect() as conn:
        rows = {r.external_id: r for r in conn.execute(
            select(Document.external_id, Document.language, DocumentAnalysis.language.label("read_as"),
                   DocumentAnalysis.themes, DocumentAnalysis.industries, DocumentAnalysis.sentiment_label,
                   DocumentAnalysis.sentiment_score, Document.id)
            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id))}
        links = {(r.document_id, r.company_id): r for r in conn.execute(select(DocumentEntity))}
    assert {k: (r.language, r.read_as) for k, r in rows.items()} == {
        "de": ("de", "de"), "zh": ("zh-Hans", "zh-Hans"), "en": ("en", "en")}
    assert rows["de"].themes == [] and rows["de"].industries == []
    assert (rows["de"].sentiment_label, rows["de"].sentiment_score) == ("neutral", 0.0)
    assert rows["en"].sentiment_label == "positive"
    # Chinese: its own themes and tone (业绩, 净利润增长, 大涨), linked by name with the tone toward the company
    assert "earnings" in rows["zh"].themes and rows["zh"].sentiment_label == "positive"
    moutai = links[(rows["zh"].id, companies["moutai"])]
    assert moutai.tone == "positive" and moutai.tone_score > 0
    chevron = links[(rows["en"].id, companies["chevron"])]
    assert chevron.tone == "positive" and chevron.tone_score > 0


def test_entity_tone_reads_the_sentences_about_each_company() -> None:
    text = ("Apple reported record profit and its shares jumped to a record high. "
            "Samsung warned that profit would plunge and its shares slumped.")
    apple, samsung = entity_tones([ToneRequest(None, text, ("Apple",)), ToneRequest(None, text, ("Samsung",))])
    assert apple.label == "positive" and samsung.label == "negative"
