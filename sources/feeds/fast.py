"""The fast path for well-formed feeds: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0 read with lxml.

feedparser costs ~85 % of a gather's parse time: it walks every element through a SAX
handler in Python and builds a dictionary per element. Most feeds a bank reads are
well-formed RSS 2.0 or Atom, and lxml reads those at tens of thousands of items a second.

The contract is **the same documents as feedparser**: ``read_entries`` either returns the
feed and its entries in the shape ``mi.sources.feeds.items.entry_to_record`` takes from
feedparser (the same keys, values and text types), or declines with a reason, and the
caller falls back to feedparser. It declines whatever it cannot reproduce exactly as-is:
XML that lxml refuses, a DOCTYPE (entities), Atom 0.3 and other roots, markup nested in a
text element, base64 or non-text content, duplicated elements, and any element inside an
item that feedparser maps onto a field the brief uses (``media:title``,
``itunes:summary`` ...) other than the plain ones handled here. The per-element rules
feedparser applies are applied here with feedparser's own helpers (date parser, URI
joining, HTML guessing, the UTF-8-read-as-Latin-1 repair and the cp1252 map), so the two
paths cannot drift apart silently; ``tests/test_feeds_fast_path.py`` holds them to the
same documents over every feed fixture the project has.

``xml:base`` is followed as feedparser follows it, starting from the feed's own URL for
links (so a relative ``xml:base`` inside another relative one is not lost, as it was
when feedparser started from nothing) and from nothing for ids (an item's id does not
depend on where the feed was fetched from). ``feed._feedparser_links`` gives the
feedparser path the same links.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urifixer, make_safe_absolute_uri
from lxml import etree

__all__ = ["Declined", "read_entries"]

_ATOM10 = "http://www.w3.org/2005/Atom"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RSS_NAMESPACES = {"http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"}
_XML = "http://www.w3.org/XML/1998/namespace"
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/html"}
_NAMESPACES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
_C1 = re.compile("[\x80-\x9f]")

# feedparser's element names (prefix_local) mapped to what the fast path does with them.
_TITLE = {"title", "dc_title"}
_SUMMARY = {"description": "text/html", "dc_description": "text/html", "summary": "text/plain"}
_CONTENT = {"content": "text/plain", "content_encoded": "text/html"}
_DATES = {
    "pubdate": "published", "published": "published", "issued": "published", "dcterms_issued": "published",
    "updated": "updated", "modified": "updated", "dc_date": "updated", "dcterms_modified": "updated",
    "created": "created", "dcterms_created": "created",
}
_ID = {"guid", "id"}
_HANDLED = _TITLE | set(_SUMMARY) | set(_CONTENT) | set(_DATES) | _ID | {"link"}
# Elements feedparser has a handler for that store nothing the documents are built from.
_HARMLESS = {
    "author", "contributor", "name", "email", "uri", "url", "href", "category", "keywords", "comments",
    "enclosure", "source", "rights", "copyright", "dc_creator", "dc_author", "dc_subject", "dc_publisher",
    "dc_rights", "dc_contributor", "dc_type", "dc_format", "dc_identifier", "dc_source", "dc_relation",
    "dc_coverage", "slash_comments", "slash_section", "slash_department", "slash_hit_parade",
    "wfw_comment", "wfw_commentrss", "feedburner_origlink", "media_content", "media_thumbnail",
    "media_group", "media_credit", "media_rating", "media_keywords", "media_restriction", "media_player",
    "media_license", "media_category", "media_copyright", "media_hash", "media_text", "media_embed",
    "thr_total", "thr_in-reply-to", "georss_point", "georss_line", "georss_polygon", "georss_box",
    "georss_where", "georss_elev", "gml_point", "gml_pos", "gml_linestring", "gml_polygon", "gml_poslist",
    "geo_lat", "geo_long", "geo_point", "itunes_author", "itunes_duration", "itunes_explicit",
    "itunes_image", "itunes_keywords", "itunes_category", "itunes_block", "itunes_episode",
    "itunes_episodetype", "itunes_season", "itunes_owner", "psc_chapters", "psc_chapter",
    "expirationdate", "license", "subtitle", "itunes_subtitle", "language", "dc_language", "cc_license", "creativecommons_license", "webmaster", "managingeditor",
}
_HANDLERS = {name[len("_start_"):] for name in dir(_FeedParserMixin) if name.startswith("_start_")}
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


class Declined(Exception):
    """The payload is not one the fast path reproduces exactly; the message says why."""


def read_entries(text: str, url: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The feed's own fields and its entries, shaped as feedparser shapes them.

    ``text`` is the decoded document labelled UTF-8 (``feed._prepare``), ``url`` where it
    was fetched from (links are resolved against it when it is http(s)). Raises
    ``Declined`` for anything the fast path does not read exactly as feedparser would."""
    try:
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise Declined(f"not well-formed XML ({exc.msg})") from None
    if root.getroottree().docinfo.doctype:
        raise Declined("a DOCTYPE (entities are feedparser's to judge)")
    version, channel, items = _layout(root)
    scope = _Scope(root, url if url and urlsplit(url).scheme.lower() in ("http", "https") else "")
    feed = _feed_fields(root, channel, version, scope)
    return feed, [_entry(item, version, scope) for item in items]


