"""The Source protocol every channel kind implements.

A source knows *what* to fetch for its channel (``targets``) and *how to read* one payload
(``parse``). It never fetches by itself: the gathering code fetches every target through a
transport (real HTTP or the bundled snapshot), lands the payload verbatim, and only then
hands the bytes to ``parse``. So the same parsing code serves live URLs, the offline
snapshot, ``mi inspect`` and a replay of quarantined raw items.
"""
from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

from mi.sources.config import ChannelConfig
from mi.sources.records import ParseResult


@runtime_checkable
class Source(Protocol):
    kind: ClassVar[str]
    #: Substrings of acceptable Content-Type values; an empty tuple accepts anything.
    accepted_content_types: ClassVar[tuple[str, ...]]
    config: ChannelConfig

    def targets(self, cursor: dict[str, Any]) -> list[str]:
        """URLs or snapshot paths to fetch on this run."""

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        """Read one landed payload. Must not raise on bad input: report it in the result."""


class BaseSource:
    """Convenience base: fetch the configured URLs, accept any content type."""

    kind: ClassVar[str] = ""
    accepted_content_types: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    def targets(self, cursor: dict[str, Any]) -> list[str]:
        return list(self.config.urls)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        raise NotImplementedError


SOURCE_KINDS: dict[str, type[BaseSource]] = {}


def register(cls: type[BaseSource]) -> type[BaseSource]:
    """Class decorator: make a source kind available to channel configuration."""
    if not cls.kind:
        raise ValueError(f"{cls.__name__} has no kind")
    SOURCE_KINDS[cls.kind] = cls
    return cls


def source_for(config: ChannelConfig) -> BaseSource:
    # Importing the package registers every built-in kind.
    import mi.sources.kinds  # noqa: F401

    try:
        cls = SOURCE_KINDS[config.kind]
    except KeyError:
        known = ", ".join(sorted(SOURCE_KINDS))
        raise ValueError(f"channel {config.name!r}: unknown kind {config.kind!r} (known: {known})") from None
    return cls(config)
