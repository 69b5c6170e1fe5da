"""What every channel kind does: name its targets, fetch one through the transport, parse it.

A source knows *what* to fetch for its channel (``targets``), *how to fetch* one target
(``fetch``, through the ``mi.transport.Transport`` it is handed: a URL, a snapshot file, a
query on the bank's database, a file of an intake folder) and *how to read* one payload
(``parse``) into typed records (``mi.records``). It never sees a database connection:
the gathering code lands every payload verbatim between fetch and parse and hands the
parsed records to the warehouse, so the same parsing code serves live URLs, the offline
snapshot, ``mi inspect`` and a replay of quarantined raw items.

What a channel may set beyond the common keys is its kind's ``Options`` model
(``mi.sources.options``), validated when the source is built.
"""
from __future__ import annotations

from typing import Any, ClassVar

from mi.records.channels import ChannelConfig
from mi.records.limits import Limits
from mi.records.parsed import ParseResult
from mi.sources.options import ChannelOptions
from mi.transport import Transport
from mi.transport.responses import Response


class BaseSource:
    """Default behaviour: fetch the configured URLs through the transport."""

    kind: ClassVar[str] = ""
    #: Substrings of acceptable Content-Type values; an empty tuple accepts anything.
    accepted_content_types: ClassVar[tuple[str, ...]] = ()
    #: Payloads of this kind may hold what an RM flagged confidential (field notes): one whose
    #: records are flagged, or that could not be read whole, is marked so in the raw layer.
    may_hold_confidential: ClassVar[bool] = False
    #: The options a channel of this kind may set; the base model allows none.
    Options: ClassVar[type[ChannelOptions]] = ChannelOptions

    def __init__(self, config: ChannelConfig, limits: Limits | None = None) -> None:
        self.config = config
        #: The channel's options, validated: a misconfigured channel fails here, by name.
        self.options = self.Options.for_channel(config)
        #: How much of any input this source may read (rows, cells, unpacked bytes, pages).
        self.limits = limits or Limits()
        #: What finding the targets showed that the operator should know (a file left out).
        self.notices: list[str] = []

    def targets(self, cursor: dict[str, Any], transport: Transport) -> list[str]:
        """URLs, snapshot paths or other addresses to fetch on this run."""
        return list(self.config.urls)

    def fetch(self, target: str, transport: Transport, *, etag: str | None, last_modified: str | None) -> Response:
        """Retrieve one target; raise ``FetchError`` with a clear reason when that fails."""
        return transport.get(target, etag=etag, last_modified=last_modified)

    def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParseResult:
        """Read one landed payload. Must not raise on bad input: report it in the result."""
        raise NotImplementedError