def _layout(root: Any) -> tuple[str, Any, list[Any]]:
    """(version, the element holding the feed's own fields, the items) for a known root."""
    namespace, local = _split(root.tag)
    if local == "rss" and namespace == "":
        channels = [child for child in root if child.tag == "channel"]
        if len(channels) > 1:
            raise Declined(f"{len(channels)} <channel> elements")
        if not channels and len(root):
            raise Declined("<rss> without a <channel>")
        items = [child for child in channels[0] if child.tag == "item"] if channels else []
        version = "rss"
    elif local == "feed" and namespace == _ATOM10:
        channels = [root]
        items = [child for child in root if child.tag == f"{{{_ATOM10}}}entry"]
        version = "atom10"
    elif local == "RDF" and namespace == _RDF:
        channels = [child for child in root if _split(child.tag)[1] == "channel"
                    and _split(child.tag)[0] in _RSS_NAMESPACES]
        if len(channels) != 1:
            raise Declined(f"RDF with {len(channels)} RSS channel elements")
        items = [child for child in root if _split(child.tag)[1] == "item" and _split(child.tag)[0] in _RSS_NAMESPACES]
        version = "rss10"
    else:
        raise Declined(f"root <{local}> in namespace {namespace or 'none'!r}")
    # feedparser takes an item or entry wherever it stands; here only where the format puts it.
    everywhere = sum(1 for element in root.iter(etree.Element) if _fp_name(element) in ("item", "entry"))
    if everywhere != len(items):
        raise Declined(f"{everywhere - len(items)} item(s) outside the usual place")
    return version, channels[0] if channels else None, items


class _Scope:
    """xml:base and xml:lang of every element, tracked exactly as feedparser tracks them.

    feedparser keeps one current base: an element without a base of its own restores its
    parent's only when the parent had one, so a base can leak to the following siblings."""

    def __init__(self, root: Any, url: str) -> None:
        self.base: dict[Any, str] = {}  # for ids: from nothing
        self.link_base: dict[Any, str] = {}  # for links: from the feed's URL
        self.lang: dict[Any, str | None] = {}
        base, link_base, lang = "", url, None
        bases: list[tuple[str, str]] = []
        langs: list[str | None] = []
        for event, element in etree.iterwalk(root, events=("start", "end")):
            if not isinstance(element.tag, str):
                continue
            if event == "start":
                attrs = _attributes(element) if element.keys() else {}
                own_base = attrs.get("xml:base", attrs.get("base"))
                if own_base:
                    base, link_base = _enter_base(base, own_base), _enter_base(link_base, own_base)
                own = attrs.get("xml:lang", attrs.get("lang"))
                lang = None if own == "" else (lang if own is None else own)
                self.base[element], self.link_base[element], self.lang[element] = base, link_base, lang
                bases.append((base, link_base))
                langs.append(lang)
            else:
                bases.pop()
                if bases and bases[-1][0]:
                    base = bases[-1][0]
                if bases and bases[-1][1]:
                    link_base = bases[-1][1]
                langs.pop()
                if langs:
                    lang = langs[-1]


