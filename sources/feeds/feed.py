"""The RSS/Atom feed channel kind: RSS 0.9x, 1.0 (RDF), 2.0 and Atom 0.3/1.0.

``parse_feed`` reads any bytes without raising. Its ``error`` is, word for word:

* ``not a feed: ...`` when the payload is no feed at all (``is_feed`` False): an empty
  document, binary data, JSON, plain text, an HTML page (``<html> root``) or some other
  XML root (``found <foo>``);
* ``malformed XML at line L, column C: <expat message> — kept N items ...`` when the
  feed breaks part-way. feedparser's lenient parser recovers the items around the
  break; an item cut off by the end of a truncated document is dropped, not half kept;
* ``character encoding: ...`` when characters were lost or the charset had to be guessed
  (see ``mi.sources.feeds.encoding`` for the decoding rule). Mismatches that were recovered
  exactly are not errors;
* ``None`` for a well-formed feed.

Several problems are joined with "; ".

Two readers, one result: a well-formed RSS 0.9x/1.0/2.0 or Atom 1.0 feed whose encoding
was recovered exactly is read with lxml (``mi.sources.feeds.fast``, tens of thousands of
items a second); anything else, or anything the fast path declines, goes to feedparser's
lenient parser. ``FeedResult.reader`` says which read the payload (and why feedparser did),
and the raw item's record of the parse carries it on (``ParseResult.reader``).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import xml.sax
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import feedparser

from mi.sources.base import BaseSource
from mi.sources.feeds.encoding import binary_kind, content_reason, decode_feed_bytes, root_reason
from mi.sources.feeds.fast import Declined, read_entries
from mi.sources.feeds.items import entry_to_record, language, plain, register_date_handlers, safe_url

register_date_handlers()
from mi.records.documents import DocumentRecord
from mi.records.parsed import ParseResult

_XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>")
_UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_ITEM_OPEN = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ITEM_CLOSE = re.compile(r"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BASE_ATTRIBUTE = re.compile(r"[\s:]base\s*=", re.IGNORECASE)  # xml:base= or base=
_EXPAT_HINTS = {
    "no element found": "the document ends early",
    "unclosed token": "the document ends inside a tag",
    "undefined entity": "an HTML entity such as &nbsp; is not defined in XML",
}


@dataclass(frozen=True)
class FeedResult:
    title: str | None
    link: str | None
    items: list[DocumentRecord]
    error: str | None
    is_feed: bool
    #: Item-level notes that do not make the feed broken (an unreadable or implausible
    #: date, left out of the item).
    problems: tuple[str, ...] = ()
    #: Which parser read the payload: ``lxml`` (the fast path) or ``feedparser: <why the
    #: fast path declined>``; None when the payload was refused before parsing.
    reader: str | None = None


@dataclass(frozen=True)
class _Prepared:
    """The decoded document as handed to feedparser, and how its lines map back."""

    text: str
    line_shift: int  # lines removed before the XML declaration
    column_shift: int  # characters added at the start of line 1


def parse_feed(body: bytes, *, url: str | None = None, content_type: str | None = None,
               now: dt.datetime | None = None, fast: bool = True) -> FeedResult:
    """Parse a feed payload; never raises. See the module docstring for ``error``.

    ``now`` (default: the current time) is what an item's date may not be days ahead of.
    ``fast=False`` reads every payload with feedparser (the differential test, the bench)."""
    try:
        return _parse(body, url, content_type, now, fast)
    except Exception as exc:  # the contract is "never raise": report instead
        return FeedResult(None, None, [], f"feed parser failed: {type(exc).__name__}: {exc}", False)


def _parse(body: bytes, url: str | None, content_type: str | None, now: dt.datetime | None,
           fast: bool) -> FeedResult:
    if not body.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        return _not_a_feed("not a feed: empty document")
    if kind := binary_kind(body):
        return _not_a_feed(f"not a feed: binary data ({kind})")
    decoded = decode_feed_bytes(body, content_type)
    if reason := content_reason(decoded.text):
        return _not_a_feed(reason)
    prepared = _prepare(decoded.text)
    declined = "fast path off"
    if fast and decoded.note:
        declined = "the character encoding was not recovered exactly"
    elif fast:
        try:
            feed, fast_entries = read_entries(prepared.text, url)
        except Declined as exc:
            declined = str(exc)
        else:
            return _result(feed, fast_entries, url, [], now, reader="lxml")
    reader = f"feedparser: {declined}"
    parsed = _feedparser(prepared.text)
    if url and urlsplit(url).scheme.lower() in ("http", "https") and _BASE_ATTRIBUTE.search(prepared.text):
        _take_links(parsed, _feedparser(prepared.text, base=url))
    entries = list(parsed.entries)
    # A wrong root is final unless the lenient parser still found a feed with items
    # (junk such as a PHP warning printed before <rss>); the XML error then says what.
    if (reason := root_reason(decoded.text)) and not (parsed.get("version") and entries):
        return _not_a_feed(reason)
    errors = [decoded.note] if decoded.note else []
    if parsed.get("bozo"):
        entries, break_error = _account_for_break(parsed.get("bozo_exception"), prepared, entries)
        errors.append(break_error)
    return _result(parsed.feed, entries, url, errors, now, reader=reader)


def _not_a_feed(reason: str) -> FeedResult:
    return FeedResult(title=None, link=None, items=[], error=reason, is_feed=False)


def _prepare(text: str) -> _Prepared:
    """Re-label the text as UTF-8 for feedparser, keeping line numbers meaningful."""
    text = text.lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("<?xml"):
        # Blank lines before the declaration are common and harmless; expat rejects them.
        shift = len(_LINE_BREAK.findall(text[: len(text) - len(stripped)]))
        declaration = _XML_DECLARATION.match(stripped)
        if declaration:
            newlines = "\n" * len(_LINE_BREAK.findall(declaration.group()))
            stripped = _UTF8_DECLARATION + newlines + stripped[declaration.end():]
        return _Prepared(stripped, shift, 0)
    # Without a declaration feedparser would insert one on a line of its own; ours shares line 1.
    return _Prepared(_UTF8_DECLARATION + text, 0, len(_UTF8_DECLARATION))


def _feedparser(text: str, base: str | None = None) -> Any:
    # No content-location header by default: feedparser would resolve permalink guids
    # against it, making an item's id depend on where the payload was fetched from. Links
    # are resolved against the feed URL afterwards instead (feed_items.safe_url), except
    # under xml:base (``_take_links``).
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base:
        headers["content-location"] = base
    # A BytesIO, never bare bytes: feedparser treats a bytes argument as a file name to open.
    # No sanitising or URI resolution inside feedparser: every text field is reduced to
    # plain text afterwards (scripts and styles dropped) and links are checked by
    # safe_url, so both would be paid for twice (they cost feedparser 1.3-1.8x).
    return feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers,
                            sanitize_html=False, resolve_relative_uris=False)


def _take_links(parsed: Any, with_base: Any) -> None:
    """Links from a parse that started from the feed's URL, for a document with xml:base.

    Started from nothing, feedparser loses a relative xml:base nested in another relative
    one (it keeps only bases it can make absolute); started from the feed's URL every base
    is absolute. Ids stay as read without the URL (see ``_feedparser``)."""
    if "link" in with_base.feed:
        parsed.feed["link"] = with_base.feed["link"]
    for entry, other in zip(parsed.entries, with_base.entries):
        if "link" in other:
            entry["link"] = other["link"]


def _account_for_break(exc: Any, prepared: _Prepared, entries: list[Any]) -> tuple[list[Any], str]:
    """Drop an item cut off by a truncated end; describe the break and what was kept."""
    if not isinstance(exc, xml.sax.SAXParseException):
        return entries, f"malformed feed: {exc} — kept {_count(len(entries))}"
    line, column = exc.getLineNumber(), exc.getColumnNumber()
    offset = _offset(prepared.text, line, column)
    message = exc.getMessage()
    hint = _EXPAT_HINTS.get(message)
    column += 1 - (prepared.column_shift if line == 1 else 0)  # expat counts columns from 0
    where = f"line {line + prepared.line_shift}, column {column}"
    head = f"malformed XML at {where}: {message}" + (f" ({hint})" if hint else "")
    text = prepared.text
    opens, closes = list(_ITEM_OPEN.finditer(text)), list(_ITEM_CLOSE.finditer(text))
    cut_off = bool(entries) and bool(opens) and (not closes or opens[-1].start() > closes[-1].start())
    if cut_off:
        entries = entries[:-1]
    before = min(len(entries), len(_ITEM_CLOSE.findall(text, 0, offset)))
    kept = f"kept {_count(before)} before the break"
    if len(entries) > before:
        after = len(entries) - before
        kept = f"kept {_count(len(entries))} ({before} before the break, {after} read leniently at or after it)"
    if not entries:
        kept = "no items recovered"
    return entries, f"{head} — {kept}" + (", dropped 1 item cut off by the end of the document" if cut_off else "")


def _offset(text: str, line: int, column: int) -> int:
    """Character offset of expat's (1-based line, 0-based column) in text."""
    starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]
    return starts[min(line, len(starts)) - 1] + column


