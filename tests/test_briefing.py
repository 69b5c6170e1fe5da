"""Briefing end to end: a small bank gathered and refined through the real pipeline, its
briefs composed, rendered and delivered to a real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mi.briefing import BatchResult, brief_batch, preview
from mi.delivery import EmlChannel, SmtpChannel
from mi.settings import Settings
from tests.delivery_loopback import MailServer, free_port
from tests.helpers import gather_all
from tests.test_brief_compose import DAY, NOW, refine, tiny_bank

UNTIL = NOW + dt.timedelta(hours=1)


@pytest.fixture
def bank(engine: Engine, tmp_path: Path) -> Engine:
    results = gather_all(engine, *tiny_bank(tmp_path), now=NOW)
    assert all(r.status == "ok" for r in results)
    refine(engine)
    return engine


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"MI_DATA_DIR": str(tmp_path), "MI_SMTP_FROM": "briefs@bank.example", **env})


def smtp(port: int) -> SmtpChannel:
    return SmtpChannel(host="127.0.0.1", port=port, security="none", sender="briefs@bank.example", timeout=5)


def messages_by_rm(server: MailServer) -> dict[str, list[email.message.EmailMessage]]:
    found: dict[str, list[email.message.EmailMessage]] = {}
    for received in server.messages:
        message = email.message_from_bytes(received.content, policy=email.policy.default)
        found.setdefault(received.rcpt_tos[0], []).append(message)  # type: ignore[arg-type]
    return found


def test_each_rm_gets_one_message_per_period_even_when_run_twice(bank: Engine, tmp_path: Path) -> None:
    server = MailServer()
    try:
        conf = settings(tmp_path)
        first = brief_batch(bank, conf, ["RM1", "RM2"], period=DAY, until=UNTIL, channels=[smtp(server.port)],
                            run_id="run-1")
        again = brief_batch(bank, conf, ["RM1", "RM2"], period=DAY, until=UNTIL, channels=[smtp(server.port)],
                            run_id="run-2")
        received = messages_by_rm(server)
    finally:
        server.close()
    assert sorted(received) == ["ada@bank.example", "bo@bank.example"]
    assert all(len(messages) == 1 for messages in received.values())
    assert {str(r.outcome) for r in first.deliveries} == {"sent"}
    assert {str(r.outcome) for r in again.deliveries} <= {"already_sent", "skipped"}
    ada = received["ada@bank.example"][0]
    html = ada.get_body(("html",)).get_content()
    text = ada.get_body(("plain",)).get_content()
    assert "Chevron" in html and "Chevron" in text and "Apple" not in ada.get_body(("plain",)).get_content()


def test_a_brief_the_server_refused_is_sent_once_by_the_next_run(bank: Engine, tmp_path: Path) -> None:
    port = free_port()
    conf = settings(tmp_path)
    down = brief_batch(bank, conf, ["RM1"], period=DAY, until=UNTIL, channels=[smtp(port)], run_id="run-1")
    assert {str(r.outcome) for r in down.deliveries} <= {"deferred", "failed"}
    server = MailServer(port)
    try:
        up = brief_batch(bank, conf, ["RM1"], period=DAY, until=UNTIL, channels=[smtp(port)], run_id="run-2")
        later = brief_batch(bank, conf, ["RM1"], period=DAY, until=UNTIL, channels=[smtp(port)], run_id="run-3")
        received = messages_by_rm(server)
    finally:
        server.close()
    assert "sent" in {str(r.outcome) for r in up.deliveries}
    assert {str(r.outcome) for r in later.deliveries} == {"already_sent"}
    assert [len(m) for m in received.values()] == [1]


def test_every_link_in_a_brief_points_at_a_stored_source(bank: Engine, tmp_path: Path) -> None:
    from sqlalchemy import select

    from mi.warehouse.models import Document

    with bank.connect() as conn:
        stored = {url for url in conn.execute(select(Document.url)).scalars() if url}
    result = brief_batch(bank, settings(tmp_path), ["RM1", "RM2"], period=DAY, until=UNTIL, channels=[],
                         run_id="dry", dry_run=True)
    for brief in result.briefs:
        for item in brief.items:
            for link in item.links:
                assert link.url in stored, link
    assert result.deliveries == () and {row["outcome"] for row in result.rows()} == {"not sent (dry run)"}


def test_the_eml_outbox_is_written_once_per_rm_and_period(bank: Engine, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    conf = settings(tmp_path)
    for run in ("run-1", "run-2"):
        brief_batch(bank, conf, ["RM1", "RM2"], period=DAY, until=UNTIL,
                    channels=[EmlChannel(outbox, sender="briefs@bank.example")], run_id=run)
    files = sorted(path.name for path in outbox.iterdir())
    assert len(files) == 2 and all(name.endswith(".eml") for name in files)


def test_a_quiet_rm_gets_a_one_line_note_or_nothing(bank: Engine, tmp_path: Path) -> None:
    later = UNTIL + dt.timedelta(days=1)
    outbox = tmp_path / "outbox"
    brief_batch(bank, settings(tmp_path), ["RM1"], period=DAY, until=UNTIL,
                channels=[EmlChannel(outbox, sender="briefs@bank.example")], run_id="day-1")
    next_day = DAY + dt.timedelta(days=1)
    skipped = brief_batch(bank, settings(tmp_path, MI_BRIEF_QUIET="skip"), ["RM1"], period=next_day, until=later,
                          channels=[EmlChannel(outbox, sender="briefs@bank.example")], run_id="day-2")
    assert skipped.skipped_quiet == ("RM1",) and skipped.deliveries == ()
    noted = brief_batch(bank, settings(tmp_path), ["RM1"], period=next_day, until=later,
                        channels=[EmlChannel(outbox, sender="briefs@bank.example")], run_id="day-2b")
    (rendered,) = noted.rendered
    assert noted.briefs[0].quiet and "nothing new" in rendered.subject.lower()


def test_preview_renders_without_sending_or_recording(bank: Engine, tmp_path: Path) -> None:
    rendered = preview(bank, settings(tmp_path), "RM2", period=DAY, until=UNTIL)
    assert "Apple" in rendered.text and "<script" not in rendered.html
    again = preview(bank, settings(tmp_path), "RM2", period=DAY, until=UNTIL)
    assert again.text == rendered.text  # nothing was recorded as sent: the window did not move
    with pytest.raises(ValueError, match="unknown RM"):
        preview(bank, settings(tmp_path), "RM9", period=DAY, until=UNTIL)


def test_a_decision_on_a_signal_reaches_the_brief_of_each_rm_whose_notes_fed_it_once(
        engine: Engine, tmp_path: Path) -> None:
    """Feedback to the field through the real brief path: composed, rendered, delivered."""
    from mi.signals.lifecycle import decide
    from mi.signals.publish import publish_signals
    from tests.signal_bank import DAY as SIGNAL_DAY
    from tests.signal_bank import note, seed_bank
    from tests.test_signals import FX, build

    seed_bank(engine)
    for rm, customer, text in FX:
        note(engine, rm, customer, text)
    build(engine)
    publish_signals(engine, as_of=SIGNAL_DAY)
    decide(engine, "fx_receivables_hedge", "accept", owner="FX products", reason="fits the 2027 plan")
    outbox = tmp_path / "outbox"
    until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)  # the decision was taken just now

    def batch(period: dt.date, run_id: str) -> BatchResult:
        return brief_batch(engine, settings(tmp_path), ["RM1", "RM2", "RM3", "RM4"], period=period, until=until,
                           channels=[EmlChannel(outbox, sender="briefs@bank.example")], run_id=run_id)

    def run(period: dt.date, run_id: str) -> dict[str, list[str]]:
        return {b.rm_ref: [i.title for i in b.section("decisions")] for b in batch(period, run_id).briefs}

    first = run(SIGNAL_DAY, "day-1")
    assert {rm for rm, titles in first.items() if titles} == {"RM1", "RM2", "RM3"}
    assert all("accepted" in titles[0] for rm, titles in first.items() if titles)
    again = batch(SIGNAL_DAY, "day-1-again")  # the same day again: every brief is settled, none composed or sent
    assert again.briefs == () and {(r.rm_ref, str(r.outcome)) for r in again.deliveries} == {
        (rm, "already_sent") for rm in ("RM1", "RM2", "RM3", "RM4")}
    assert all(titles == [] for titles in run(SIGNAL_DAY + dt.timedelta(days=1), "day-2").values())
    texts = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_body(("plain",))
             .get_content() for path in outbox.iterdir()]
    assert len(texts) == 8 and sum("fits the 2027 plan" in text for text in texts) == 3  # two days, four RMs
