"""Composing RM briefs on a small bank gathered and refined through the real pipeline
(files through the real channel kinds, real SQLite and PostgreSQL)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mi.briefs.book import BookCustomer, RmBook
from mi.briefs.compose import ConfidentialityError, check_confidentiality, compose_briefs
from mi.records.briefs import Brief, BriefItem
from mi.records.channels import ChannelConfig
from mi.refining.documents import analyse_documents, pending_document_ranges
from mi.refining.entities import build_linker, link_pending
from mi.refining.events import group_new_documents
from mi.refining.pulse import write_pending_pulse
from mi.refining.series import analyse_series
from tests.helpers import gather_all

NOW = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.timezone.utc)
DAY = NOW.date()
STORY = ("Chevron Corporation agreed to buy a shale producer for 4.2 billion dollars in cash, the oil major said on "
         "Thursday, expanding its acreage in the Permian basin. The acquisition is expected to close next quarter.")


def item(guid: str, title: str, text: str, hours_ago: int) -> str:
    published = (NOW - dt.timedelta(hours=hours_ago)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    return (f"<item><guid>{guid}</guid><title>{title}</title><link>https://news.example/{guid}</link>"
            f"<description>{text}</description><pubDate>{published}</pubDate></item>")


def feed(*items: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>wire</title>'
            "<link>https://news.example/</link>" + "".join(items) + "</channel></rss>")


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def tiny_bank(folder: Path) -> list[ChannelConfig]:
    """Two RMs; Chevron is RM1's (and RM2's too), Apple only RM2's; a feed story on each."""
    book = [
        ("rms", "relationship_managers",
         "rm_ref,name,email\nRM1,Ada Lin,ada@bank.example\nRM2,Bo Wu,bo@bank.example\n"),
        ("customers", "customers",
         "customer_ref,name,segment,country,industry_scheme,industry_code,aliases,ticker\n"
         "C1,Chevron Corporation,corporate,US,ISIC,0610,Chevron,CVX\n"
         "C2,Acme Tools Ltd,corporate,GB,ISIC,2593,,\n"
         "C3,Apple Inc.,corporate,US,ISIC,2620,Apple,AAPL\n"),
        ("products", None, "product_ref,name,category,target_segment\nP1,Current Account,deposit,corporate\n"
                           "P2,Corporate Term Loan,corporate_loan,corporate\nP3,FX Forward,fx,corporate\n"),
        ("coverage", "coverage", "rm_ref,customer_ref\nRM1,C1\nRM1,C2\nRM2,C3\nRM2,C1\n"),
        ("holdings", "holdings", "customer_ref,product_ref,balance\nC1,P1,25000000\nC2,P1,400000\nC3,P1,9000000\n"),
    ]
    channels = []
    for name, table, text in book:
        url = write(folder, f"{name}.csv", text)
        kind = "products" if table is None else "book"
        channels.append(ChannelConfig(name=f"bank-{name}", kind=kind, urls=(url,),
                                      options={} if table is None else {"table": table}))
    wire_a = write(folder, "wire-a.rss", feed(
        item("a1", "Chevron to buy shale producer for $4.2 billion", STORY, 5),
        item("a2", "Apple shares slump as iPhone sales disappoint", "Apple Inc. said iPhone sales fell sharply, "
             "missing estimates; shares fell 6 percent.", 4),
        item("a3", "Steel mills cut output as demand for manufactured goods weakens",
             "Manufacturers and steel mills across Europe reported lower orders and cut factory output.", 3),
        item("a4", "Apple cuts factory output as demand for manufactured electronics weakens",
             "Apple Inc. and other manufacturers reported lower orders and cut factory output at plants.", 3)))
    wire_b = write(folder, "wire-b.rss", feed(
        item("b1", "UPDATE 1-Chevron to buy shale producer for $4.2 bln", STORY + " - Reuters", 2)))
    channels += [ChannelConfig(name="wire-a", kind="feed", urls=(wire_a,)),
                 ChannelConfig(name="wire-b", kind="feed", urls=(wire_b,))]
    days = [DAY - dt.timedelta(days=n) for n in range(60, 0, -1)]
    business = [d for d in days if d.weekday() < 5]
    values = [1.10 + 0.0005 * ((i * 7) % 5 - 2) for i in range(len(business))]
    values[-1] = values[-2] * 1.05  # a large move on the last business day
    rows = "".join(f"{d.isoformat()},{v:.5f}\n" for d, v in zip(business, values))
    fx = write(folder, "eurusd.csv", "Date,USD\n" + rows)
    channels.append(ChannelConfig(name="fx", kind="series_csv", urls=(fx,), options={
        "date_column": "Date", "columns": {"USD": {"key": "test.eurusd", "name": "EUR/USD", "unit": "USD per EUR"}}}))
    return channels


