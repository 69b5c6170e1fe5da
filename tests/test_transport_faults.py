"""Hostile and broken servers against the HTTP layer, on a real loopback server.

Every fault must come out as a ``FetchError`` with a clear reason (anything else would
stop the whole channel), within the target's deadline, and never by asking a host more
often or sooner than it allowed.
"""
from __future__ import annotations

import gzip
import time
from collections.abc import Iterator

import pytest

from mi.transport import DeadlineExceeded, FetchError
from mi.transport.http import HttpTransport
from tests.loopback import RecordedSite, Reply, chunked, redirect
from tests.test_http import transport

#: "It stopped": generous bounds, so a loaded machine never fails these tests.
STOPPED_WITHIN = 10.0


@pytest.fixture
def other_site() -> Iterator[RecordedSite]:
    """A second server: another origin, so another robots.txt and another rate-limit slot."""
    server = RecordedSite()
    yield server
    server.close()


def fetch_error(http: HttpTransport, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        http.get(url)
    return caught.value


# -- 1. an overall deadline per target --------------------------------------------------
def test_a_body_trickled_one_byte_at_a_time_is_cut_off_at_the_deadline(site: RecordedSite) -> None:
    url = site.add("/trickle", Reply(body=b"x" * 1000, trickle=0.3))
    http, _ = transport(timeout=2.0, fetch_deadline=1.0)
    started = time.monotonic()
    error = fetch_error(http, url)
    assert time.monotonic() - started < STOPPED_WITHIN
    assert isinstance(error, DeadlineExceeded)
    assert "fetch deadline of 1 s passed" in str(error) and "MI_LIMIT_FETCH_DEADLINE" in str(error)
    assert site.hits("/trickle") == 1  # a deadline is not retried


def test_headers_trickled_one_byte_at_a_time_are_cut_off_at_the_deadline(site: RecordedSite) -> None:
    head = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 500 + b"\r\n\r\n"
    url = site.add("/slow-head", Reply(raw=head, trickle=0.3))
    http, _ = transport(timeout=2.0, fetch_deadline=1.0)
    started = time.monotonic()
    assert isinstance(fetch_error(http, url), DeadlineExceeded)
    assert time.monotonic() - started < STOPPED_WITHIN


def test_the_deadline_counts_retries_and_their_waits(site: RecordedSite) -> None:
    url = site.add("/down", Reply(status=503))
    http, _ = transport(max_retries=50, backoff=0.2, max_backoff=0.2, fetch_deadline=1.0, sleep=time.sleep)
    started = time.monotonic()
    error = fetch_error(http, url)
    assert time.monotonic() - started < STOPPED_WITHIN
    assert isinstance(error, DeadlineExceeded) and "retries included" in str(error)
    assert 1 <= site.hits("/down") < 50


# -- 2. malformed answers become fetch errors -----------------------------------------------
def test_a_redirect_loop_is_a_fetch_error(site: RecordedSite) -> None:
    site.add("/a", redirect("/b"))
    site.add("/b", redirect("/a"))
    error = fetch_error(transport()[0], site.url("/a"))
    assert "redirect loop" in str(error) and site.hits("/a") == 1


def test_too_many_redirects_is_a_fetch_error_naming_the_limit(site: RecordedSite) -> None:
    for hop in range(6):
        site.add(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    site.serve("/hop6", b"<rss/>")
    http, _ = transport(max_redirects=3)
    error = fetch_error(http, site.url("/hop0"))
    assert "too many redirects" in str(error) and "MI_LIMIT_MAX_REDIRECTS" in str(error)
    assert site.hits("/hop3") == 1 and site.hits("/hop4") == 0
    assert transport(max_redirects=6)[0].get(site.url("/hop0")).url == site.url("/hop6")


def test_a_redirect_to_a_file_address_is_refused(site: RecordedSite) -> None:
    url = site.add("/to-file", redirect("file:///etc/passwd"))
    error = fetch_error(transport()[0], url)
    assert "only http and https" in str(error) and "root:" not in str(error)


def test_a_body_that_is_not_the_gzip_it_claims_is_a_fetch_error(site: RecordedSite) -> None:
    url = site.add("/bad.gz", Reply(body=b"this is not gzip at all", headers={"Content-Encoding": "gzip"}))
    error = fetch_error(transport()[0], url)
    assert "could not decode the gzip-encoded body" in str(error) and error.status == 200


def test_a_good_gzip_body_is_decoded(site: RecordedSite) -> None:
    url = site.add("/good.gz", Reply(body=gzip.compress(b"<rss/>"), headers={"Content-Encoding": "gzip"}))
    assert transport()[0].get(url).body == b"<rss/>"


def test_a_chunked_body_broken_off_is_a_truncated_body(site: RecordedSite) -> None:
    url = site.add("/chunked", chunked(b"hello ", b"world", complete=False))
    error = fetch_error(transport()[0], url)
    assert "truncated body" in str(error)
    assert site.hits("/chunked") == 1  # an answer had started: not retried
    assert transport()[0].get(site.add("/whole", chunked(b"hello ", b"world"))).body == b"hello world"


def test_a_body_shorter_than_its_content_length_is_a_truncated_body(site: RecordedSite) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly this"
    url = site.add("/short", Reply(raw=head))
    assert "truncated body" in str(fetch_error(transport()[0], url))


def test_a_garbage_answer_is_a_fetch_error(site: RecordedSite) -> None:
    url = site.add("/garbage", Reply(raw=b"\x00\x01 not http at all\r\n\r\n"))
    assert isinstance(fetch_error(transport(max_retries=0)[0], url), FetchError)


@pytest.mark.parametrize("url", ["http://", "http://[::1/feed", "http://127.0.0.1:99999/feed", "https:///path",
                                 "http://exa mple.com/feed"])
def test_odd_addresses_are_fetch_errors(url: str) -> None:
    assert isinstance(fetch_error(transport(max_retries=0)[0], url), FetchError)


# -- 3. redirects are admitted hop by hop -------------------------------------------------
def test_a_redirect_to_another_host_obeys_that_hosts_robots_txt(site: RecordedSite,
                                                              other_site: RecordedSite) -> None:
    other_site.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    target = other_site.serve("/private/feed", b"<rss/>")
    url = site.add("/go", redirect(target))
    error = fetch_error(transport()[0], url)
    assert f"disallowed by {other_site.base_url}/robots.txt" in str(error)
    assert other_site.hits("/robots.txt") == 1 and other_site.hits("/private/feed") == 0


def test_a_redirect_hop_is_paced_by_the_rate_limit_of_its_own_host(site: RecordedSite,
                                                                   other_site: RecordedSite) -> None:
    there = other_site.serve("/feed", b"<rss/>")
    also_there = other_site.serve("/other", b"<rss/>")
    http, sleeps = transport(min_interval=5.0, respect_robots=False)
    assert http.get(site.add("/go", redirect(there))).url == there
    assert sleeps.calls == []  # one request to each host so far
    http.get(also_there)
    assert sleeps.calls == [pytest.approx(5.0, abs=0.5)]  # the redirect hop took the other host's slot


def test_crawl_delay_widens_the_rate_limit_of_its_host(site: RecordedSite) -> None:
    site.serve("/robots.txt", b"User-agent: *\nCrawl-delay: 3\nAllow: /\n", content_type="text/plain")
    first, second = site.serve("/a", b"a"), site.serve("/b", b"b")
    http, sleeps = transport(min_interval=0.0)
    http.get(first)
    http.get(second)
    assert sleeps.calls == [pytest.approx(3.0, abs=0.5)]


# -- 5. a stalled body is a read timeout, not retried -------------------------------------
def test_a_body_that_stalls_after_the_headers_is_a_read_timeout_not_retried(site: RecordedSite) -> None:
    url = site.add("/stall", Reply(body=b"late", stall=3.0))
    http, sleeps = transport(timeout=0.5, max_retries=3)
    started = time.monotonic()
    error = fetch_error(http, url)
    assert "timed out after 0.5 s reading the body" in str(error)
    assert "connection failed" not in str(error)
    assert site.hits("/stall") == 1 and sleeps.calls == []
    assert time.monotonic() - started < STOPPED_WITHIN


# -- 6. Retry-After is never cut short ----------------------------------------------------
def test_a_long_retry_after_is_waited_in_full_when_the_deadline_allows(site: RecordedSite) -> None:
    url = site.add("/busy", Reply(status=503, headers={"Retry-After": "90"}), Reply(body=b"ok"))
    http, sleeps = transport(fetch_deadline=300.0)
    assert http.get(url).body == b"ok"
    assert sleeps.calls == [pytest.approx(90.0, abs=0.5)]  # not cut to 60


def test_a_retry_after_beyond_the_deadline_gives_up_and_says_when(site: RecordedSite) -> None:
    url = site.add("/limited", Reply(status=429, headers={"Retry-After": "3600"}, body=b"slow down"))
    http, sleeps = transport(fetch_deadline=120.0)
    error = fetch_error(http, url)
    assert error.status == 429 and error.retry_after == pytest.approx(3600.0)
    assert "allows a retry after" in str(error) and " UTC" in str(error)
    assert site.hits("/limited") == 1 and sleeps.calls == []
    # Nothing else of this run asks that host sooner than it allowed.
    later = fetch_error(http, site.serve("/other", b"x"))
    assert later.retry_after == pytest.approx(3600.0, abs=5.0) and "may not be asked again before" in str(later)
    assert site.hits("/other") == 0


def test_retry_after_is_kept_when_the_attempts_run_out(site: RecordedSite) -> None:
    url = site.add("/limited", Reply(status=429, headers={"Retry-After": "5"}))
    error = fetch_error(transport(max_retries=1)[0], url)
    assert "HTTP 429 after 2 attempts" in str(error) and error.retry_after == 5.0


# -- 7. robots.txt as RFC 9309 reads it -----------------------------------------------------
def test_robots_wildcards_and_end_anchors_are_honoured(site: RecordedSite) -> None:
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /*.pdf$\n", content_type="text/plain")
    pdf, page = site.serve("/r.pdf", b"%PDF"), site.serve("/r.pdf.html", b"<p/>")
    http, _ = transport()
    assert "disallowed by" in str(fetch_error(http, pdf))
    assert http.get(page).status == 200
    assert site.hits("/r.pdf") == 0


def test_the_longest_robots_rule_wins_over_the_first(site: RecordedSite) -> None:
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /news/\nAllow: /news/rss\n", content_type="text/plain")
    feed, other = site.serve("/news/rss", b"<rss/>"), site.serve("/news/today", b"<p/>")
    http, _ = transport()
    assert http.get(feed).status == 200
    assert "disallowed by" in str(fetch_error(http, other))


def test_robots_rules_for_our_user_agent_apply(site: RecordedSite) -> None:
    site.serve("/robots.txt", b"User-agent: mi-pipeline\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
               content_type="text/plain")
    http, _ = transport(user_agent="mi-pipeline/0.1 (market-information department)")
    assert "disallowed by" in str(fetch_error(http, site.serve("/feed", b"<rss/>")))


# -- 10. secrets in addresses stay out of messages ------------------------------------------
def test_secrets_in_the_query_string_are_masked_in_every_message(site: RecordedSite) -> None:
    site.add("/api", Reply(status=404, body=b"no"))
    http, _ = transport(max_retries=0)
    errors = [fetch_error(http, site.url("/api?api_key=SECRET1&page=2")),
              fetch_error(http, "http://127.0.0.1:9/feed?token=SECRET2"),
              fetch_error(http, site.add("/go?sig=SECRET4", redirect("file:///x?access_token=SECRET3")))]
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    errors.append(fetch_error(transport()[0], site.url("/x?password=SECRET5")))
    for error in errors:
        assert "SECRET" not in str(error), str(error)
    assert "api_key=***&page=2" in str(errors[0])
