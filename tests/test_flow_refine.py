"""The refine flow under Prefect's test harness: a markdown artifact, and a second run of
the same day writes nothing new."""
from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.test_refine import NOW, seed

pytestmark = pytest.mark.flow


def test_refine_flow_summarises_the_day_and_a_rerun_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    from prefect.client.orchestration import get_client

    from mi.flows.refine import refine
    from mi.runtime import current_runtime
    from mi.warehouse.analysis import DocumentAnalysis, Event, IndustryPulse, SeriesAnomaly, SeriesForecast

    (tmp_path / "channels.yaml").write_text("channels: []\n")
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    engine = current_runtime().engine
    seed(engine)

    def counts() -> dict[str, int]:
        with engine.connect() as conn:
            return {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (DocumentAnalysis, Event, SeriesAnomaly, SeriesForecast, IndustryPulse)}

    state = refine(day=NOW.date(), return_state=True)
    first = state.result()
    assert first["documents_tagged"] == 3 and first["events_new"] == 2
    after_first = counts()
    second = refine(day=NOW.date())
    assert counts() == after_first
    assert all(v == 0 for k, v in second.items() if k != "series_analysed")

    async def markdown() -> str:
        async with get_client() as client:
            artifacts = await client.read_artifacts()
        [mine] = [a for a in artifacts if a.flow_run_id == state.state_details.flow_run_id]
        return mine.data

    text = asyncio.run(markdown())
    assert text.startswith(f"# Refine — {dt.date(2026, 11, 27).isoformat()}")
    assert "Chevron to buy shale producer" in text and "## Latest anomalies" in text
