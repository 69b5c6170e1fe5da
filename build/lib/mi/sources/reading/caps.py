"""How a breached limit is worded: the figure and the setting that raises it.

Every reader reports a limit the same way, so an operator can tell from the message alone
which ``MI_LIMIT_*`` variable to change (``mi.records.limits``).
"""
from __future__ import annotations

from mi.records.limits import Limits


def limit_text(limits: Limits, name: str, unit: str = "") -> str:
    """``100,000 (MI_LIMIT_MAX_FIELD_CHARS)`` for ``max_field_chars``; the unit, if given,
    follows the figure."""
    figure = f"{getattr(limits, name):,}" + (f" {unit}" if unit else "")
    return f"{figure} ({Limits.setting_names()[name]})"


def field_too_long(position: int, length: int, limits: Limits, column: str | None = None) -> str:
    """The reason a row is set aside for one over-long field: its column's name if known,
    else its 1-based position."""
    where = f"column {column!r}" if column else f"field {position}"
    return f"{where} has {length:,} characters, over the limit of {limit_text(limits, 'max_field_chars')}"
