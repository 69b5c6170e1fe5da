"""News items, article pages and notices as a channel reads them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentRecord:
    """One news item, article page or notice, as parsed from a payload."""

    external_id: str  # the channel's stable id for the item: feed guid, link, or page URL
    url: str | None
    title: str | None
    text: str
    summary: str | None = None
    published_at: dt.datetime | None = None  # timezone-aware, UTC
    language: str | None = None
    kind: str = "news"
