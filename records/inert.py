"""Fetched and configured text made inert for each kind of output that shows it.

A feed title, an error that quotes a payload, a channel's description, an RM's note: all of
it is data wherever it is shown, never markup a renderer acts on. One helper per output:

- ``visible_controls``: control characters (ESC, OSC, CR, bidi overrides, ...) written out
  as escapes, so a terminal or a log viewer shows them instead of obeying them;
- ``md_text`` / ``md_link``: one line of literal text for markdown (a table cell, a list
  item) and the only way a link is put into markdown, built by the code from an http(s) URL;
- ``json_text``: JSON whose strings carry no raw control characters (same data when parsed);
- ``csv_cell`` / ``csv_row``: cells for a CSV that people open in a spreadsheet, with
  formulas neutralised (OWASP "CSV injection").

Standard library only, on the ground floor, so refining's markdown, the CLI's tables and any
later export (RM briefs, signals, a web desk) share one definition of "inert". The Rich side
is ``mi.console``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

# C0 controls, DEL, C1 controls (0x9b is a one-byte CSI to some terminals), and the Unicode
# bidirectional controls that reorder what a reader sees ("Trojan Source").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape_of(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_controls(text: str, keep: str = "") -> str:
    """``text`` with each control character written as its escape (ESC becomes ``\\x1b``).

    ``keep`` names control characters to leave as they are, e.g. ``"\\n\\t"`` for a table
    cell that may span lines. Everything else printable is unchanged.
    """
    if text.isprintable():  # every character _CONTROL matches is unprintable: the common case, in C
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape_of(m.group()), text)


# Markdown punctuation that can start or end something live: links and images ([ ] ( ) !),
# code spans (`), emphasis and strike-through (* _ ~), tables (|), headings and lists at the
# start of a line (# + - . and digits followed by . or )), autolinks and e-mail links in GFM
# (: . @), emoji shortcodes (:), and the extensions some renderers add (^ $ = { }). Each gets
# a backslash, which CommonMark allows before any ASCII punctuation. & < > become entities
# instead: Python-Markdown does not honour a backslash before <, and raw HTML must not survive
# any renderer.
_MD_BACKSLASHED = frozenset("\\`*_{}[]()#+-.!|~:@^$=")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_TABLE = str.maketrans({**{c: "\\" + c for c in _MD_BACKSLASHED}, **_MD_ENTITIES})


def md_text(value: object, limit: int | None = None) -> str:
    """``value`` as one line of literal markdown text, with nothing a renderer acts on.

    Line breaks and runs of whitespace become one space (a table row stays one row); control
    characters are written out (see ``visible_controls``); ``limit`` cuts the plain text (not
    the escaped one, so no escape is cut in half) and marks the cut with "…". CommonMark
    renderers (markdown-it, marked, GitHub's) then show that text exactly; Python-Markdown
    shows a stray backslash before a few characters (``:`` ``~`` ``@`` ...) but makes no link,
    image or HTML of them either. Meant for inline places: a table cell, a list item, a
    heading. Never put the result in a code span: code spans do not honour backslashes, and
    some renderers split them at pipes inside tables.
    """
    text = visible_controls(" ".join(("" if value is None else str(value)).split()))
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return text.translate(_MD_TABLE)


LINK_SCHEMES = frozenset({"http", "https"})
# Left as they are in a link destination; everything else (spaces, parentheses, brackets,
# quotes, angle brackets, backslashes, controls) is percent-encoded so it cannot end the link.
_URL_SAFE = "-._~:/?#@!$&*+,;=%"


def md_link(label: object, url: str | None) -> str:
    """A markdown link to ``url`` labelled ``label``, or the label alone as text.

    Only an absolute http(s) URL with a host is linked; any other scheme (``javascript:``,
    ``data:``, ``file:``), a relative or malformed URL, gives ``md_text(label)``. The label is
    escaped like any text, so it can hold no image or nested link.
    """
    candidate = (url or "").strip()
    try:
        parts = urlsplit(candidate)
        linkable = parts.scheme.lower() in LINK_SCHEMES and bool(parts.hostname)
    except ValueError:  # e.g. a malformed IPv6 host
        linkable = False
    if not linkable or _CONTROL.search(candidate):
        return md_text(label)
    return f"[{md_text(label)}]({quote(candidate, safe=_URL_SAFE)})"


# JSON escapes C0 controls itself; these survive json.dumps(ensure_ascii=False) raw.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(payload: Any, indent: int | None = 2) -> str:
    """``payload`` as JSON for a terminal or a file people read: non-ASCII text stays readable,
    while DEL, C1 and bidi controls and the line separators are written as ``\\uXXXX``, which
    parses back to the same data. Values JSON cannot hold are written as ``str(value)``."""
    text = json.dumps(payload, indent=indent, ensure_ascii=False, default=str)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_START = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: Any, *, numeric: bool = False) -> Any:
    """``value`` for one cell of a CSV that people open in a spreadsheet.

    Text whose first character (after leading spaces, which some importers trim) would start
    a formula gets a leading apostrophe, so ``=HYPERLINK(...)`` shows as text. Numbers (int,
    float, Decimal) pass unchanged, and so does text in a column known to be ``numeric`` when
    it is a plain number such as ``-1.5``; anything else in such a column is treated as text.
    None becomes an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if numeric and _NUMBER.fullmatch(text.strip()):
        return text
    return "'" + text if text.lstrip(" ")[:1] in _FORMULA_START else text


def csv_row(row: Mapping[str, Any] | Sequence[Any], columns: Sequence[str] | None = None,
            numeric: Collection[str] = ()) -> list[Any]:
    """One CSV row through ``csv_cell``: a mapping's ``columns`` in order, or a sequence as it is
    (then ``columns``, when given, names its items so that ``numeric`` can refer to them)."""
    if isinstance(row, Mapping):
        if columns is None:
            raise ValueError("csv_row needs the columns of a mapping row")
        return [csv_cell(row.get(c), numeric=c in numeric) for c in columns]
    names = list(columns) if columns is not None else [""] * len(row)
    return [csv_cell(v, numeric=name in numeric) for v, name in zip(row, names, strict=True)]
