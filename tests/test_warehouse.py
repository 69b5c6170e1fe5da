"""Warehouse: migrations match the models; loads are idempotent; revisions keep vintages."""
from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select

from mi.records.channels import ChannelConfig
from mi.records.documents import DocumentRecord
from mi.records.series import ObservationRecord, SeriesRecord
from mi.warehouse.base import Base
from mi.warehouse.loading import land_raw_item, load_documents, load_observations, load_series, sync_channels
from mi.warehouse.models import Channel, Document, Observation, RawItem

NOW = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.timezone.utc)


def _channel(engine: Engine) -> int:
    with engine.begin() as conn:
        return sync_channels(conn, [ChannelConfig(name="c", kind="feed", urls=("http://x/feed",))])["c"]


def test_migration_head_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_sync_channels_updates_config_and_keeps_health(engine: Engine) -> None:
    channel_id = _channel(engine)
    with engine.begin() as conn:
        conn.execute(Channel.__table__.update().values(consecutive_failures=2))
        sync_channels(conn, [ChannelConfig(name="c", kind="feed", urls=("http://y/feed",), enabled=False)])
        row = conn.execute(select(Channel.__table__).where(Channel.id == channel_id)).one()
    assert (row.url, row.enabled, row.consecutive_failures) == ("http://y/feed", False, 2)


def test_raw_payload_is_landed_once_and_verbatim(engine: Engine) -> None:
    channel_id = _channel(engine)
    body = "<rss>caf\xe9</rss>".encode("latin-1")
    with engine.begin() as conn:
        first = land_raw_item(conn, channel_id=channel_id, external_id="http://x/feed", payload=body,
                              fetched_at=NOW, http_status=200, content_type="text/xml", status="pending")
        again = land_raw_item(conn, channel_id=channel_id, external_id="http://x/feed", payload=body,
                              fetched_at=NOW, http_status=200, content_type="text/xml", status="pending")
        stored = conn.execute(select(RawItem.payload, RawItem.fetched_at)).one()
    assert first.new and not again.new and again.id == first.id and again.status == "pending"
    assert stored.payload == body and stored.fetched_at == NOW


def test_documents_load_once(engine: Engine) -> None:
    channel_id = _channel(engine)
    docs = [DocumentRecord(external_id=f"id{i}", url=f"http://x/{i}", title=f"T{i}", text="body",
                           published_at=NOW) for i in range(3)]
    with engine.begin() as conn:
        assert load_documents(conn, channel_id=channel_id, raw_item_id=None, documents=docs, fetched_at=NOW) == 3
        assert load_documents(conn, channel_id=channel_id, raw_item_id=None, documents=docs, fetched_at=NOW) == 0
        assert conn.execute(select(func.count()).select_from(Document)).scalar() == 3
        assert conn.execute(select(Document.published_at).limit(1)).scalar() == NOW


def test_a_corrected_story_is_kept_as_a_new_version_among_many_stored_ones(engine: Engine) -> None:
    # more ids than one lookup chunk holds (each warehouse's own way of asking for many ids),
    # and more rows than PostgreSQL takes by statement: copied in, values as a statement writes them
    channel_id = _channel(engine)
    docs = [DocumentRecord(external_id=f"id{i}", url=f"http://x/{i}", title=f"T{i}", text="body",
                           published_at=NOW) for i in range(1_200)]
    corrected = [DocumentRecord(external_id=f"id{i}", url=f"http://x/{i}", title=f"T{i}",
                                text="body, corrected" if i in (7, 1_111) else "body", published_at=NOW)
                 for i in range(1_200)]
    with engine.begin() as conn:  # on PostgreSQL as many rows as these are copied in (COPY_MIN_ROWS)
        assert load_documents(conn, channel_id=channel_id, raw_item_id=None, documents=docs, fetched_at=NOW,
                              industry_hints=["C", "K"]) == 1_200
        stored = conn.execute(select(Document.industry_hints, Document.published_at, Document.fetched_at,
                                     Document.title).where(Document.external_id == "id999")).one()
        assert tuple(stored) == (["C", "K"], NOW, NOW, "T999")
        assert load_documents(conn, channel_id=channel_id, raw_item_id=None, documents=corrected,
                              fetched_at=NOW) == 2
        assert load_documents(conn, channel_id=channel_id, raw_item_id=None, documents=corrected,
                              fetched_at=NOW) == 0
        versions = conn.execute(select(Document.external_id).where(Document.external_id.like("%#%"))).scalars()
        assert sorted(v.split("#")[0] for v in versions) == ["id1111", "id7"]


