"""Global concurrency limits under Prefect's test harness: each gather run sets one limit per
channel and per web host from the settings, and a channel whose slot another run holds is
not gathered twice at once (it reports itself busy, the rest run)."""
from __future__ import annotations

import asyncio
import contextvars
import threading
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES
from tests.loopback import RecordedSite

pytestmark = pytest.mark.flow


def _limits() -> dict[str, int]:
    from prefect.client.orchestration import get_client

    async def read() -> dict[str, int]:
        async with get_client() as client:
            return {limit.name: limit.limit for limit in await client.read_global_concurrency_limits(limit=200)}

    return asyncio.run(read())


def test_gather_holds_per_channel_and_per_host_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      site: RecordedSite, prefect_harness: None) -> None:
    from prefect.concurrency.sync import concurrency

    from mi.flows.gather import gather
    from mi.tasks import gather as gather_tasks

    feed = (FIXTURES / "feeds" / "rss-parser" / "input" / "guardian.rss").read_bytes()
    site.serve("/a.rss", feed, content_type="application/rss+xml")
    site.serve("/b.rss", feed, content_type="application/rss+xml")
    (tmp_path / "channels.yaml").write_text(yaml.safe_dump({"channels": [
        {"name": "busy-a", "kind": "feed", "url": site.url("/a.rss")},
        {"name": "free-b", "kind": "feed", "url": site.url("/b.rss")}]}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_HTTP_MIN_INTERVAL", "0")
    monkeypatch.setenv("MI_CONCURRENCY_PER_HOST", "3")

    first = gather()
    assert all(r.error is None for r in first)
    limits = _limits()
    assert limits["mi-channel:busy-a"] == 1 and limits["mi-channel:free-b"] == 1
    assert limits["mi-host:127.0.0.1"] == 3

    monkeypatch.setattr(gather_tasks, "SLOT_WAIT_SECONDS", 15.0)
    monkeypatch.setattr(gather_tasks, "RUN_SLOT_WAIT_SECONDS", 3.0)
    held, release = threading.Event(), threading.Event()

    def another_run() -> None:  # another flow gathering busy-a right now
        with concurrency("mi-channel:busy-a", occupy=1):
            held.set()
            release.wait(60)

    other = threading.Thread(target=contextvars.copy_context().run, args=(another_run,))
    other.start()
    try:
        assert held.wait(60)
        state = gather(return_state=True)
    finally:
        release.set()
        other.join()
    results = {r.channel: r for r in state.result(raise_on_failure=False)}
    assert "concurrency slots" in (results["busy-a"].error or "") and results["busy-a"].fetched == 0
    assert results["free-b"].error is None


def test_a_run_holds_its_slots_once_and_keeps_each_host_within_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: RecordedSite, prefect_harness: None) -> None:
    """Uncontended, a run takes every channel's and host's slots in one go for its whole
    length (no other run can take them meanwhile; they are free again after), and the flow
    itself keeps the channels of one host within the host slots it holds."""
    from prefect.concurrency.sync import concurrency

    from mi.flows.gather import gather
    from mi.runtime import current_runtime
    from mi.tasks import gather as gather_tasks
    from mi.tasks.gather import ensure_concurrency_limits, run_slots
    from tests.loopback import Reply

    feed = (FIXTURES / "feeds" / "rss-parser" / "input" / "guardian.rss").read_bytes()
    channels = []
    for i in range(5):
        site.add(f"/{i}.rss", Reply(body=feed, content_type="application/rss+xml", delay=0.4))
        channels.append({"name": f"feed-{i}", "kind": "feed", "url": site.url(f"/{i}.rss")})
    (tmp_path / "channels.yaml").write_text(yaml.safe_dump({"channels": channels}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_HTTP_MIN_INTERVAL", "0")
    monkeypatch.setenv("MI_CONCURRENCY_PER_HOST", "2")

    results = gather()
    assert [r.error for r in results] == [None] * 5 and all(r.new > 0 for r in results)
    assert site.most_in_flight == 2  # two at a time: the host's slots, though the pool has four threads

    runtime = current_runtime()
    selected = runtime.select(None)
    ensure_concurrency_limits.fn([c.name for c in selected])
    # Prefect's acquisition event names each limit and takes at most 100: a day of 200
    # channels asks in several requests (two limits per request here), and holds them all.
    monkeypatch.setattr(gather_tasks, "LIMITS_PER_REQUEST", 2)
    with run_slots(selected, runtime.settings, 4) as budget:
        assert budget == {"127.0.0.1": 2}
        for name in ("feed-0", "feed-3", "feed-4"):
            with pytest.raises(TimeoutError):  # another run asking for one of them waits
                with concurrency(f"mi-channel:{name}", occupy=1, timeout_seconds=1):
                    pass
    monkeypatch.setattr(gather_tasks, "RUN_SLOT_WAIT_SECONDS", 3.0)
    with concurrency("mi-channel:feed-3", occupy=1, timeout_seconds=10):  # released at the end
        with run_slots(selected, runtime.settings, 4) as budget:
            assert budget is None  # one slot taken elsewhere: the tasks take their own

    # The limits follow the settings: a changed size is written, the others left as they are.
    monkeypatch.setenv("MI_CONCURRENCY_PER_HOST", "3")
    monkeypatch.setattr(gather_tasks, "LIMITS_PAGE", 2)  # several pages of limits read
    assert ensure_concurrency_limits.fn([c.name for c in current_runtime().select(None)]) == 6
    limits = _limits()
    assert limits["mi-host:127.0.0.1"] == 3 and all(limits[f"mi-channel:feed-{i}"] == 1 for i in range(5))


def test_held_slots_renew_their_leases_and_come_free_at_the_end(
        monkeypatch: pytest.MonkeyPatch, prefect_harness: None, caplog: pytest.LogCaptureFixture) -> None:
    """`held_slots` takes slots through the API directly: another holder waits while they are
    held (the leases renewed meanwhile, without a complaint), and they are free after."""
    from prefect.client.orchestration import get_client
    from prefect.concurrency.sync import concurrency

    from mi.tasks import slots

    with get_client(sync_client=True) as client:
        for name in ("mi-channel:held-a", "mi-channel:held-b", "mi-host:held.example"):
            client.upsert_global_concurrency_limit_by_name(name, 1)
    monkeypatch.setattr(slots, "RENEW_SECONDS", 0.3)
    with caplog.at_level("WARNING", logger="mi.tasks.slots"):
        with slots.held_slots([["mi-channel:held-a", "mi-channel:held-b"], ["mi-host:held.example"]], 10):
            threading.Event().wait(1.0)  # a few renewals
            for name in ("mi-channel:held-b", "mi-host:held.example"):
                with pytest.raises(TimeoutError):
                    with concurrency(name, occupy=1, timeout_seconds=1):
                        pass
            with pytest.raises(TimeoutError):  # and a second holder through the same path gives up in time
                with slots.held_slots([["mi-channel:held-a"]], 0.5):
                    pass
    assert not [r for r in caplog.records if "not renewed" in r.getMessage() or "not released" in r.getMessage()]
    with concurrency(["mi-channel:held-a", "mi-channel:held-b", "mi-host:held.example"], occupy=1,
                     timeout_seconds=10):
        pass