def _enter_base(current: str, own: str | None) -> str:
    """feedparser's step into an element: its xml:base joined to the current base."""
    if not own:  # feedparser joins the base with itself, which gives the base back
        return current
    given = own
    return (make_safe_absolute_uri(current, given) or current) if current else _join(current, given)


def _feed_fields(root: Any, channel: Any, version: str, scope: _Scope) -> dict[str, Any]:
    feed: dict[str, Any] = {}
    root_lang = scope.lang[root]
    if root_lang:
        feed["language"] = root_lang.replace("_", "-")
    seen: set[str] = set()
    for child in channel if channel is not None else ():
        name = _fp_name(child)
        if name == "link":
            _link(child, feed, scope, in_entry=False)
        elif name in _ID:
            _id(child, feed, scope)
        elif name in _TITLE:
            if "title" in seen:
                raise Declined(f"the feed has more than one title ({child.tag})")
            seen.add("title")
            feed["title_detail"] = _text_construct(child, "text/plain", version, scope)
        elif name in ("language", "dc_language"):  # of several, the last one stands
            feed["language"] = _finish(_text(child), element="language", base=scope.base[child])
    return feed


def _entry(item: Any, version: str, scope: _Scope) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    about = item.get(f"{{{_RDF}}}about")
    if about:
        entry["id"] = about
    titled = any(_fp_name(child) in _TITLE and _text(child).strip() for child in item)
    for element in item.iter(etree.Element):
        if element is item:
            continue
        name = _fp_name(element)
        direct = element.getparent() is item
        if name in _HANDLED and direct:
            continue
        # media:title only stands in for a missing title: after a title it is ignored, and a
        # title after it replaces it (feedparser's title_depth)
        if name == "media_title" and titled:
            continue
        if name in _HANDLERS and name not in _HARMLESS:
            raise Declined(f"an item holds <{element.tag}>, which feedparser reads into the item's fields")
    seen: set[str] = set()
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = _fp_name(child)
        if name not in _HANDLED:
            continue
        if name not in ("link", *_TITLE):
            key = "summary" if name in _SUMMARY else name
            if key in seen:
                raise Declined(f"an item has more than one <{child.tag}>")
            seen.add(key)
        if name in _TITLE:
            # the first title with text stands (feedparser's title_depth); an empty one does not
            if not (entry.get("title_detail") or {}).get("value"):
                entry["title_detail"] = _text_construct(child, "text/plain", version, scope)
        elif name in _SUMMARY:
            entry["summary_detail"] = _text_construct(child, _SUMMARY[name], version, scope)
        elif name in _CONTENT:
            if child.get("src") is not None:
                raise Declined("content given by reference (src)")
            entry.setdefault("content", []).append(_text_construct(child, _CONTENT[name], version, scope))
        elif name in _DATES:
            key = _DATES[name]
            entry[key] = _finish(_text(child), element=key, base=scope.base[child])
            entry[f"{key}_parsed"] = _parse_date(entry[key])
        elif name in _ID:
            _id(child, entry, scope)
        else:
            _link(child, entry, scope, in_entry=True)
    return entry


def _id(element: Any, context: dict[str, Any], scope: _Scope) -> None:
    """A guid or id; a permalink (the default) is also the link when none came before it."""
    is_link = _attributes(element).get("ispermalink", "true") == "true"
    context["id"] = _finish(_text(element), element="id", base=scope.base[element], resolve=is_link)
    if is_link:
        context.setdefault("link", _finish(_text(element), element="id", base=scope.link_base[element]))


