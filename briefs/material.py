"""What a batch of briefs is made from, read from the warehouse once per batch of RMs.

Every RM's brief draws on the same day: the documents that arrived, their analysis and
links, the industry pulse, the market moves, the competitors' changes, the product shelf.
Reading them once and composing each RM's brief in memory keeps a 500-RM bank to a few
queries, not thousands. Nothing here decides what an RM sees; ``mi.briefs.compose`` does.
"""
from __future__ import annotations

import datetime as dt
import heapq
import threading
from collections import defaultdict
from operator import itemgetter
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, func, select

from mi.warehouse.analysis import (
    DocumentAnalysis,
    DocumentEntity,
    Event,
    IndustryPulse,
    SeriesAnomaly,
    SeriesForecast,
    SeriesMetric,
)
from mi.warehouse.book import Customer
from mi.warehouse.models import Channel, Document, Observation, RawItem, Series
from mi.warehouse.products import CompetitorOffer, CompetitorOfferChange, Product

#: Points of a series a brief shows (about a month of business days).
CHART_POINTS = 22
#: How far back an anomaly still makes a move worth showing.
ANOMALY_DAYS = 7
_CHUNK = 500
#: A quoted lead's length, and how much of a text is read to cut it from.
_LEAD_CHARS = 280
_HEAD_CHARS = 2000
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)  # slots: a brief run holds the whole window's stories
class NewsItem:
    document_id: int
    title: str
    summary: str
    url: str | None
    channel: str
    published_at: dt.datetime | None
    fetched_at: dt.datetime
    language: str | None
    industries: tuple[str, ...]
    themes: tuple[str, ...]
    sentiment: str
    sentiment_score: float
    event_id: int | None
    outlets: int  # channels that carried the event
    copies: int  # documents in the event
    companies: tuple[int, ...]  # linked company ids


@dataclass(frozen=True)
class MarketMove:
    series_id: int
    key: str
    name: str
    unit: str
    industry: str | None
    points: tuple[tuple[dt.date, float], ...]
    change_1d: float | None
    change_1w: float | None
    anomaly_date: dt.date | None
    anomaly_score: float | None
    forecast_low: float | None
    forecast_high: float | None
    #: When the latest point reached the warehouse (its payload's fetch time); None if unknown.
    arrived: dt.datetime | None = None


@dataclass(frozen=True)
class OfferChange:
    change_id: int
    competitor: str
    product_name: str
    category: str | None
    change: str  # new, changed, withdrawn, reintroduced
    field: str
    old_value: str | None
    new_value: str | None
    url: str | None
    observed_on: dt.date
    #: When the page that showed the change was fetched (else the start of its day).
    arrived: dt.datetime


@dataclass(frozen=True)
class ShelfProduct:
    id: int
    ref: str
    name: str
    category: str
    target_segment: str | None
    target_industries: tuple[str, ...]


@dataclass(frozen=True)
class SectionStories:
    """An industry's stories (``Material.section_stories``), each with its rank (strongest 0)."""

    open_to_all: list[tuple[int, NewsItem]]
    #: (rank, story, the bank's customers it names) of the stories naming any, by each of those
    naming: dict[int, list[tuple[int, NewsItem, frozenset[int]]]]

    def readable_by(self, own: Set[int]) -> Iterator[NewsItem]:
        """The stories an RM whose book holds the companies ``own`` may read, strongest first:
        those naming no customer of the bank, and those naming only the RM's own."""
        mine: dict[int, NewsItem] = {}
        for company in own:
            for rank, news, named in self.naming.get(company, ()):
                if named <= own:
                    mine[rank] = news
        merged = heapq.merge(self.open_to_all, sorted(mine.items()), key=itemgetter(0))
        return (news for _, news in merged)


