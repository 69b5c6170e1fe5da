"""Source health: a channel silent longer than its usual interval, its volume collapsing or
exploding against its own history, its layout broken, raises one health alert to the staff
(not one per check), shows in `mi channels`, and clears itself when the channel recovers.
`mi channels` is right after a successful replay. Real SQLite, real .eml outbox."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select

from mi.refining.health import HealthRules, assess
from mi.warehouse.loading import land_raw_item, sync_channels
from mi.warehouse.models import ParseStatus
from tests.loopback import RecordedSite

T0 = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)


def _land(engine: Engine, channel_id: int, when: dt.datetime, *, records: int = 3,
          status: str = ParseStatus.PARSED, error: str | None = None) -> None:
    from mi.warehouse.models import RawItem

    with engine.begin() as conn:
        landed = land_raw_item(conn, channel_id=channel_id, external_id="file:wire.rss",
                               payload=f"<rss>{when.isoformat()}</rss>".encode(), fetched_at=when, http_status=None,
                               content_type="application/rss+xml", status=status, error=error)
        conn.execute(RawItem.__table__.update().where(RawItem.id == landed.id).values(record_count=records))


@pytest.fixture
def wire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, int]:
    from mi.records.channels import ChannelConfig
    from mi.runtime import current_runtime

    (tmp_path / "channels.yaml").write_text(yaml.safe_dump({"channels": [
        {"name": "wire", "kind": "feed", "url": str(tmp_path / "wire.rss")}]}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MI_OUTBOX_DIR", str(tmp_path / "outbox"))
    engine = current_runtime().engine
    with engine.begin() as conn:
        channel_id = sync_channels(conn, [ChannelConfig(name="wire", kind="feed", urls=(str(tmp_path / "wire.rss"),))])
    return engine, channel_id["wire"]


def _staff_messages(engine: Engine) -> list[tuple[str, str]]:
    from mi.warehouse.ops import RmAlert

    with engine.connect() as conn:
        return [(row.subject, row.status) for row in conn.execute(
            select(RmAlert.subject, RmAlert.status).where(RmAlert.rm_ref == "staff").order_by(RmAlert.id))]


def _channels(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    from mi.cli import main

    capsys.readouterr()
    assert main(["channels", "--format", "json"]) == 0
    return {row["channel"]: row for row in json.loads(capsys.readouterr().out)}


def test_a_silent_channel_raises_one_health_alert_and_clears_on_recovery(
        wire: tuple[Engine, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mi.tasks.alerts import check_source_health

    engine, channel_id = wire
    for hour in range(8):  # a wire that brings something new every hour
        _land(engine, channel_id, T0 + hour * HOUR)
    last = T0 + 7 * HOUR
    assert check_source_health.fn(None, now=last + 2 * HOUR) == []  # two quiet hours: still usual
    [opened] = check_source_health.fn(None, now=last + 4 * HOUR)  # four: more than 3x its usual hour
    assert (opened.channel, opened.condition, opened.change) == ("wire", "silent", "opened")
    assert "usually every 1.0 h" in opened.detail
    assert check_source_health.fn(None, now=last + 5 * HOUR) == []  # still silent: not said again
    assert check_source_health.fn(None, now=last + 9 * HOUR) == []
    assert [status for _, status in _staff_messages(engine)] == ["sent"]
    assert "silent" in str(_channels(capsys)["wire"]["health"])

    _land(engine, channel_id, last + 10 * HOUR)  # the wire speaks again
    [cleared] = check_source_health.fn(None, now=last + 10 * HOUR + dt.timedelta(minutes=5))
    assert (cleared.condition, cleared.change) == ("silent", "cleared")
    subjects = [subject for subject, _ in _staff_messages(engine)]
    assert len(subjects) == 2 and "problem" in subjects[0] and "recovered" in subjects[1]
    assert _channels(capsys)["wire"]["health"] == "ok"
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2


def test_volume_against_the_channels_own_history() -> None:
    rules = HealthRules()
    now = T0 + dt.timedelta(days=20)
    history = [(now - dt.timedelta(days=day, hours=3), ParseStatus.PARSED, 40, None) for day in range(14, 0, -1)]
    assert assess("w", history + [(now - HOUR, ParseStatus.PARSED, 41, None)], now, rules) == []
    [low] = assess("w", history + [(now - HOUR, ParseStatus.PARSED, 3, None)], now, rules)
    assert low.condition == "volume_low" and "usually 40" in low.detail
    [high] = assess("w", history + [(now - HOUR, ParseStatus.PARSED, 900, None)], now, rules)
    assert high.condition == "volume_high"


def test_a_broken_layout_is_one_condition_until_a_payload_reads_again() -> None:
    now = T0 + dt.timedelta(days=1)
    parsed = [(T0 + n * HOUR, ParseStatus.PARSED, 5, None) for n in range(3)]
    broken = [(T0 + (3 + n) * HOUR, ParseStatus.QUARANTINED, 0, "selector .price matched nothing") for n in range(2)]
    [layout] = [f for f in assess("c", parsed + broken, now) if f.condition == "layout"]
    assert "selector .price matched nothing" in layout.detail
    healed = parsed + broken + [(T0 + 6 * HOUR, ParseStatus.PARSED, 5, None)]
    assert not [f for f in assess("c", healed, now) if f.condition == "layout"]
    assert not [f for f in assess("c", broken, now) if f.condition == "layout"]  # never read: not a change


def test_channels_is_right_after_a_successful_replay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     site: RecordedSite, capsys: pytest.CaptureFixture[str]) -> None:
    from mi.cli import main
    from mi.gathering import gather_channel
    from mi.runtime import current_runtime

    page = (Path(__file__).resolve().parents[1] / "snapshot" / "pages" / "nytimes.com.blackouts.html").read_bytes()
    site.serve("/story", page, "text/html")
    config = {"name": "story", "kind": "feed", "url": site.url("/story")}
    (tmp_path / "channels.yaml").write_text(yaml.safe_dump({"channels": [config]}))
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_HTTP_MIN_INTERVAL", "0")
    runtime = current_runtime()
    _channels(capsys)
    gather_channel(runtime.engine, runtime.channel("story"), runtime.transport)  # an article page read as a feed
    before = _channels(capsys)["story"]
    assert before["consecutive_failures"] == 1 and "not a feed" in str(before["last_error"])
    (tmp_path / "fixed.yaml").write_text(yaml.safe_dump({"channels": [{**config, "kind": "page"}]}))  # the fix
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "fixed.yaml"))
    capsys.readouterr()
    assert main(["replay", "--channel", "story", "--format", "json"]) == 0
    after = _channels(capsys)["story"]
    assert after["consecutive_failures"] == 0 and after["last_error"] == "" and after["health"] == "ok"