def _link(element: Any, context: dict[str, Any], scope: _Scope, *, in_entry: bool) -> None:
    """feedparser's rules for <link>: an href (Atom, or atom:link in RSS) or the element's text."""
    attrs = _attributes(element)
    rel = attrs.get("rel", "alternate")
    kind = attrs.get("type", "application/atom+xml" if rel == "self" else "text/html")
    given = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if given:
        attrs["href"] = given
    if "href" in attrs:
        href = _join(scope.link_base[element] or "", attrs["href"])
        if rel == "alternate" and _content_type(kind) in _HTML_TYPES:
            context["link"] = href
        return
    if len(element):
        raise Declined("markup inside <link>")
    value = _finish(_text(element), element="link", base=scope.link_base[element])
    if in_entry:
        value = value.replace("&amp;", "&")
    value = _ENTITY_IN_LINK.sub(r"&\g<1>", value)
    context["link"] = value


def _text_construct(element: Any, default_type: str, version: str, scope: _Scope) -> dict[str, Any]:
    """A text construct as feedparser's ``*_detail`` dicts: type, value, language, base."""
    attrs = _attributes(element)
    if attrs.get("mode"):
        raise Declined(f"<{element.tag}> with mode={attrs['mode']!r}")
    kind = _content_type(attrs.get("type", default_type))
    if kind not in _TEXT_TYPES:
        raise Declined(f"<{element.tag}> of type {kind!r}")
    if len(element):
        raise Declined(f"markup or comments inside <{element.tag}>")
    value = _finish(_text(element), element="text", base=scope.base[element])
    if not version.startswith("atom") and kind == "text/plain" and _FeedParserMixin.looks_like_html(value):
        kind = "text/html"
    lang = scope.lang[element]
    return {"type": kind, "language": lang.replace("_", "-") if lang else lang, "base": scope.base[element],
            "value": value}


def _finish(text: str, *, element: str, base: str, resolve: bool = True) -> str:
    """What feedparser's ``pop`` makes of an element's text (UTF-8 input, no sanitising)."""
    output = text.strip()
    if element in ("link", "id") and output and resolve:
        output = _join(base or "", output)
    if output.isascii():  # both repairs below leave ASCII as it is
        return output
    try:  # UTF-8 that was read as Latin-1 somewhere upstream, as feedparser repairs it
        output = output.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return output.translate(_cp1252) if _C1.search(output) else output


def _join(base: str, uri: str) -> str:
    """feedparser's ``_urljoin`` (extra slashes after ``scheme://`` dropped, then urljoin),
    without its per-call regex template expansion, which cost more than the join."""
    fixed = _urifixer.match(uri)
    if fixed and fixed.group(2):
        uri = fixed.group(1) + uri[fixed.end():]
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def _text(element: Any) -> str:
    if len(element):
        raise Declined(f"markup or comments inside <{element.tag}>")
    return element.text or ""


def _content_type(value: str) -> str:
    return _FeedParserMixin.map_content_type(value)


def _attributes(element: Any) -> dict[str, str]:
    """Attribute names as feedparser sees them: lower case, ``xml:`` for the XML namespace."""
    attrs: dict[str, str] = {}
    for key, value in element.attrib.items():
        namespace, local = _split(key)
        name = f"xml:{local}" if namespace == _XML else local
        name = name.lower()
        attrs[name] = value.lower() if name in ("rel", "type") else value
    return attrs


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _fp_name(element: Any) -> str:
    """The element's name as feedparser dispatches on it: known prefix, '_', lower-case name."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    key = (tag, element.prefix)
    name = _NAMES.get(key)
    if name is None:
        name = _NAMES[key] = _dispatch_name(tag, element.prefix)
    return name


_NAMES: dict[tuple[str, str | None], str] = {}


def _dispatch_name(tag: str, given_prefix: str | None) -> str:
    namespace, local = _split(tag)
    lowered = namespace.lower()
    if "backend.userland.com/rss" in lowered:
        lowered = "http://backend.userland.com/rss"
    prefix = _NAMESPACES.get(lowered, given_prefix or "")
    return f"{prefix}_{local.lower()}" if prefix else local.lower()
