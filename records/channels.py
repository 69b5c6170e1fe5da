"""A configured channel: what to read, of which kind, with which options.

The keys every channel shares are typed fields here. Everything else a channel file says
about it is its kind's options, kept in ``options`` as written; each kind validates them
into its own typed model (``mi.sources.options``) when the channel file is loaded and
again when its source is built.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mi.records.limits import Limits

#: The keys of a channel file entry that every kind understands; the others are options.
COMMON_KEYS = ("name", "kind", "url", "urls", "industry_hints", "market", "enabled", "description",
               "after", "sample", "max_follow")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class ChannelConfig:
    name: str
    kind: str
    urls: tuple[str, ...]
    industry_hints: tuple[str, ...] = ()
    enabled: bool = True
    description: str = ""
    #: Channels that must have run first when they run in the same flow (coverage after customers).
    after: tuple[str, ...] = ()
    #: A channel of the bundled sample bank (or its fictional competitors): no public counterpart.
    sample: bool = False
    #: Further pages a paginated channel may add in one run; None: ``Limits.max_pages``.
    max_follow: int | None = None
    #: The market the channel reports on, an ISO 3166 two-letter code ("IN" for an Indian business
    #: wire); "" when it is no one market's. The linker counts it for a customer of that country.
    market: str = ""
    #: The kind's own settings (column mapping, series metadata, ...), verbatim from the file.
    options: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def url(self) -> str:
        return self.urls[0] if self.urls else ""

    def pages_to_follow(self, limits: Limits) -> int:
        """How many further pages this channel may add in one run."""
        return limits.max_pages if self.max_follow is None else self.max_follow
