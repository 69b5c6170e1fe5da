"""Flow `daily` under Prefect's test harness: gather → refine → brief → signal → follow_up
(brief and signal side by side when set so) with a summary artifact per stage; a failed stage
stops only what needs it and the run ends Failed. And an ad-hoc gather of one channel since a
date touches only that channel."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from tests.conftest import FIXTURES
from tests.prefect_runs import heartbeats_sent
from tests.test_brief_compose import NOW
from tests.test_flow_brief import artifacts, bank

pytestmark = pytest.mark.flow

STAGES = ["gather", "refine", "brief", "signal", "follow_up"]


@pytest.mark.parametrize("side_by_side", ["false", "true"])
def test_daily_runs_every_stage_and_leaves_a_summary_with_counts_and_times(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None, side_by_side: str) -> None:
    from mi.flows.daily import daily

    bank(tmp_path, monkeypatch)
    monkeypatch.setenv("MI_DAILY_SIDE_BY_SIDE", side_by_side)
    beats = heartbeats_sent(monkeypatch, by=lambda engine: engine.flow.name)
    state = daily(day=NOW.date(), return_state=True)
    # every stage's run sends heartbeats of its own: a process that dies mid-stage shows that stage crashed
    assert set(beats) == {"daily", *STAGES}
    assert state.is_completed(), state.message
    results, stats, briefed = state.result()
    assert sorted(row["rm"] for batch in briefed for row in batch.rows()) == ["RM1", "RM2"]
    summary = artifacts(state.state_details.flow_run_id)["daily-summary"]
    rows = yaml.safe_load(summary) if isinstance(summary, str) else summary
    assert [row["stage"] for row in rows] == STAGES
    assert {row["status"] for row in rows} == {"completed"}
    assert all(row["seconds"] >= 0 for row in rows)
    brief_row = next(row for row in rows if row["stage"] == "brief")
    assert "briefs=2" in brief_row["counts"] and "sent=2" in brief_row["counts"]
    runs = stage_runs(state.state_details.flow_run_id)
    assert sorted(runs) == sorted(STAGES)
    if side_by_side == "false":  # the default: one stage after another, brief before signal
        order = sorted(runs, key=lambda name: runs[name][0])
        assert order == STAGES
        assert all(runs[a][1] <= runs[b][0] for a, b in zip(order, order[1:]))


def stage_runs(flow_run_id: object) -> dict[str, tuple[object, object]]:
    """Each stage subflow run of a daily run: its flow's name -> (start, end)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        children = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[flow_run_id])))
        names = {flow.id: flow.name for flow in client.read_flows()}
    return {names[run.flow_id]: (run.start_time, run.end_time) for run in children}


def test_a_failed_stage_stops_only_what_needs_it_and_the_run_ends_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    from mi.flows.daily import daily

    bank(tmp_path, monkeypatch)
    (tmp_path / "reports").write_text("a file where the signal and follow-up reports' folder should be")
    state = daily(day=NOW.date(), return_state=True)
    assert state.is_failed()
    assert "signal failed" in state.message and "follow_up skipped" in state.message
    rows = artifacts(state.state_details.flow_run_id)["daily-summary"]
    rows = yaml.safe_load(rows) if isinstance(rows, str) else rows
    status = {row["stage"]: row["status"] for row in rows}
    assert status == {"gather": "completed", "refine": "completed", "brief": "completed", "signal": "failed",
                      "follow_up": "skipped"}
    _, _, briefed = state.result(raise_on_failure=False)
    assert sorted(row["outcome"] for batch in briefed for row in batch.rows()) == ["sent", "sent"]


def test_ad_hoc_gather_of_one_channel_since_a_date_touches_only_that_channel(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    import datetime as dt

    from mi.flows.gather import gather
    from mi.runtime import current_runtime
    from mi.warehouse.models import Channel, Document, RawItem

    feed = (FIXTURES / "feeds" / "rss-parser" / "input" / "guardian.rss").read_bytes()
    for name in ("one", "two"):
        (tmp_path / f"{name}.rss").write_bytes(feed)
    (tmp_path / "channels.yaml").write_text(yaml.safe_dump({"channels": [
        {"name": name, "kind": "feed", "url": str(tmp_path / f"{name}.rss")} for name in ("one", "two")]}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    engine = current_runtime().engine

    def per_channel() -> dict[str, tuple[int, int, object]]:
        with engine.connect() as conn:
            found = {}
            for channel in conn.execute(select(Channel)).all():
                raw = conn.execute(select(func.count()).select_from(RawItem)
                                   .where(RawItem.channel_id == channel.id)).scalar_one()
                docs = conn.execute(select(func.count()).select_from(Document)
                                    .where(Document.channel_id == channel.id)).scalar_one()
                found[channel.name] = (raw, docs, channel.last_run_at)
            return found

    [result] = gather(channels=["one"], since=dt.date(2000, 1, 1))
    assert result.channel == "one" and result.new > 10
    after_one = per_channel()
    assert after_one["one"][0] == 1 and after_one["one"][1] == result.new and after_one["one"][2] is not None
    assert after_one["two"] == (0, 0, None)  # configured, never fetched, nothing written

    [late] = gather(channels=["two"], since=dt.date(2100, 1, 1))  # every item is older than `since`
    assert late.channel == "two" and late.new == 0 and late.error is None
    after_two = per_channel()
    assert after_two["one"] == after_one["one"]  # the other channel is untouched
    assert after_two["two"][1] == 0 and after_two["two"][2] is not None


def test_the_side_by_side_setting_reads_yes_and_no_and_refuses_anything_else() -> None:
    from mi.settings import Settings

    assert Settings.from_env({}).daily_side_by_side is False
    assert Settings.from_env({"MI_DAILY_SIDE_BY_SIDE": "True"}).daily_side_by_side is True
    assert Settings.from_env({"MI_DAILY_SIDE_BY_SIDE": "0"}).daily_side_by_side is False
    with pytest.raises(ValueError, match="MI_DAILY_SIDE_BY_SIDE='sometimes'"):
        Settings.from_env({"MI_DAILY_SIDE_BY_SIDE": "sometimes"})
