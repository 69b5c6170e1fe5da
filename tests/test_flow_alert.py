"""Flow `alert` under Prefect's test harness on a small bank gathered and refined through
the real pipeline: a breach alerts each exposed RM once, through the outbox, naming only
their own customers, with a digest to the staff; the next check sends nothing again."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.test_brief_compose import NOW
from tests.test_flow_brief import artifacts, bank

pytestmark = pytest.mark.flow


def test_an_alert_fires_once_per_event_and_rm_and_not_again_on_the_next_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None) -> None:
    from mi.flows.alert import alert
    from mi.warehouse.ops import RmAlert

    engine = bank(tmp_path, monkeypatch)
    state = alert(as_of=NOW + dt.timedelta(minutes=1), return_state=True)
    first = state.result()
    with engine.connect() as conn:
        rows = conn.execute(select(RmAlert.event_key, RmAlert.rm_ref, RmAlert.status, RmAlert.text)).all()
    market = {row.rm_ref for row in rows if row.event_key.startswith("market:test.eurusd:")}
    assert market == {"RM1", "RM2"}  # a 5% EUR/USD move: both books hold trading or producing customers
    assert all(row.status == "sent" for row in rows)
    assert {row.rm_ref for row in rows if row.event_key.startswith("digest:")} == {"staff"}
    for row in rows:
        if row.rm_ref == "RM1":  # RM1 covers Chevron and Acme, never Apple (RM2's)
            assert "Apple" not in row.text
    rm_alerts = [row for row in rows if row.rm_ref != "staff"]
    assert first["rm_alerts_new"] == len(rm_alerts) and first["messages_sent"] == len(rows)
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert len(files) == len(rows)
    digest = artifacts(state.state_details.flow_run_id)["alert-digest"]
    assert "test.eurusd" in str(digest)

    again = alert(as_of=NOW + dt.timedelta(minutes=31))
    assert again["breaches"] == first["breaches"]  # the breach is still there ...
    assert again["rm_alerts_new"] == 0 and again["messages_queued"] == 0 and again["messages_sent"] == 0
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == files  # ... and nobody hears it twice
