"""The shared HTTP layer against a real server on loopback."""
from __future__ import annotations

import pytest

from mi.transport.http import FetchError, HostRateLimiter, HttpTransport, parse_retry_after
from tests.loopback import RecordedSite, Reply


class SleepRecorder:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def transport(**kwargs: object) -> tuple[HttpTransport, SleepRecorder]:
    sleeps = SleepRecorder()
    options = {"min_interval": 0.0, "backoff": 0.5, "timeout": 2.0, "sleep": sleeps, "private_hosts": ("127.0.0.1",)}
    options.update(kwargs)
    return HttpTransport(**options), sleeps  # type: ignore[arg-type]


def test_retries_a_500_then_returns_the_success(site: RecordedSite) -> None:
    url = site.add("/feed", Reply(status=500, body=b"oops"), Reply(status=503), Reply(body=b"<rss/>"))
    http, sleeps = transport()
    response = http.get(url)
    assert response.status == 200 and response.body == b"<rss/>"
    assert site.hits("/feed") == 3
    assert sleeps.calls == [0.5, 1.0]  # exponential backoff between attempts


def test_gives_up_after_max_retries_with_the_status_and_body_kept(site: RecordedSite) -> None:
    url = site.add("/down", Reply(status=502, body=b"bad gateway page"))
    http, _ = transport(max_retries=2)
    with pytest.raises(FetchError) as caught:
        http.get(url)
    assert caught.value.status == 502
    assert caught.value.body == b"bad gateway page"
    assert "HTTP 502 after 3 attempts" in str(caught.value)
    assert site.hits("/down") == 3


def test_429_waits_as_long_as_retry_after_says(site: RecordedSite) -> None:
    url = site.add("/limited", Reply(status=429, headers={"Retry-After": "7"}), Reply(body=b"ok"))
    http, sleeps = transport()
    assert http.get(url).body == b"ok"
    assert sleeps.calls == [pytest.approx(7.0, abs=0.5)]  # the rate limiter holds the host that long


def test_client_errors_are_not_retried(site: RecordedSite) -> None:
    url = site.add("/gone", Reply(status=404, body=b"no"))
    http, sleeps = transport()
    with pytest.raises(FetchError, match="HTTP 404"):
        http.get(url)
    assert site.hits("/gone") == 1 and sleeps.calls == []


def test_a_slow_server_times_out_with_a_clear_error(site: RecordedSite) -> None:
    url = site.add("/slow", Reply(body=b"late", delay=3.0))
    http, _ = transport(timeout=0.5)
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        http.get(url)
    assert site.hits("/slow") == 1  # a slow read is not retried


def test_connection_refused_is_retried_then_reported() -> None:
    http, sleeps = transport(max_retries=2, respect_robots=False)
    with pytest.raises(FetchError, match="connection failed after 3 attempts"):
        http.get("http://127.0.0.1:9/feed")  # port 9 (discard) is closed on loopback
    assert sleeps.calls == [0.5, 1.0]


def test_conditional_get_returns_not_modified(site: RecordedSite) -> None:
    url = site.add("/etag", Reply(body=b"<rss>1</rss>", etag='"v1"', last_modified="Sat, 28 Nov 2026 06:00:00 GMT"))
    http, _ = transport()
    first = http.get(url)
    assert first.status == 200 and first.etag == '"v1"'
    second = http.get(url, etag=first.etag)
    assert second.not_modified and second.body == b""
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'


def test_last_modified_alone_gives_not_modified(site: RecordedSite) -> None:
    stamp = "Sat, 28 Nov 2026 06:00:00 GMT"
    url = site.add("/lm", Reply(body=b"x", last_modified=stamp))
    http, _ = transport()
    assert http.get(url, last_modified=stamp).not_modified


def test_a_response_over_the_size_cap_is_refused(site: RecordedSite) -> None:
    url = site.serve("/huge", b"x" * 50_000, content_type="text/html")
    http, _ = transport(max_bytes=10_000)
    with pytest.raises(FetchError, match="exceeds the 10000-byte cap"):
        http.get(url)


def test_robots_txt_disallow_is_honoured(site: RecordedSite) -> None:
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    url = site.serve("/private/feed", b"<rss/>")
    allowed = site.serve("/public/feed", b"<rss/>")
    http, _ = transport()
    with pytest.raises(FetchError, match="disallowed by .*robots.txt"):
        http.get(url)
    assert site.hits("/private/feed") == 0
    assert http.get(allowed).status == 200
    assert site.hits("/robots.txt") == 1  # fetched once per host


def test_missing_robots_txt_allows_everything(site: RecordedSite) -> None:
    site.add("/robots.txt", Reply(status=404))
    url = site.serve("/feed", b"<rss/>")
    http, _ = transport()
    assert http.get(url).status == 200


def test_unreachable_robots_txt_means_disallow(site: RecordedSite) -> None:
    site.add("/robots.txt", Reply(status=503))
    url = site.serve("/feed", b"<rss/>")
    http, _ = transport(max_retries=0)
    with pytest.raises(FetchError, match="robots.txt unreachable"):
        http.get(url)
    assert site.hits("/feed") == 0


def test_rate_limiter_spaces_requests_to_one_host() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(2.0, sleep=sleep, clock=lambda: now[0])
    limiter.wait("a.example")
    limiter.wait("a.example")
    limiter.wait("b.example")  # another host is not held back
    limiter.wait("a.example")
    assert sleeps == [2.0, 2.0]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Sat, 28 Nov 2026 06:01:00 GMT", now=1795845600.0) == 60.0
    assert parse_retry_after("soon") is None
