"""Fetched text made fit to show: one clean line, and lines wrapped for a plain-text email.

Every string a brief shows passes ``clean`` first: whitespace (line breaks included) becomes
one space, so a title cannot fake a new section of the text part, and control characters
(ESC, bidi overrides such as U+202E) are written out as escapes (``mi.records.inert``), so
neither a terminal nor a mail reader obeys them. Escaping for HTML is the template's job.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from mi.records.inert import visible_controls

# Closing punctuation that a Chinese line must not start with; it stays on the line before.
_NO_LINE_START = frozenset("，。、；：！？）」』》〉】,.;:!?)")
_SPARKS = "▁▂▃▄▅▆▇█"
# Spaces no line may break at: Babel writes "10:15\u202fAM" and the like.
_NO_BREAK = frozenset("\u00a0\u2007\u202f")


def clean(value: object, limit: int | None = None) -> str:
    """``value`` as one line of inert text, cut to ``limit`` characters with "…"."""
    text = " ".join(("" if value is None else str(value)).split())
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return visible_controls(text)


@lru_cache(maxsize=65_536)
def char_width(char: str) -> int:
    """Columns a character takes in a terminal: two for CJK ideographs and full-width forms."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    if text.isascii():  # the common case, and a thousand times cheaper than asking per character
        return len(text)
    return sum(char_width(c) for c in text)


def _pieces(text: str) -> list[tuple[bool, str]]:
    """The unbreakable pieces of ``text``, each with whether a space stood before it: a run of
    narrow characters (a word), or a wide character (Chinese breaks between any two). A word
    keeps the wide character right after it, so "2026年" or "12亿" stays on one line."""
    if text.isascii():  # no wide or no-break characters: the words are the pieces
        return [(True, word) for word in text.split()]
    pieces: list[tuple[bool, str]] = []
    word, word_spaced, spaced = "", False, False
    for char in text:
        if char.isspace() and char not in _NO_BREAK:
            if word:
                pieces.append((word_spaced, word))
                word = ""
            spaced = True
            continue
        if char_width(char) == 2:
            if word:
                pieces.append((word_spaced, word + char))
                word = ""
            else:
                pieces.append((spaced, char))
            spaced = False
            continue
        if not word:
            word_spaced, spaced = spaced, False
        word += char
    if word:
        pieces.append((word_spaced, word))
    return pieces


def _split_long(piece: str, width: int) -> list[str]:
    """A word wider than a line, cut into line-wide parts (a hostile run without spaces)."""
    parts, part = [], ""
    for char in piece:
        if part and display_width(part) + char_width(char) > width:
            parts.append(part)
            part = ""
        part += char
    return parts + ([part] if part else [])


@lru_cache(maxsize=16_384)
def wrap(text: str, width: int = 72, indent: str = "") -> str:
    """``text`` in lines of at most ``width`` columns (CJK counted double), each line starting
    with ``indent``. Words longer than a line are cut; Chinese closing punctuation never
    starts a line (it may take the line two columns past ``width``). Cached: a bank's briefs
    share most of their news, so the same title is wrapped for many RMs."""
    room = max(width - display_width(indent), 8)
    if text.isascii():
        return _wrap_ascii(text, room, indent)
    return _wrap_pieces(_pieces(text), room, indent)


def _wrap_pieces(pieces: list[tuple[bool, str]], room: int, indent: str) -> str:
    lines: list[str] = []
    line, used = "", 0  # the line so far and its width, kept as it grows (not measured again)
    for spaced, piece in pieces:
        gap = " " if spaced and line else ""
        added = len(gap) + display_width(piece)
        if used + added <= room or (line and piece in _NO_LINE_START):
            line += gap + piece
            used += added
            continue
        if line:
            lines.append(line)
        chunks = _split_long(piece, room)
        lines.extend(chunks[:-1])
        line = chunks[-1] if chunks else ""
        used = display_width(line)
    if line:
        lines.append(line)
    return "\n".join(indent + each for each in lines)


def _wrap_ascii(text: str, room: int, indent: str) -> str:
    """``_wrap_pieces`` of ASCII text, where every piece is a word with a space before it and
    as wide as it is long: the same lines, without a call per word (most briefs are English)."""
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = len(word)
        if not line:
            if size <= room:
                line, used = word, size
                continue
        elif used + 1 + size <= room or word in _NO_LINE_START:
            line += " " + word
            used += 1 + size
            continue
        else:
            lines.append(line)
            if size <= room:
                line, used = word, size
                continue
        chunks = [word[i:i + room] for i in range(0, size, room)]  # a word wider than a line
        lines.extend(chunks[:-1])
        line, used = chunks[-1], len(chunks[-1])
    if line:
        lines.append(line)
    return "\n".join(indent + each for each in lines)


def sparkline(levels: list[float] | tuple[float, ...]) -> str:
    """Levels between 0 and 1 as a row of block characters, the plain-text chart of a move."""
    top = len(_SPARKS) - 1
    return "".join(_SPARKS[min(max(round(level * top), 0), top)] for level in levels)


def underline(text: str, mark: str = "-") -> str:
    """A rule as wide as ``text`` shows in a terminal, for a heading of the text part."""
    return mark * display_width(text)
