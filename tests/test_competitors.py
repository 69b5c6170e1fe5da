"""Competitor product pages over real HTTP on loopback: offers, their changes, broken layouts.

Runs on SQLite and PostgreSQL (the ``engine`` fixture) on the bundled fabricated sample pages,
configured by the snapshot's channel fragment.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mi.gathering import gather_channel
from mi.records.channels import ChannelConfig, ConfigError
from mi.sources.competitors.page import CompetitorPageSource
from mi.sources.competitors.values import Amount, offer_key, parse_amount, parse_offer_date, parse_rate, parse_term
from mi.sources.config import load_channels
from mi.warehouse.models import RawItem
from mi.warehouse.offer_loading import OfferChange, offer_changes
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange
from tests.loopback import RecordedSite, Reply
from tests.test_gather import configure, count, make_transport

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshot" / "competitors"
CHANNELS = {c.name: c for c in load_channels(SNAPSHOT / "channels.fragment.yaml")}
FALKENRIED = "competitor-falkenried-conditions"
PAGE = (SNAPSHOT / "falkenried-bank-konditionen.html").read_text(encoding="utf-8")
HTML = "text/html; charset=utf-8"
DAY1 = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.timezone.utc)
DAY2, DAY3 = DAY1 + dt.timedelta(days=1), DAY1 + dt.timedelta(days=2)


def card(name: str, page: str = PAGE) -> str:
    """The product card of ``name`` on a Falkenried page."""
    cards = re.findall(r'<article class="product-card".*?</article>', page, flags=re.S)
    return next(c for c in cards if f">{name}<" in c)


def changed_page() -> str:
    """The next day's page: one rate up, a product gone, a new one in."""
    page = PAGE.replace("3,10&nbsp;% p.a.", "3,20&nbsp;% p.a.")
    page = page.replace(card("Festgeld 24 Monate"), "")
    new = card("Festgeld 12 Monate").replace("Festgeld 12 Monate", "Festgeld 36 Monate") \
        .replace("12 Monate", "36 Monate").replace("3,20&nbsp;%", "2,80&nbsp;%")
    return page.replace("</section>", new + "\n      </section>", 1)


def serve(site: RecordedSite, *pages: str) -> ChannelConfig:
    url = site.add("/konditionen", *(Reply(body=p.encode("utf-8"), content_type=HTML) for p in pages))
    return dataclasses.replace(CHANNELS[FALKENRIED], urls=(url,))


def offers(engine: Engine) -> dict[str, dict[str, object]]:
    with engine.connect() as conn:
        return {row.offer_key: row._asdict() for row in conn.execute(select(CompetitorOffer.__table__))}


def changes_on(engine: Engine, day: dt.datetime) -> set[tuple[str, str, str, str | None, str | None]]:
    return {(c.product_name, c.change, c.field, c.old_value, c.new_value)
            for c in offer_changes(engine, day.date()) if c.observed_on == day.date()}


def test_the_snapshot_pages_yield_their_offers_without_problems() -> None:
    found = {}
    for name, config in CHANNELS.items():
        parsed = CompetitorPageSource(config).parse(Path(config.url).read_bytes(), url=config.url, content_type=HTML)
        assert parsed.fatal is None and parsed.problems == [], name
        found[name] = {record.offer_key: record for record in parsed.records}
    assert [len(f) for f in found.values()] == [5, 6, 5]
    tagesgeld = found[FALKENRIED]["tagesgeld plus"]
    assert (tagesgeld.product_name, tagesgeld.category, tagesgeld.rate, tagesgeld.term, tagesgeld.min_amount,
            tagesgeld.fees, tagesgeld.valid_from) == (
        "Tagesgeld Plus¹", "deposit", 3.25, "täglich verfügbar", 1000.0, "kostenlos", dt.date(2026, 11, 1))
    assert tagesgeld.url == "https://www.falkenried-bank.example/sparen/tagesgeld"  # the page's canonical URL
    quayside = found["competitor-quayside-business-rates"]
    assert {k: (r.rate, r.term) for k, r in quayside.items() if k.startswith("business fixed")} == {
        "business fixed term deposit 6m": (2.85, "6M"), "business fixed term deposit 12m": (3.05, "12M"),
        "business fixed term deposit 24m": (3.15, "24M")}
    fx = quayside["fx forward contract 12m"]
    assert (fx.category, fx.rate, fx.min_amount, fx.valid_from) == ("fx", None, 50000.0, dt.date(2026, 6, 1))
    bergsee = found["competitor-bergsee-offers"]
    assert (bergsee["sparkonto plus"].rate, bergsee["sparkonto plus"].min_amount) == (1.1, 1000.0)
    assert bergsee["verwaltungsmandat ausgewogen"].min_amount == 250000.0
    assert bergsee["kmu betriebskredit"].url == "https://www.bergsee-privatbank.example/de/unternehmen/betriebskredit"


