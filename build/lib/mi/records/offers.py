"""Competitors' product offers as read from their pages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Fields whose change is news for the relationship managers; name, category and link
#: are kept up to date silently.
TRACKED_FIELDS = ("rate", "term", "min_amount", "fees", "valid_from")


@dataclass(frozen=True)
class OfferRecord:
    competitor: str
    offer_key: str  # normalised product name (plus term where a page lists one row per term)
    product_name: str
    category: str | None
    rate: float | None  # percent per year
    term: str | None  # canonical: "12M", "12M-60M", or the page's words
    min_amount: float | None
    fees: str | None
    valid_from: dt.date | None
    url: str | None
    #: Tracked fields shown on the page but not readable: left as they were, not "changed".
    unreadable: tuple[str, ...] = ()
