"""From a feed payload's raw bytes to text, and a first look at what the text is.

Decoding is decided here rather than left to feedparser because feedparser follows RFC 3023
literally: it trusts the HTTP or XML-declared charset whenever the bytes happen to decode
with it. A UTF-8 body labelled ISO-8859-1 (a common server misconfiguration) then comes
out as mojibake, silently; feedparser's per-element latin-1 round trip repairs only the
elements without curly quotes, dashes or euro signs. So does a GB18030 feed labelled
ISO-8859-1, which no round trip repairs.

The bytes are decoded by the project's one decoder (``mi.sources.reading.charset``), with
the HTTP charset and then the XML declaration as the declared charsets: a byte-order mark
or UTF-16/32 byte pattern, then pure ASCII, then valid UTF-8 (whatever was declared), then
the declared charsets strictly (a single-byte label on bytes that read as Chinese is
overruled), then mostly-UTF-8 with U+FFFD, then a guess.

Exact recoveries are not reported. A guess or an overruled label is (``Decoded.note``,
``character encoding: ... by guessing ...``: nothing lost, but non-ASCII text may be
wrong), and so is text lost to U+FFFD (``character encoding: N invalid byte sequence(s)
... replaced with U+FFFD``).
"""
from __future__ import annotations

import json
import re

from mi.sources.reading.charset import Decoded, decode, http_charset

__all__ = ["Decoded", "binary_kind", "content_reason", "decode_feed_bytes", "root_element", "root_reason"]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data that was never decompressed"),
)
_XML_CHARSET = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_FEED_ROOTS = {"rss", "feed", "rdf"}  # RSS 0.9x/2.0, Atom 0.3/1.0, RSS 0.90/1.0 (rdf:RDF)
_HTML_ROOTS = {"html", "head", "body", "frameset"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_feed_bytes(body: bytes, content_type: str | None) -> Decoded:
    """Decode a payload following the rule in the module docstring."""
    declared = _XML_CHARSET.search(body[:1024])
    return decode(body, [http_charset(content_type), declared.group(1).decode("ascii") if declared else None])


def binary_kind(body: bytes) -> str | None:
    """Name the binary format of a payload that is clearly not text, else None."""
    for magic, kind in _MAGIC:
        if body.startswith(magic):
            return kind
    return None


def content_reason(text: str) -> str | None:
    """Why the decoded payload is no XML document at all (empty, binary, JSON, plain text)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return "not a feed: empty document"
    sample = stripped[:2048]
    if len(_CONTROL.findall(sample)) > len(sample) // 20:
        return "not a feed: binary data, not text"
    if stripped[0] in "{[":
        return _json_reason(stripped)
    if root_element(stripped) is None:
        if _PROLOG.sub("", stripped).strip() == "":
            return "not a feed: empty document (no elements, only a prolog or comments)"
        return "not a feed: plain text with no XML markup"
    return None


def root_reason(text: str) -> str | None:
    """Why the document's root element is not that of a feed, or None if it is."""
    root = root_element(text) or ""
    local = root.rsplit(":", 1)[-1].lower()
    if local in _FEED_ROOTS:
        return None
    if local in _HTML_ROOTS:
        return f"not a feed: the document is an HTML page (<{root}> root)"
    return f"not a feed: no RSS or Atom root element (found <{root}>)"


def root_element(text: str) -> str | None:
    """The first element name after the XML declaration, comments, PIs and DOCTYPE."""
    position = 0
    while match := _PROLOG.match(text, position):
        position = match.end()
    found = _ROOT.search(text, position)
    return found.group(1) if found else None


def _json_reason(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return f"not a feed: the document starts with {text[0]!r} but is neither XML nor valid JSON"
    if isinstance(data, dict) and "jsonfeed.org" in str(data.get("version", "")):
        return "not a feed: the document is a JSON Feed (this channel kind reads RSS and Atom only)"
    return "not a feed: the document is JSON, not RSS or Atom"
