"""The ``json_feed`` kind (the README's worked example of adding a channel kind), end to end
over real HTTP on loopback into a real warehouse."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from mi.records.channels import ChannelConfig, ConfigError
from mi.sources.feeds.json_feed import JsonFeedSource
from mi.sources.registry import KINDS
from mi.warehouse.models import Document
from tests.conftest import FIXTURES
from tests.helpers import gather_all
from tests.loopback import RecordedSite

NOW = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.timezone.utc)
FEED = (FIXTURES / "feeds" / "json_feed" / "markets-wire.json").read_bytes()


def test_a_json_feed_lands_its_items_once_and_sets_aside_the_broken_ones(engine: Engine, site: RecordedSite) -> None:
    url = site.serve("/wire.json", FEED, "application/feed+json")
    channel = ChannelConfig("markets-wire", "json_feed", (url,), options={"kind_of_item": "news"})
    (first,) = gather_all(engine, channel, now=NOW)
    assert (first.new, first.quarantined) == (6, 2) and first.status == "partial"
    assert any("item 8: not an object" in p for p in first.problems)
    with engine.connect() as conn:
        docs = {d.external_id: d for d in conn.execute(select(Document))}
    ally = docs["https://markets.example/wire/1001"]
    assert ally.title == "$ALLY - Ally Financial pulls outlook" and ally.language == "en"
    assert ally.url == site.url("/wire/1001")  # relative links resolve against the feed's URL
    assert ally.published_at == dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.timezone.utc)
    markup_only = docs["https://markets.example/wire/0"]
    assert markup_only.url is None and markup_only.text == "A note with markup only"
    assert markup_only.published_at is None  # "yesterday" is no RFC 3339 date: a warning, not a guess
    (again,) = gather_all(engine, channel, now=NOW)
    assert again.new == 0 and again.unchanged == again.fetched == 1


def test_the_kind_is_one_registry_line_and_checks_its_options() -> None:
    assert KINDS["json_feed"] is JsonFeedSource
    with pytest.raises(ConfigError, match="option 'kind_of_itme'"):
        JsonFeedSource(ChannelConfig("w", "json_feed", ("x",), options={"kind_of_itme": "news"}))
    not_a_feed = JsonFeedSource(ChannelConfig("w", "json_feed", ("x",))).parse(b'{"items": []}', url="x",
                                                                                content_type="application/json")
    assert not_a_feed.fatal and "no https://jsonfeed.org/ version" in not_a_feed.fatal
