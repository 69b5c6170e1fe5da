"""Intraday alerts: what breached a threshold since the last checks, and which RMs it reaches.

Two kinds of event, each with a stable key so that a later check recognises it:

- **news** (``news:event:<id>``, or ``news:doc:<id>`` for a story in no event): a story that
  arrived within the window and reads negative for a company that is one of the bank's
  customers (the per-company tone when the linker measured one, else the story's own
  sentiment), at or below ``max_tone``. It reaches the RMs who cover that customer.
- **market** (``market:<series key>:<date>``): a series' latest point is an anomaly scoring
  at least ``min_anomaly_score``, or moved at least ``min_move`` (relative, prices) or
  ``min_move_points`` (rates, percentages) from the point before. It reaches the RMs with a
  customer exposed to it (``mi.briefs.relevance.exposed``: currencies for trading
  industries and hedgers, rates for borrowers, energy for producers and heavy users …).

Each alert names only the RM's own customers. Rendering is short: a subject, a few lines of
text, the same as escaped HTML, and a webhook card.
"""
from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from mi.briefs.book import BookCustomer, RmBook, load_books
from mi.briefs.material import MarketMove, load_material
from mi.briefs.relevance import move_kind
from mi.briefs.relevance import exposed as is_exposed
from mi.records.briefs import Brief, Rendered
from mi.warehouse.analysis import DocumentEntity

#: A market move's latest point older than this is not intraday news.
FRESH_DAYS = 3
SHOWN_CUSTOMERS = 3


@dataclass(frozen=True)
class AlertThresholds:
    min_anomaly_score: float = 3.5
    min_move: float = 0.02  # a price's change from the point before, relative
    min_move_points: float = 0.15  # a rate's change from the point before, in points
    max_tone: float = -0.3  # a story reads at or below this for the customer
    window_hours: float = 6.0  # news that arrived within this many hours


@dataclass(frozen=True)
class AlertEvent:
    key: str
    kind: str  # news, market
    title: str
    detail: str
    url: str | None = None


@dataclass(frozen=True)
class RmAlert:
    event: AlertEvent
    rm_ref: str
    rm_name: str
    rm_email: str | None
    language: str
    customers: tuple[str, ...]  # the RM's own customers it concerns, largest first


@dataclass
class _Reach:
    event: AlertEvent
    books: dict[str, tuple[RmBook, list[BookCustomer]]] = field(default_factory=dict)


def find_alerts(conn: Connection, *, now: dt.datetime, day: dt.date,
                thresholds: AlertThresholds = AlertThresholds()) -> list[RmAlert]:
    """Every (event, RM) pair that breaches a threshold now; the caller keeps each once."""
    since = now - dt.timedelta(hours=thresholds.window_hours)
    material = load_material(conn, since=since, until=now, day=day)
    books = load_books(conn, None, notes_since=day)
    reaches: list[_Reach] = _news_reaches(conn, material.news, books, thresholds)
    reaches += _market_reaches(material.moves, books, day, thresholds)
    alerts = []
    for reach in reaches:
        for book, customers in reach.books.values():
            ranked = sorted(customers, key=lambda c: (-c.balance, c.ref))
            alerts.append(RmAlert(reach.event, book.rm_ref, book.name, book.email, book.language,
                                  tuple(c.name for c in ranked)))
    return sorted(alerts, key=lambda a: (a.event.key, a.rm_ref))