def rebuilt(page: str) -> str:
    """The same offers in a new deployment of the site: other bytes, same content."""
    return page.replace("main.9d81be2.js", "main.0c55e1a.js")


def test_a_rate_change_a_new_and_a_removed_product_are_recorded(engine: Engine, site: RecordedSite) -> None:
    channel = serve(site, PAGE, changed_page(), rebuilt(PAGE))
    configure(engine, channel)
    first = gather_channel(engine, channel, make_transport(), now=DAY1)
    assert first.status == "ok" and first.new == 5
    assert {c[1] for c in changes_on(engine, DAY1)} == {"new"} and len(changes_on(engine, DAY1)) == 5

    second = gather_channel(engine, channel, make_transport(), now=DAY2)
    assert second.status == "ok" and second.new == 3
    assert changes_on(engine, DAY2) == {
        ("Festgeld 12 Monate", "changed", "rate", "3.1", "3.2"),
        ("Festgeld 36 Monate", "new", "", None, None),
        ("Festgeld 24 Monate", "withdrawn", "", None, None),
    }
    state = offers(engine)
    assert state["festgeld 24 monate"]["withdrawn_at"] == DAY2
    assert state["festgeld 12 monate"]["rate"] == 3.2 and state["festgeld 12 monate"]["last_seen"] == DAY2
    assert state["festgeld 36 monate"]["first_seen"] == DAY2 and state["festgeld 36 monate"]["term"] == "36M"
    assert state["tagesgeld plus"]["first_seen"] == DAY1 and state["tagesgeld plus"]["last_seen"] == DAY2

    third = gather_channel(engine, channel, make_transport(), now=DAY3)
    assert third.status == "ok" and third.new == 3
    assert changes_on(engine, DAY3) == {
        ("Festgeld 12 Monate", "changed", "rate", "3.2", "3.1"),
        ("Festgeld 36 Monate", "withdrawn", "", None, None),
        ("Festgeld 24 Monate", "reintroduced", "", None, None),
    }
    assert offers(engine)["festgeld 24 monate"]["withdrawn_at"] is None


def test_a_page_reverting_to_earlier_bytes_is_read_again(engine: Engine, site: RecordedSite) -> None:
    channel = serve(site, PAGE, changed_page(), PAGE)
    configure(engine, channel)
    for day in (DAY1, DAY2):
        gather_channel(engine, channel, make_transport(), now=day)
    third = gather_channel(engine, channel, make_transport(), now=DAY3)
    assert third.new == 3 and offers(engine)["festgeld 24 monate"]["withdrawn_at"] is None


def test_offer_changes_lists_changes_with_competitor_product_and_category(engine: Engine, site: RecordedSite) -> None:
    channel = serve(site, PAGE, changed_page())
    configure(engine, channel)
    for day in (DAY1, DAY2):
        gather_channel(engine, channel, make_transport(), now=day)
    listed = offer_changes(engine, DAY2.date())
    assert len(listed) == 3 and all(isinstance(c, OfferChange) for c in listed)
    rate = next(c for c in listed if c.change == "changed")
    assert (rate.observed_on, rate.competitor, rate.product_name, rate.category, rate.field, rate.old_value,
            rate.new_value) == (DAY2.date(), "Falkenried Bank AG", "Festgeld 12 Monate", "deposit", "rate",
                                "3.1", "3.2")
    with engine.connect() as conn:
        assert len(offer_changes(conn, DAY1.date())) == 8


def test_a_layout_change_fails_the_channel_and_withdraws_nothing(engine: Engine, site: RecordedSite) -> None:
    redesigned = PAGE.replace('class="product-card"', 'class="tile tile--product"')
    channel = serve(site, PAGE, redesigned)
    configure(engine, channel)
    gather_channel(engine, channel, make_transport(), now=DAY1)
    before = count(engine, CompetitorOfferChange)
    result = gather_channel(engine, channel, make_transport(), now=DAY2)
    assert result.status == "failed"
    assert "layout changed? item selector 'article.product-card' matched nothing on the page" in result.error
    assert count(engine, CompetitorOfferChange) == before
    assert all(o["withdrawn_at"] is None and o["last_seen"] == DAY1 for o in offers(engine).values())
    with engine.connect() as conn:
        statuses = conn.execute(select(RawItem.parse_status).order_by(RawItem.id)).scalars().all()
    assert statuses == ["parsed", "quarantined"]