def test_many_observations_load_once_and_a_same_day_correction_replaces_its_value(engine: Engine) -> None:
    # 800 observations: on PostgreSQL copied in and upserted (COPY_MIN_ROWS), as statements do it
    channel_id = _channel(engine)
    series = [SeriesRecord(key=f"s{n}", name=f"S{n}", unit="idx", frequency="D", source="test") for n in range(4)]
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(200)]
    observations = [ObservationRecord(f"s{n}", day, n + i / 8) for n in range(4) for i, day in enumerate(days)]
    vintage = dt.date(2026, 11, 1)
    with engine.begin() as conn:
        ids = load_series(conn, channel_id=channel_id, series=series)
        assert load_observations(conn, series_ids=ids, observations=observations, vintage=vintage,
                                 raw_item_id=None) == 800
        assert load_observations(conn, series_ids=ids, observations=observations, vintage=vintage,
                                 raw_item_id=None) == 0
        corrected = [ObservationRecord(o.series_key, o.date, o.value + 1) for o in observations]
        assert load_observations(conn, series_ids=ids, observations=corrected, vintage=vintage,
                                 raw_item_id=None) == 800  # the same vintage: replaced, not added
        assert conn.execute(select(func.count()).select_from(Observation)).scalar() == 800
        tenth = conn.execute(select(Observation.value).where(Observation.date == days[9])
                             .order_by(Observation.value)).scalars().all()
        assert tenth == [1 + 9 / 8, 2 + 9 / 8, 3 + 9 / 8, 4 + 9 / 8]


def test_many_rows_get_the_columns_defaults_as_an_insert_statement_gives_them(engine: Engine) -> None:
    # 600 rows: on PostgreSQL copied in, where nothing would fill a Python-side default
    from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table

    from mi.warehouse.loading import COPY_MIN_ROWS, insert_new

    table = Table("default_check", MetaData(), Column("id", Integer, primary_key=True),
                  Column("ref", String(20), unique=True, nullable=False),
                  Column("kind", String(10), nullable=False, default="note"),
                  Column("tags", JSON, nullable=False, default=list),
                  Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: NOW))
    table.create(engine)
    rows = [{"ref": f"r{i}"} for i in range(600)]
    assert len(rows) >= COPY_MIN_ROWS
    with engine.begin() as conn:
        assert len(insert_new(conn, table, rows, conflict=["ref"])) == 600
        assert insert_new(conn, table, rows, conflict=["ref"]) == []
        stored = conn.execute(select(table.c.kind, table.c.tags, table.c.created_at)).all()
    assert len(stored) == 600
    assert {(kind, tuple(tags), when.astimezone(dt.timezone.utc)) for kind, tags, when in stored} == {("note", (), NOW)}


def test_a_revision_adds_a_vintage_and_an_unchanged_value_adds_nothing(engine: Engine) -> None:
    channel_id = _channel(engine)
    series = [SeriesRecord(key="s", name="S", unit="idx", frequency="M", source="test")]
    day = dt.date(2026, 10, 1)
    with engine.begin() as conn:
        ids = load_series(conn, channel_id=channel_id, series=series)
        first = load_observations(conn, series_ids=ids, observations=[ObservationRecord("s", day, 1.5)],
                                  vintage=dt.date(2026, 11, 1), raw_item_id=None)
        same = load_observations(conn, series_ids=ids, observations=[ObservationRecord("s", day, 1.5)],
                                 vintage=dt.date(2026, 11, 2), raw_item_id=None)
        revised = load_observations(conn, series_ids=ids, observations=[ObservationRecord("s", day, 1.7)],
                                    vintage=dt.date(2026, 11, 3), raw_item_id=None)
        rows = conn.execute(select(Observation.vintage, Observation.value).order_by(Observation.vintage)).all()
    assert (first, same, revised) == (1, 0, 1)
    assert [tuple(r) for r in rows] == [(dt.date(2026, 11, 1), 1.5), (dt.date(2026, 11, 3), 1.7)]
