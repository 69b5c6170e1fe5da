"""Rich output that shows data literally: no markup, no emoji codes, no terminal control codes.

Rich reads ``[bold]``, ``[link=...]`` and ``:emoji:`` in every plain string it prints (table
titles, headers and cells included), so a feed title holding ``[/bold]`` crashed a command
and ``[link=https://evil.example]x[/link]`` drew a hidden hyperlink; Rich also passes ESC and
OSC sequences through to the terminal. Two layers keep that from happening:

- ``literal(value)``: data as a ``rich.text.Text`` (never parsed) with control characters
  written out. Put data into a renderable this way, also where a renderable parses markup on
  its own (``Panel`` titles call ``Text.from_markup`` whatever the console says);
- ``make_console()``: an ``InertConsole``, which treats every plain string it is given the
  same way, so a string that slips through unwrapped is still shown as it is.

Styling is done with ``Text`` styles (``Text.assemble(("failed:", "red"), " ", literal(x))``),
never with markup in a string.
"""
from __future__ import annotations

import os
from typing import Any

from rich.console import Console, HighlighterType, JustifyMethod, OverflowMethod
from rich.highlighter import JSONHighlighter
from rich.style import Style
from rich.text import Text

from mi.records.inert import json_text, visible_controls

# A table cell or a message may span lines and hold tabs; every other control is written out.
_KEPT = "\n\t"


def literal(value: object, style: str | Style = "") -> Text:
    """``value`` (``str()`` of it; None is empty) as Rich text shown exactly as it reads."""
    return Text(visible_controls("" if value is None else str(value), keep=_KEPT), style=style)


def json_renderable(payload: Any) -> Text:
    """``payload`` as indented, highlighted JSON (``json_text``): colour only, nothing parsed."""
    text = Text(json_text(payload))
    JSONHighlighter().highlight(text)
    return text


class InertConsole(Console):
    """A Console that never reads markup or emoji codes in a plain string and writes its
    control characters out; ``Text`` renderables are printed as built."""

    def render_str(self, text: str, *, style: str | Style = "", justify: JustifyMethod | None = None,
                   overflow: OverflowMethod | None = None, emoji: bool | None = None,
                   markup: bool | None = None, highlight: bool | None = None,
                   highlighter: HighlighterType | None = None) -> Text:
        # markup and emoji are refused even when a caller asks for them: a string that reaches
        # here may hold data, and styling belongs in Text styles.
        return super().render_str(visible_controls(text, keep=_KEPT), style=style, justify=justify,
                                  overflow=overflow, emoji=False, markup=False, highlight=highlight,
                                  highlighter=highlighter)


def make_console(*, stderr: bool = False) -> InertConsole:
    """The console for command output (``stderr`` for messages about failures).

    Piped output (CI logs, ``make run | tee``) would otherwise wrap tables at 80 columns: it
    gets 160, unless ``COLUMNS`` sets a width."""
    console = InertConsole(stderr=stderr, markup=False, emoji=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = 160
    return console
