"""The Source protocol every channel kind implements.

A source knows *what* to fetch for its channel (``targets``), *how to fetch* one target
(``fetch``: through the shared transport unless the channel reads a database or a folder),
*how to read* one payload (``parse``) and *where its records go* (``load``). The gathering
code lands every payload verbatim between fetch and parse, so the same parsing code serves
live URLs, the offline snapshot, ``mi inspect`` and a replay of quarantined raw items.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from sqlalchemy import Connection

from mi.sources.config import ChannelConfig
from mi.sources.http import Response
from mi.sources.records import ParseResult


@dataclass(frozen=True)
class LoadContext:
    """Where a parsed payload came from, for loaders that need it."""

    channel_id: int
    raw_item_id: int | None
    target: str
    fetched_at: dt.datetime


@runtime_checkable
class Source(Protocol):
    kind: ClassVar[str]
    #: Substrings of acceptable Content-Type values; an empty tuple accepts anything.
    accepted_content_types: ClassVar[tuple[str, ...]]
    config: ChannelConfig

    def targets(self, cursor: dict[str, Any]) -> list[str]:
        """URLs, snapshot paths or other addresses to fetch on this run."""

    def fetch(self, target: str, transport: Any, *, etag: str | None, last_modified: str | None) -> Response:
        """Retrieve one target; raise ``FetchError`` with a clear reason when that fails."""

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        """Read one landed payload. Must not raise on bad input: report it in the result."""

    def load(self, conn: Connection, parsed: ParseResult, context: LoadContext) -> int:
        """Write the kind-specific ``parsed.records``; return how many rows were new."""


class BaseSource:
    """Default behaviour: fetch the configured URLs through the transport, no extra records."""

    kind: ClassVar[str] = ""
    accepted_content_types: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    def targets(self, cursor: dict[str, Any]) -> list[str]:
        return list(self.config.urls)

    def fetch(self, target: str, transport: Any, *, etag: str | None, last_modified: str | None) -> Response:
        return transport.get(target, etag=etag, last_modified=last_modified)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        raise NotImplementedError

    def load(self, conn: Connection, parsed: ParseResult, context: LoadContext) -> int:
        if parsed.records:
            raise NotImplementedError(f"{self.kind} produced records but has no loader for them")
        return 0


SOURCE_KINDS: dict[str, type[BaseSource]] = {}


def register(cls: type[BaseSource]) -> type[BaseSource]:
    """Class decorator: make a source kind available to channel configuration."""
    if not cls.kind:
        raise ValueError(f"{cls.__name__} has no kind")
    SOURCE_KINDS[cls.kind] = cls
    return cls


def source_for(config: ChannelConfig) -> BaseSource:
    import mi.sources.kinds  # noqa: F401  (registers the built-in kinds)

    try:
        cls = SOURCE_KINDS[config.kind]
    except KeyError:
        known = ", ".join(sorted(SOURCE_KINDS))
        raise ValueError(f"channel {config.name!r}: unknown kind {config.kind!r} (known: {known})") from None
    return cls(config)
