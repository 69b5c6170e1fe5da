"""The Jinja2 environment the brief templates render in, with the filters they format through.

One environment per language (the i18n extension carries that language's catalogue); the
time zone and the view travel in the render context. HTML templates (``.html``) autoescape
every value; nothing marks data as safe. For both kinds of template a value is finalised
before it is written: ``None`` prints as nothing, and control characters in any string are
written out (``visible_controls``), a second guard behind the view's cleaning.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from mi.briefs import text
from mi.briefs.catalogues import translations
from mi.briefs.formats import Formats
from mi.briefs.view import ItemView, MoveView
from mi.records.inert import visible_controls

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Columns of the plain-text part: fits an 80-column terminal with a quote prefix or two.
TEXT_WIDTH = 72


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_controls(value, keep="\n")
    return value


def _formats(context: Context) -> Formats:
    return context["formats"]


def item_facts(formats: Formats, item: ItemView) -> list[str]:
    """The line under an item's title: customer, industry, tone, when."""
    facts = []
    if item.customer:
        facts.append(formats.fact(formats.gettext("Customer"), item.customer))
    if item.industry:
        facts.append(formats.fact(formats.gettext("Industry"), formats.industry(item.industry)))
    if item.sentiment:
        facts.append(formats.fact(formats.gettext("Tone"), formats.tone(item.sentiment)))
    if item.when:
        facts.append(formats.moment(item.when))
    return facts


def move_facts(formats: Formats, move: MoveView) -> list[str]:
    """A move in words beside its chart: the change, the latest value, the forecast band."""
    facts = [formats.fact(formats.gettext("Change"), formats.change(move.move))]
    if move.move.points:
        facts.append(formats.fact(formats.gettext("Latest"), formats.last(move.move)))
    if band := formats.band(move.move):
        facts.append(formats.fact(formats.gettext("Forecast band"), band))
    return facts


def _filters() -> dict[str, Any]:
    """Each filter reads the render's ``Formats`` from the context."""
    def bind(method: str) -> Any:
        return pass_context(lambda context, *args: getattr(_formats(context), method)(*args))

    filters: dict[str, Any] = {name: bind(name) for name in (
        "date", "day", "moment", "number", "heading", "industry", "tone", "kind_title")}
    filters["facts"] = pass_context(lambda context, item: item_facts(_formats(context), item))
    filters["move_facts"] = pass_context(lambda context, move: move_facts(_formats(context), move))
    filters["detail"] = pass_context(lambda context, pair: _formats(context).detail(*pair))
    filters["wrap"] = lambda value, indent="", first=None: _wrap(str(value), indent, first)
    filters["sparkline"] = lambda move: text.sparkline(move.levels)
    filters["underline"] = text.underline
    filters["rule"] = lambda mark: mark * TEXT_WIDTH
    return filters


def _wrap(value: str, indent: str, first: str | None) -> str:
    """Wraps to ``TEXT_WIDTH``; ``first`` replaces the indent on the first line (a list number)."""
    wrapped = text.wrap(value, TEXT_WIDTH, indent)
    if first is None:
        return wrapped
    return first + wrapped[len(indent):] if wrapped.startswith(indent) else first + wrapped


@lru_cache(maxsize=None)
def environment(language: str) -> Environment:
    """The environment for ``language``, with its catalogue installed (newstyle gettext, so
    values passed to ``_()`` are escaped in HTML like any other)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        finalize=_finalize,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The templates ship with the code: no stat() of each file on every render (cProfile
        # of a 500-RM day: a third of rendering's wall time under a loaded disk).
        auto_reload=False,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(_filters())
    return env
