"""An RM's brief as composed, before any template sees it.

Composition (``briefs/compose``) decides what goes in and why; rendering (HTML, text,
webhook JSON) only shows it. Every item keeps the reason it is there, the stored sources
it stands on (for the audit trail of a delivery) and links that point at those sources.
Texts in these records are data, never markup: renderers escape them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: The sections of a brief, in the order an RM reads them.
SECTIONS = ("customers", "industries", "markets", "competitors", "suggestions", "decisions")
#: What a delivery is: the morning brief, or an intraday alert.
KINDS = ("daily", "alert")


@dataclass(frozen=True)
class Link:
    url: str  # http or https only; composition drops anything else
    label: str


@dataclass(frozen=True)
class Move:
    """A market series' move behind an item: the last points, and the forecast band."""

    series_key: str
    unit: str
    points: tuple[tuple[dt.date, float], ...]  # oldest first, a few weeks at most
    change: float  # over the horizon shown, relative for prices, in points for rates
    change_kind: str  # "relative" or "points"
    anomaly_score: float | None = None
    forecast_low: float | None = None
    forecast_high: float | None = None


@dataclass(frozen=True)
class BriefItem:
    section: str  # one of SECTIONS
    title: str
    summary: str
    #: Why the item is in this RM's brief, in the RM's words ("names your customer ...").
    reason: str
    score: float  # ranking weight within its section
    customer_ref: str | None = None
    customer_name: str | None = None
    industry: str | None = None  # ISIC Rev.4 section letter
    sentiment: str | None = None  # positive, negative, neutral
    when: dt.datetime | None = None  # published (news) or observed (moves, offer changes)
    links: tuple[Link, ...] = ()
    #: The stored rows the item stands on, e.g. ("document:123", "event:7"): what the
    #: delivery's audit trail records.
    sources: tuple[str, ...] = ()
    move: Move | None = None
    #: Facts shown with the item (the RM's note, a competitor's name); a key starting with "_"
    #: is composition's own (which customers a move touches) and is never shown.
    detail: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Brief:
    rm_ref: str
    rm_name: str
    rm_email: str | None
    language: str  # "en" or "zh": the RM's, from the book
    kind: str  # one of KINDS
    period: dt.date  # the day (or alert hour's day) the brief is for
    #: What arrived in the warehouse in [window_start, window_end) is new to this RM.
    window_start: dt.datetime | None
    window_end: dt.datetime
    items: tuple[BriefItem, ...]
    #: Customers of this RM the items name: only ever the RM's own (checked by composition).
    customers: tuple[str, ...] = ()

    @property
    def quiet(self) -> bool:
        """Nothing new for this RM since the last brief."""
        return not self.items

    def section(self, name: str) -> tuple[BriefItem, ...]:
        return tuple(item for item in self.items if item.section == name)

    @property
    def key(self) -> str:
        """The delivery's identity: one brief per RM, kind and period, ever."""
        return f"{self.kind}:{self.rm_ref}:{self.period.isoformat()}"


@dataclass(frozen=True)
class Attachment:
    """An inline part of an HTML email (a chart), referred to as ``cid:<content_id>``."""

    content_id: str
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class Rendered:
    """A brief as the RM receives it: what the outbox stores and the delivery channels send."""

    brief_key: str  # Brief.key
    subject: str
    html: str
    text: str
    language: str
    attachments: tuple[Attachment, ...] = ()
    #: The same content as JSON-ready data for a webhook (Teams/Slack/WeCom-style cards).
    card: dict[str, object] = field(default_factory=dict, hash=False, compare=False)
