"""How the desk renders a page: the brief's own Jinja2 environment (its filters, its catalogue,
its autoescaping and finalising of every value) with the desk's templates in front.

The desk's brief page shows the brief's ``BriefView`` through the same filters as the email
(``facts``, ``move_facts``, ``detail``, ``heading``): one composition, one presentation,
laid out for a screen. Styles come from one stylesheet (``static/desk.css``): the desk's
Content-Security-Policy allows no inline style or script, so chart bars take their height
from a class (``h0`` to ``h48``) rather than a style attribute.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader

from mi.briefs.catalogues import language_of
from mi.briefs.environment import environment as brief_environment
from mi.briefs.view import safe_href

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
#: The tallest chart bar, in the stylesheet's height classes (h0 ... h48): the brief's CHART_HEIGHT.
BAR_LEVELS = 48


@lru_cache(maxsize=None)
def environment(language: str = "en") -> Environment:
    base = brief_environment(language_of(language))
    env = base.overlay(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), base.loader]))  # type: ignore[list-item]
    env.filters["bar_class"] = bar_class
    env.filters["money"] = money
    env.filters["meter_class"] = meter_class
    env.filters["safe_href"] = safe_href
    return env


def bar_class(height: float | int | None) -> str:
    """The stylesheet class of a bar ``height`` px tall (0-48)."""
    value = 0 if height is None else int(round(float(height)))
    return f"h{min(BAR_LEVELS, max(0, value))}"


def meter_class(score: float | None) -> str:
    """The stylesheet class of a 0-100 score's meter, in steps of 5 (s0 ... s20)."""
    value = 0.0 if score is None else float(score)
    return f"s{min(20, max(0, round(value / 5)))}" if value == value else "s0"


def money(value: float | None) -> str:
    """A balance or amount as the desk shows it: 25.0m, 400k, 950."""
    if value is None:
        return ""
    size = abs(value)
    if size >= 1e9:
        return f"{value / 1e9:,.1f}bn"
    if size >= 1e6:
        return f"{value / 1e6:,.1f}m"
    if size >= 1e4:
        return f"{value / 1e3:,.0f}k"
    return f"{value:,.0f}"


def render(template: str, context: dict[str, Any], language: str = "en") -> str:
    return environment(language).get_template(template).render(context)
