"""The signal and follow_up flows under Prefect's test harness, then `mi signals` on what
they left, from this process and from a fresh one (a decision survives the restart)."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mi.cli import main
from tests.signal_bank import DAY, note, seed_bank
from tests.test_signals import FX, SCF

pytestmark = pytest.mark.flow


def test_signal_and_follow_up_flows_publish_once_and_the_cli_decides(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    from prefect.client.orchestration import get_client

    from mi.flows.follow_up import follow_up
    from mi.flows.signal import signal
    from mi.runtime import current_runtime

    (tmp_path / "channels.yaml").write_text("channels: []\n")
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", url)
    monkeypatch.setenv("MI_DATA_DIR", str(tmp_path / "data"))
    engine = current_runtime().engine
    seed_bank(engine)
    for rm, customer, text in FX + SCF:
        note(engine, rm, customer, text)

    state = signal(day=DAY, return_state=True)
    first = state.result()
    assert (first["notes_read"], first["signals"], first["published_new"], first["messages_sent"]) == (5, 2, 2, 2)
    again = signal(day=DAY)
    assert (again["notes_read"], again["published_new"], again["messages_sent"]) == (0, 0, 0)
    reports = tmp_path / "data" / "reports" / "signals" / "2026-W48"
    assert sorted(p.name for p in reports.iterdir()) == ["signals.csv", "signals.md"]
    assert len(list((tmp_path / "data" / "outbox" / "signals").glob("*.eml"))) == 1
    [card] = (tmp_path / "data" / "outbox" / "signals").glob("*.json")  # the webhook's card
    posted = json.loads(card.read_text())
    assert posted["type"] == "demand_signals" and {i["key"] for i in posted["items"]} == {"fx_receivables_hedge",
                                                                                        "supply_chain_finance"}

    async def table() -> list[dict[str, object]]:
        async with get_client() as client:
            artifacts = await client.read_artifacts()
        [mine] = [a for a in artifacts if a.flow_run_id == state.state_details.flow_run_id and a.type == "table"]
        return json.loads(mine.data) if isinstance(mine.data, str) else mine.data

    rows = asyncio.run(table())
    assert {row["signal"] for row in rows} == {"fx_receivables_hedge", "supply_chain_finance"}

    followed = follow_up(day=DAY)
    assert (followed["under_target"], followed["alerts_new"]) == (1, 1)
    assert follow_up(day=DAY)["alerts_new"] == 0
    assert (tmp_path / "data" / "reports" / "follow-up" / "2026-11" / "follow_up.md").is_file()

    assert main(["signals", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    scores = [r["score"] for r in listed]
    assert len(listed) == 2 and scores == sorted(scores, reverse=True)  # best first
    assert main(["signals", "decide", "supply_chain_finance", "reject", "--owner", "Trade products"]) == 1
    assert "needs a reason" in capsys.readouterr().err
    assert main(["signals", "decide", "supply_chain_finance", "reserve", "--owner", "Trade products",
                 "--reason", "after the platform review", "--review-days", "60"]) == 0
    assert "sent -> reserved" in capsys.readouterr().out

    env = {**os.environ, "MI_DATABASE_URL": url, "MI_CHANNELS": str(tmp_path / "channels.yaml")}
    shown = subprocess.run([sys.executable, "-c", "from mi.cli import main; raise SystemExit(main())", "signals",
                            "show", "supply_chain_finance", "--format", "json"],
                           env=env, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    detail = json.loads(shown.stdout)
    assert detail["status"] == "reserved" and "after the platform review" in detail["decision"]
    assert detail["history"][-1]["owner"] == "Trade products"


def test_the_daily_run_ends_with_the_periods_signal_and_follow_up_reports_in_the_output_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    """What `make run` runs (`mi run daily`), on a small bank: both reports of the period land."""
    from mi.cli import main
    from mi.runtime import current_runtime

    (tmp_path / "channels.yaml").write_text("channels: []\n")
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_DATA_DIR", str(tmp_path / "data"))
    engine = current_runtime().engine
    seed_bank(engine)
    for rm, customer, text in FX + SCF:
        note(engine, rm, customer, text)

    main(["run", "daily", "--param", f"day={DAY.isoformat()}", "--format", "json"])
    reports = tmp_path / "data" / "reports"
    signal_files = {p.name: p.read_text() for p in (reports / "signals" / "2026-W48").iterdir()}
    follow_files = {p.name: p.read_text() for p in (reports / "follow-up" / "2026-11").iterdir()}
    assert sorted(signal_files) == ["signals.csv", "signals.md"]
    cells = set(signal_files["signals.csv"].replace(",", " ").split())
    assert {"fx_receivables_hedge", "supply_chain_finance"} <= cells
    assert "Supplier finance and payables programmes" in signal_files["signals.md"]
    assert sorted(follow_files) == ["follow_up.csv", "follow_up.md"]
    assert "P9 Dynamic Discounting Platform" in follow_files["follow_up.md"] and "under target" in follow_files[
        "follow_up.md"]


def test_a_decision_reaches_through_the_brief_flow_every_rm_whose_note_fed_it_exactly_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    import email
    import email.policy

    from mi.flows.brief import brief
    from mi.flows.signal import signal
    from mi.runtime import current_runtime
    from mi.signals.lifecycle import decide

    (tmp_path / "channels.yaml").write_text("channels: []\n")
    monkeypatch.setenv("MI_CHANNELS", str(tmp_path / "channels.yaml"))
    monkeypatch.setenv("MI_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite'}")
    monkeypatch.setenv("MI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MI_OUTBOX_DIR", str(tmp_path / "briefs"))
    engine = current_runtime().engine
    seed_bank(engine)
    for rm, customer, text in FX + SCF:  # FX from RM1-RM3, SCF from RM4-RM5; RM6 wrote nothing
        note(engine, rm, customer, text)
    signal(day=DAY)
    decide(engine, "fx_receivables_hedge", "accept", owner="FX products", reason="fits the 2027 plan")

    def told() -> dict[str, int]:
        """RM -> how many of the briefs delivered so far tell the decision's reason."""
        found: dict[str, int] = {}
        for path in (tmp_path / "briefs").rglob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            rm = message["To"].addresses[0].username.upper()
            text = message.get_body(("plain",)).get_content()
            found[rm] = found.get(rm, 0) + ("fits the 2027 plan" in text)
        return found

    first = brief(period=DAY)
    assert sorted(row["rm"] for batch in first for row in batch.rows()) == [f"RM{i}" for i in range(1, 7)]
    assert told() == {"RM1": 1, "RM2": 1, "RM3": 1, "RM4": 0, "RM5": 0, "RM6": 0}
    again = brief(period=DAY)  # the same day's run again: nothing sent twice
    assert {row["outcome"] for batch in again for row in batch.rows()} == {"already_sent"}
    brief(period=DAY + dt.timedelta(days=1))  # the next day's briefs no longer carry it
    assert told() == {"RM1": 1, "RM2": 1, "RM3": 1, "RM4": 0, "RM5": 0, "RM6": 0}
    assert len(list((tmp_path / "briefs").rglob("*.eml"))) == 12
