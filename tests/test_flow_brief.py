"""The brief flow under Prefect's test harness: one task per batch of RMs, a table artifact
of deliveries, an inert markdown sample, .eml files once per RM and period; and the daily
flow ending with the briefs."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.test_brief_compose import NOW, refine, tiny_bank

pytestmark = pytest.mark.flow

HOSTILE = '<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)> Chevron'


def artifacts(flow_run_id: object) -> dict[str, object]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async def read() -> dict[str, object]:
        async with get_client() as client:
            found = await client.read_artifacts(artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
            return {a.key: a.data for a in found}

    return asyncio.run(read())


def bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    from mi.runtime import current_runtime
    from tests.helpers import gather_all

    (tmp_path / "channels.yaml").write_text("channels: []\n")
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MI_OUTBOX_DIR", str(tmp_path / "outbox"))
    engine = current_runtime().engine
    channels = tiny_bank(tmp_path)
    wire = next(c for c in channels if c.name == "wire-b")
    Path(wire.url).write_text(Path(wire.url).read_text().replace("UPDATE 1-Chevron", HOSTILE))
    gather_all(engine, *channels, now=NOW)
    refine(engine)
    return engine


def test_the_brief_flow_delivers_once_per_rm_and_its_artifacts_stay_inert(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    from mi.flows.brief import brief

    bank(tmp_path, monkeypatch)
    state = brief(period=NOW.date(), return_state=True)
    results = state.result()
    outcomes = [row["outcome"] for result in results for row in result.rows()]
    assert sorted(outcomes) == ["sent", "sent"]
    again = brief(period=NOW.date())
    assert {row["outcome"] for result in again for row in result.rows()} == {"already_sent"}
    assert [result.brief_count for result in again] == [0]  # settled on every channel: not composed again
    assert len(list((tmp_path / "outbox").iterdir())) == 2
    found = artifacts(state.state_details.flow_run_id)
    assert {"brief-deliveries", "brief-sample"} <= set(found)
    sample = str(found["brief-sample"])
    assert "<script" not in sample and "](javascript:" not in sample and "<img" not in sample
    for message in (tmp_path / "outbox").iterdir():
        raw = message.read_text(encoding="utf-8", errors="replace")
        assert "<script>alert" not in raw and 'href="javascript:' not in raw and "onerror=alert" not in raw


def test_the_daily_flow_ends_with_every_rms_brief(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    from mi.flows.daily import daily
    from mi.flows.gather import outcome

    bank(tmp_path, monkeypatch)
    results, stats, briefed = outcome(daily(day=NOW.date(), return_state=True))
    assert results == [] and stats["documents_tagged"] == 0  # all gathered and refined before
    assert sorted(row["rm"] for batch in briefed for row in batch.rows()) == ["RM1", "RM2"]
