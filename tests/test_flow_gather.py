"""The gather flow and `mi run gather` under Prefect's test harness (one harness per session)."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES
from tests.loopback import RecordedSite, Reply
from tests.prefect_runs import recorded_task_runs

pytestmark = pytest.mark.flow


@pytest.fixture
def pipeline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: RecordedSite,
                 prefect_harness: None) -> RecordedSite:
    feed = (FIXTURES / "feeds" / "rss-parser" / "input" / "guardian.rss").read_bytes()
    site.serve("/guardian.rss", feed, content_type="application/rss+xml")
    site.add("/dead.rss", Reply(status=500, body=b"down"))
    channels = {"channels": [
        {"name": "guardian", "kind": "feed", "url": site.url("/guardian.rss")},
        {"name": "dead", "kind": "feed", "url": site.url("/dead.rss")},
        {"name": "disabled", "kind": "feed", "url": site.url("/nothing"), "enabled": False},
    ]}
    (tmp_path / "channels.yaml").write_text(yaml.safe_dump(channels))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_HTTP_MIN_INTERVAL", "0")
    monkeypatch.setenv("MI_HTTP_TIMEOUT", "2")
    return site


def test_gather_runs_every_enabled_channel_and_publishes_a_table(pipeline_env: RecordedSite) -> None:
    from prefect.client.orchestration import get_client

    from mi.flows.gather import gather

    state = gather(return_state=True)
    assert state.is_failed() and state.message == "gather: 2 channels, 1 failed (dead)"
    results = state.result(raise_on_failure=False)
    assert [r.channel for r in results] == ["guardian", "dead"]
    by_name = {r.channel: r for r in results}
    assert by_name["guardian"].status == "ok" and by_name["guardian"].new > 10
    assert by_name["dead"].status == "failed"

    async def artifact_rows() -> str:
        async with get_client() as client:
            artifacts = await client.read_artifacts()
        mine = [a for a in artifacts if a.flow_run_id == state.state_details.flow_run_id]
        assert len(mine) == 1 and mine[0].type == "table"
        return str(mine[0].data)

    data = asyncio.run(artifact_rows())
    assert "guardian" in data and "HTTP 500" in data


def test_mi_run_gather_exits_non_zero_when_a_channel_failed(pipeline_env: RecordedSite,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from mi.cli import main

    assert main(["run", "gather"]) == 1
    assert "dead" in capsys.readouterr().err
    assert main(["run", "gather", "--param", "channels=guardian"]) == 0
    out = capsys.readouterr().out
    assert "guardian" in out and "unchanged" in out


def test_mi_run_rejects_an_unknown_channel(pipeline_env: RecordedSite) -> None:
    from mi.cli import main

    with pytest.raises(SystemExit, match="no channel named 'nope'"):
        main(["run", "gather", "--param", "channels=nope"])


def test_a_channel_waits_for_the_channels_it_runs_after(pipeline_env: RecordedSite, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from mi.flows.gather import gather

    site = pipeline_env
    feed = (FIXTURES / "feeds" / "rss-parser" / "input" / "heise.atom").read_bytes()
    site.add("/first.atom", Reply(body=feed, content_type="application/atom+xml", delay=1.5))
    site.serve("/second.atom", feed, content_type="application/atom+xml")
    site.serve("/free.atom", feed, content_type="application/atom+xml")
    (tmp_path / "ordered.yaml").write_text(yaml.safe_dump({"channels": [
        {"name": "first", "kind": "feed", "url": site.url("/first.atom")},
        {"name": "second", "kind": "feed", "url": site.url("/second.atom"), "after": ["first"]},
        {"name": "free", "kind": "feed", "url": site.url("/free.atom")},
    ]}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "ordered.yaml"))
    results = gather()
    assert all(r.status == "ok" for r in results)
    order = [path for path, _ in site.requests if path.endswith(".atom")]
    # "free" starts alongside the slow "first"; "second" only once "first" has finished.
    assert order.index("/free.atom") < order.index("/second.atom")
    assert order.index("/first.atom") < order.index("/second.atom")
    assert order[-1] == "/second.atom"


def test_mi_run_daily_refines_what_came_in_and_still_reports_the_failed_channel(
        pipeline_env: RecordedSite, capsys: pytest.CaptureFixture[str]) -> None:
    from mi.cli import main

    assert main(["run", "daily", "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "dead" in captured.err
    assert '"step": "documents tagged"' in captured.out
    tagged = captured.out.split('"step": "documents tagged",')[1].split("}")[0]
    assert int(tagged.split(":")[1]) > 10  # the guardian items were refined despite the dead channel


def test_a_day_of_many_channels_is_a_few_task_runs_and_a_crashing_channel_stays_its_own(
        pipeline_env: RecordedSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Channels go to the worker threads in batches (one task run each, far fewer than the
    channels); each keeps its own result, and one whose gathering raises (not a failure it
    reports: the database went away, say) is tried once more and then reported, while the
    other channels of its batch are gathered."""
    from mi.flows.gather import gather
    from mi.tasks import gather as gather_tasks

    site = pipeline_env
    feed = (FIXTURES / "feeds" / "rss-parser" / "input" / "heise.atom").read_bytes()
    channels = []
    for i in range(40):
        site.serve(f"/{i}.atom", feed, content_type="application/atom+xml")
        channels.append({"name": f"feed-{i:02d}", "kind": "feed", "url": site.url(f"/{i}.atom")})
    (tmp_path / "many.yaml").write_text(yaml.safe_dump({"channels": channels}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "many.yaml"))
    real, calls = gather_tasks.gather_channel, []

    def database_gone_for_feed_07(engine, config, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(config.name)
        if config.name == "feed-07":
            raise ConnectionError("server closed the connection unexpectedly")
        return real(engine, config, *args, **kwargs)

    monkeypatch.setattr(gather_tasks, "gather_channel", database_gone_for_feed_07)
    monkeypatch.setattr(gather_tasks, "CHANNEL_RETRY_SECONDS", 0.0)
    state = gather(return_state=True)
    results = state.result(raise_on_failure=False)
    assert [r.channel for r in results] == [c["name"] for c in channels]
    crashed = results[7]
    assert crashed.status == "failed" and "crashed twice: ConnectionError" in (crashed.error or "")
    assert calls.count("feed-07") == 2 and all(calls.count(c["name"]) == 1 for c in channels if c["name"] != "feed-07")
    assert all(r.status == "ok" and r.fetched == 1 for i, r in enumerate(results) if i != 7)
    assert state.is_failed() and "1 failed (feed-07)" in (state.message or "")

    runs = recorded_task_runs(state.state_details.flow_run_id)
    names = [run.name for run in runs if run.name.startswith("gather-")]
    assert 4 <= len(names) <= len(channels) // 2  # the four threads each had work; not 40 task runs
    assert any("+" in name for name in names)
