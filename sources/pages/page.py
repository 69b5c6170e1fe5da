"""Article pages: one HTML page in, its main text and metadata out.

trafilatura finds the main text (navigation, cookie banners, teasers, related lists and
reader comments left out) and, through htmldate, the publication date. Only the landed
bytes are read, so live fetches, the offline snapshot and ``mi inspect page`` agree.

A guessed character encoding and a publication date that cannot be right (before 1900,
days ahead of the parse) are ``warnings``: the page loads, the date left out.
"""
from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from mi.records.documents import DocumentRecord
from mi.records.parsed import ParseResult
from mi.sources.base import BaseSource
from mi.sources.pages.language import choose_language
from mi.sources.reading.charset import Decoded, decode, http_charset
from mi.sources.reading.values import implausible

SUMMARY_CHARS = 300
# The HTML prescan stops at 1024 bytes, but real pages put scripts before the meta tag.
_SCAN_BYTES = 16_384
_MENU_LINK_SHARE = 0.8
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (e.g. an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data (Content-Encoding left undecoded?)"),
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_ANY_TAG = re.compile(r"<[a-zA-Z!/]")
_DOCUMENT_ROOT = re.compile(r"<(html|body|!doctype html)[\s>]", re.I)
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)[\s>]")
_INVISIBLE = "//script | //style | //noscript | //template | //head"
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " "})


@dataclass(frozen=True)
class PageResult:
    url: str | None
    title: str | None
    text: str
    published_at: dt.datetime | None  # timezone-aware UTC; date-only values at midnight
    language: str | None  # ISO 639-1
    error: str | None = None
    #: Worth knowing, nothing lost: a guessed charset, a publication date left out.
    warnings: tuple[str, ...] = ()


def extract_page(body: bytes, *, url: str | None = None, content_type: str | None = None,
                 now: dt.datetime | None = None) -> PageResult:
    """Main text and metadata of one page. Never raises: problems land in ``error``.

    ``now`` (default: the current time) is what the publication date may not be days ahead of."""
    try:
        problem = _sniff_binary(body)
        if problem:
            return _failure(url, problem)
        decoded = decode_page(body, content_type)
        markup = _XML_DECLARATION.sub("", decoded.text.lstrip("\ufeff"), count=1)
        problem = _sniff_text_format(markup, len(body))
        if problem:
            return _failure(url, problem)
        page = _plain_text_page(markup, url) if _is_plain_text(markup, content_type) else _html_page(markup, url)
        return _checked(page, decoded.note, now)
    except Exception as exc:  # one hostile page must not take the whole run down
        return _failure(url, f"extraction failed: {type(exc).__name__}: {exc}")


def _checked(page: PageResult, encoding_note: str | None, now: dt.datetime | None) -> PageResult:
    """The page with its notes, and without a publication date that cannot be right."""
    notes = [encoding_note] if encoding_note and not page.error else []
    if page.published_at is not None and (why := implausible(page.published_at, now)):
        notes.append(f"publication date {page.published_at.date().isoformat()} {why}; published_at left empty")
        page = replace(page, published_at=None)
    return replace(page, warnings=tuple(notes))


def _html_page(markup: str, url: str | None) -> PageResult:
    try:
        tree = lxml_html.fromstring(markup)
    except (etree.ParserError, ValueError):  # e.g. a document that is only a comment
        tree = None
    page_url = url or _canonical_url(tree)
    doc = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,  # rate and cost tables are the point of product pages
        # Structured markup only: the extensive scan takes copyright years and "updated"
        # stamps off product pages that carry no publication date at all.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = _tidy(doc.text if doc is not None else "")
    if not text or _mostly_links(text, tree):
        visible = _visible_chars(tree)
        return _failure(page_url, f"no main text found (page has {visible} characters of visible text)")
    language = choose_language(_declared_language(tree), text)
    published = _with_time_of_day(_to_utc(doc.date), markup)
    return PageResult(page_url, _choose_title(doc.title, doc.sitename, tree), text, published, language)


