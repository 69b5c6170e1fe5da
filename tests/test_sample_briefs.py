"""Every sample RM's brief over the bundled snapshot: gathered and refined by the real code,
composed and rendered; checked for confidentiality across the whole sample book."""
from __future__ import annotations

import datetime as dt
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
        analyse_documents(engine, ids, dt.datetime.now(dt.timezone.utc))
    group_new_documents(engine)
    link_pending(engine, build_linker(engine))
    analyse_series(engine, DAY)
    write_pending_pulse(engine, DAY)
    # Until after everything gathered above arrived (not a time taken when the module loaded).
    until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)
    briefs = compose_briefs(engine, period=DAY, until=until, record_feedback=False)
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
    """Another RM's customer appears nowhere in a brief: not among its customers, not in a
    reason, an industry story, a move, a suggestion or a decision, and no customer number of
    theirs anywhere in the HTML or the text. Only a public headline about the RM's own
    customer may also name other companies (a news item is shown as published)."""
    engine, briefs, rendered = sample
    book = books(engine)
    everyone = {ref: name for customers in book.values() for ref, name in customers.items()}
    for brief, message in zip(briefs, rendered, strict=True):
        own = book[brief.rm_ref]
        others = {ref: name for ref, name in everyone.items() if ref not in own}
        assert set(brief.customers) <= set(own), brief.rm_ref
        assert {i.customer_ref for i in brief.items if i.customer_ref} <= set(own)
        for item in brief.items:
            fields = [item.reason, item.customer_name or "", *item.detail.values()]
            if item.section != "customers":
                fields += [item.title, item.summary]
            text = _flat(" ".join(fields))
            for name in sorted(own.values(), key=len, reverse=True):  # "FedEx Freight" is not "FedEx"
                text = text.replace(name, "")
            for ref, name in others.items():
                assert name not in text, (brief.rm_ref, item.section, name)
        for part in (message.text, message.html):
            for ref in others:
                assert not re.search(rf"\b{re.escape(ref)}\b", part), (brief.rm_ref, ref)


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


def test_the_china_desk_reads_chinese_news_about_its_customers_in_a_chinese_brief(
        sample: tuple[Engine, list[Brief], list[Rendered]]) -> None:
    """Issue 13: the China desk's RMs get their brief in Chinese, with stories from the
    Chinese wires about the Chinese listed companies they cover."""
    engine, briefs, rendered = sample
    china = {b.rm_ref: (b, r) for b, r in zip(briefs, rendered, strict=True) if b.rm_ref in ("RM035", "RM036")}
    assert set(china) == {"RM035", "RM036"}
    for brief, message in china.values():
        assert brief.language == "zh" and "您的客户" in message.html
        stories = brief.section("customers")
        assert stories and all(i.customer_ref in books(engine)[brief.rm_ref] for i in stories)
        assert any(re.search(r"[\u4e00-\u9fff]", i.title) for i in stories)  # Chinese headlines
