"""A ``Brief`` as the templates see it: clean strings, checked links, chart bars worked out.

Everything a template would otherwise compute (which links may be links, how tall each bar
of a chart is, which sections have items) is decided here, in Python, so the templates only
lay things out and format through filters. Every fetched string is cleaned
(``mi.briefs.text.clean``) and cut to a sane length; HTML escaping stays with the templates.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from mi.briefs.text import clean
from mi.records.briefs import SECTIONS, Brief, BriefItem, Link, Move
from mi.records.inert import LINK_SCHEMES, visible_controls

# Lengths past which fetched text is cut: a brief is read on a phone before a meeting.
TITLE_LIMIT = 300
SUMMARY_LIMIT = 1200
LABEL_LIMIT = 200
LINKS_PER_ITEM = 8
DETAILS_PER_ITEM = 8
#: A chart shows at most this many points (the latest), so its bars fit beside any text.
CHART_POINTS = 60
CHART_HEIGHT = 48  # px, the tallest bar
CHART_WIDTH = 240  # px, all bars and their gaps together
# Left as they are in an href; everything else is percent-encoded (the same set as markdown
# links use in mi.records.inert), so no quote or space can end the attribute or the URL.
_URL_SAFE = "-._~:/?#@!$&*+,;=%"


@dataclass(frozen=True)
class LinkView:
    label: str
    href: str | None  # None: not an http(s) URL, shown as text only


@dataclass(frozen=True)
class Bar:
    day: dt.date
    value: float
    level: float  # 0 (the lowest point shown) to 1 (the highest)
    height: int  # px in the HTML chart
    latest: bool


@dataclass(frozen=True)
class MoveView:
    move: Move  # for the formats: change, band, last value
    series: str  # the series key, cleaned
    bars: tuple[Bar, ...]
    bar_width: int  # px

    @property
    def levels(self) -> tuple[float, ...]:
        return tuple(bar.level for bar in self.bars)


@dataclass(frozen=True)
class ItemView:
    title: str
    summary: str
    reason: str
    customer: str
    industry: str | None  # the code; the formats name it
    sentiment: str | None
    when: dt.datetime | None
    links: tuple[LinkView, ...]
    move: MoveView | None
    details: tuple[tuple[str, str], ...]  # (key, value), key not yet translated
    sources: str  # the stored rows the item stands on, for the audit trail


@dataclass(frozen=True)
class SectionView:
    key: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class BriefView:
    brief: Brief
    bank_name: str
    rm_name: str
    sections: tuple[SectionView, ...]  # only those with items, in SECTIONS order
    desk_href: str | None

    @property
    def quiet(self) -> bool:
        return not self.sections

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)


def safe_href(url: str | None) -> str | None:
    """``url`` ready for an href when it is an absolute http(s) URL with a host, else None.

    The rule is ``mi.records.inert.md_link``'s: ``javascript:``, ``data:``, ``file:``,
    relative and malformed URLs, and URLs holding control characters are never links."""
    candidate = (url or "").strip()
    try:
        parts = urlsplit(candidate)
        linkable = parts.scheme.lower() in LINK_SCHEMES and bool(parts.hostname)
    except ValueError:  # a malformed IPv6 host, say
        return None
    if not linkable or visible_controls(candidate) != candidate:
        return None
    return quote(candidate, safe=_URL_SAFE)


def _link(link: Link) -> LinkView:
    href = safe_href(link.url)
    label = clean(link.label, limit=LABEL_LIMIT) or (clean(link.url, limit=80) if href else "")
    return LinkView(label=label or "?", href=href)


def _bars(points: tuple[tuple[dt.date, float], ...]) -> tuple[Bar, ...]:
    shown = [(day, value) for day, value in points[-CHART_POINTS:] if math.isfinite(value)]
    if not shown:
        return ()
    low, high = min(v for _, v in shown), max(v for _, v in shown)
    spread = high - low
    bars = []
    for index, (day, value) in enumerate(shown):
        # A flat series draws at half height rather than as nothing.
        level = (value - low) / spread if spread > 0 else 0.5
        height = max(2, round(4 + level * (CHART_HEIGHT - 4)))
        bars.append(Bar(day=day, value=value, level=level, height=height, latest=index == len(shown) - 1))
    return tuple(bars)


def _move(move: Move | None) -> MoveView | None:
    if move is None:
        return None
    bars = _bars(move.points)
    # Each bar has a 1 px gap either side; the widest bar is 8 px, the narrowest 2.
    width = max(2, min(8, CHART_WIDTH // max(len(bars), 1) - 2))
    return MoveView(move=move, series=clean(move.series_key, limit=80), bars=bars, bar_width=width)


def _item(item: BriefItem) -> ItemView:
    customer = clean(item.customer_name or item.customer_ref or "", limit=LABEL_LIMIT)
    shown = [(key, value) for key, value in item.detail.items() if not key.startswith("_") and value]
    details = tuple((clean(key, limit=40), clean(value, limit=LABEL_LIMIT)) for key, value in shown[:DETAILS_PER_ITEM])
    return ItemView(
        title=clean(item.title, limit=TITLE_LIMIT),
        summary=clean(item.summary, limit=SUMMARY_LIMIT),
        reason=clean(item.reason, limit=LABEL_LIMIT * 2),
        customer=customer,
        industry=item.industry,
        sentiment=item.sentiment,
        when=item.when,
        links=tuple(_link(link) for link in item.links[:LINKS_PER_ITEM]),
        move=_move(item.move),
        details=details,
        sources=clean(", ".join(item.sources), limit=LABEL_LIMIT),
    )


def present(brief: Brief, *, bank_name: str, desk_url: str | None = None) -> BriefView:
    """The view of ``brief``: sections in ``SECTIONS`` order, items by score (highest first)
    within each; sections without items are left out."""
    sections = []
    # A section composition names but SECTIONS lacks still shows, after the known ones:
    # leaving its items out would hide them without a word.
    unknown = sorted({item.section for item in brief.items} - set(SECTIONS), key=str)
    for key in (*SECTIONS, *unknown):
        items = sorted(brief.section(key), key=lambda item: -item.score if math.isfinite(item.score) else 0.0)
        if items:
            sections.append(SectionView(key=key, items=tuple(_item(item) for item in items)))
    return BriefView(brief=brief, bank_name=clean(bank_name, limit=80), rm_name=clean(brief.rm_name, limit=80),
                     sections=tuple(sections), desk_href=safe_href(desk_url))
