"""How often one host is asked: the per-host rate limit and what servers say about waiting.

One clock per host for the whole run (every channel's thread shares it): requests to a
host are spaced by the transport's minimum interval, widened by the host's robots.txt
``Crawl-delay``; a ``Retry-After`` pushes the host's next slot back, so no request of this
run asks it sooner than it allowed. A wait longer than the caller can afford is not
slept: the limiter says so (``WaitTooLong``) and reserves nothing.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
from collections.abc import Callable


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # HTTP dates are GMT
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def wall_time_after(seconds: float) -> str:
    """When ``seconds`` from now is, in UTC, for messages ("2026-11-28 07:00:00 UTC")."""
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


class WaitTooLong(Exception):
    """The host's next slot is further away than the caller allowed; nothing was reserved."""

    def __init__(self, host: str, delay: float) -> None:
        super().__init__(f"{host} may not be asked for another {delay:.1f} s")
        self.host = host
        self.delay = delay


class HostRateLimiter:
    """At most one request per ``min_interval`` seconds to each host, across threads."""

    def __init__(self, min_interval: float, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.min_interval = min_interval
        self._sleep = sleep
        self._clock = clock
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, *, interval: float | None = None, limit: float | None = None) -> float:
        """Sleep until ``host``'s next slot and take it; return the seconds slept.

        ``interval`` (a Crawl-delay) widens the spacing to the request after this one;
        with ``limit``, a wait longer than that raises ``WaitTooLong`` instead.
        """
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            delay = slot - now
            if limit is not None and delay > limit:
                raise WaitTooLong(host, delay)
            spacing = self.min_interval if interval is None else max(self.min_interval, interval)
            self._next_slot[host] = slot + spacing
        if delay > 0:
            self._sleep(delay)
        return delay

    def hold(self, host: str, seconds: float) -> None:
        """Ask ``host`` nothing for ``seconds`` from now (it answered with a Retry-After)."""
        with self._lock:
            now = self._clock()
            self._next_slot[host] = max(self._next_slot.get(host, now), now + seconds)