@dataclass
class Material:
    """The day's news, moves and offer changes, and the shelf, for every brief of a batch."""

    until: dt.datetime
    news: list[NewsItem] = field(default_factory=list)
    news_by_company: dict[int, list[NewsItem]] = field(default_factory=dict)
    pulse: dict[str, dict[str, float | str | int]] = field(default_factory=dict)  # section -> the day's row
    moves: list[MarketMove] = field(default_factory=list)
    offer_changes: list[OfferChange] = field(default_factory=list)
    shelf: list[ShelfProduct] = field(default_factory=list)
    #: Companies that are customers of the bank (any RM's): a story naming one that is not in
    #: an RM's book is not shown to that RM as industry news.
    bank_companies: frozenset[int] = frozenset()
    #: Indexes built once per batch (``index``): every RM's brief looks the same things up.
    by_section: dict[str, list[NewsItem]] = field(default_factory=dict)
    themes_of: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: Each move's kind, change and size by series id (``sections.move_facts``), filled once
    #: per batch by composition: every RM's brief weighs the same moves.
    move_facts: dict[int, tuple[str, float, str, float]] = field(default_factory=dict)
    #: ``section_stories`` by section, built on first use.
    _stories: dict[str, SectionStories] = field(default_factory=dict, repr=False)

    def section_stories(self, section: str) -> SectionStories:
        """The section's stories strongest first, split once per batch into those that name
        no customer of the bank (any RM may read them) and those that do, with the bank's
        customers each names: only an RM whose book holds them all may read it."""
        found = self._stories.get(section)
        if found is None:
            open_to_all: list[tuple[int, NewsItem]] = []
            naming: dict[int, list[tuple[int, NewsItem, frozenset[int]]]] = defaultdict(list)
            for rank, news in enumerate(self.by_section.get(section, ())):
                named = self.bank_companies.intersection(news.companies)
                if not named:
                    open_to_all.append((rank, news))
                    continue
                for company in named:
                    naming[company].append((rank, news, named))
            found = self._stories[section] = SectionStories(open_to_all, dict(naming))
        return found

    def index(self) -> Material:
        """Fill the lookups: news by company and by industry (strongest story first), themes."""
        by_company: dict[int, list[NewsItem]] = defaultdict(list)
        by_section: dict[str, list[NewsItem]] = defaultdict(list)
        for item in self.news:
            for company in item.companies:
                by_company[company].append(item)
            for section in item.industries:
                by_section[section].append(item)
        self.news_by_company = dict(by_company)
        self.by_section = {section: sorted(items, key=lambda n: (-story_weight(n), n.document_id))
                           for section, items in by_section.items()}
        self._stories = {}
        self.themes_of = {item.document_id: item.themes for item in self.news}
        return self


