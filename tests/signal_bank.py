"""A small bank for the signal tests: six RMs, their customers, a shelf, a competitor's
offers, a launched product behind target, and notes written through the warehouse's own
note recording (so only covered customers can be noted)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Engine, select

from mi.records.channels import ChannelConfig
from mi.records.notes import NoteDraft
from mi.warehouse.book import Coverage, Customer, Holding, RelationshipManager
from mi.warehouse.loading import sync_channels
from mi.warehouse.note_loading import record_notes
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange, Product, ProductMetric

DAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.timezone.utc)
# customer ref -> (name, rm, ISIC section, balance)
CUSTOMERS = {
    "C1": ("Acme Tools Ltd", "RM1", "C", 30e6), "C2": ("Borealis Shipping plc", "RM2", "H", 50e6),
    "C3": ("Cobalt Foods GmbH", "RM3", "C", 20e6), "C4": ("Delta Retail Inc.", "RM4", "G", 10e6),
    "C5": ("Evergreen Farms", "RM5", "A", 5e6), "C6": ("Zephyr Holdings", "RM6", "K", 80e6),
    "C7": ("Fjord Energy AS", "RM1", "D", 40e6), "C8": ("Granite Builders", "RM2", "F", 15e6),
    "C9": ("Helix Pharma AG", "RM3", "C", 25e6), "C10": ("Iris Textiles", "RM4", "C", 8e6),
}
PRODUCTS = [  # ref, name, category, launch_date, uptake_target, cost
    ("P1", "FX Forward", "fx", dt.date(2013, 6, 3), 180, 250000.0),
    ("P2", "Business Term Deposit", "term_deposit", dt.date(2014, 3, 3), 250, 90000.0),
    ("P9", "Dynamic Discounting Platform", "supply_chain_finance", dt.date(2025, 9, 1), 40, 380000.0),
]


def seed_bank(engine: Engine) -> None:
    with engine.begin() as conn:
        rms = {f"RM{i}": conn.execute(RelationshipManager.__table__.insert().values(
            rm_ref=f"RM{i}", name=f"Manager {i}", email=f"rm{i}@bank.example")
            .returning(RelationshipManager.id)).scalar_one() for i in range(1, 7)}
        products = {ref: conn.execute(Product.__table__.insert().values(
            product_ref=ref, name=name, category=category, launch_date=launched, uptake_target=target, cost=cost,
            target_industries=[], status="active").returning(Product.id)).scalar_one()
            for ref, name, category, launched, target, cost in PRODUCTS}
        for ref, (name, rm, section, balance) in CUSTOMERS.items():
            customer_id = conn.execute(Customer.__table__.insert().values(
                customer_ref=ref, name=name, segment="corporate", country="GB", isic_section=section)
                .returning(Customer.id)).scalar_one()
            conn.execute(Coverage.__table__.insert().values(rm_id=rms[rm], customer_id=customer_id))
            conn.execute(Holding.__table__.insert().values(customer_id=customer_id, product_id=products["P2"],
                                                           balance=balance))
        # P9 launched 2025-09: far behind its 40-customer target.
        month = dt.date(2025, 9, 1)
        for n in range(15):
            conn.execute(ProductMetric.__table__.insert().values(
                product_id=products["P9"], date=month, customers=2 + n, volume=1e6 * (n + 1), revenue=1500.0 * (n + 1)))
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        config = ChannelConfig(name="competitor-quayside", kind="competitor_page",
                               urls=("https://quayside.example/rates",))
        channel_id = sync_channels(conn, [config])["competitor-quayside"]
        seen = dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc)
        conn.execute(CompetitorOffer.__table__.insert().values(
            channel_id=channel_id, competitor="Quayside Commercial Bank", offer_key="business fixed term deposit",
            product_name="Business Fixed Term Deposit", category="deposit", rate=3.4, industries=[],
            url="https://quayside.example/deposits", first_seen=seen, last_seen=seen))


def add_competitor_launch(engine: Engine, day: dt.date) -> None:
    """The competitor launches a supplier-finance platform on ``day`` (new evidence)."""
    with engine.begin() as conn:
        channel_id = conn.execute(select(CompetitorOffer.channel_id)).scalars().first()
        when = dt.datetime.combine(day, dt.time(), dt.timezone.utc)
        offer_id = conn.execute(CompetitorOffer.__table__.insert().values(
            channel_id=channel_id, competitor="Quayside Commercial Bank", offer_key="supplier finance",
            product_name="Quayside Supplier Finance", category="trade", rate=None, industries=[],
            url="https://quayside.example/supplier-finance", first_seen=when, last_seen=when)
            .returning(CompetitorOffer.id)).scalar_one()
        conn.execute(CompetitorOfferChange.__table__.insert().values(offer_id=offer_id, observed_on=day, change="new"))


def note(engine: Engine, rm: str, customer: str, text: str, *, day: dt.date = DAY, tags: Iterable[str] = (),
         confidential: bool = False) -> None:
    with engine.begin() as conn:
        (outcome,) = record_notes(conn, [NoteDraft(rm=rm, customer=customer, noted_on=day, text=text,
                                                   tags=tuple(tags), confidential=confidential)]).outcomes
    assert outcome.status != "rejected", outcome.reason