def refine(engine: Engine) -> None:
    for ids in pending_document_ranges(engine):
        analyse_documents(engine, ids, NOW)
    group_new_documents(engine)
    link_pending(engine, build_linker(engine))
    analyse_series(engine, DAY)
    write_pending_pulse(engine, DAY)


@pytest.fixture
def bank(engine: Engine, tmp_path: Path) -> Engine:
    results = gather_all(engine, *tiny_bank(tmp_path), now=NOW)
    assert all(r.status == "ok" for r in results), [(r.channel, r.error, r.problems) for r in results]
    refine(engine)
    return engine


def briefs_of(engine: Engine, **kwargs: object) -> dict[str, Brief]:
    briefs = compose_briefs(engine, period=DAY, until=NOW + dt.timedelta(hours=1), **kwargs)  # type: ignore[arg-type]
    return {brief.rm_ref: brief for brief in briefs}


def test_news_naming_the_rms_customer_comes_first_with_its_reason_and_sources(bank: Engine) -> None:
    brief = briefs_of(bank)["RM1"]
    first = brief.section("customers")[0]
    assert first.customer_ref == "C1" and "Chevron" in first.title
    assert "names your customer Chevron Corporation" in first.reason and "reported by 2 outlets" in first.reason
    assert any(s.startswith("document:") for s in first.sources) and any(s.startswith("event:") for s in first.sources)
    assert all(link.url.startswith("https://news.example/") for link in first.links)
    # The same story from two wires is one item, not two.
    assert len([i for i in brief.section("customers") if "Chevron" in i.title]) == 1


def test_a_brief_names_only_the_rms_own_customers(bank: Engine) -> None:
    briefs = briefs_of(bank)
    rm1, rm2 = briefs["RM1"], briefs["RM2"]
    assert set(rm1.customers) <= {"C1", "C2"} and "C3" not in repr(rm1.items)
    assert "Apple Inc." not in {i.customer_name for i in rm1.items}
    assert "C3" in rm2.customers and any(i.customer_ref == "C3" for i in rm2.section("customers"))


def test_the_window_is_what_arrived_since_the_rms_last_brief(bank: Engine) -> None:
    later = briefs_of(bank, since={"RM1": NOW + dt.timedelta(minutes=30)})
    assert later["RM1"].section("customers") == () and later["RM1"].window_start is not None
    assert later["RM2"].section("customers")  # RM2 had no brief yet: everything is new to them


def test_market_moves_matter_to_exposed_customers_and_carry_the_series(bank: Engine) -> None:
    moves = briefs_of(bank)["RM1"].section("markets")
    eurusd = next(i for i in moves if i.move and i.move.series_key == "test.eurusd")
    assert "Chevron Corporation" in eurusd.reason and eurusd.move.points[-1][0] <= DAY
    assert eurusd.move.change_kind == "relative" and eurusd.move.change > 0.03


def test_a_suggestion_is_a_shelf_product_the_customer_does_not_hold(bank: Engine) -> None:
    ideas = briefs_of(bank)["RM1"].section("suggestions")
    assert ideas and all(i.customer_ref in {"C1", "C2"} for i in ideas)
    chevron = next(i for i in ideas if i.customer_ref == "C1")
    assert chevron.detail["_product_ref"] in {"P2", "P3"}  # C1 already holds P1


def test_a_confidential_note_reaches_only_its_author(bank: Engine) -> None:
    from mi.notes import add_note

    add_note(bank, rm="RM2", customer="C1", text="Board plans to sell the Permian unit", noted_on=DAY,
             confidential=True)
    briefs = briefs_of(bank)
    mine = next(i for i in briefs["RM2"].section("customers") if i.customer_ref == "C1")
    assert "sell the Permian unit" in mine.detail.get("note", "")
    assert "Permian unit" not in repr(briefs["RM1"])


def test_an_item_naming_another_rms_customer_is_refused() -> None:
    book = RmBook(1, "RM1", "Ada", None, "en", customers={1: BookCustomer(
        1, "C1", "Chevron Corporation", "corporate", "US", "B", 1, 0.0, frozenset(), frozenset())})
    stray = BriefItem(section="customers", title="Apple slumps", summary="", reason="", score=1.0,
                      customer_ref="C3", customer_name="Apple Inc.")
    with pytest.raises(ConfidentialityError, match="RM1"):
        check_confidentiality(book, [stray])