def _is_plain_text(markup: str, content_type: str | None) -> bool:
    head = markup[:_SCAN_BYTES]
    # Servers label HTML as text/plain by mistake; markup with a document root is a page.
    declared_plain = "text/plain" in (content_type or "").lower()
    return not _ANY_TAG.search(head) or (declared_plain and not _DOCUMENT_ROOT.search(head))


def _plain_text_page(text: str, url: str | None) -> PageResult:
    tidy = _tidy(text)
    if not tidy:
        return _failure(url, "no main text found (plain-text body is blank)")
    return PageResult(url, None, tidy, None, choose_language(None, tidy))


def _failure(url: str | None, error: str) -> PageResult:
    return PageResult(url=url, title=None, text="", published_at=None, language=None, error=error)


def _sniff_binary(body: bytes) -> str | None:
    """Name binary payloads by their magic bytes, before any decoding is attempted."""
    if not body.strip():
        return f"empty body ({len(body)} bytes): nothing to extract"
    head = body.lstrip()[:16]
    what = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    utf16 = body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if what is None and b"\x00" in body[:1024] and not utf16:
        what = "binary data"
    return f"not an HTML page: body looks like {what} ({len(body)} bytes)" if what else None


def _sniff_text_format(markup: str, size: int) -> str | None:
    """Text formats that are not pages: feeds and JSON APIs served at a page URL."""
    head = markup[:2048]
    if _FEED_ROOT.search(head) and "<html" not in head.lower():
        return f"not an HTML page: body looks like an RSS/Atom feed ({size} bytes)"
    if markup.lstrip()[:1] not in ("{", "["):
        return None
    try:
        json.loads(markup)
    except ValueError:
        return None
    return f"not an HTML page: body looks like JSON ({size} bytes)"


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page's text: see ``decode_page``."""
    return decode_page(body, content_type).text


