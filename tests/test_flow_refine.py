"""The refine flow under Prefect's test harness: a markdown artifact, a second run of the
same day writes nothing new and ends after its plan, and the next day still gets its rows."""
from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.prefect_runs import recorded_task_runs
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
    second_state = refine(day=NOW.date(), return_state=True)
    assert counts() == after_first
    assert all(v == 0 for v in second_state.result().values())

    def task_names(flow_run: Any) -> list[str]:  # a run is named "<task>-<suffix>"
        return sorted(run.name.rsplit("-", 1)[0] for run in recorded_task_runs(flow_run.state_details.flow_run_id))

    # nothing new: the plan finds no work and the run ends after that one task
    assert task_names(second_state) == ["plan-refine"]

    async def markdown() -> str:
        async with get_client() as client:
            artifacts = await client.read_artifacts()
        [mine] = [a for a in artifacts if a.flow_run_id == state.state_details.flow_run_id]
        return mine.data

    text = asyncio.run(markdown())
    assert text.startswith(f"# Refine — {dt.date(2026, 11, 27).isoformat()}")
    assert "Chevron to buy shale producer" in text and "## Latest anomalies" in text

    # the next day, with nothing new, still gets what a day needs: its series rows and its pulse
    next_state = refine(day=NOW.date() + dt.timedelta(days=1), return_state=True)
    stats = next_state.result()
    assert stats["series_unchanged"] == 1 and stats["series_analysed"] == 0 and stats["documents_tagged"] == 0
    assert task_names(next_state) == ["analyse-series", "industry-pulse", "plan-refine", "summarise-day"]
    from mi.warehouse.analysis import SeriesMetric
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SeriesMetric)
                            .where(SeriesMetric.as_of == NOW.date() + dt.timedelta(days=1))).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(IndustryPulse)
                            .where(IndustryPulse.day == NOW.date() + dt.timedelta(days=1))).scalar_one() >= 1


def test_refine_re_runs_a_date_range_with_todays_models_and_leaves_other_days_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    from sqlalchemy import update

    from mi.flows.parameters import ParameterError, parse_pairs
    from mi.flows.refine import refine
    from mi.runtime import current_runtime
    from mi.warehouse.analysis import DocumentAnalysis

    (tmp_path / "channels.yaml").write_text("channels: []\n")
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    engine = current_runtime().engine
    seed(engine)  # three documents that arrived on 2026-11-27
    refine(day=NOW.date())

    def analysis() -> dict[int, tuple[list[str], str, object]]:
        with engine.connect() as conn:
            return {r.document_id: (sorted(r.themes), r.tagger_version, r.pulsed_at)
                    for r in conn.execute(select(DocumentAnalysis))}

    right = analysis()
    # as an older model had tagged them: other themes, another version
    with engine.begin() as conn:
        conn.execute(update(DocumentAnalysis).values(themes=["old"], tagger_version="old-model"))
    stale = analysis()

    # a range that misses the day they arrived changes nothing
    missed = refine(day=NOW.date() - dt.timedelta(days=1), since=NOW.date() - dt.timedelta(days=7))
    assert missed["documents_reopened"] == 0 and missed["documents_tagged"] == 0
    assert analysis() == stale

    again = refine(day=NOW.date(), since=NOW.date() - dt.timedelta(days=2))
    assert again["documents_reopened"] == 3 and again["documents_tagged"] == 3
    now = analysis()
    assert {k: v[:2] for k, v in now.items()} == {k: v[:2] for k, v in right.items()}
    assert all(pulsed is not None for _, _, pulsed in now.values())  # their days' pulse written again
    # an ordinary run afterwards has nothing left to do
    assert refine(day=NOW.date())["documents_tagged"] == 0

    with pytest.raises(ParameterError, match="after day"):
        parse_pairs("refine", ["since=2026-11-28", "day=2026-11-27"])
    assert parse_pairs("refine", ["since=2026-11-20", "day=2026-11-27"]).given() == {
        "since": dt.date(2026, 11, 20), "day": dt.date(2026, 11, 27)}