def _count(n: int) -> str:
    return f"{n} item" + ("" if n == 1 else "s")


def _result(feed: Any, entries: list[Any], url: str | None, errors: list[str], now: dt.datetime | None, *,
            reader: str) -> FeedResult:
    base = feed.get("link") if not url or urlsplit(url).scheme not in ("http", "https") else url
    feed_language = language(feed.get("language"), (feed.get("title_detail") or {}).get("language"))
    items: list[DocumentRecord] = []
    problems: list[str] = []
    for position, entry in enumerate(entries, start=1):
        record, problem = entry_to_record(entry, base=base, feed_language=feed_language, now=now)
        items.append(record)
        if problem:
            problems.append(f"item {position}: {problem}")
    return FeedResult(
        title=plain(feed.get("title_detail")) or None,
        link=safe_url(feed.get("link"), url),
        items=items,
        error="; ".join(errors) or None,
        is_feed=True,
        problems=tuple(problems),
        reader=reader,
    )


class FeedSource(BaseSource):
    """An RSS or Atom feed; every configured URL is one feed document."""

    kind = "feed"
    # HTML is accepted so that an HTML page served in place of a feed is landed and then
    # quarantined by parse() with a clear reason, instead of vanishing at fetch time.
    accepted_content_types = ("xml", "rss", "atom", "text/", "html", "octet-stream")

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        result = parse_feed(body, url=url, content_type=content_type)
        # Item-level notes (an unreadable date) lose no item: they are warnings.
        warnings = list(result.problems)
        problems: list[str] = []
        documents = []
        for position, item in enumerate(result.items, start=1):
            if not (item.title or item.text or item.url):
                problems.append(f"item {position}: no title, text or link — dropped")
                continue
            documents.append(item)
        fatal = result.error if not result.is_feed or (not result.items and result.error) else None
        if result.error and fatal is None:
            lost_nothing = (result.error.startswith("character encoding:") and "guessing" in result.error
                            and "U+FFFD" not in result.error)
            (warnings if lost_nothing else problems).insert(0, result.error)
        return ParseResult(documents=documents, problems=problems, warnings=warnings, fatal=fatal,
                           reader=result.reader)


def feed_to_json(result: FeedResult) -> dict[str, Any]:
    """The ``mi inspect feed`` view: feed title/link, items, error; times as ISO-8601 UTC 'Z'."""
    return {
        "feed": {"title": result.title, "link": result.link},
        "items": [
            {
                "id": item.external_id,
                "title": item.title,
                "link": item.url,
                "published_at": _iso_z(item),
                "summary": item.summary,
            }
            for item in result.items
        ],
        "error": result.error,
    }


def _iso_z(item: DocumentRecord) -> str | None:
    if item.published_at is None:
        return None
    return item.published_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