def _news_reaches(conn: Connection, news: list, books: list[RmBook], thresholds: AlertThresholds) -> list[_Reach]:
    if not news:
        return []
    by_company: dict[int, list[tuple[RmBook, BookCustomer]]] = defaultdict(list)
    for book in books:
        for company_id, customer in book.by_company.items():
            by_company[company_id].append((book, customer))
    ids = [item.document_id for item in news]
    tones = {(row.document_id, row.company_id): row.tone_score for row in conn.execute(
        select(DocumentEntity.document_id, DocumentEntity.company_id, DocumentEntity.tone_score)
        .where(DocumentEntity.document_id.in_(ids)))}
    reaches: dict[str, _Reach] = {}
    for item in news:
        for company_id in item.companies:
            if company_id not in by_company:
                continue
            tone = tones.get((item.document_id, company_id))
            score = tone if tone is not None else (item.sentiment_score if item.sentiment == "negative" else 0.0)
            if score > thresholds.max_tone:
                continue
            key = f"news:event:{item.event_id}" if item.event_id else f"news:doc:{item.document_id}"
            reach = reaches.setdefault(key, _Reach(AlertEvent(
                key, "news", item.title or "(untitled)", item.summary,
                item.url if item.url and item.url.startswith(("http://", "https://")) else None)))
            for book, customer in by_company[company_id]:
                entry = reach.books.setdefault(book.rm_ref, (book, []))
                if customer not in entry[1]:
                    entry[1].append(customer)
    return list(reaches.values())


def breach(move: MarketMove, day: dt.date, thresholds: AlertThresholds) -> str | None:
    """Why this series' latest point is alert-worthy, or None."""
    if len(move.points) < 2:
        return None
    (before_day, before), (last_day, last) = move.points[-2], move.points[-1]
    if (day - last_day).days > FRESH_DAYS or last_day > day:
        return None
    reasons = []
    if move.anomaly_date == last_day and move.anomaly_score is not None \
            and abs(move.anomaly_score) >= thresholds.min_anomaly_score:
        reasons.append(f"an unusual move (score {move.anomaly_score:+.1f})")
    points = move_kind(move) == "rates" or "%" in move.unit or "percent" in move.unit.lower()
    if points and abs(last - before) >= thresholds.min_move_points:
        reasons.append(f"{last - before:+.2f} points")
    elif not points and before and abs(last / before - 1) >= thresholds.min_move:
        reasons.append(f"{(last / before - 1):+.1%}")
    if not reasons:
        return None
    return f"{move.name}: {last:g} on {last_day.isoformat()} (from {before:g} on {before_day.isoformat()}), " \
           + " and ".join(reasons)


def _market_reaches(moves: list[MarketMove], books: list[RmBook], day: dt.date,
                    thresholds: AlertThresholds) -> list[_Reach]:
    reaches = []
    for move in moves:
        why = breach(move, day, thresholds)
        if why is None:
            continue
        kind = move_kind(move)
        reach = _Reach(AlertEvent(f"market:{move.key}:{move.points[-1][0].isoformat()}", "market", move.name, why))
        for book in books:
            customers = [c for c in book.customers.values() if is_exposed(c, move, kind)]
            if customers:
                reach.books[book.rm_ref] = (book, customers)
        if reach.books:
            reaches.append(reach)
    return reaches


_WORDS = {
    "en": {"alert": "Alert", "customers": "Your customers concerned", "source": "Source",
           "news": "Negative news on your customer", "market": "Market move your customers feel"},
    "zh": {"alert": "提醒", "customers": "涉及您的客户", "source": "来源",
           "news": "您的客户的负面新闻", "market": "影响您客户的市场波动"},
}


@dataclass(frozen=True)
class AlertBrief(Brief):
    """An alert as the delivery channels take a brief: its key is the event's and the RM's,
    so two alerts to one RM on one day are two messages with two Message-IDs."""

    event_key: str = ""

    @property
    def key(self) -> str:
        return f"alert:{self.rm_ref}:{self.event_key.replace(':', '-')}"


