"""The one HTTP layer every channel fetches through.

It owns what no channel should re-implement: timeouts, retries with exponential backoff on
429/5xx/connection errors only (never on 4xx, never on a slow read), ``Retry-After``,
robots.txt, a per-host rate limit, conditional GET (ETag / Last-Modified), a response-size
cap and the size of the error message an operator reads when any of it goes wrong.
"""
from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from mi.transport.responses import FetchError, Response

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HostRateLimiter:
    """At most one request per ``min_interval`` seconds to each host, across threads."""

    def __init__(self, min_interval: float, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.min_interval = min_interval
        self._sleep = sleep
        self._clock = clock
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.min_interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay


class HttpTransport:
    """Fetches URLs politely and predictably. Thread-safe; share one per run."""

    def __init__(
        self,
        *,
        user_agent: str = "mi-pipeline/0.1",
        timeout: float = 20.0,
        connect_timeout: float = 5.0,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        max_bytes: int = 10 * 1024 * 1024,
        min_interval: float = 1.0,
        respect_robots: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = (connect_timeout, timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self._sleep = sleep
        self.rate_limiter = HostRateLimiter(min_interval, sleep=sleep)
        self._local = threading.local()
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._robots_lock = threading.Lock()

    # -- public -------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url``; a 304 comes back as a Response with ``not_modified`` set."""
        if self.respect_robots:
            self._check_robots(url)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get_with_retries(url, headers)

    # -- internals ----------------------------------------------------------------------
    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Response:
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self.rate_limiter.wait(host)
            try:
                response = self._get_once(url, headers)
            except requests.exceptions.ReadTimeout:
                # A server that accepted the connection but is too slow is not retried: a
                # second attempt would most likely cost another full timeout.
                raise FetchError(f"timed out after {self.timeout[1]:g} s waiting for {url}", url=url) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.ConnectTimeout) as exc:
                if attempt >= self.max_retries:
                    raise FetchError(
                        f"connection failed after {attempt + 1} attempts: {_short(exc)}", url=url
                    ) from None
                self._sleep(self._backoff_delay(attempt))
                attempt += 1
                continue
            if response.status in RETRY_STATUSES and attempt < self.max_retries:
                wait = parse_retry_after(response.headers.get("retry-after"))
                delay = self._backoff_delay(attempt) if wait is None else min(wait, self.max_backoff)
                self._sleep(delay)
                attempt += 1
                continue
            if response.status >= 400:
                tried = f" after {attempt + 1} attempts" if attempt else ""
                raise FetchError(
                    f"HTTP {response.status}{tried} from {url}", url=url, status=response.status,
                    body=response.body, content_type=response.content_type,
                )
            return response

    def _backoff_delay(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * (2**attempt))

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        with self._session.get(url, headers=headers, timeout=self.timeout, stream=True,
                               allow_redirects=True) as raw:
            declared = raw.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(
                    f"response of {int(declared)} bytes exceeds the {self.max_bytes}-byte cap",
                    url=url, status=raw.status_code, content_type=raw.headers.get("content-type"),
                )
            body = bytearray()
            for chunk in raw.iter_content(chunk_size=65536):
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise FetchError(
                        f"response exceeds the {self.max_bytes}-byte cap (stopped reading)",
                        url=url, status=raw.status_code, body=bytes(body[:65536]),
                        content_type=raw.headers.get("content-type"),
                    )
            return Response(
                url=raw.url,
                status=raw.status_code,
                body=bytes(body),
                content_type=raw.headers.get("content-type"),
                etag=raw.headers.get("etag"),
                last_modified=raw.headers.get("last-modified"),
                headers={k.lower(): v for k, v in raw.headers.items()},
            )

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            rules = self._robots.get(origin)
        if rules is None:
            rules = self._load_robots(origin)
            with self._robots_lock:
                self._robots[origin] = rules
        if isinstance(rules, str):
            raise FetchError(rules, url=url)
        if not rules.can_fetch(self.user_agent, url):
            raise FetchError(f"disallowed by {origin}/robots.txt for {self.user_agent!r}", url=url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | str:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            response = self._get_with_retries(origin + "/robots.txt", {"User-Agent": self.user_agent})
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                parser.parse([])  # RFC 9309: no robots.txt means everything is allowed
                return parser
            # RFC 9309 §2.3.1.4: an unreachable robots.txt means "assume complete disallow".
            return f"robots.txt unreachable ({exc}); not fetching from {origin}"
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return parser


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:197] + "..."
