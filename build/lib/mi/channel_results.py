"""What one channel's run did, as the operator reads it (one row of the run's table artifact)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from mi.records.channels import ChannelConfig

MAX_PROBLEMS_KEPT = 50


@dataclass(frozen=True)
class ChannelResult:
    """What one channel's run did; one row of the run's table artifact."""

    channel: str
    kind: str
    fetched: int = 0  # payloads retrieved (including "not modified" answers)
    new: int = 0  # clean records added (documents, observations)
    unchanged: int = 0  # payloads not modified + records already in the warehouse
    quarantined: int = 0  # payloads or rows set aside with a reason
    resumed: int = 0  # payloads an earlier, interrupted run had landed and this run finished
    error: str | None = None  # what stopped a payload or the channel, for the operator
    problems: tuple[str, ...] = field(default=(), compare=False)  # rows/items set aside
    warnings: tuple[str, ...] = field(default=(), compare=False)  # worth knowing, nothing lost
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        return "partial" if self.quarantined else "ok"

    def as_row(self) -> dict[str, Any]:
        return {
            "channel": self.channel, "kind": self.kind, "status": self.status,
            "fetched": self.fetched, "new": self.new, "unchanged": self.unchanged,
            "quarantined": self.quarantined, "resumed": self.resumed, "error": self.error or self._set_aside(),
        }

    def _set_aside(self) -> str:
        if not self.problems:
            return ""
        return f"{self.quarantined} set aside, first: {self.problems[0]}"


@dataclass
class Tally:
    """Counts and messages gathered while a channel runs; ``result`` freezes them."""

    fetched: int = 0
    new: int = 0
    unchanged: int = 0
    quarantined: int = 0
    resumed: int = 0
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def result(self, config: ChannelConfig, started: float) -> ChannelResult:
        error = "; ".join(self.errors[:3]) + (f" (+{len(self.errors) - 3} more)" if len(self.errors) > 3 else "")
        return ChannelResult(
            channel=config.name, kind=config.kind, fetched=self.fetched, new=self.new,
            unchanged=self.unchanged, quarantined=self.quarantined, resumed=self.resumed, error=error or None,
            problems=tuple(self.problems[:MAX_PROBLEMS_KEPT]), warnings=tuple(self.warnings[:MAX_PROBLEMS_KEPT]),
            seconds=time.monotonic() - started,
        )
