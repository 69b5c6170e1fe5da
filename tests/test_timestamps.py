"""Timestamps keep their time of day and zone end to end (issue 11).

Each real payload is served on loopback, gathered, written to the warehouse (SQLite and
PostgreSQL through the ``engine`` fixture) and read back: a page's published time with a
+01:00 offset or with milliseconds and -04:00, a feed's RFC 822 dates with +0530 and -0300
(Portuguese day names), an Atom feed's -07:00 with milliseconds, and a series file whose
pandas index carries the ECB's Frankfurt zone. The instants must come back as the same
instants in UTC (no midnight, no lost seconds, no naive value read as local time), and a
series' day must stay the day the publisher named, not the UTC day of its midnight.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, select, text

from mi.gathering import gather_channel
from mi.records.channels import ChannelConfig
from mi.warehouse.models import Document, Observation, RawItem, Series
from tests.loopback import RecordedSite
from tests.test_gather import configure, make_transport

UTC = dt.timezone.utc
FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "timestamps"
FEEDS = FIXTURES / "feeds" / "rss-parser" / "input"
NOW = dt.datetime(2026, 11, 28, 6, 0, 17, 250000, tzinfo=UTC)


def gather(engine: Engine, channel: ChannelConfig) -> None:
    configure(engine, channel)
    result = gather_channel(engine, channel, make_transport(), now=NOW)
    assert result.status == "ok", result.error


def published(engine: Engine, channel: str) -> dict[str, dt.datetime | None]:
    from mi.warehouse.models import Channel

    with engine.connect() as conn:
        rows = conn.execute(select(Document.title, Document.published_at)
                            .join(Channel, Channel.id == Document.channel_id).where(Channel.name == channel)).all()
    return {title: when for title, when in rows}


def assert_utc(when: dt.datetime | None) -> dt.datetime:
    assert when is not None and when.tzinfo is not None and when.utcoffset() == dt.timedelta(0)
    return when


def test_page_published_times_with_offsets_and_milliseconds_survive_the_warehouse(
        engine: Engine, site: RecordedSite) -> None:
    # datePublished "2023-10-31T14:08:10+01:00" and "2021-03-23T14:36:01.275-04:00"
    cases = {"deutsche-wirtschafts-nachrichten.de-Industriestrompreis.html":
             dt.datetime(2023, 10, 31, 13, 8, 10, tzinfo=UTC),
             "thebalance.com.coinbase.html": dt.datetime(2021, 3, 23, 18, 36, 1, 275000, tzinfo=UTC)}
    for name, expected in cases.items():
        channel = ChannelConfig(name=name.split(".")[0][:30], kind="page",
                                urls=(site.serve(f"/{name}", (PAGES / name).read_bytes(), "text/html; charset=utf-8"),))
        gather(engine, channel)
        [(title, when)] = published(engine, channel.name).items()
        assert title and assert_utc(when) == expected


def test_feed_dates_in_other_zones_survive_the_warehouse(engine: Engine, site: RecordedSite) -> None:
    cases = {
        # RFC 822 with a half-hour zone: "Fri, 19 May 2017 21:05:02 +0530"
        "customfields.rss": ("application/rss+xml", dt.datetime(2017, 5, 19, 15, 35, 2, tzinfo=UTC)),
        # Portuguese day and month names: "Seg, 24 Set 2018 19:42:40 -0300"
        "uolNoticias.rss": ("application/rss+xml", dt.datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)),
        # Atom, "2016-02-01T17:22:00+01:00" for the first entry
        "heise.atom": ("application/atom+xml", dt.datetime(2016, 2, 1, 16, 22, tzinfo=UTC)),
    }
    for name, (content_type, newest) in cases.items():
        channel = ChannelConfig(name=name.split(".")[0], kind="feed",
                                urls=(site.serve(f"/{name}", (FEEDS / name).read_bytes(), content_type),))
        gather(engine, channel)
        stamps = [assert_utc(when) for when in published(engine, channel.name).values() if when is not None]
        assert max(stamps) == newest
        # Times of day survive: not every stamp is a midnight.
        assert any(stamp.time() != dt.time(0) for stamp in stamps)


def test_the_gathering_time_is_stored_to_the_microsecond(engine: Engine, site: RecordedSite) -> None:
    url = site.serve("/heise.atom", (FEEDS / "heise.atom").read_bytes(), "application/atom+xml")
    channel = ChannelConfig(name="heise", kind="feed", urls=(url,))
    gather(engine, channel)
    with engine.connect() as conn:
        fetched = conn.execute(select(RawItem.fetched_at)).scalar_one()
    assert assert_utc(fetched) == NOW


def test_a_zoned_series_index_keeps_the_day_the_publisher_named(engine: Engine, site: RecordedSite) -> None:
    body = (FIXTURES / "series" / "ecb-usd-2008-pandas-zoned-index.csv").read_bytes()
    channel = ChannelConfig(name="ecb-usd", kind="series_csv", urls=(site.serve("/usd.csv", body, "text/csv"),),
                            options={"columns": {"USD": {"key": "ecb.usd"}}})
    gather(engine, channel)
    with engine.connect() as conn:
        rows = dict(conn.execute(select(Observation.date, Observation.value)
                                 .join(Series, Series.id == Observation.series_id)
                                 .where(Series.key == "ecb.usd")).all())
    # "2008-12-31 00:00:00+01:00" is 2008-12-30 23:00 UTC, but the fixing is the 31st's.
    assert rows[dt.date(2008, 12, 31)] == 1.3917 and rows[dt.date(2008, 7, 1)] == 1.5775
    assert len(rows) == 320 and all(isinstance(day, dt.date) and not isinstance(day, dt.datetime) for day in rows)


def test_other_readers_of_the_warehouse_see_the_same_instant(engine: Engine, site: RecordedSite) -> None:
    # What a report tool reading the table directly gets: PostgreSQL a timestamptz that a
    # session in Shanghai shows at +08:00, SQLite the UTC wall time as text.
    name = "deutsche-wirtschafts-nachrichten.de-Industriestrompreis.html"
    channel = ChannelConfig(name="dwn", kind="page",
                            urls=(site.serve(f"/{name}", (PAGES / name).read_bytes(), "text/html; charset=utf-8"),))
    gather(engine, channel)
    instant = dt.datetime(2023, 10, 31, 13, 8, 10, tzinfo=UTC)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET TIME ZONE 'Asia/Shanghai'"))
            raw = conn.execute(text("SELECT published_at FROM documents")).scalar_one()
            assert raw == instant and raw.utcoffset() == dt.timedelta(hours=8)
            assert conn.execute(select(Document.published_at)).scalar_one() == instant
            kind = conn.execute(text("SELECT data_type FROM information_schema.columns WHERE "
                                     "table_name = 'documents' AND column_name = 'published_at' "
                                     "AND table_schema = current_schema()")).scalar_one()
            assert kind == "timestamp with time zone"
        else:
            raw = conn.execute(text("SELECT published_at FROM documents")).scalar_one()
            assert raw.startswith("2023-10-31 13:08:10")