def render_alert(alert: RmAlert, *, now: dt.datetime, bank_name: str) -> tuple[Brief, Rendered]:
    words = _WORDS.get(alert.language, _WORDS["en"])
    event = alert.event
    shown = list(alert.customers[:SHOWN_CUSTOMERS])
    more = len(alert.customers) - len(shown)
    customers = ", ".join(shown) + (f" (+{more})" if more > 0 else "")
    subject = f"[{words['alert']}] {' '.join(event.title.split())[:150]}"
    lines = [words[event.kind], "", event.title, event.detail, "", f"{words['customers']}: {customers}"]
    if event.url:
        lines.append(f"{words['source']}: {event.url}")
    text = "\n".join(line for line in lines) + f"\n\n{bank_name}\n"
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
    if event.url:
        body += f'<p><a href="{html.escape(event.url, quote=True)}">{html.escape(words["source"])}</a></p>'
    page = (f'<!DOCTYPE html><html lang="{html.escape(alert.language)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(subject)}</title></head><body>{body}</body></html>")
    brief = AlertBrief(rm_ref=alert.rm_ref, rm_name=alert.rm_name, rm_email=alert.rm_email, language=alert.language,
                       kind="alert", period=now.date(), window_start=None, window_end=now, items=(),
                       customers=tuple(alert.customers), event_key=event.key)
    card = {"title": subject, "text": f"{event.title}\n{event.detail}\n{words['customers']}: {customers}",
            "kind": event.kind, "event": event.key, **({"url": event.url} if event.url else {})}
    return brief, Rendered(brief_key=brief.key, subject=subject, html=page, text=text, language=alert.language,
                           card=card)


def staff_digest(alerts: list[RmAlert], *, now: dt.datetime, staff: str, bank_name: str) -> tuple[Brief, Rendered]:
    """One message to the market-information staff: each event that fired and whom it reached."""
    by_event: dict[str, list[RmAlert]] = defaultdict(list)
    for alert in alerts:
        by_event[alert.event.key].append(alert)
    lines = [f"{len(by_event)} event(s) fired, {len(alerts)} alert(s) to RMs, {now:%Y-%m-%d %H:%M} UTC", ""]
    for key, reached in sorted(by_event.items()):
        event = reached[0].event
        lines.append(f"- {event.title} [{key}]: {event.detail[:200]}")
        lines.append(f"  RMs: {', '.join(sorted(a.rm_ref for a in reached))}")
    subject = f"[Alert digest] {len(by_event)} event(s), {len(alerts)} RM alert(s)"
    text = "\n".join(lines) + f"\n\n{bank_name}\n"
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head>'
            f"<body><pre>{html.escape(text)}</pre></body></html>")
    digest_key = "digest:" + now.strftime("%Y%m%dT%H%M%S")
    brief = AlertBrief(rm_ref="staff", rm_name="Market information", rm_email=staff, language="en", kind="alert",
                       period=now.date(), window_start=None, window_end=now, items=(), event_key=digest_key)
    return brief, Rendered(brief_key=brief.key, subject=subject, html=page, text=text, language="en",
                           card={"title": subject, "text": text})


def health_message(changes: list, *, now: dt.datetime, staff: str, bank_name: str) -> tuple[Brief, Rendered]:
    """One message to the staff for the source-health episodes one check opened or cleared
    (``mi.refining.health.HealthChange``): each is told once when it opens and once when it clears."""
    opened = [c for c in changes if c.change == "opened"]
    cleared = [c for c in changes if c.change == "cleared"]
    lines = [f"Source health at {now:%Y-%m-%d %H:%M} UTC: {len(opened)} problem(s) new, {len(cleared)} cleared", ""]
    lines += [f"- {c.channel}: {c.condition} - {c.detail}" for c in opened]
    lines += [f"- {c.channel}: {c.condition} cleared (was: {c.detail})" for c in cleared]
    lines += ["", "`mi channels` shows every channel's health."]
    subject = (f"[Source health] {', '.join(sorted({c.channel for c in opened}))[:150]}: problem" if opened
               else f"[Source health] {', '.join(sorted({c.channel for c in cleared}))[:150]}: recovered")
    text = "\n".join(lines) + f"\n\n{bank_name}\n"
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head>'
            f"<body><pre>{html.escape(text)}</pre></body></html>")
    brief = AlertBrief(rm_ref="staff", rm_name="Market information", rm_email=staff, language="en", kind="alert",
                       period=now.date(), window_start=None, window_end=now, items=(),
                       event_key="health:" + now.strftime("%Y%m%dT%H%M%S.%f"))
    return brief, Rendered(brief_key=brief.key, subject=subject, html=page, text=text, language="en",
                           card={"title": subject, "text": text})