def test_a_chinese_rm_reads_reasons_in_chinese() -> None:
    from mi.briefs.phrases import say

    assert say("zh", "names_customer", customer="工商银行") == "提及您的客户工商银行"
    assert say("fr", "names_customer", customer="X") == "names your customer X"  # English when none


def test_a_story_shown_for_a_customer_is_not_repeated_under_its_industry(bank: Engine) -> None:
    brief = briefs_of(bank)["RM1"]
    shown = {s for i in brief.section("customers") for s in i.sources if s.startswith("event:")}
    assert shown and not shown & {s for i in brief.section("industries") for s in i.sources}


def test_industry_news_naming_another_rms_customer_is_left_out(bank: Engine) -> None:
    """Apple is RM2's customer in manufacturing; RM1's book has a manufacturer too."""
    rm1 = briefs_of(bank)["RM1"]
    assert any(item.industry == "C" for item in rm1.section("industries"))  # the steel story is there
    assert not any("Apple" in item.title for item in rm1.items)


def test_a_story_on_a_market_with_an_anomaly_weighs_more_and_says_why(bank: Engine, tmp_path: Path) -> None:
    from mi.briefs.book import load_books
    from mi.briefs.material import load_material
    from mi.briefs.sections import customer_news

    with bank.connect() as conn:
        material = load_material(conn, since=None, until=NOW + dt.timedelta(hours=1), day=DAY)
        (book,) = load_books(conn, ["RM1"], notes_since=DAY - dt.timedelta(days=90))
    assert any(m.anomaly_score is not None and m.key == "test.eurusd" for m in material.moves)
    fx_story = next(n for n in material.news if n.companies)
    plain = next(i for i in customer_news(book, material) if f"document:{fx_story.document_id}" in i.sources)
    assert "moved unusually" not in plain.reason
    material.news = [dataclasses.replace(n, themes=("fx",)) if n.document_id == fx_story.document_id else n
                     for n in material.news]
    material.index()
    weighted = next(i for i in customer_news(book, material) if f"document:{fx_story.document_id}" in i.sources)
    assert "moved unusually" in weighted.reason and weighted.score > plain.score


def test_a_lead_is_cut_from_the_texts_opening_as_from_the_whole_text(bank: Engine) -> None:
    """Material reads only a text's opening; the lead quoted is the one the whole text gives,
    also when the opening is mostly whitespace or the text is shorter than what is read."""
    from sqlalchemy import select, update

    from mi.briefs.material import _HEAD_CHARS, _lead, load_material
    from mi.warehouse.models import Document

    texts = ["word " * 2000, " " * (_HEAD_CHARS + 10) + "late start " * 50, "\n" * (_HEAD_CHARS - 100) + "short",
             "x" * (_HEAD_CHARS * 2), "厦门港集装箱吞吐量同比增长" * 400, "a b"]
    with bank.begin() as conn:
        ids = conn.execute(select(Document.id).order_by(Document.id).limit(len(texts))).scalars().all()
        for document_id, text in zip(ids, texts):
            conn.execute(update(Document).where(Document.id == document_id).values(summary=None, text=text))
    with bank.connect() as conn:
        material = load_material(conn, since=None, until=NOW + dt.timedelta(hours=1), day=DAY)
    leads = {n.document_id: n.summary for n in material.news}
    assert [leads[document_id] for document_id in ids] == [_lead(text) for text in texts[:len(ids)]]
    assert leads[ids[1]].startswith("late start") and leads[ids[2]] == "short"


def test_batches_of_one_run_share_one_read_of_the_material_and_compose_the_same(bank: Engine) -> None:
    from mi.briefs.material import Material, MaterialShelf

    alone = {rm: briefs_of(bank, rm_refs=[rm], record_feedback=False)[rm] for rm in ("RM1", "RM2")}
    shelf = MaterialShelf()
    shared = {rm: compose_briefs(bank, period=DAY, until=NOW + dt.timedelta(hours=1), rm_refs=[rm], shelf=shelf,
                                 record_feedback=False)[0] for rm in ("RM1", "RM2")}
    assert {rm: b.items for rm, b in shared.items()} == {rm: b.items for rm, b in alone.items()}
    reads: list[int] = []

    def load() -> Material:
        reads.append(1)
        return Material(until=NOW)

    first = shelf.get(("day", 1), load)
    assert shelf.get(("day", 1), load) is first and reads == [1]  # the same key: read once
    assert shelf.get(("day", 2), load) is not first and reads == [1, 1]  # another day or window: read again