class MaterialShelf:
    """The day's material kept from one batch of a brief run for the next: read once per run,
    not once per batch of ``MI_BRIEF_BATCH`` RMs (at 5,000 RMs and 100,000 documents the
    ten reads were a third of the brief stage). Holds one day's material at a time; a batch
    whose window or day differs reads its own and replaces it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[object, ...] | None = None
        self._material: Material | None = None

    def get(self, key: tuple[object, ...], load: Callable[[], Material]) -> Material:
        with self._lock:
            if self._material is None or self._key != key:
                self._material = None  # let the old day go before the new one is read
                self._material, self._key = load(), key
            return self._material


def story_weight(news: NewsItem) -> float:
    """A story's weight: its tone's strength and how many outlets and copies carried it."""
    return 1.0 + abs(news.sentiment_score) + 0.3 * (news.outlets - 1) + 0.1 * min(news.copies - 1, 5)


def load_material(conn: Connection, *, since: dt.datetime | None, until: dt.datetime, day: dt.date) -> Material:
    """Everything that arrived in [since, until) (all of it when ``since`` is None)."""
    material = Material(until=until)
    material.news = _news(conn, since, until)
    material.pulse = _pulse(conn, day)
    material.moves = _moves(conn, day)
    material.offer_changes = _offer_changes(conn, since, until)
    material.shelf = _shelf(conn)
    material.bank_companies = frozenset(conn.execute(
        select(Customer.company_id).where(Customer.company_id.is_not(None))).scalars())
    return material.index()


def _news(conn: Connection, since: dt.datetime | None, until: dt.datetime) -> list[NewsItem]:
    """The window's stories, read a chunk of rows at a time (a large bank's window holds
    100,000 documents: their text heads are never all in memory at once); values every story
    repeats (channel, language, industries, themes, tone) are kept once."""
    arrived = [Document.fetched_at < until] + ([Document.fetched_at >= since] if since else [])
    links: dict[int, list[int]] = defaultdict(list)
    for document_id, company_id in conn.execute(
            select(DocumentEntity.document_id, DocumentEntity.company_id)
            .join(Document, Document.id == DocumentEntity.document_id).where(*arrived)):
        links[document_id].append(company_id)
    # Only a lead is quoted: the text's opening is read (in full only when its whitespace
    # leaves too little of it for a lead), never the whole article of every document.
    head = func.substr(Document.text, 1, _HEAD_CHARS).label("text")
    result = conn.execution_options(yield_per=_CHUNK).execute(
        select(Document.id, Document.title, Document.summary, head, Document.url, Channel.name,
               Document.published_at, Document.fetched_at, Document.language, DocumentAnalysis.industries,
               DocumentAnalysis.themes,
               DocumentAnalysis.sentiment_label, DocumentAnalysis.sentiment_score, DocumentAnalysis.event_id,
               Event.channel_count, Event.document_count)
        .join(DocumentAnalysis, DocumentAnalysis.document_id == Document.id)
        .join(Channel, Channel.id == Document.channel_id)
        .outerjoin(Event, Event.id == DocumentAnalysis.event_id)
        .where(*arrived).order_by(Document.id))
    seen: dict[Any, Any] = {}

    def kept(value: _T) -> _T:
        return seen.setdefault(value, value)

    news: list[NewsItem] = []
    for rows in result.partitions():
        short = [row.id for row in rows if not row.summary and row.text and len(row.text) >= _HEAD_CHARS
                 and len(" ".join(row.text.split())) <= _LEAD_CHARS]
        full: dict[int, str] = dict(conn.execute(select(Document.id, Document.text)
                                                 .where(Document.id.in_(short))).all()) if short else {}
        news.extend(NewsItem(
            document_id=row.id, title=row.title or "",
            summary=_lead(row.summary or full.get(row.id, row.text) or ""), url=row.url,
            channel=kept(row.name), published_at=row.published_at, fetched_at=row.fetched_at,
            language=kept(row.language), industries=kept(tuple(row.industries or ())),
            themes=kept(tuple(row.themes or ())), sentiment=kept(row.sentiment_label),
            sentiment_score=float(row.sentiment_score or 0.0), event_id=row.event_id,
            outlets=int(row.channel_count or 1), copies=int(row.document_count or 1),
            companies=kept(tuple(sorted(set(links.pop(row.id, ())))))) for row in rows)
    return news


def _lead(text: str, size: int = _LEAD_CHARS) -> str:
    """The opening of a text, cut at a word: what a brief quotes."""
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    cut = text[:size].rsplit(" ", 1)[0]
    return cut + "\u2026"


def _pulse(conn: Connection, day: dt.date) -> dict[str, dict[str, float | str | int]]:
    rows = conn.execute(select(IndustryPulse).where(IndustryPulse.day == day)).all()
    return {row.section: {"documents": row.documents, "baseline": row.baseline, "volume_z": row.volume_z,
                          "sentiment": row.sentiment, "sentiment_trend": row.sentiment_trend,
                          "competitor_changes": row.competitor_changes, "label": row.label} for row in rows}


def _moves(conn: Connection, day: dt.date) -> list[MarketMove]:
    """Each series' latest metrics (as of ``day`` or before), last points, recent anomaly, forecast band."""
    latest = (select(SeriesMetric.series_id, func.max(SeriesMetric.as_of).label("as_of"))
              .where(SeriesMetric.as_of <= day).group_by(SeriesMetric.series_id).subquery())
    metrics = {row.series_id: row for row in conn.execute(
        select(SeriesMetric).join(latest, and_(latest.c.series_id == SeriesMetric.series_id,
                                               latest.c.as_of == SeriesMetric.as_of)))}
    if not metrics:
        return []
    series = {row.id: row for row in conn.execute(select(Series).where(Series.id.in_(list(metrics))))}
    anomalies: dict[int, SeriesAnomaly] = {}
    for row in conn.execute(select(SeriesAnomaly).where(SeriesAnomaly.series_id.in_(list(metrics)))
                            .order_by(SeriesAnomaly.date)):
        anomalies[row.series_id] = row  # the latest one wins
    forecasts: dict[int, SeriesForecast] = {}
    for row in conn.execute(select(SeriesForecast).where(SeriesForecast.series_id.in_(list(metrics)))
                            .order_by(SeriesForecast.as_of.desc(), SeriesForecast.date.desc())):
        forecasts[row.series_id] = row  # ends on the earliest date of the newest forecast
    moves = []
    for series_id, metric in metrics.items():
        points, arrived = _points(conn, series_id)
        if not points:
            continue
        anomaly = anomalies.get(series_id)
        recent = anomaly is not None and (points[-1][0] - anomaly.date).days <= ANOMALY_DAYS
        forecast = forecasts.get(series_id)
        info = series[series_id]
        moves.append(MarketMove(
            series_id=series_id, key=info.key, name=info.name, unit=info.unit, industry=info.industry,
            points=points, change_1d=metric.change_1d, change_1w=metric.change_1w,
            anomaly_date=anomaly.date if recent else None, anomaly_score=anomaly.score if recent else None,
            forecast_low=forecast.lower if forecast else None, forecast_high=forecast.upper if forecast else None,
            arrived=arrived))
    return moves