def test_items_without_any_name_are_a_layout_change_too(engine: Engine, site: RecordedSite) -> None:
    channel = serve(site, PAGE, PAGE.replace("product-card__title", "product-card__headline"))
    configure(engine, channel)
    gather_channel(engine, channel, make_transport(), now=DAY1)
    result = gather_channel(engine, channel, make_transport(), now=DAY2)
    assert result.status == "failed"
    assert "layout changed? name selector '.product-card__title' matched nothing in any of the 5 items" in result.error
    assert all(o["withdrawn_at"] is None for o in offers(engine).values())


def test_a_field_selector_that_finds_nothing_keeps_the_known_values(engine: Engine, site: RecordedSite) -> None:
    channel = serve(site, PAGE, PAGE.replace("conditions__rate", "conditions__interest"))
    configure(engine, channel)
    gather_channel(engine, channel, make_transport(), now=DAY1)
    result = gather_channel(engine, channel, make_transport(), now=DAY2)
    assert result.status == "partial" and result.new == 0
    assert any("rate selector '.conditions__rate' matched nothing" in p for p in result.problems)
    assert offers(engine)["festgeld 12 monate"]["rate"] == 3.1 and changes_on(engine, DAY2) == set()


def test_the_same_page_twice_a_day_adds_nothing(engine: Engine, site: RecordedSite) -> None:
    # The second fetch differs only in a token, as real pages do: a new raw item, no changes.
    rerendered = PAGE.replace("main.9d81be2.js", "main.9d81be2.js?csrf=81f0c2")
    channel = serve(site, PAGE, PAGE, rerendered)
    configure(engine, channel)
    first = gather_channel(engine, channel, make_transport(), now=DAY1)
    snapshot = (count(engine, CompetitorOffer), count(engine, CompetitorOfferChange))
    again = gather_channel(engine, channel, make_transport(), now=DAY1 + dt.timedelta(hours=2))
    rerun = gather_channel(engine, channel, make_transport(), now=DAY1 + dt.timedelta(hours=4))
    assert first.new == 5 and again.new == 0 and rerun.new == 0
    assert again.status == rerun.status == "ok"
    assert (count(engine, CompetitorOffer), count(engine, CompetitorOfferChange)) == snapshot
    assert count(engine, RawItem) == 2


def test_a_field_changed_twice_in_a_day_keeps_the_net_change(engine: Engine, site: RecordedSite) -> None:
    up = PAGE.replace("3,10&nbsp;% p.a.", "3,20&nbsp;% p.a.")
    further = PAGE.replace("3,10&nbsp;% p.a.", "3,30&nbsp;% p.a.")
    channel = serve(site, PAGE, up, further, rebuilt(PAGE))
    configure(engine, channel)
    gather_channel(engine, channel, make_transport(), now=DAY1)
    gather_channel(engine, channel, make_transport(), now=DAY2)
    gather_channel(engine, channel, make_transport(), now=DAY2 + dt.timedelta(hours=6))
    assert changes_on(engine, DAY2) == {("Festgeld 12 Monate", "changed", "rate", "3.1", "3.3")}
    gather_channel(engine, channel, make_transport(), now=DAY2 + dt.timedelta(hours=12))
    assert changes_on(engine, DAY2) == set()  # back where the day started
    assert offers(engine)["festgeld 12 monate"]["rate"] == 3.1


def test_channel_options_are_checked_when_the_channel_starts() -> None:
    base = CHANNELS[FALKENRIED]

    def with_options(**options: object) -> ChannelConfig:
        return dataclasses.replace(base, options={**base.options, **options})

    broken = {
        "option 'competitor': must not be empty": with_options(competitor=" "),
        "option 'selectors.item': is required": with_options(selectors={"name": "h3"}),
        "option 'selectors.item': 'div[' is not valid CSS": with_options(selectors={"item": "div[", "name": "h3"}),
        "option 'selectors.item': the item selector needs CSS": with_options(selectors={"item": "@id", "name": "h3"}),
        "option 'selectors.price': unknown setting (known: category, fees, item, link, min_amount, name, rate, "
        "term, valid_from)": with_options(selectors={"item": "a", "name": "b", "price": "c"}),
        "option 'key_includes_term': must be yes or no": with_options(key_includes_term="sometimes"),
        "option 'date_order': 'ymd' is not one of 'dmy' or 'mdy'": with_options(date_order="ymd"),
        "option 'competitors': unknown option (known: category, competitor, date_order, key_includes_term, "
        "selectors)": with_options(competitors="Falkenried"),
        "one page per competitor_page channel": dataclasses.replace(base, urls=("http://a.example/1",
                                                                                "http://a.example/2")),
    }
    for message, config in broken.items():
        with pytest.raises(ConfigError) as error:
            CompetitorPageSource(config)
        assert str(error.value).startswith(f"channel {FALKENRIED!r} (competitor_page): {message}"), str(error.value)


