"""Channel kind ``json_feed``: a JSON Feed (https://jsonfeed.org, versions 1 and 1.1).

Some publishers and most newsletter platforms offer their items as JSON instead of RSS.
Each item becomes a document: its ``id`` is the document's id, ``title``, ``url``,
``content_text`` (or ``content_html`` reduced to text, or ``summary``), ``date_published``
(RFC 3339) and the feed's or item's ``language``. An item without an id, or without any
title, text or link, is set aside with its position.

Options: ``kind_of_item`` (what the documents are: news, article, report, notice;
default news). It is the worked example of the README's "Adding a channel kind".
"""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from mi.records.documents import DocumentRecord
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.feeds.items import collapse, html_to_text, language, safe_url
from mi.sources.options import ChannelOptions
from mi.sources.reading.values import payload_text, read_json


class JsonFeedOptions(ChannelOptions):
    kind_of_item: Literal["news", "article", "report", "notice"] = "news"


class JsonFeedSource(BaseSource):
    kind = "json_feed"
    accepted_content_types = ("json", "text/plain")
    Options: ClassVar[type[ChannelOptions]] = JsonFeedOptions

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        # The shared readers: the project's charset rules, its unpacking limits, NaN as nothing.
        loaded = payload_text(body, content_type=content_type, limits=self.limits)
        if loaded.error:
            return ParseResult(fatal=f"not a JSON Feed: {loaded.error}")
        try:
            feed = read_json(loaded.text)
        except (ValueError, RecursionError) as exc:
            return ParseResult(fatal=f"not a JSON Feed: {str(exc)[:200]}", warnings=list(loaded.warnings))
        if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith("https://jsonfeed.org/"):
            return ParseResult(fatal="not a JSON Feed: no https://jsonfeed.org/ version")
        items = feed.get("items")
        if not isinstance(items, list):
            return ParseResult(fatal="not a JSON Feed: 'items' is not a list")
        documents: list[DocumentRecord] = []
        problems, warnings = list(loaded.problems), list(loaded.warnings)
        for position, item in enumerate(items, start=1):
            record, problem, warning = self._document(item, url, feed.get("language"))
            if record is not None:
                documents.append(record)
            if problem:
                problems.append(f"item {position}: {problem}")
            if warning:
                warnings.append(f"item {position}: {warning}")
        return ParseResult(documents=documents, problems=problems, warnings=warnings)

    def _document(self, item: Any, base: str, feed_language: Any) -> tuple[DocumentRecord | None, str | None,
                                                                            str | None]:
        if not isinstance(item, dict):
            return None, "not an object; dropped", None
        ident, title = _text(item.get("id")), collapse(_text(item.get("title")))
        link = safe_url(_text(item.get("url")), base)
        if not ident:
            return None, "no id; dropped", None
        text = _text(item.get("content_text")) or html_to_text(_text(item.get("content_html"))) \
            or _text(item.get("summary"))
        if not (title or text or link):
            return None, "no title, text or link; dropped", None
        published, warning = _published(item.get("date_published"))
        record = DocumentRecord(
            external_id=ident, url=link, title=title or None, text=collapse(text),
            summary=collapse(_text(item.get("summary"))) or None, published_at=published,
            language=language(_text(item.get("language")), _text(feed_language)),
            kind=self.options.kind_of_item)
        return record, None, warning


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, (int, float)) else ""


def _published(value: Any) -> tuple[dt.datetime | None, str | None]:
    if value in (None, ""):
        return None, None
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None, f"date_published {str(value)[:40]!r} is not an RFC 3339 date; left empty"
    if when.tzinfo is None:  # the spec asks for an offset; without one, UTC is the honest guess
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc), None
