"""Every sample RM's brief over the bundled snapshot: gathered and refined by the real code,
composed and rendered; checked for confidentiality across the whole sample book."""
from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mi.briefing import render
from mi.briefs.compose import compose_briefs
from mi.gathering import gather_channel
from mi.records.briefs import Brief, Rendered
from mi.refining.documents import analyse_documents, pending_document_ranges
from mi.refining.entities import build_linker, link_pending
from mi.refining.events import group_new_documents
from mi.refining.pulse import write_pending_pulse
from mi.refining.series import analyse_series
from mi.runtime import Runtime
from mi.settings import Settings
from mi.warehouse.book import Coverage, Customer, RelationshipManager
from mi.warehouse.loading import sync_channels
from mi.warehouse.models import Document
from mi.warehouse.products import CompetitorOffer

ROOT = Path(__file__).resolve().parents[1]
#: The sample's morning (the bundled news is dated the day before and early that day).
DAY = dt.date(2026, 11, 27)
UNTIL = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)
#: The largest histories add only time here.
SKIPPED = {"ecb-eurofxref-history", "shiller-sp500-monthly"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, list[Brief], list[Rendered]]]:
    folder = tmp_path_factory.mktemp("sample")
    settings = Settings.from_env({"MI_DATA_DIR": str(folder), "MI_CHANNELS": str(ROOT / "config" /
                                                                                 "channels.snapshot.yaml")})
    runtime = Runtime(settings)
    engine = runtime.engine
    with engine.begin() as conn:
        sync_channels(conn, runtime.channels)
    for config in runtime.select(None):
        if config.name not in SKIPPED:
            gather_channel(engine, config, runtime.transport, limits=settings.limits)
    for ids in pending_document_ranges(engine):
        analyse_documents(engine, ids, UNTIL)
    group_new_documents(engine)
    link_pending(engine, build_linker(engine))
    analyse_series(engine, DAY)
    write_pending_pulse(engine, DAY)
    briefs = compose_briefs(engine, period=DAY, until=UNTIL, record_feedback=False)
    yield engine, briefs, [render(settings, brief) for brief in briefs]
    engine.dispose()


def books(engine: Engine) -> dict[str, dict[str, str]]:
    """Each RM's customers: ref -> name."""
    with engine.connect() as conn:
        rows = conn.execute(select(RelationshipManager.rm_ref, Customer.customer_ref, Customer.name)
                            .join(Coverage, Coverage.rm_id == RelationshipManager.id)
                            .join(Customer, Customer.id == Coverage.customer_id)).all()
    found: dict[str, dict[str, str]] = {}
    for rm, ref, name in rows:
        found.setdefault(rm, {})[ref] = name
    return found


def test_every_sample_rm_gets_a_brief_and_most_read_about_their_own_customers(
        sample: tuple[Engine, list[Brief], list[Rendered]]) -> None:
    engine, briefs, rendered = sample
    assert len(briefs) == len(books(engine)) == len(rendered)
    with_news = [b.rm_ref for b in briefs if b.section("customers")]
    assert len(with_news) >= len(briefs) // 2, with_news


def test_no_brief_names_another_rms_customer_in_html_or_text(
        sample: tuple[Engine, list[Brief], list[Rendered]]) -> None:
    engine, briefs, rendered = sample
    book = books(engine)
    everyone = {ref: name for customers in book.values() for ref, name in customers.items()}
    for brief, message in zip(briefs, rendered, strict=True):
        own = book[brief.rm_ref]
        assert set(brief.customers) <= set(own), brief.rm_ref
        assert {i.customer_ref for i in brief.items if i.customer_ref} <= set(own)
        # Public headlines about the RM's own customers may name other companies; everything
        # else in the brief (reasons, industries, markets, suggestions, names) may not.
        public = {text for i in brief.section("customers") for text in (i.title, i.summary)}
        for part in (_flat(message.text), _flat(html.unescape(message.html))):
            # The RM's own name is on the brief (a private customer elsewhere may share it).
            for text in [*public, *sorted(own.values(), key=len, reverse=True), brief.rm_name]:
                part = part.replace(_flat(text), "")  # what is left names no customer of this RM
            for ref, name in everyone.items():
                if ref in own:
                    continue
                assert not re.search(rf"\b{re.escape(ref)}\b", part), (brief.rm_ref, ref)
                assert name not in part, (brief.rm_ref, name)


def _flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (the text part wraps)."""
    return " ".join(text.split())


def test_every_link_in_every_brief_points_at_a_stored_source(
        sample: tuple[Engine, list[Brief], list[Rendered]]) -> None:
    engine, briefs, _ = sample
    with engine.connect() as conn:
        stored = {u for u in conn.execute(select(Document.url)).scalars() if u}
        stored |= {u for u in conn.execute(select(CompetitorOffer.url)).scalars() if u}
    links = [link.url for brief in briefs for item in brief.items for link in item.links]
    assert links and all(url in stored for url in links)
