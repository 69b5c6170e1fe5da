"""Evidence from outside the bank for a candidate signal, with links.

For a need and the industries of the customers asking for it: competitors' offers in the
need's category and their recent changes (a launch, a better rate), market series moves
that drive the need (an FX anomaly behind more hedging requests), the industry pulse of
those industries, and recent news on the need's themes. Each item says whether it
supports or weakens the signal; links are http(s) only. Read once per run
(``load_market``) and matched per signal in memory.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import Connection, select

from mi.signals.vocabulary import Need
from mi.warehouse.analysis import DocumentAnalysis, IndustryPulse, SeriesAnomaly
from mi.warehouse.models import Channel, Document, Series
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange, Product

#: How far back a competitor change, a market move, a pulse or a story still counts.
CHANGE_DAYS, MOVE_DAYS, PULSE_DAYS, NEWS_DAYS = 90, 30, 14, 14
NEWS_ITEMS = 3


@dataclass(frozen=True)
class Evidence:
    ref: str  # stable id of what it stands on: offer:12, offer_change:5, anomaly:3:2026-11-20, ...
    kind: str  # competitor_offer, competitor_change, market_move, pulse, news
    title: str
    url: str | None
    observed_on: dt.date | None
    stance: str = "supports"  # supports, weakens


@dataclass
class Market:
    """What the run's signals draw their evidence from, read once."""

    offers: list[tuple[int, str, str, str | None, float | None, str | None]] = field(default_factory=list)
    changes: list[tuple[int, int, dt.date, str, str, str | None, str | None]] = field(default_factory=list)
    anomalies: list[tuple[int, str, str, dt.date, float, str | None]] = field(default_factory=list)
    pulse: list[tuple[str, dt.date, str, float]] = field(default_factory=list)
    news: list[tuple[int, str, str | None, dt.date, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    shelf: dict[str, list[str]] = field(default_factory=dict)  # category -> active product refs


def load_market(conn: Connection, as_of: dt.date) -> Market:
    market = Market()
    market.offers = [tuple(r) for r in conn.execute(  # type: ignore[misc]
        select(CompetitorOffer.id, CompetitorOffer.competitor, CompetitorOffer.product_name,
               CompetitorOffer.category, CompetitorOffer.rate, CompetitorOffer.url)
        .where(CompetitorOffer.withdrawn_at.is_(None)).order_by(CompetitorOffer.id))]
    market.changes = [tuple(r) for r in conn.execute(  # type: ignore[misc]
        select(CompetitorOfferChange.id, CompetitorOfferChange.offer_id, CompetitorOfferChange.observed_on,
               CompetitorOfferChange.change, CompetitorOfferChange.field, CompetitorOfferChange.old_value,
               CompetitorOfferChange.new_value)
        .where(CompetitorOfferChange.observed_on.between(as_of - dt.timedelta(days=CHANGE_DAYS), as_of))
        .order_by(CompetitorOfferChange.id))]
    market.anomalies = [(r.series_id, f"{r.key} {r.name} {r.unit}".casefold(), r.name, r.date, r.change,
                         r.url) for r in conn.execute(
        select(SeriesAnomaly.series_id, Series.key, Series.name, Series.unit, SeriesAnomaly.date,
               SeriesAnomaly.change, Channel.url)
        .join(Series, Series.id == SeriesAnomaly.series_id).outerjoin(Channel, Channel.id == Series.channel_id)
        .where(SeriesAnomaly.date.between(as_of - dt.timedelta(days=MOVE_DAYS), as_of))
        .order_by(SeriesAnomaly.date.desc(), SeriesAnomaly.series_id))]
    market.pulse = [(r.section, r.day, r.label, r.volume_z) for r in conn.execute(
        select(IndustryPulse.section, IndustryPulse.day, IndustryPulse.label, IndustryPulse.volume_z)
        .where(IndustryPulse.day.between(as_of - dt.timedelta(days=PULSE_DAYS), as_of))
        .order_by(IndustryPulse.day.desc()))]
    start = dt.datetime.combine(as_of - dt.timedelta(days=NEWS_DAYS), dt.time(), dt.timezone.utc)
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    for row in conn.execute(
            select(Document.id, Document.title, Document.url, Document.published_at, Document.fetched_at,
                   DocumentAnalysis.themes, DocumentAnalysis.industries)
            .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
            .where(DocumentAnalysis.duplicate_of.is_(None), Document.fetched_at >= start, Document.fetched_at < end)
            .order_by(Document.id.desc())):
        if row.themes:
            when = (row.published_at or row.fetched_at).date()
            market.news.append((row.id, row.title or "", row.url, when, tuple(row.themes), tuple(row.industries or ())))
    for category, ref in conn.execute(select(Product.category, Product.product_ref)
                                      .where(Product.status == "active").order_by(Product.product_ref)):
        market.shelf.setdefault(category, []).append(ref)
    return market


def _link(url: str | None) -> str | None:
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    return url.strip() if url and parts.scheme in ("http", "https") and parts.hostname else None


def competitor_offers(market: Market, need: Need) -> list[tuple[int, str, str, str | None, float | None, str | None]]:
    words = tuple(w.casefold() for w in need.offer_words)
    return [offer for offer in market.offers
            if (offer[3] or "") in need.competitor_categories or any(w in offer[2].casefold() for w in words)]


def evidence_for(market: Market, need: Need | None, sections: set[str]) -> list[Evidence]:
    """The outside evidence of a signal of ``need`` among customers in ``sections``."""
    found: list[Evidence] = []
    if need is None:
        return found
    offers = {offer[0]: offer for offer in competitor_offers(market, need)}
    for offer_id, competitor, name, _category, rate, url in offers.values():
        rate_text = f" at {rate:g}%" if rate is not None else ""
        found.append(Evidence(f"offer:{offer_id}", "competitor_offer", f"{competitor} offers {name}{rate_text}",
                              _link(url), None))
    for change_id, offer_id, observed_on, change, field_name, old, new in market.changes:
        if offer_id not in offers:
            continue
        competitor, name, url = offers[offer_id][1], offers[offer_id][2], offers[offer_id][5]
        what = {"new": "launched", "reintroduced": "reintroduced", "withdrawn": "withdrew"}.get(change)
        title = (f"{competitor} {what} {name}" if what else
                 f"{competitor} changed {field_name or 'terms'} of {name}: {old or '-'} -> {new or '-'}")
        stance = "weakens" if change == "withdrawn" else "supports"
        found.append(Evidence(f"offer_change:{change_id}", "competitor_change", title, _link(url), observed_on, stance))
    words = tuple(w.casefold() for w in need.series_words)
    seen_series: set[int] = set()
    for series_id, haystack, name, day, change, url in market.anomalies:
        if series_id in seen_series or not words or not any(w in haystack for w in words):
            continue
        seen_series.add(series_id)  # the latest move of each series
        found.append(Evidence(f"anomaly:{series_id}:{day.isoformat()}", "market_move",
                              f"{name} moved {change:+.2%} on {day.isoformat()}", _link(url), day))
    seen_sections: set[str] = set()
    for section, day, label, volume_z in market.pulse:
        if section not in sections or section in seen_sections or label == "steady":
            continue
        seen_sections.add(section)  # the latest day that was not steady
        found.append(Evidence(f"pulse:{section}:{day.isoformat()}", "pulse",
                              f"Industry {section} news {label} (volume z {volume_z:+.1f}) on {day.isoformat()}",
                              None, day, "supports" if label == "heating" else "weakens"))
    themes = set(need.themes)
    picked = 0
    for document_id, title, url, day, doc_themes, industries in market.news:
        if picked >= NEWS_ITEMS or not themes & set(doc_themes) or (industries and not sections & set(industries)):
            continue
        picked += 1
        found.append(Evidence(f"document:{document_id}", "news", title, _link(url), day))
    return found
