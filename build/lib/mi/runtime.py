"""The one place where the environment picks resources: warehouse engine, transport and
channel list, built once per process from ``Settings`` and shared by every task."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine

from mi.records.channels import ChannelConfig
from mi.settings import Settings
from mi.sources.config import load_channels
from mi.transport import FileTransport, HttpTransport, QueryReader, Transport
from mi.warehouse.engine import create_warehouse_engine, migrate


@dataclass
class Runtime:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        engine = create_warehouse_engine(self.settings.database_url)
        migrate(engine)
        return engine

    @cached_property
    def transport(self) -> Transport:
        """The seam every outside read goes through (see ``mi.transport``)."""
        s = self.settings
        limits = s.limits
        return Transport(
            http=HttpTransport(user_agent=s.user_agent, timeout=s.http_timeout, max_bytes=limits.max_bytes,
                               max_redirects=limits.max_redirects, fetch_deadline=limits.fetch_deadline,
                               min_interval=s.http_min_interval, private_hosts=s.http_private_hosts),
            files=FileTransport(max_bytes=limits.max_bytes),
            queries=QueryReader(variables=s.variables, max_bytes=limits.max_bytes),
        )

    @cached_property
    def channels(self) -> list[ChannelConfig]:
        return load_channels(self.settings.channels_file)

    def channel(self, name: str) -> ChannelConfig:
        for config in self.channels:
            if config.name == name:
                return config
        raise KeyError(f"no channel named {name!r} in {self.settings.channels_file}")

    def select(self, names: list[str] | None) -> list[ChannelConfig]:
        """The named channels, or every enabled one; unknown names are an error."""
        if not names:
            return [c for c in self.channels if c.enabled]
        return [self.channel(name) for name in names]


_lock = threading.Lock()
_current: Runtime | None = None


def current_runtime() -> Runtime:
    """The process-wide runtime, rebuilt when the environment's settings change."""
    global _current
    settings = Settings.from_env()
    with _lock:
        if _current is None or _current.settings != settings:
            _current = Runtime(settings)
        return _current