def _points(conn: Connection, series_id: int) -> tuple[tuple[tuple[dt.date, float], ...], dt.datetime | None]:
    """The last points of a series at their latest vintage, oldest first, and when the
    newest of them arrived (its payload's fetch time)."""
    rows = conn.execute(select(Observation.date, Observation.vintage, Observation.value, RawItem.fetched_at)
                        .outerjoin(RawItem, RawItem.id == Observation.raw_item_id)
                        .where(Observation.series_id == series_id)
                        .order_by(Observation.date.desc(), Observation.vintage.desc())
                        .limit(CHART_POINTS * 4)).all()
    seen: dict[dt.date, float] = {}
    arrived: dt.datetime | None = None
    for day, _vintage, value, fetched_at in rows:
        if day not in seen:
            seen[day] = value
            if fetched_at is not None and (arrived is None or fetched_at > arrived):
                arrived = fetched_at
    return tuple(sorted(seen.items()))[-CHART_POINTS:], arrived


def _offer_changes(conn: Connection, since: dt.datetime | None, until: dt.datetime) -> list[OfferChange]:
    where = [CompetitorOfferChange.observed_on <= until.date()]
    if since is not None:
        where.append(CompetitorOfferChange.observed_on >= since.date())
    rows = conn.execute(
        select(CompetitorOfferChange.id, CompetitorOffer.competitor, CompetitorOffer.product_name,
               CompetitorOffer.category, CompetitorOfferChange.change, CompetitorOfferChange.field,
               CompetitorOfferChange.old_value, CompetitorOfferChange.new_value, CompetitorOffer.url,
               CompetitorOfferChange.observed_on, RawItem.fetched_at)
        .join(CompetitorOffer, CompetitorOffer.id == CompetitorOfferChange.offer_id)
        .outerjoin(RawItem, RawItem.id == CompetitorOfferChange.raw_item_id)
        .where(*where).order_by(CompetitorOfferChange.id)).all()
    return [OfferChange(row.id, row.competitor, row.product_name, row.category, row.change, row.field,
                        row.old_value, row.new_value, row.url, row.observed_on,
                        row.fetched_at or dt.datetime.combine(row.observed_on, dt.time(), dt.timezone.utc))
            for row in rows if row.fetched_at is None or row.fetched_at < until]


def _shelf(conn: Connection) -> list[ShelfProduct]:
    rows = conn.execute(select(Product).where(Product.status == "active").order_by(Product.product_ref))
    return [ShelfProduct(row.id, row.product_ref, row.name, row.category, row.target_segment,
                         tuple(row.target_industries or ())) for row in rows]
