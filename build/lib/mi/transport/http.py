"""The one HTTP layer every channel fetches through.

It owns what no channel should re-implement, and guarantees that whatever goes wrong
comes out as a ``FetchError`` with a clear reason (secrets in the address masked by
``redact_url``), never as another exception that would stop the channel:

* a deadline per target (``fetch_deadline``: first request to last byte, robots.txt,
  redirects and retries included), enforced on the socket, so even a server trickling
  one byte at a time is cut off (``mi.transport.connections``);
* connect/read timeouts; retries with exponential backoff only when no answer came
  (refused or dropped connection, connect timeout) or on 429/5xx. Never on a 4xx, and
  never once an answer started: a slow or stalled read is a read timeout, a body broken
  off is a truncated body, a bad gzip is a decoding error, each reported at once;
* ``Retry-After``: the host is not asked again in this run before the server allowed; a
  wait that does not fit in the deadline is given up on with the wait in
  ``FetchError.retry_after``;
* redirects followed here, not by ``requests``: at most ``max_redirects`` hops, only to
  http(s), loops refused, each hop checked like a first request;
* before every request (first or redirect hop): private, loopback and link-local hosts
  are refused unless allowed (``mi.transport.addresses``); robots.txt of the hop's own
  origin is obeyed (``mi.transport.robots``); the hop's host is paced by the per-host rate
  limit, widened by its Crawl-delay (``mi.transport.pacing``);
* conditional GET (ETag / Last-Modified) and a cap on the bytes of a body, as decoded.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from mi.records.limits import Limits
from mi.records.redaction import redact_text, redact_url
from mi.transport.addresses import AddressPolicy, AddressRefused
from mi.transport.connections import Watch, guarded_session
from mi.transport.pacing import HostRateLimiter, WaitTooLong, parse_retry_after, wall_time_after
from mi.transport.responses import DeadlineExceeded, FetchError, Response
from mi.transport.robots import RobotsCache, origin_of

__all__ = ["FetchError", "HostRateLimiter", "HttpTransport", "Response", "parse_retry_after"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SETTING = Limits.setting_names()


class _NoAnswer(Exception):
    """A request that got no answer at all (refused, reset, connect timeout): retried."""


@dataclass
class _Fetch:
    """One target being fetched: its address as asked for and its deadline."""

    url: str
    seconds: float
    ends_at: float
    watch: Watch
    clock: Callable[[], float]

    def remaining(self) -> float:
        return self.ends_at - self.clock()

    def over(self, where: str) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"gave up on {redact_url(self.url)} {where}: its fetch deadline of {self.seconds:g} s passed "
            f"(redirects and retries included; {_SETTING['fetch_deadline']})", url=self.url)

    def check(self, where: str) -> None:
        if self.watch.expired or self.remaining() <= 0:
            raise self.over(where)


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
        max_bytes: int = Limits.max_bytes,
        max_redirects: int = Limits.max_redirects,
        fetch_deadline: float = Limits.fetch_deadline,
        min_interval: float = 1.0,
        respect_robots: bool = True,
        private_hosts: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = (connect_timeout, timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.fetch_deadline = fetch_deadline
        self.respect_robots = respect_robots
        self.addresses = AddressPolicy(private_hosts)
        self._sleep = sleep
        self._clock = clock
        self.rate_limiter = HostRateLimiter(min_interval, sleep=sleep, clock=clock)
        self.robots = RobotsCache()
        self._local = threading.local()

    # -- public -------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url``; a 304 comes back as a Response with ``not_modified`` set.

        Raises ``FetchError`` (``DeadlineExceeded`` when the deadline passed) and nothing else.
        """
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with Watch(self.fetch_deadline) as watch:
            fetch = _Fetch(url, self.fetch_deadline, self._clock() + self.fetch_deadline, watch, self._clock)
            try:
                return self._follow(url, headers, fetch, obey_robots=self.respect_robots)
            except FetchError:
                raise
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
                # Whatever else the layers below raise for this address (an odd URL, a
                # socket error nobody foresaw) is this target's failure, not the channel's.
                raise FetchError(f"could not fetch {redact_url(url)}: {_reason(exc)}", url=url) from None

    # -- redirects and admission ----------------------------------------------------------
    def _follow(self, url: str, headers: dict[str, str], fetch: _Fetch, *, obey_robots: bool) -> Response:
        current, visited = url, [url]
        for _ in range(self.max_redirects + 1):
            self._admit(current, fetch, obey_robots=obey_robots)
            response = self._get_with_retries(current, headers, fetch, obey_robots=obey_robots)
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response
            target = urljoin(current, location.strip())
            scheme = urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchError(f"redirect from {redact_url(current)} to {redact_url(target)} refused: only "
                                 "http and https addresses are followed", url=url, status=response.status)
            if target in visited:
                raise FetchError(f"redirect loop: {redact_url(current)} sends back to {redact_url(target)}",
                                 url=url, status=response.status)
            visited.append(target)
            current = target
        raise FetchError(f"too many redirects from {redact_url(url)}: more than {self.max_redirects} "
                         f"({_SETTING['max_redirects']}); the last one to {redact_url(current)}", url=url)

    def _admit(self, url: str, fetch: _Fetch, *, obey_robots: bool) -> None:
        """Refuse ``url`` before any request if its scheme, host or robots.txt forbids it."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) address with a host: {redact_url(url)}", url=fetch.url)
        try:
            self.addresses.check_host(parts.hostname)
        except AddressRefused as exc:
            raise FetchError(f"{exc} (address {redact_url(url)})", url=fetch.url) from None
        if obey_robots:
            rules = self.robots.rules_for(url, lambda robots_url: self._follow(
                robots_url, {"User-Agent": self.user_agent}, fetch, obey_robots=False))
            if rules.refusal:
                raise FetchError(rules.refusal, url=fetch.url)
            if not rules.allows(url, self.user_agent):
                raise FetchError(f"disallowed by {rules.origin}/robots.txt for {self.user_agent!r}: "
                                 f"{redact_url(url)}", url=fetch.url)

    # -- retries and pacing -------------------------------------------------------------
    def _get_with_retries(self, url: str, headers: dict[str, str], fetch: _Fetch, *,
                          obey_robots: bool) -> Response:
        host = _host_key(url)
        shown = redact_url(url)
        attempt = 0
        while True:
            self._pace(host, url, fetch, obey_robots=obey_robots)
            try:
                response = self._get_once(url, headers, fetch)
            except _NoAnswer as exc:
                if attempt >= self.max_retries:
                    raise FetchError(f"connection failed after {attempt + 1} attempts: {exc} ({shown})",
                                     url=fetch.url) from None
                self._pause(self._backoff_delay(attempt), fetch, f"while waiting to retry {shown}")
                attempt += 1
                continue
            wait = None
            if response.status in RETRY_STATUSES:
                wait = parse_retry_after(response.headers.get("retry-after"))
                if wait is not None:
                    self.rate_limiter.hold(host, wait)  # for every later request of this run too
                if attempt < self.max_retries:
                    if wait is None:
                        self._pause(self._backoff_delay(attempt), fetch, f"while waiting to retry {shown}")
                    elif wait > fetch.remaining():
                        raise self._too_late(response, wait, fetch, shown)
                    attempt += 1  # the Retry-After itself is waited for by the rate limiter
                    continue
            if response.status >= 400:
                tried = f" after {attempt + 1} attempts" if attempt else ""
                raise FetchError(
                    f"HTTP {response.status}{tried} from {shown}", url=fetch.url, status=response.status,
                    body=response.body, content_type=response.content_type, retry_after=wait,
                )
            return response

    def _pace(self, host: str, url: str, fetch: _Fetch, *, obey_robots: bool) -> None:
        fetch.check(f"before asking {host}")
        rules = self.robots.known(url) if obey_robots else None
        delay = rules.crawl_delay(self.user_agent) if rules else None
        try:
            self.rate_limiter.wait(host, interval=delay, limit=fetch.remaining())
        except WaitTooLong as exc:
            raise FetchError(
                f"not asking {host} for {redact_url(fetch.url)}: the host may not be asked again before "
                f"{wall_time_after(exc.delay)} (in {exc.delay:.0f} s: its Retry-After, Crawl-delay or our "
                f"rate limit), later than this target's fetch deadline allows ({_SETTING['fetch_deadline']})",
                url=fetch.url, retry_after=exc.delay) from None

    def _pause(self, seconds: float, fetch: _Fetch, where: str) -> None:
        if seconds >= fetch.remaining():
            raise fetch.over(where)
        self._sleep(seconds)

    def _too_late(self, response: Response, wait: float, fetch: _Fetch, shown: str) -> FetchError:
        return FetchError(
            f"HTTP {response.status} from {shown}: the server allows a retry after {wall_time_after(wait)} "
            f"(in {wait:.0f} s), later than this target's fetch deadline allows ({_SETTING['fetch_deadline']})",
            url=fetch.url, status=response.status, body=response.body, content_type=response.content_type,
            retry_after=wait)

    def _backoff_delay(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * (2**attempt))

    # -- one request --------------------------------------------------------------------
    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = guarded_session(self.addresses)
        return session

    def _get_once(self, url: str, headers: dict[str, str], fetch: _Fetch) -> Response:
        shown = redact_url(url)
        remaining = fetch.remaining()
        timeout = (min(self.timeout[0], remaining), min(self.timeout[1], remaining))
        try:
            raw = self._session.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=False)
        except AddressRefused as exc:  # the connection reached a private address after all
            raise FetchError(f"{exc} (address {shown})", url=fetch.url) from None
        except requests.exceptions.ConnectTimeout:
            fetch.check(f"while connecting to {_host_key(url)}")
            raise _NoAnswer(f"connect timeout after {timeout[0]:g} s") from None
        except requests.exceptions.ReadTimeout:
            fetch.check(f"while waiting for an answer from {_host_key(url)}")
            # Connected, but the server is too slow to answer: not retried, a second
            # attempt would most likely cost another full timeout.
            raise FetchError(f"timed out after {self.timeout[1]:g} s waiting for {shown}", url=fetch.url) from None
        except requests.exceptions.SSLError as exc:
            fetch.check(f"while connecting to {_host_key(url)}")  # a handshake cut by the deadline
            raise FetchError(f"TLS failed for {shown}: {_reason(exc)}", url=fetch.url) from None
        except requests.exceptions.ConnectionError as exc:
            fetch.check(f"while connecting to {_host_key(url)}")
            raise _NoAnswer(_reason(exc)) from None
        with raw:
            if raw.status_code in REDIRECT_STATUSES and raw.headers.get("location"):
                return _response(raw, b"")  # the body of a redirect is not read
            return _response(raw, self._read_body(raw, fetch, shown))

    def _read_body(self, raw: requests.Response, fetch: _Fetch, shown: str) -> bytes:
        cap = f"{self.max_bytes}-byte cap ({_SETTING['max_bytes']})"
        details = {"url": fetch.url, "status": raw.status_code, "content_type": raw.headers.get("content-type")}
        declared = raw.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"response of {int(declared)} bytes from {shown} exceeds the {cap}", **details)
        body = bytearray()
        try:
            for chunk in raw.raw.stream(65536, decode_content=True):
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise FetchError(f"response from {shown} exceeds the {cap} (stopped reading)",
                                     body=bytes(body[:65536]), **details)
                fetch.check(f"after {len(body)} bytes of its body")
        except urllib3.exceptions.ReadTimeoutError:
            fetch.check(f"after {len(body)} bytes of its body")
            raise FetchError(f"timed out after {self.timeout[1]:g} s reading the body of {shown}: the server "
                             f"stopped sending after {len(body)} bytes", **details) from None
        except urllib3.exceptions.DecodeError as exc:
            encoding = raw.headers.get("content-encoding", "its")
            raise FetchError(f"could not decode the {encoding}-encoded body of {shown}: {_reason(exc)}",
                             **details) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            fetch.check(f"after {len(body)} bytes of its body")
            raise FetchError(f"truncated body from {shown}: the connection broke after {len(body)} bytes "
                             f"({_reason(exc)})", **details) from None
        return bytes(body)


def _response(raw: requests.Response, body: bytes) -> Response:
    return Response(
        url=raw.url,
        status=raw.status_code,
        body=body,
        content_type=raw.headers.get("content-type"),
        etag=raw.headers.get("etag"),
        last_modified=raw.headers.get("last-modified"),
        headers={k.lower(): v for k, v in raw.headers.items()},
    )


def _host_key(url: str) -> str:
    """``host[:port]`` of ``url`` without userinfo: what the rate limit counts per."""
    return origin_of(url).split("://", 1)[1]


def _reason(exc: BaseException) -> str:
    """The innermost cause of ``exc`` as one short line, secrets masked."""
    for _ in range(10):  # exception chains are short; a cycle must not hang us
        inner = getattr(exc, "reason", None) or exc.__cause__ or exc.__context__
        if not isinstance(inner, BaseException) or inner is exc:
            break
        exc = inner
    text = redact_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return text if len(text) <= 200 else text[:197] + "..."
