"""The bundled sample news (snapshot/news/): three wires that read cleanly, dated on the
sample morning, naming customers of most RMs' books, with re-runs that group into events.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mi.analysis.dedupe import DedupeItem, group_duplicates
from mi.refining.entities import build_linker
from mi.sources.config import load_channels
from mi.warehouse.book import Coverage, Customer
from mi.warehouse.models import Channel, Document
from tests.helpers import gather_all

ROOT = Path(__file__).parent.parent
NEWS = ROOT / "snapshot" / "news"
MORNING = dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.timezone.utc)  # the daily run, 06:00 in Frankfurt
FIRST, LAST = dt.datetime(2026, 11, 26, 6, 30, tzinfo=dt.timezone.utc), dt.datetime(2026, 11, 27, 4, 15,
                                                                                      tzinfo=dt.timezone.utc)
BOOK_CHANNELS = ("bank-relationship-managers", "bank-customers", "bank-coverage")


def origins() -> list[dict[str, str]]:
    with open(NEWS / "ORIGINS.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def gather_news(engine: Engine, *, with_book: bool = False) -> list:
    channels = load_channels(NEWS / "channels.fragment.yaml")
    if with_book:
        book = [c for c in load_channels(ROOT / "snapshot" / "bank" / "channels.fragment.yaml")
                if c.name in BOOK_CHANNELS]
        channels = [*book, *channels]
    return gather_all(engine, *channels, now=MORNING)


def documents(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(Document.id, Document.title, Document.text, Document.published_at,
                                   Document.external_id, Channel.name.label("channel"))
                            .join(Channel, Channel.id == Document.channel_id)).all()


def test_every_wire_reads_cleanly_with_every_item_dated_on_the_sample_morning(engine: Engine) -> None:
    results = gather_news(engine)
    assert [(r.channel, r.status, r.problems) for r in results] == \
        [(name, "ok", ()) for name in ("markets-wire", "company-wire", "sector-wire")]
    rows = origins()
    loaded = documents(engine)
    assert Counter(d.channel for d in loaded) == Counter(row["feed"] for row in rows)
    assert {d.external_id for d in loaded} == {row["guid"] for row in rows}  # every item has its origin
    assert all(FIRST <= d.published_at.replace(tzinfo=dt.timezone.utc) <= LAST for d in loaded)
    assert all(d.title and d.text for d in loaded)
    assert {row["dataset"] for row in rows} == {"twitter-financial-news-sentiment", "FinEntity"}
    assert (NEWS / "LICENSE-twitter-financial-news-sentiment.txt").exists() and (NEWS / "LICENSE-FinEntity.md").exists()
    # The same files gathered again add nothing.
    assert all(r.new == 0 for r in gather_news(engine))


def test_the_news_names_customers_of_most_rms_books_some_with_good_and_bad_news(engine: Engine) -> None:
    gather_news(engine, with_book=True)
    linker = build_linker(engine)
    assert linker is not None
    label_of = {row["guid"]: row["source_label"] for row in origins()}
    labels: dict[int, set[str]] = {}  # company -> the headline set's labels of the news naming it
    for d in documents(engine):
        for link in linker.link(d.title, d.text):
            labels.setdefault(link.company_id, set()).add(label_of[d.external_id])
    linked = set(labels)
    with engine.connect() as conn:
        covered = conn.execute(select(Coverage.rm_id, Customer.company_id)
                               .join(Customer, Customer.id == Coverage.customer_id)).all()
    customers = {company for _, company in covered if company in linked}
    rms = {rm for rm, company in covered if company in linked}
    all_rms = {rm for rm, _ in covered}
    # At generation: 111 customers, 30 of 34 RMs (the 4 private bankers cover no companies).
    # The margin leaves room for a linker that grows more careful.
    assert len(customers) >= 80
    assert len(rms) >= 25 and len(rms) > 0.7 * len(all_rms)
    # Some customers have a bearish and a bullish story on the same morning.
    assert sum(1 for found in labels.values() if {"bearish", "bullish"} <= found) >= 5


def test_re_run_stories_group_into_events_across_wires(engine: Engine) -> None:
    gather_news(engine)
    loaded = documents(engine)
    groups = group_duplicates([DedupeItem(d.id, d.title, d.text, d.published_at, d.channel) for d in loaded])
    spanning = Counter(len(g.channels) for g in groups if g.is_duplicate)
    reruns = sum(1 for row in origins() if row["constructed"].startswith("re-run"))
    assert spanning[3] >= 3 and spanning[2] + spanning[3] >= 15
    assert sum(len(g.doc_ids) - 1 for g in groups if g.is_duplicate) <= reruns + 3  # no stray merges