def decode_page(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode like a browser, with the project's decoder (``mi.sources.reading.charset``):
    a BOM, then valid UTF-8, then the HTTP charset, the XML declaration and the
    ``<meta>`` charset in that order, then a guess (noted)."""
    head = body[:_SCAN_BYTES]
    labels = [http_charset(content_type)]
    labels += [m.group(1).decode("ascii") for m in (_XML_ENCODING.search(head), _META_CHARSET.search(head)) if m]
    return decode(body, labels)


def _canonical_url(tree: Any | None) -> str | None:
    if tree is None:
        return None
    canonical = "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
    for xpath in (canonical, "//meta[@property='og:url']/@content"):
        absolute = [v.strip() for v in tree.xpath(xpath) if v.strip().startswith(("http://", "https://"))]
        if absolute:
            return absolute[0]
    return None


def _choose_title(meta_title: str | None, sitename: str | None, tree: Any | None) -> str | None:
    """Prefer the visible headline: <title>/og:title often carry SEO phrasing and suffixes."""
    meta = _squash(meta_title) or None
    headings = _headings(tree, sitename)
    single = headings[0] if len(headings) == 1 else None
    if meta is None:
        return single
    if any(_wraps_kicker(heading, meta) for heading in headings):
        return meta
    return _closest_heading(meta, headings) or single or meta


def _headings(tree: Any | None, sitename: str | None) -> list[str]:
    headings = [_element_text(h1) for h1 in tree.iter("h1")] if tree is not None else []
    site = _squash(sitename).casefold()
    # A site logo marked up as <h1> is no headline.
    return [h for h in headings if h and len(h) <= 300 and h.casefold() != site]


def _element_text(element: Any) -> str:
    """Text of an element; text_content() glues "Open Progress" and "Why ..." into one word."""
    text = ""
    for piece in element.itertext():
        if text and piece and text[-1].isalnum() and piece[0].isalnum():
            text += " "
        text += piece
    return _squash(text)


def _wraps_kicker(heading: str, meta: str) -> bool:
    """An <h1> that adds a kicker or section label to the metadata title, which is then clean."""
    inner, outer = (" ".join(v.translate(_DASHES).casefold().split()) for v in (meta, heading))
    return inner != outer and inner in outer and 2 * len(inner.split()) >= len(outer.split())


def _closest_heading(meta: str, headings: list[str]) -> str | None:
    """The <h1> sharing most words with the metadata title, if it shares enough to be it."""
    meta_words = set(re.findall(r"\w+", meta.casefold()))
    best, best_key = None, (0, 0.0)
    for heading in headings:
        words = set(re.findall(r"\w+", heading.casefold()))
        common = len(words & meta_words)
        key = (common, common / max(1, len(words)))
        if common >= 2 and key[1] >= 0.5 and key > best_key:
            best, best_key = heading, key
    return best


def _mostly_links(text: str, tree: Any | None) -> bool:
    """A "main text" where nearly every line is a link label is the site menu.

    trafilatura's fallback extractors return whatever text a page has, so a page of
    navigation only would otherwise come back as a list of section names.
    """
    if tree is None:
        return False
    labels = {_squash(anchor.text_content()) for anchor in tree.iter("a")}
    lines = text.splitlines()
    linked = sum(len(line) for line in lines if line in labels)
    return linked >= _MENU_LINK_SHARE * sum(len(line) for line in lines)


def _visible_chars(tree: Any | None) -> int:
    """Length of the text a reader would see; prunes ``tree`` in place (its last use)."""
    if tree is None:
        return 0
    for element in tree.xpath(_INVISIBLE):
        element.drop_tree()
    return len(_element_text(tree))


# Full publication timestamps in structured markup (meta tags, JSON-LD, <time datetime>):
# trafilatura reports the day only, so 07:30Z would become midnight.
_STAMP = re.compile(
    r"""(?:published_time|datePublished|dateCreated|pubdate|date\.issued|<time)[^>]{0,40}?"""
    r"""(?:content|datetime|:)\s*=?\s*["']?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"""
    r"""(?:Z|[+-]\d{2}:?\d{2})?)""",
    re.IGNORECASE,
)


def _with_time_of_day(day: dt.datetime | None, markup: str) -> dt.datetime | None:
    """The page's own full timestamp for the day trafilatura found, when the markup has one."""
    if day is None or day.time() != dt.time(0):
        return day
    for match in _STAMP.finditer(markup):
        stamp = _to_utc(match.group(1).replace(" ", "T").replace("Z", "+00:00"))
        if stamp and (stamp.date() == day.date() or _local_date(match.group(1)) == day.date()):
            return stamp
    return day


def _local_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _to_utc(value: str | None) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _declared_language(tree: Any | None) -> str | None:
    if tree is None:
        return None
    root = tree.getroottree().getroot()
    declared = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not declared:
        metas = tree.xpath("//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu')='content-language']")
        declared = metas[0].get("content") if metas else None
    # Primary subtag only ("de-DE", "De", "en_US, fr"); ISO 639-1 codes have two letters.
    primary = re.split(r"[-_,\s]", (declared or "").strip(), maxsplit=1)[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


def _squash(value: str | None) -> str:
    return " ".join((value or "").split())


def _tidy(text: str) -> str:
    """Trim each line and drop blank runs; paragraphs stay one per line."""
    return "\n".join(squashed for squashed in map(_squash, text.splitlines()) if squashed)


def summarise(text: str, limit: int = SUMMARY_CHARS) -> str:
    flat = _squash(text)
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit + 1)
    return flat[: cut if cut > 0 else limit].rstrip(" ,;:-–") + "…"


def page_to_json(result: PageResult) -> dict[str, Any]:
    published = result.published_at
    stamp = published.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if published else None
    return {"url": result.url, "title": result.title, "text": result.text,
            "published_at": stamp, "language": result.language}


class PageSource(BaseSource):
    """One configured URL per article page; one document per page."""

    kind = "page"
    accepted_content_types = ("html", "xhtml", "text/plain")

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        # A snapshot path is no web address: the page's canonical URL then names the record,
        # so the snapshot and the live channel give the same page the same id.
        web_url = url if url.startswith(("http://", "https://")) else None
        result = extract_page(body, url=web_url, content_type=content_type)
        if result.error:
            return ParseResult(fatal=result.error, warnings=list(result.warnings))
        record_url = result.url or url
        return ParseResult(documents=[DocumentRecord(
            external_id=record_url, url=record_url, title=result.title, text=result.text,
            summary=summarise(result.text), published_at=result.published_at,
            language=result.language, kind="article",
        )], warnings=list(result.warnings))
