"""Refine steps on a small hand-made day, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select

from mi.records.channels import ChannelConfig
from mi.records.documents import DocumentRecord
from mi.records.series import ObservationRecord, SeriesRecord
from mi.refining.documents import analyse_documents, pending_document_ranges
from mi.refining.entities import build_linker, link_pending
from mi.refining.events import group_new_documents
from mi.refining.pulse import write_pending_pulse
from mi.refining.series import analyse_series
from mi.refining.summary import day_summary
from mi.warehouse.analysis import DocumentAnalysis, DocumentEntity, Event, IndustryPulse, SeriesAnomaly
from mi.warehouse.book import Company, CompanyAlias
from mi.warehouse.loading import load_documents, load_observations, load_series, sync_channels
from mi.warehouse.models import Document
from tests.helpers import count

NOW = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.timezone.utc)
STORY = ("Chevron Corporation agreed to buy a shale producer for 4.2 billion dollars in cash, the oil major said "
         "on Thursday, expanding its acreage in the Permian basin as crude prices stay above 80 dollars a barrel. "
         "The deal is expected to close in the first quarter and to add to earnings per share within a year, "
         "chief executive officer said in a statement to investors and analysts on the morning call.")


def seed(engine: Engine) -> None:
    with engine.begin() as conn:
        ids = sync_channels(conn, [ChannelConfig("wire-a", "feed", ("a",)), ChannelConfig("wire-b", "feed", ("b",)),
                                   ChannelConfig("fx", "ecb_daily", ("c",))])
        docs_a = [DocumentRecord("a1", "http://a/1", "Chevron to buy shale producer for $4.2 billion", STORY,
                                 published_at=NOW - dt.timedelta(hours=3)),
                  DocumentRecord("a2", "http://a/2", "Wheat harvest hit by drought, grain prices jump",
                                 "Farmers expect the wheat and corn harvest to fall sharply after the drought; "
                                 "grain exporters raised prices.", published_at=NOW - dt.timedelta(hours=2))]
        docs_b = [DocumentRecord("b1", "http://b/1", "UPDATE 1-Chevron to buy shale producer for $4.2 bln",
                                 STORY + " - Reuters", published_at=NOW - dt.timedelta(hours=1))]
        load_documents(conn, channel_id=ids["wire-a"], raw_item_id=None, documents=docs_a, fetched_at=NOW)
        load_documents(conn, channel_id=ids["wire-b"], raw_item_id=None, documents=docs_b, fetched_at=NOW)
        company = conn.execute(insert(Company).values(company_ref="CIK:93410", name="Chevron Corporation",
                                                      isic_section="B").returning(Company.id)).scalar_one()
        conn.execute(insert(CompanyAlias), [{"company_id": company, "kind": "name", "value": "Chevron"},
                                            {"company_id": company, "kind": "ticker", "value": "CVX"}])
        series_ids = load_series(conn, channel_id=ids["fx"], series=[
            SeriesRecord("test.eurusd", "EUR/USD", "USD per EUR", "B", "test", industry="K")])
        days = [dt.date(2026, 9, 1) + dt.timedelta(days=i) for i in range(90)]
        business = [d for d in days if d.weekday() < 5]
        values = [1.10 + 0.0005 * ((i * 7) % 5 - 2) for i in range(len(business))]
        values[-3] = values[-4] * 1.06  # one large move, three business days before the end
        load_observations(conn, series_ids=series_ids, vintage=NOW.date(), raw_item_id=None,
                          observations=[ObservationRecord("test.eurusd", d, v) for d, v in zip(business, values)])



def refine_day(engine: Engine) -> dict[str, int]:
    batches = pending_document_ranges(engine)
    tagged = sum(analyse_documents(engine, ids, NOW) for ids in batches)
    new_events, _ = group_new_documents(engine)
    linker = build_linker(engine)
    links = link_pending(engine, linker)
    series = analyse_series(engine, NOW.date())
    pulse_new, pulse_updated = write_pending_pulse(engine, NOW.date())
    return {"tagged": tagged, "events": new_events, "links": links, "anomalies": series.new_anomalies,
            "metrics": series.new_metrics, "pulse_new": pulse_new, "pulse_updated": pulse_updated}


def test_refine_groups_tags_links_and_analyses(engine: Engine) -> None:
    seed(engine)
    stats = refine_day(engine)
    assert stats["tagged"] == 3 and stats["events"] == 2 and stats["metrics"] == 1
    with engine.connect() as conn:
        analysis = {r.document_id: r for r in conn.execute(select(DocumentAnalysis.__table__))}
        events = conn.execute(select(Event.__table__)).all()
        links = conn.execute(select(DocumentEntity.__table__)).all()
        anomalies = conn.execute(select(SeriesAnomaly.__table__)).all()
        pulse = conn.execute(select(IndustryPulse.__table__)).all()
    story = next(e for e in events if e.document_count == 2)
    assert story.channel_count == 2 and story.first_published_at == NOW - dt.timedelta(hours=3)
    assert story.title == "Chevron to buy shale producer for $4.2 billion"
    assert "m_and_a" in analysis[1].themes and analysis[3].duplicate_of == 1
    assert "A" in analysis[2].industries
    assert {link.document_id for link in links} >= {1, 3} and all(link.reason for link in links)
    assert any(a.change > 0.05 for a in anomalies)
    assert pulse and all(p.documents >= 0 for p in pulse)


def test_refine_run_twice_on_the_same_day_writes_nothing_new(engine: Engine) -> None:
    seed(engine)
    refine_day(engine)
    tables = (DocumentAnalysis, Event, DocumentEntity, SeriesAnomaly, IndustryPulse)
    before = {t: count(engine, t) for t in tables}
    again = refine_day(engine)
    assert again == {"tagged": 0, "events": 0, "links": 0, "anomalies": 0, "metrics": 0,
                     "pulse_new": 0, "pulse_updated": 0}
    assert {t: count(engine, t) for t in tables} == before


def test_a_new_syndicated_copy_joins_the_existing_event(engine: Engine) -> None:
    seed(engine)
    refine_day(engine)
    with engine.begin() as conn:
        channel = sync_channels(conn, [ChannelConfig("wire-c", "feed", ("c2",))])["wire-c"]
        load_documents(conn, channel_id=channel, raw_item_id=None, fetched_at=NOW, documents=[
            DocumentRecord("c1", "http://c/1", "Chevron buys shale producer", STORY + " (Reuters)",
                           published_at=NOW)])
    refine_day(engine)
    with engine.connect() as conn:
        story = conn.execute(select(Event.__table__).where(Event.document_count > 1)).one()
    assert story.document_count == 3 and story.channel_count == 3
    assert count(engine, Event) == 2


def test_day_summary_escapes_fetched_text(engine: Engine) -> None:
    seed(engine)
    with engine.begin() as conn:
        channel = sync_channels(conn, [ChannelConfig("odd", "feed", ("o",))])["odd"]
        load_documents(conn, channel_id=channel, raw_item_id=None, fetched_at=NOW, documents=[
            DocumentRecord("x", None, "<script>alert(1)</script> | pipes", "text", published_at=NOW)])
    refine_day(engine)
    markdown = day_summary(engine, NOW.date(), {"documents_tagged": 4})
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "## Top events" in markdown and "## Latest anomalies" in markdown


def test_a_channels_market_decides_an_ambiguous_name_for_a_customer_of_that_country(engine: Engine) -> None:
    """Issue 11: the same headline links Apollo Hospitals, which the book places in India, when it
    comes from a channel whose market is IN, and stays undecided from a channel with no market."""
    with engine.begin() as conn:
        ids = sync_channels(conn, [ChannelConfig("et-markets", "feed", ("e",), market="IN"),
                                   ChannelConfig("world-wire", "feed", ("w",))])
        headline = "Apollo in focus ahead of quarterly results"
        for channel in ("et-markets", "world-wire"):
            load_documents(conn, channel_id=ids[channel], raw_item_id=None, fetched_at=NOW, documents=[
                DocumentRecord(channel, f"http://{channel}/1", headline, "", published_at=NOW)])
        apollo = conn.execute(insert(Company).values(company_ref="LEI:335800ZQ6I4E2JXYDJ68", country="IN",
                                                     name="Apollo Hospitals Enterprise Ltd").returning(Company.id)
                              ).scalar_one()
    refine_day(engine)
    with engine.connect() as conn:
        links = conn.execute(select(DocumentEntity.document_id, DocumentEntity.company_id, DocumentEntity.reason,
                                    Document.channel_id).join(Document, Document.id == DocumentEntity.document_id)
                             ).all()
    assert [(link.channel_id, link.company_id) for link in links] == [(ids["et-markets"], apollo)]
    assert "the channel's market (IN) is the company's" in links[0].reason
