"""Competitor product pages: a bank's rate or product page in, its offers out.

Every bank lays its page out differently, so the channel says where things are with CSS
selectors. A selector that suddenly matches nothing means the page was redesigned (or an
error page came back), not that the competitor withdrew its products: that is reported as
fatal, the channel shows as failed, and the loader never runs.

Options (besides the common keys, ``mi.records.channels.COMMON_KEYS``), validated into
``CompetitorPageOptions`` when the channel file is loaded and the source is built:

* ``competitor``: the competitor's name (required).
* ``category``: category of the page's offers (deposit, loan, fx, wealth, ...) where no
  ``category`` selector is given or it matches nothing in an item.
* ``selectors``: ``item`` (one product block; required), and relative to it ``name``
  (required), ``category``, ``rate``, ``term``, ``min_amount``, ``fees``, ``valid_from``,
  ``link``. ``css@attr`` reads an attribute instead of the text (``time@datetime``); a bare
  ``@attr`` reads it from the item itself (``@data-category``). Every selector's CSS is
  checked (soupsieve) before the page is ever fetched.
* ``key_includes_term`` (yes/no): for pages with one row per term of the same product ("Festgeld"
  12 and 24 months): the term becomes part of the offer's identity.
* ``date_order``: ``dmy`` (default) or ``mdy``, for slashed dates like 01/11/2026.

One channel reads one page (one ``url``): an offer missing from the page is withdrawn, so
a channel spread over several pages would withdraw one page's offers when reading the other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Self
from urllib.parse import urljoin

import soupsieve
from bs4 import BeautifulSoup, Tag
from pydantic import PlainValidator, ValidationInfo, field_validator, model_validator

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.offers import TRACKED_FIELDS, OfferRecord
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.competitors.values import (
    MAX_TERM_CHARS,
    clean_text,
    offer_key,
    parse_amount,
    parse_offer_date,
    parse_rate,
    parse_term,
)
from mi.sources.options import ChannelOptions, Flag, Name, Text, bad_value, text

MAX_CATEGORY_CHARS = 40  # CompetitorOffer.category
#: What a table cell says when a product has no such figure (an FX forward has no rate).
NOT_SHOWN = frozenset({"-", "–", "—", "n/a", "n.a.", "k.a.", "entfällt", "none", "keine"})
_ATTRIBUTE = re.compile(r"^(?P<css>.*?)@(?P<attr>[\w:-]+)$", re.S)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


@dataclass(frozen=True)
class Selector:
    """A CSS selector relative to an item, optionally reading an attribute."""

    text: str  # as configured, for messages
    css: str  # "" : the item itself
    attribute: str | None

    @classmethod
    def of(cls, text: str) -> Selector:
        match = _ATTRIBUTE.match(text.strip())
        if match:
            return cls(text, match["css"].strip(), match["attr"])
        return cls(text, text.strip(), None)

    def first(self, item: Tag) -> Tag | None:
        return item if not self.css else item.select_one(self.css)

    def read(self, item: Tag) -> str | None:
        """The text (or attribute) it points to; None when it matches nothing."""
        element = self.first(item)
        if element is None:
            return None
        if self.attribute:
            value = element.get(self.attribute)
            value = " ".join(value) if isinstance(value, list) else value
            return clean_text(value) if value is not None else None
        return clean_text(element.get_text(" "))


def _css(value: Any) -> str:
    """A selector as configured, once its CSS is known to compile."""
    selector = Selector.of(text(value))
    if not selector.text.strip():
        raise bad_value("must not be empty")
    if selector.css:
        try:
            soupsieve.compile(selector.css)
        except (soupsieve.SelectorSyntaxError, ValueError) as exc:
            # soupsieve adds lines that draw the selector with a caret: one line is enough here.
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise bad_value("{text!r} is not valid CSS: {reason}", text=selector.text, reason=reason) from None
    return selector.text


#: A CSS selector, optionally ``@attr``: checked to compile.
CssSelector = Annotated[str, PlainValidator(_css)]


class Selectors(ChannelOptions):
    """Where one product block is on the page, and where its fields are inside it."""

    item: CssSelector
    name: CssSelector
    category: CssSelector | None = None
    rate: CssSelector | None = None
    term: CssSelector | None = None
    min_amount: CssSelector | None = None
    fees: CssSelector | None = None
    valid_from: CssSelector | None = None
    link: CssSelector | None = None

    @field_validator("item")
    @classmethod
    def _item_needs_css(cls, value: str) -> str:
        if not Selector.of(value).css:
            raise bad_value("the item selector needs CSS, not only @attr")
        return value


SELECTOR_FIELDS = tuple(Selectors.model_fields)


class CompetitorPageOptions(ChannelOptions):
    competitor: Name  # the bank's name, as offers and their history show it
    category: Text | None = None
    selectors: Selectors
    key_includes_term: Flag = False
    date_order: Literal["dmy", "mdy"] = "dmy"

    @model_validator(mode="after")
    def _one_page(self, info: ValidationInfo) -> Self:
        channel = (info.context or {}).get("channel")
        if channel is not None and len(channel.urls) > 1:
            raise bad_value("one page per competitor_page channel (offers missing from the page are "
                            "withdrawn); configure one channel per page")
        return self


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    """What the page's links are relative to. A snapshot file has no web address of its
    own, so its links resolve against the URL the page declares as canonical."""
    if "://" in page_url:
        return page_url
    canonical = soup.find("link", rel="canonical", href=True)
    href = str(canonical["href"]) if canonical is not None else ""
    return href if href.startswith(("http://", "https://")) else page_url


class CompetitorPageSource(BaseSource):
    kind = "competitor_page"
    accepted_content_types = ("html", "xhtml", "text/plain")
    Options = CompetitorPageOptions
    options: CompetitorPageOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        super().__init__(config, limits)
        self.competitor = self.options.competitor
        self.category = self.options.category
        given = self.options.selectors
        self.selectors = {field: Selector.of(css) for field in SELECTOR_FIELDS
                          if (css := getattr(given, field)) is not None}
        self.key_includes_term = self.options.key_includes_term
        self.day_first = self.options.date_order == "dmy"

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        charset = _HTTP_CHARSET.search(content_type or "")
        soup = BeautifulSoup(body, "lxml", from_encoding=charset[1] if charset else None)
        item_selector = self.selectors["item"]
        items = soup.select(item_selector.css)
        if not items:
            return ParseResult(fatal=f"layout changed? item selector {item_selector.text!r} matched nothing "
                                     "on the page")
        name_selector = self.selectors["name"]
        named = [(number, item, name) for number, item in enumerate(items, start=1)
                 if (name := name_selector.read(item))]
        if not named:
            return ParseResult(fatal=f"layout changed? name selector {name_selector.text!r} matched nothing "
                                     f"in any of the {len(items)} items")
        with_name = {number for number, _, _ in named}
        problems = [f"item {number}: no product name ({name_selector.text!r})"
                    for number in range(1, len(items) + 1) if number not in with_name]
        fields = [field for field in self.selectors if field in TRACKED_FIELDS]
        texts = [{field: self.selectors[field].read(item) for field in fields} for _, item, _ in named]
        lost = self._lost_fields(texts, problems)
        base_url = _base_url(soup, url)
        records: dict[str, OfferRecord] = {}
        for (number, item, name), found in zip(named, texts):
            record = self._record(item, name, found, lost, base_url, problems, f"item {number} ({name})")
            if record.offer_key in records:
                if records[record.offer_key] != record:
                    hint = "" if self.key_includes_term else "; set key_includes_term if it lists one row per term"
                    problems.append(f"item {number}: {name!r} is listed twice with different details; "
                                    f"the first is kept{hint}")
                continue
            records[record.offer_key] = record
        return ParseResult(records=list(records.values()), problems=problems)

    def _lost_fields(self, texts: list[dict[str, str | None]], problems: list[str]) -> frozenset[str]:
        """Fields whose selector found nothing in any of several items: the layout moved, the
        products did not all lose their rate overnight. Their known values are kept."""
        if len(texts) < 2:
            return frozenset()  # one product without, say, a rate is plausible
        lost = frozenset(field for field in texts[0] if all(found[field] is None for found in texts))
        problems.extend(f"layout changed? {field} selector {self.selectors[field].text!r} matched nothing in "
                        f"any of the {len(texts)} items; the known {field} values are kept" for field in sorted(lost))
        return lost

    def _record(self, item: Tag, name: str, texts: dict[str, str | None], lost: frozenset[str], base_url: str,
                problems: list[str], where: str) -> OfferRecord:
        unreadable: list[str] = sorted(lost)

        def read(field: str, parser: Any) -> Any:
            text = texts.get(field)
            if not text or text.casefold() in NOT_SHOWN:
                return None
            value = parser(text)
            if value is None:
                unreadable.append(field)
                problems.append(f"{where}: {field} {text!r} is not readable")
            return value

        rate = read("rate", parse_rate)
        min_amount = read("min_amount", parse_amount)
        valid_from = read("valid_from", lambda text: parse_offer_date(text, day_first=self.day_first))
        term = read("term", parse_term)
        key = offer_key(name)
        if self.key_includes_term and term:
            key = offer_key(f"{name} {term}")
        category = (self.selectors["category"].read(item) if "category" in self.selectors else None) or self.category
        return OfferRecord(
            competitor=self.competitor, offer_key=key, product_name=name,
            category=clean_text(str(category)).casefold()[:MAX_CATEGORY_CHARS] if category else None,
            rate=rate, term=term[:MAX_TERM_CHARS] if term else None,
            min_amount=min_amount.value if min_amount else None, fees=texts.get("fees") or None,
            valid_from=valid_from, url=self._link(item, base_url), unreadable=tuple(unreadable),
        )

    def _link(self, item: Tag, base_url: str) -> str:
        """The product's own page where the item links to one, else the listing page."""
        selector = self.selectors.get("link") or Selector.of(f"{self.selectors['name'].css}@href")
        href = selector.read(item)
        if not href:
            name_element = self.selectors["name"].first(item)
            anchor = name_element.find("a", href=True) if name_element is not None else None
            href = anchor["href"] if anchor is not None else None
        link = urljoin(base_url, str(href)) if href and "://" in base_url else ""
        return link if link.startswith(("http://", "https://")) else base_url