def test_a_name_listed_twice_keeps_the_first_and_says_so() -> None:
    config = ChannelConfig(name="t", kind="competitor_page", urls=("http://bank.example/rates",),
                           options={"competitor": "T", "selectors": {"item": "tr", "name": ".n", "rate": ".r",
                                                                      "term": ".t"}})
    body = ("<table><tr><td class=n>Festgeld</td><td class=t>12 Monate</td><td class=r>3,0 %</td></tr>"
            "<tr><td class=n>Festgeld</td><td class=t>24 Monate</td><td class=r>3,2 %</td></tr>"
            "<tr><td class=n></td><td class=r>1 %</td></tr></table>").encode()
    parsed = CompetitorPageSource(config).parse(body, url=config.url, content_type=HTML)
    assert [r.rate for r in parsed.records] == [3.0]
    assert any("key_includes_term" in p for p in parsed.problems)
    assert any("no product name" in p for p in parsed.problems)
    by_term = dataclasses.replace(config, options={**config.options, "key_includes_term": True})
    parsed = CompetitorPageSource(by_term).parse(body, url=config.url, content_type=HTML)
    assert [r.offer_key for r in parsed.records] == ["festgeld 12m", "festgeld 24m"]


# -- reading the figures ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "rate"), [
    ("3,25 %", 3.25), ("3.25% p.a.", 3.25), ("bis zu 4,1 %", 4.1), ("up to 4.10% AER", 4.1),
    ("ab 4,95 % p.a. (eff. Jahreszins ab 5,07 %)", 4.95), ("1,5 – 3,0 %", 1.5), ("−0,50 %", -0.5),
    ("-0.75%", -0.75), ("5 Prozent", 5.0), ("2,40", 2.4), ("gültig ab 31.12. 3,0 %", 3.0),
    ("Zins: variabel", None), ("n/a", None), ("", None),
])
def test_rates(text: str, rate: float | None) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize(("text", "amount"), [
    ("€ 10.000", Amount(10000.0, "EUR")), ("10.000 €", Amount(10000.0, "EUR")),
    ("USD 5,000", Amount(5000.0, "USD")), ("CHF 1'000", Amount(1000.0, "CHF")),
    ("CHF 1'000.–", Amount(1000.0, "CHF")), ("10.000,00 EUR", Amount(10000.0, "EUR")),
    ("€10,000.50", Amount(10000.5, "EUR")), ("1 000 €", Amount(1000.0, "EUR")),
    ("ab 500 Euro", Amount(500.0, "EUR")), ("2,5 Mio. EUR", Amount(2_500_000.0, "EUR")),
    ("£250k", Amount(250_000.0, "GBP")), ("Fr. 250'000", Amount(250_000.0, "CHF")),
    ("99.95", Amount(99.95, None)), ("keine", None),
])
def test_amounts(text: str, amount: Amount | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("text", "term"), [
    ("12 Monate", "12M"), ("1 year", "12M"), ("1 Jahr", "12M"), ("one year", "12M"), ("2 years", "24M"),
    ("24 months", "24M"), ("6 Mon.", "6M"), ("1,5 Jahre", "18M"), ("90 Tage", "90D"), ("4 weeks", "4W"),
    ("1 – 10 Jahre", "12M-120M"), ("1 to 5 years", "12M-60M"), ("Laufzeit: bis 24 Monate", "24M"),
    ("ab 5 Jahren empfohlen", "60M"), ("täglich verfügbar", "täglich verfügbar"), ("", None),
])
def test_terms(text: str, term: str | None) -> None:
    assert parse_term(text) == term


@pytest.mark.parametrize(("text", "day_first", "day"), [
    ("gültig ab 01.11.2026", True, dt.date(2026, 11, 1)), ("valid from 1 November 2026", True, dt.date(2026, 11, 1)),
    ("2026-11-03", True, dt.date(2026, 11, 3)), ("01.11.26", True, dt.date(2026, 11, 1)),
    ("1. Nov. 2026", True, dt.date(2026, 11, 1)), ("seit 3. März 2026", True, dt.date(2026, 3, 3)),
    ("November 1, 2026", True, dt.date(2026, 11, 1)), ("1st of November 2026", True, dt.date(2026, 11, 1)),
    ("01/11/2026", True, dt.date(2026, 11, 1)), ("01/11/2026", False, dt.date(2026, 1, 11)),
    ("31.02.2026", True, None), ("ab sofort", True, None),
])
def test_dates(text: str, day_first: bool, day: dt.date | None) -> None:
    assert parse_offer_date(text, day_first=day_first) == day


def test_offer_keys_ignore_case_spacing_and_footnote_marks() -> None:
    assert offer_key("Tagesgeld Plus¹") == offer_key("  TAGESGELD   plus* ") == "tagesgeld plus"
    assert offer_key("KMU-Investitionskredit®") == "kmu investitionskredit"
