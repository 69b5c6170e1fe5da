"""From a feed payload's raw bytes to text, and a first look at what the text is.

Decoding is decided here rather than left to feedparser because feedparser follows RFC 3023
literally: it trusts the HTTP or XML-declared charset whenever the bytes happen to decode
with it. A UTF-8 body labelled ISO-8859-1 (a common server misconfiguration) then comes
out as mojibake, silently; feedparser's per-element latin-1 round trip repairs only the
elements without curly quotes, dashes or euro signs. The rule, in order:

1. A byte-order mark, or the UTF-16/32/EBCDIC byte pattern of ``<?``, decides.
2. Pure ASCII needs no decision.
3. Bytes that are valid UTF-8 (and not pure ASCII) are UTF-8, whatever was declared:
   text in a single-byte charset is practically never valid UTF-8 by accident.
4. Otherwise the declared charsets (HTTP header, then XML declaration) are tried strictly.
5. Otherwise, bytes that are mostly valid UTF-8 are read as UTF-8 with the few bad bytes
   replaced by U+FFFD, and anything else is decoded by charset detection.

Steps 1-4 recover the text exactly, so a declared-vs-actual mismatch they resolve is not
reported. Step 5 is reported (``Decoded.note``): text was lost (U+FFFD) or guessed.
"""
from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass

_BYTE_PATTERNS: tuple[tuple[bytes, str, int], ...] = (
    # (prefix, codec, bytes to skip); UTF-32 before UTF-16: FF FE 00 00 starts with FF FE.
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF8, "utf-8", 3),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00<", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
    (b"\x4c\x6f\xa7\x94", "cp037", 0),  # "<?xm" in EBCDIC
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data that was never decompressed"),
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_CHARSET = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)
# Labels browsers read as windows-1252, its printable superset (WHATWG Encoding).
_AS_WINDOWS_1252 = {"ascii", "iso8859-1", "cp1252"}  # codecs.lookup() names
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_FEED_ROOTS = {"rss", "feed", "rdf"}  # RSS 0.9x/2.0, Atom 0.3/1.0, RSS 0.90/1.0 (rdf:RDF)
_HTML_ROOTS = {"html", "head", "body", "frameset"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # set only when characters were lost or the charset was guessed


def decode_feed_bytes(body: bytes, content_type: str | None) -> Decoded:
    """Decode a payload following the rule in the module docstring."""
    for prefix, codec, skip in _BYTE_PATTERNS:
        if body.startswith(prefix):
            return _decode_lossy(body[skip:], codec, "from the byte pattern at the start")
    if body.isascii():
        return Decoded(body.decode("ascii"), "ascii")
    try:
        return Decoded(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charsets(body, content_type)
    for codec in declared:
        try:
            return Decoded(body.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    said = f"declared {', '.join(declared)}" if declared else "nothing declared"
    if _mostly_utf8(body):
        return _decode_lossy(body, "utf-8", f"{said}, mostly UTF-8")
    return _detect(body, said)


def _declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    labels = []
    if content_type and (match := _HTTP_CHARSET.search(content_type)):
        labels.append(match.group(1))
    if match := _XML_CHARSET.search(body[:1024]):
        labels.append(match.group(1).decode("ascii"))
    codecs_found: list[str] = []
    for label in labels:
        codec = _codec_name(label)
        if codec and codec not in codecs_found:
            codecs_found.append(codec)
    return codecs_found


def _codec_name(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None  # a bogus label: fall back to the other evidence
    if name in _AS_WINDOWS_1252:
        return "cp1252"
    return "gb18030" if name in {"gb2312", "gbk"} else name  # gb18030 is their superset


def _mostly_utf8(body: bytes) -> bool:
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f" and char != "\ufffd")
    return good > bad


def _decode_lossy(body: bytes, codec: str, why: str) -> Decoded:
    try:
        return Decoded(body.decode(codec), codec)
    except UnicodeDecodeError:
        text = body.decode(codec, errors="replace")
    lost = text.count("\ufffd") - body.decode(codec, errors="ignore").count("\ufffd")
    note = f"character encoding: {lost} invalid byte sequence(s) in {codec} ({why}) replaced with U+FFFD"
    return Decoded(text, codec, note)


def _detect(body: bytes, said: str) -> Decoded:
    for codec in (_detected_charset(body), "cp1252", "latin-1"):
        if not codec:
            continue
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        note = (
            f"character encoding: the bytes are not valid UTF-8 or any declared charset ({said});"
            f" decoded as {codec} by guessing, non-ASCII text may be wrong"
        )
        return Decoded(text, codec, note)
    raise AssertionError("latin-1 decodes any bytes")


def _detected_charset(body: bytes) -> str | None:
    """charset_normalizer's pick, preferring windows-1252 when that reads just as cleanly.

    Its favourite among equally clean single-byte candidates is often a Baltic or Central
    European code page for plain Western text; windows-1252 is by far the likelier one.
    """
    try:  # charset_normalizer ships with requests; without it windows-1252 is the guess
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    matches = list(from_bytes(body))
    if not matches:
        return None
    western = [m for m in matches if _codec_name(m.encoding) == "cp1252" and m.chaos <= matches[0].chaos]
    return _codec_name((western or matches)[0].encoding)


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
