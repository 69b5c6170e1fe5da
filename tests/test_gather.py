"""Gathering channels end to end: real HTTP on loopback → raw layer → clean layer.

Runs on SQLite and on PostgreSQL (the ``engine`` fixture), on recorded real feeds.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, select

from mi.gathering import gather_channel, replay_channel
from mi.records.channels import ChannelConfig
from mi.transport import Transport
from mi.warehouse.loading import sync_channels
from mi.warehouse.models import Channel, Document, Observation, RawItem
from tests.conftest import FIXTURES
from tests.helpers import count
from tests.helpers import make_transport as shared_transport
from tests.loopback import RecordedSite, Reply

FEEDS = FIXTURES / "feeds" / "rss-parser" / "input"
DAY = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.timezone.utc)
SERIES_CSV = b"Date,Rate,\n2026-11-27,4.10,\n2026-11-26,N/A,\n2026-11-25,4.05,\n"
SERIES_OPTIONS = {"date_column": "Date",
                  "columns": {"Rate": {"key": "test.rate", "name": "Test rate", "unit": "%", "frequency": "B"}}}


def make_transport() -> Transport:
    return shared_transport(timeout=1.0, max_retries=2, max_bytes=1_000_000)


def configure(engine: Engine, *channels: ChannelConfig) -> None:
    with engine.begin() as conn:
        sync_channels(conn, list(channels))



def feed_channel(name: str, url: str) -> ChannelConfig:
    return ChannelConfig(name=name, kind="feed", urls=(url,), industry_hints=("K",))


def serve_feed(site: RecordedSite, name: str, **kwargs: object) -> str:
    return site.serve(f"/{name}", (FEEDS / name).read_bytes(), content_type="application/rss+xml", **kwargs)


def test_a_feed_lands_raw_and_loads_its_items(engine: Engine, site: RecordedSite) -> None:
    channel = feed_channel("guardian", serve_feed(site, "guardian.rss"))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "ok", result.error
    assert result.fetched == 1 and result.new > 10 and result.new == count(engine, Document)
    with engine.connect() as conn:
        raw = conn.execute(select(RawItem.__table__)).one()
        doc = conn.execute(select(Document.__table__).limit(1)).one()
    assert raw.payload == (FEEDS / "guardian.rss").read_bytes()
    assert raw.parse_status == "parsed" and raw.record_count == result.new
    assert doc.industry_hints == ["K"] and doc.url.startswith("http")


def test_the_same_day_run_twice_adds_no_rows(engine: Engine, site: RecordedSite) -> None:
    feed = feed_channel("guardian", serve_feed(site, "guardian.rss"))
    series = ChannelConfig(name="rates", kind="series_csv", urls=(site.serve("/rates.csv", SERIES_CSV, "text/csv"),),
                           options=SERIES_OPTIONS)
    configure(engine, feed, series)
    for channel in (feed, series):
        gather_channel(engine, channel, make_transport(), now=DAY)
    before = {m: count(engine, m) for m in (RawItem, Document, Observation)}
    assert before[Observation] == 2  # the N/A row is a gap, not a value
    again = [gather_channel(engine, c, make_transport(), now=DAY + dt.timedelta(hours=1)) for c in (feed, series)]
    assert {m: count(engine, m) for m in before} == before
    assert all(r.new == 0 and r.status == "ok" for r in again)


def test_conditional_get_answers_not_modified_on_the_second_run(engine: Engine, site: RecordedSite) -> None:
    channel = feed_channel("heise", site.serve("/heise.atom", (FEEDS / "heise.atom").read_bytes(),
                                               content_type="application/atom+xml", etag='"h1"'))
    configure(engine, channel)
    gather_channel(engine, channel, make_transport(), now=DAY)
    second = gather_channel(engine, channel, make_transport(), now=DAY)
    assert second.fetched == 1 and second.unchanged == 1 and second.new == 0
    assert site.requests[-1][1].get("If-None-Match") == '"h1"'
    assert count(engine, RawItem) == 1


def test_one_dead_channel_leaves_the_others_complete(engine: Engine, site: RecordedSite) -> None:
    good = feed_channel("guardian", serve_feed(site, "guardian.rss"))
    dead = feed_channel("dead", site.add("/dead.rss", Reply(status=500, body=b"Internal Server Error")))
    slow = feed_channel("slow", site.add("/slow.rss", Reply(body=b"<rss/>", delay=2.0)))
    configure(engine, good, dead, slow)
    results = {c.name: gather_channel(engine, c, make_transport(), now=DAY) for c in (dead, slow, good)}
    assert results["guardian"].status == "ok" and results["guardian"].new > 10
    assert results["dead"].status == "failed" and "HTTP 500 after 3 attempts" in results["dead"].error
    assert results["slow"].status == "failed" and "timed out" in results["slow"].error
    with engine.connect() as conn:
        health = {c.name: c for c in conn.execute(select(Channel.__table__)).all()}
        dead_raw = conn.execute(select(RawItem.__table__).where(RawItem.channel_id == health["dead"].id)).one()
    assert health["dead"].consecutive_failures == 1 and "HTTP 500" in health["dead"].last_error
    assert health["guardian"].last_success_at == DAY and health["guardian"].consecutive_failures == 0
    assert dead_raw.parse_status == "fetch_error" and dead_raw.payload == b"Internal Server Error"


def test_retry_on_500_then_success_loads_normally(engine: Engine, site: RecordedSite) -> None:
    body = (FEEDS / "guardian.rss").read_bytes()
    channel = feed_channel("flaky", site.add("/flaky.rss", Reply(status=503),
                                             Reply(body=body, content_type="application/rss+xml")))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "ok" and result.new > 10 and site.hits("/flaky.rss") == 2


def test_html_served_as_a_feed_is_quarantined_with_its_payload_and_can_be_replayed(
        engine: Engine, site: RecordedSite) -> None:
    html = b"<!DOCTYPE html><html><head><title>Moved</title></head><body><p>We moved.</p></body></html>"
    channel = feed_channel("moved", site.add("/moved.rss", Reply(body=html, content_type="text/html"),
                                             Reply(body=(FEEDS / "guardian.rss").read_bytes())))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "failed" and result.quarantined == 1 and "not a feed" in result.error
    with engine.connect() as conn:
        raw = conn.execute(select(RawItem.__table__)).one()
    assert raw.parse_status == "quarantined" and raw.payload == html and "not a feed" in raw.parse_error
    # Nothing to re-parse into documents: a replay keeps it quarantined and says why again.
    replayed = replay_channel(engine, channel)
    assert replayed.fetched == 1 and replayed.quarantined == 1 and count(engine, Document) == 0


def test_replay_loads_a_quarantined_payload_once_the_parser_accepts_it(engine: Engine, site: RecordedSite) -> None:
    channel = ChannelConfig(name="rates", kind="series_csv", urls=(site.serve("/r.csv", SERIES_CSV, "text/csv"),),
                            options={**SERIES_OPTIONS, "date_column": "Day"})  # misconfigured column
    configure(engine, channel)
    first = gather_channel(engine, channel, make_transport(), now=DAY)
    assert first.status == "failed" and "Day" in first.error and count(engine, Observation) == 0
    fixed = ChannelConfig(name="rates", kind="series_csv", urls=channel.urls, options=SERIES_OPTIONS)
    replayed = replay_channel(engine, fixed)
    assert replayed.status == "ok" and replayed.new == 2 and count(engine, Observation) == 2
    assert count(engine, RawItem) == 1  # the kept payload was re-parsed, not fetched again


def test_a_page_bigger_than_the_cap_is_refused_and_recorded(engine: Engine, site: RecordedSite) -> None:
    channel = ChannelConfig(name="big", kind="page", urls=(site.serve("/big.html", b"<p>x</p>" * 200_000,
                                                                       "text/html"),))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "failed" and "cap" in result.error
    with engine.connect() as conn:
        raw = conn.execute(select(RawItem.__table__)).one()
    assert raw.parse_status == "fetch_error" and "cap" in raw.parse_error


def test_a_csv_with_text_in_a_number_column_loads_the_rest(engine: Engine, site: RecordedSite) -> None:
    body = b"Date,Rate\n2026-11-25,4.05\n2026-11-26,abc\n2026-11-27,4.10\n"
    channel = ChannelConfig(name="rates", kind="series_csv", urls=(site.serve("/r.csv", body, "text/csv"),),
                            options=SERIES_OPTIONS)
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "partial" and result.new == 2 and result.quarantined == 1
    assert any("line 3" in p for p in result.problems)
    with engine.connect() as conn:
        raw = conn.execute(select(RawItem.__table__)).one()
    assert raw.parse_status == "partial" and "abc" in raw.parse_error


def test_unknown_kind_is_a_channel_error_not_a_crash(engine: Engine) -> None:
    channel = ChannelConfig(name="odd", kind="telex", urls=("http://127.0.0.1:9/x",))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "failed" and "unknown kind 'telex'" in result.error


def test_since_drops_older_items(engine: Engine, site: RecordedSite) -> None:
    channel = ChannelConfig(name="rates", kind="series_csv", urls=(site.serve("/r.csv", SERIES_CSV, "text/csv"),),
                            options=SERIES_OPTIONS)
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), since=dt.date(2026, 11, 26), now=DAY)
    assert result.new == 1 and count(engine, Observation) == 1


def test_snapshot_files_go_through_the_same_path(engine: Engine, tmp_path: Path) -> None:
    feed = tmp_path / "guardian.rss"
    feed.write_bytes((FEEDS / "guardian.rss").read_bytes())
    channel = feed_channel("snap", str(feed))
    configure(engine, channel)
    first = gather_channel(engine, channel, make_transport(), now=DAY)
    second = gather_channel(engine, channel, make_transport(), now=DAY)
    assert first.new > 10 and second.unchanged == 1 and second.new == 0


def _stored_text(engine: Engine) -> str:
    """Everything the warehouse holds about channels and raw items, as text."""
    with engine.connect() as conn:
        rows = [*conn.execute(select(Channel.url, Channel.config, Channel.cursor, Channel.last_error)),
                *conn.execute(select(RawItem.external_id, RawItem.parse_error))]
    return repr(rows)


def test_a_key_in_a_feed_url_never_reaches_the_warehouse_or_the_result(engine: Engine, site: RecordedSite) -> None:
    body = (FEEDS / "guardian.rss").read_bytes()
    site.add("/keyed.rss?api_key=S3CR3T-KEY&edition=us", Reply(status=404),
             Reply(body=body, content_type="application/rss+xml"))
    channel = feed_channel("keyed", site.url("/keyed.rss?api_key=S3CR3T-KEY&edition=us"))
    configure(engine, channel)
    failed = gather_channel(engine, channel, make_transport(), now=DAY)
    loaded = gather_channel(engine, channel, make_transport(), now=DAY)
    assert failed.status == "failed" and loaded.new > 10  # the key was used for the requests
    everything = _stored_text(engine) + repr(failed) + repr(loaded)
    assert "S3CR3T-KEY" not in everything and "api_key=***" in everything


def test_a_retry_after_beyond_this_run_is_honoured_by_the_next_run(engine: Engine, site: RecordedSite) -> None:
    channel = feed_channel("busy", site.add("/busy.rss", Reply(status=429, headers={"Retry-After": "7200"})))
    configure(engine, channel)
    first = gather_channel(engine, channel, make_transport(), now=DAY)
    asked = site.hits("/busy.rss")
    soon = gather_channel(engine, channel, make_transport(), now=DAY + dt.timedelta(hours=1))
    assert first.status == "failed" and site.hits("/busy.rss") == asked  # not asked again within the two hours
    assert soon.error is None and "asked not to be asked again before 2026-11-28T08:00:00+00:00" in soon.warnings[0]
    later = gather_channel(engine, channel, make_transport(), now=DAY + dt.timedelta(hours=3))
    assert site.hits("/busy.rss") > asked and later.status == "failed"


def test_a_content_type_longer_than_the_column_is_kept_clipped_not_refused(engine: Engine, site: RecordedSite) -> None:
    """Regression: PostgreSQL refused a Content-Type over 200 characters (DataError) and the
    channel stopped before landing anything; SQLite took it."""
    body = (FEEDS / "guardian.rss").read_bytes()
    long_type = "application/rss+xml; charset=utf-8; " + "; ".join(f"x-param-{n}=value" for n in range(20))
    channel = feed_channel("verbose", site.add("/verbose.rss", Reply(body=body, content_type=long_type)))
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.status == "ok" and result.new > 10
    with engine.connect() as conn:
        stored = conn.execute(select(RawItem.content_type)).scalar_one()
    assert len(long_type) > 200 and len(stored) == 200 and stored.startswith("application/rss+xml")


def test_a_series_key_longer_than_the_column_is_set_aside_and_the_other_series_load(
        engine: Engine, site: RecordedSite) -> None:
    """Regression: on PostgreSQL one over-long series code lost every valid rate of the payload."""
    long_name = "Rate_" + "x" * 260
    body = f"Date,Rate,{long_name}\n2026-11-27,4.10,1.0\n2026-11-26,4.05,2.0\n".encode()
    channel = ChannelConfig("wide", "series_csv", (site.serve("/wide.csv", body, "text/csv"),),
                            options={"date_column": "Date", "series_key": "test.{column}"})
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.new == 2 and result.status == "partial"
    assert any("characters, over the 200 the warehouse keeps; its 2 observations not loaded" in p
               for p in result.problems)


def test_a_payload_a_killed_run_left_pending_is_finished_by_the_next_run_and_said_so(
        engine: Engine, site: RecordedSite) -> None:
    from mi.warehouse.loading import land_raw_item
    from mi.warehouse.models import ParseStatus

    body = (FEEDS / "guardian.rss").read_bytes()
    channel = feed_channel("resumed", site.serve("/resumed.rss", body, "application/rss+xml"))
    configure(engine, channel)
    with engine.begin() as conn:  # what a run killed between landing and loading leaves behind
        channel_id = conn.execute(select(Channel.id).where(Channel.name == "resumed")).scalar_one()
        land_raw_item(conn, channel_id=channel_id, external_id=channel.url, payload=body, fetched_at=DAY,
                      http_status=200, content_type="application/rss+xml", status=ParseStatus.PENDING)
    result = gather_channel(engine, channel, make_transport(), now=DAY)
    assert result.resumed == 1 and result.new > 10 and result.error is None
    assert any("an earlier run landed but did not load" in w for w in result.warnings)
    assert count(engine, RawItem) == 1  # the refetched bytes were recognised as the finished payload
