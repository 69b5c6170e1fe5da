"""robots.txt, read as RFC 9309 says, once per origin and run.

Parsed with Protego: ``*`` and ``$`` in paths (``Disallow: /*.pdf$``) and the rule with
the longest match winning (``Allow: /news/rss`` after ``Disallow: /news/``), which the
standard library's parser gets wrong. A ``Crawl-delay`` for our user agent widens the
per-host rate limit. A robots.txt that answers 4xx means "no rules"; one that cannot be
read (5xx, no connection, a timeout) means "assume complete disallow" (RFC 9309 §2.3.1).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from mi.transport.responses import DeadlineExceeded, FetchError, Response


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says, or why it could not be read (``refusal``)."""

    origin: str
    parser: Protego | None = None
    refusal: str | None = None

    def allows(self, url: str, user_agent: str) -> bool:
        return self.refusal is None and (self.parser is None or self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None and delay > 0 else None


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: where its robots.txt lives, without any userinfo."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


class RobotsCache:
    """Each origin's rules, kept for the run once read."""

    def __init__(self) -> None:
        self._rules: dict[str, RobotsRules] = {}
        self._lock = threading.Lock()

    def rules_for(self, url: str, fetch: Callable[[str], Response]) -> RobotsRules:
        """The rules of ``url``'s origin, read with ``fetch`` the first time it is asked about."""
        origin = origin_of(url)
        with self._lock:
            known = self._rules.get(origin)
        if known is not None:
            return known
        rules = self._load(origin, fetch)
        with self._lock:
            return self._rules.setdefault(origin, rules)

    def known(self, url: str) -> RobotsRules | None:
        """The rules of ``url``'s origin if they were read already (no fetch)."""
        with self._lock:
            return self._rules.get(origin_of(url))

    @staticmethod
    def _load(origin: str, fetch: Callable[[str], Response]) -> RobotsRules:
        try:
            response = fetch(origin + "/robots.txt")
        except DeadlineExceeded:
            raise  # the target ran out of time, not the site: ask again for the next target
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return RobotsRules(origin)  # RFC 9309 §2.3.1.3: no robots.txt, no rules
            return RobotsRules(origin, refusal=f"robots.txt unreachable ({exc}); not fetching from {origin}")
        text = response.body.decode("utf-8", errors="replace")
        return RobotsRules(origin, parser=Protego.parse(text))
