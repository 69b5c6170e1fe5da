"""Housekeeping: raw payloads past their retention are emptied (their rows stay, so the same
bytes are not landed again), never one a quarantine or an open signal points at; VACUUM and
ANALYZE run; and the `maintenance` flow under Prefect's harness prunes finished runs."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from mi.records.channels import ChannelConfig
from mi.records.documents import DocumentRecord
from mi.warehouse.loading import land_raw_item, load_documents, sync_channels
from mi.warehouse.maintenance import prune_payloads, vacuum_analyze
from mi.warehouse.models import ParseStatus, RawItem
from mi.warehouse.signals import DemandSignal, SignalEvidence

NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.timezone.utc)
OLD = NOW - dt.timedelta(days=200)


def _raw(engine: Engine, channel_id: int, name: str, when: dt.datetime, status: str) -> int:
    with engine.begin() as conn:
        return land_raw_item(conn, channel_id=channel_id, external_id=name, payload=f"<rss>{name}</rss>".encode(),
                             fetched_at=when, http_status=200, content_type="application/rss+xml", status=status).id


def test_old_payloads_are_emptied_unless_a_quarantine_or_an_open_signal_needs_them(engine: Engine) -> None:
    with engine.begin() as conn:
        channel_id = sync_channels(conn, [ChannelConfig(name="wire", kind="feed", urls=("http://x/f",))])["wire"]
    plain = _raw(engine, channel_id, "old-parsed", OLD, ParseStatus.PARSED)
    quarantined = _raw(engine, channel_id, "old-quarantined", OLD, ParseStatus.QUARANTINED)
    evidence = _raw(engine, channel_id, "old-evidence", OLD, ParseStatus.PARSED)
    closed = _raw(engine, channel_id, "old-closed-signal", OLD, ParseStatus.PARSED)
    recent = _raw(engine, channel_id, "recent", NOW - dt.timedelta(days=3), ParseStatus.PARSED)
    with engine.begin() as conn:
        for raw_id, external in ((evidence, "e"), (closed, "c")):
            load_documents(conn, channel_id=channel_id, raw_item_id=raw_id, fetched_at=OLD, documents=[
                DocumentRecord(external_id=external, url=f"http://x/{external}", title=external, text="t",
                               published_at=OLD)])
        docs = dict(conn.execute(select(RawItem.id, RawItem.external_id)).all())
        from mi.warehouse.models import Document

        by_raw = dict(conn.execute(select(Document.raw_item_id, Document.id)).all())
        for key, status, raw_id in (("open", "sent", evidence), ("gone", "rejected", closed)):
            signal_id = conn.execute(DemandSignal.__table__.insert().values(
                signal_key=key, kind="need", title=key, status=status, first_noted_on=OLD.date(),
                last_noted_on=OLD.date()).returning(DemandSignal.id)).scalar_one()
            conn.execute(SignalEvidence.__table__.insert().values(signal_id=signal_id, ref=f"document:{by_raw[raw_id]}",
                                                                  kind="news", title="t"))
    assert len(docs) == 5
    outcome = prune_payloads(engine, older_than=NOW - dt.timedelta(days=90))
    assert (outcome.payloads, outcome.protected) == (2, 1)
    with engine.connect() as conn:
        sizes = dict(conn.execute(select(RawItem.id, RawItem.payload)).all())
    assert sizes[plain] == b"" and sizes[closed] == b""
    assert sizes[quarantined] and sizes[evidence] and sizes[recent]
    with engine.begin() as conn:  # the emptied row still keeps the same bytes from landing again
        again = land_raw_item(conn, channel_id=channel_id, external_id="old-parsed", payload=b"<rss>old-parsed</rss>",
                              fetched_at=NOW, http_status=200, content_type="application/rss+xml",
                              status=ParseStatus.PENDING)
    assert not again.new
    assert prune_payloads(engine, older_than=NOW - dt.timedelta(days=90)).payloads == 0
    assert "ANALYZE" in vacuum_analyze(engine)


@pytest.mark.flow
def test_the_maintenance_flow_prunes_finished_runs_and_keeps_itself(
        tmp_path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    import asyncio

    from prefect import flow
    from prefect.client.orchestration import get_client

    from mi.flows.maintenance import maintenance

    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")

    @flow(name="short-lived")
    def short_lived() -> int:
        return 1

    state = short_lived(return_state=True)  # finished just now: inside any retention

    async def old_run() -> object:
        from prefect.states import Completed, Scheduled

        long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
        async with get_client() as client:  # a run that was due forty days ago, and finished
            run = await client.create_flow_run(short_lived, name="forty-days-ago",
                                               state=Scheduled(scheduled_time=long_ago))
            await client.set_flow_run_state(run.id, Completed(), force=True)
            return run.id

    old_id = asyncio.run(old_run())
    done = maintenance(history_days=30, payload_days=1, return_state=True)
    assert done.is_completed()
    assert done.result()["database"] == "VACUUM; ANALYZE" and done.result()["flow_runs_deleted"] >= 1

    async def ids() -> set[object]:
        async with get_client() as client:
            return {r.id for r in await client.read_flow_runs(limit=200)}

    left = asyncio.run(ids())
    assert old_id not in left and state.state_details.flow_run_id in left
    assert done.state_details.flow_run_id in left
