"""A small bank for the desk's tests, built through the real pipeline: the book, products and
two news wires gathered from files by the real channel kinds and refined (the brief tests'
``tiny_bank``), a third wire of hostile stories, RMs' notes (one hostile, one confidential)
grouped into a demand signal, a launched product with figures, each RM's brief delivered
once to the .eml outbox, and desk accounts for every role.

RM1 covers C1 Chevron and C2 Acme Tools; RM2 covers C3 Apple and C1 Chevron too.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, select

from mi.briefing import brief_batch
from mi.delivery.config import channels_from_settings
from mi.desk.accounts import create_account
from mi.records.channels import ChannelConfig
from mi.records.notes import NoteDraft
from mi.settings import Settings
from mi.signals.build import refresh_signals
from mi.signals.reading import pending_note_ranges, read_notes
from mi.warehouse.note_loading import record_notes
from mi.warehouse.products import Product, ProductMetric
from tests.helpers import gather_all
from tests.test_brief_compose import NOW, feed, item, refine, tiny_bank, write

DAY = NOW.date()
#: The desk's clock in the tests: an hour after the sample morning's news...
CLOCK = NOW + dt.timedelta(hours=1)


_SECONDS = itertools.count()


def ticking(start: dt.datetime = CLOCK) -> Callable[[], dt.datetime]:
    """...moving on a second each time any desk of the tests reads it, as a real one would
    between requests (so a decision taken in one app is in the past for the next)."""
    return lambda: start + dt.timedelta(seconds=next(_SECONDS))
PASSWORD = "correct horse battery"
ACCOUNTS = {"rm1": ("rm", "RM1"), "rm2": ("rm", "RM2"), "product": ("product", None), "staff": ("staff", None),
            "admin": ("admin", None)}
#: Whose customers are whose alone (C1 is covered by both RMs).
ONLY = {"RM1": {"C2": "Acme Tools Ltd"}, "RM2": {"C3": "Apple Inc."}}
SCRIPT = "<script>alert('desk')</script>"
HOSTILE_TITLE = f"Chevron {SCRIPT} <img src=x onerror=alert(2)> wins contract"
HOSTILE_NOTE = "Treasurer <img src=x onerror=alert(3)> asks about FX forwards; </textarea><script>alert(4)</script>"
NOTES = [  # rm, customer, text, confidential
    ("RM1", "C2", "CFO wants to hedge 60% of next year's USD receivables with forwards.", False),
    ("RM2", "C3", "Treasurer wnts a rolling hedge on incoming EUR payments from customers, abt EUR 5m a qtr", False),
    ("RM1", "C1", HOSTILE_NOTE, False),
    ("RM1", "C1", "Project Nightingale: board plans to sell its chemicals arm; strictly internal", True),
]


def build_desk_bank(engine: Engine, folder: Path) -> Settings:
    """The bank above in ``engine``; returns settings whose outbox is under ``folder``."""
    channels = tiny_bank(folder)
    hostile = write(folder, "wire-h.rss", feed(
        item("h1", HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;"),
             "Chevron Corporation won a large supply contract. &lt;script&gt;alert(5)&lt;/script&gt;", 1)))
    channels.append(ChannelConfig(name="wire-h", kind="feed", urls=(hostile,)))
    results = gather_all(engine, *channels, now=NOW)
    assert all(r.status == "ok" for r in results), [(r.channel, r.error, r.problems) for r in results]
    refine(engine)
    with engine.begin() as conn:
        outcomes = record_notes(conn, [NoteDraft(rm=rm, customer=customer, noted_on=DAY, text=text,
                                                 confidential=secret, source="test")
                                       for rm, customer, text, secret in NOTES]).outcomes
        assert all(o.status != "rejected" for o in outcomes), [o.reason for o in outcomes]
        product_id = conn.execute(select(Product.id).where(Product.product_ref == "P3")).scalar_one()
        conn.execute(Product.__table__.update().where(Product.id == product_id).values(
            launch_date=dt.date(2026, 1, 5), uptake_target=40, cost=120000.0))
        month = dt.date(2026, 1, 1)
        for n in range(11):
            conn.execute(ProductMetric.__table__.insert().values(product_id=product_id, date=month, customers=2 + 2 * n,
                                                                 volume=1e5 * (n + 1), revenue=4000.0 * (n + 1)))
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    for ids in pending_note_ranges(engine):
        read_notes(engine, ids)
    refresh_signals(engine, as_of=DAY)
    settings = Settings.from_env({"MI_DATA_DIR": str(folder), "MI_OUTBOX_DIR": str(folder / "outbox")})
    brief_batch(engine, settings, ["RM1", "RM2"], period=DAY, until=NOW + dt.timedelta(minutes=30),
                channels=channels_from_settings(settings), run_id="0f0e0d0c-0b0a-4909-8807-060504030201")
    for username, (role, rm_ref) in ACCOUNTS.items():
        create_account(engine, username, PASSWORD, role=role, rm_ref=rm_ref,
                       display_name=None if rm_ref else username.title())
    return settings
