"""A configured channel: what to read, of which kind, with which options."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    #: Kind-specific settings (column mapping, series metadata, ...), verbatim from the file.
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def url(self) -> str:
        return self.urls[0] if self.urls else ""

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)
