"""The outbox: a brief goes out once per channel, failures are retried and then given up
with a reason, an interrupted attempt is sent again under the same Message-ID, and the
audit trail says which items went to whom. Every test runs on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, select

from mi.delivery import (
    Channel,
    ChannelDown,
    EmlChannel,
    Outcome,
    Outgoing,
    Refused,
    deliver,
    last_brief_window_end,
    last_brief_window_ends,
    settled_briefs,
)
from mi.delivery.channels import EmailChannel
from mi.records.briefs import Brief
from mi.warehouse.engine import alembic_config, migrate
from mi.warehouse.outbox import BriefDelivery, BriefDeliveryItem, claim, queue_deliveries
from tests.delivery_loopback import PERIOD, WINDOW_END, brief, rendered

SENDER = "Market Information <mi@bank.example>"
NOW = dt.datetime(2026, 12, 1, 5, 30, tzinfo=dt.timezone.utc)


class Crash(BaseException):
    """The process dying mid-attempt (kill -9 cannot be caught; this is not caught either)."""


class Scripted(EmailChannel):
    """An email channel whose answers are scripted: a receipt, an exception to raise, or Crash."""

    name = "smtp"

    def __init__(self, *answers: object) -> None:
        super().__init__(sender=SENDER)
        self.answers = list(answers) or ["250 ok"]
        self.sent: list[Outgoing] = []

    def send(self, outgoing: Outgoing) -> str:
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        self.sent.append(outgoing)
        return str(answer)


def _run(engine: Engine, briefs: list[Brief], channels: list[Channel], **kwargs: object):
    return deliver(engine, [rendered(b) for b in briefs], briefs, channels, run_id=kwargs.pop("run_id", "run-1"),
                   **kwargs)  # type: ignore[arg-type]


def _rows(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(BriefDelivery.__table__).order_by(BriefDelivery.id)).all()


def test_each_rm_gets_one_eml_file_and_a_rerun_sends_nothing(engine: Engine, tmp_path: Path) -> None:
    briefs = [brief("RM001"), brief("RM002", email="bo@bank.example")]
    outbox = tmp_path / "outbox"
    first = _run(engine, briefs, [EmlChannel(outbox, sender=SENDER)])
    again = _run(engine, briefs, [EmlChannel(outbox, sender=SENDER)], run_id="run-2")
    assert [r.outcome for r in first] == [Outcome.SENT, Outcome.SENT]
    assert [r.outcome for r in again] == [Outcome.ALREADY_SENT, Outcome.ALREADY_SENT]
    files = sorted(p.name for p in outbox.iterdir())
    assert len(files) == 2 and all(name.startswith("daily-2026-12-01-RM00") and name.endswith(".eml") for name in files)
    rows = _rows(engine)
    assert [(r.rm_ref, r.status, r.attempts, r.run_id, r.sent_run_id, r.receipt) for r in rows] == [
        ("RM001", "sent", 1, "run-1", "run-1", files[0]), ("RM002", "sent", 1, "run-1", "run-1", files[1])]
    assert rows[0].recipient == "ada@bank.example" and rows[0].item_count == 2


def test_the_eml_file_is_the_stored_message_with_text_html_and_an_inline_chart(engine: Engine, tmp_path: Path) -> None:
    one = brief("RM001")
    deliver(engine, [rendered(one, subject="Morning brief:\r\nBcc: everyone@bank.example")], [one],
            [EmlChannel(tmp_path, sender=SENDER)], run_id="run-1", now=NOW)
    (path,) = tmp_path.glob("*.eml")
    (row,) = _rows(engine)
    assert path.read_bytes() == row.message
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "Manager RM001 <ada@bank.example>" and message["From"] == SENDER
    assert message["Subject"] == "Morning brief: Bcc: everyone@bank.example" and message["Bcc"] is None
    assert message["Message-ID"] == row.message_id and row.message_id.endswith("@bank.example>")
    assert message["Date"] == "Tue, 01 Dec 2026 05:30:00 +0000"
    assert message.get_content_type() == "multipart/alternative"
    text, related = message.get_payload()
    assert text.get_content_type() == "text/plain" and related.get_content_type() == "multipart/related"
    html, chart = related.get_payload()
    assert 'src="cid:chart1"' in html.get_content() and chart["Content-ID"] == "<chart1>"
    assert chart.get_content() == rendered(one).attachments[0].data
    assert path.read_bytes().isascii()  # 7-bit clean: no 8BITMIME needed anywhere
    assert path.stat().st_mode & 0o777 == 0o600  # briefs name the bank's customers


def test_the_message_id_is_the_same_for_every_copy_of_one_brief(engine: Engine, tmp_path: Path) -> None:
    one = brief("RM001")
    _run(engine, [one], [EmlChannel(tmp_path / "a", sender=SENDER), Scripted()])
    ids = {row.message_id for row in _rows(engine)}
    other = EmlChannel(tmp_path / "b", sender=SENDER).prepare(one, rendered(one), now=NOW)
    assert len(ids) == 1 and other.message_id in ids


def test_the_audit_trail_lists_each_source_once_per_delivery(engine: Engine, tmp_path: Path) -> None:
    _run(engine, [brief("RM001")], [EmlChannel(tmp_path, sender=SENDER)])
    _run(engine, [brief("RM001")], [EmlChannel(tmp_path, sender=SENDER)], run_id="run-2")
    with engine.connect() as conn:
        items = conn.execute(select(BriefDeliveryItem.source, BriefDeliveryItem.section, BriefDeliveryItem.customer_ref,
                                    BriefDelivery.rm_ref, BriefDelivery.run_id)
                             .join(BriefDelivery, BriefDelivery.id == BriefDeliveryItem.delivery_id)
                             .order_by(BriefDeliveryItem.id)).all()
    assert [tuple(i) for i in items] == [("document:11", "customers", "C1", "RM001", "run-1"),
                                         ("event:3", "customers", "C1", "RM001", "run-1"),
                                         ("series:ecb.usd", "markets", None, "RM001", "run-1")]


def test_a_failed_delivery_is_retried_by_the_next_run_even_without_new_briefs(engine: Engine) -> None:
    channel = Scripted(Refused("452 mailbox full"), "250 ok")
    first = _run(engine, [brief("RM001")], [channel])
    later = deliver(engine, [], [], [channel], run_id="run-2")
    assert [(r.outcome, r.attempts, r.error) for r in first] == [(Outcome.FAILED, 1, "452 mailbox full")]
    assert [(r.outcome, r.attempts, r.brief_key) for r in later] == [(Outcome.SENT, 2, "daily:RM001:2026-12-01")]
    (row,) = _rows(engine)
    assert (row.status, row.attempts, row.last_error, row.sent_run_id) == ("sent", 2, None, "run-2")


def test_after_max_attempts_a_delivery_is_no_longer_tried_and_the_result_says_so(engine: Engine) -> None:
    channel = Scripted(Refused("550 no such user"))
    runs = [_run(engine, [brief("RM001")], [channel], max_attempts=2, run_id=f"run-{i}") for i in range(3)]
    assert [[(r.outcome, r.attempts) for r in results] for results in runs] == [
        [(Outcome.FAILED, 1)], [(Outcome.GAVE_UP, 2)], [(Outcome.GAVE_UP, 2)]]
    assert runs[2][0].error == "550 no such user"
    assert deliver(engine, [], [], [channel], run_id="run-4", max_attempts=2) == []  # not reported forever
    assert _rows(engine)[0].attempts == 2  # the third run did not try


def test_a_channel_that_is_down_is_not_asked_again_in_the_same_run(engine: Engine) -> None:
    channel = Scripted(ChannelDown("SMTP mail:587 (starttls): could not connect: Connection refused"), "250 ok")
    first = _run(engine, [brief("RM001"), brief("RM002")], [channel])
    assert [(r.rm_ref, r.outcome, r.attempts) for r in first] == [("RM001", Outcome.FAILED, 1),
                                                                   ("RM002", Outcome.DEFERRED, 0)]
    assert first[1].error.startswith("not attempted: SMTP mail:587")
    second = deliver(engine, [], [], [channel], run_id="run-2")
    assert [(r.rm_ref, r.outcome, r.attempts) for r in second] == [("RM001", Outcome.SENT, 2),
                                                                    ("RM002", Outcome.SENT, 1)]


def test_an_unexpected_error_in_a_channel_is_a_failed_attempt_not_a_stuck_one(engine: Engine) -> None:
    (result,) = _run(engine, [brief("RM001")], [Scripted(RuntimeError("bug"), "250 ok")])
    assert (result.outcome, result.error) == (Outcome.FAILED, "RuntimeError: bug")
    assert _rows(engine)[0].status == "failed"


def test_an_interrupted_attempt_is_left_alone_while_it_may_still_be_running(engine: Engine) -> None:
    with pytest.raises(Crash):
        _run(engine, [brief("RM001")], [Scripted(Crash())])
    channel = Scripted()
    (result,) = deliver(engine, [], [], [channel], run_id="run-2")
    assert (result.outcome, channel.sent) == (Outcome.IN_PROGRESS, [])
    assert _rows(engine)[0].status == "sending"


def test_an_interrupted_attempt_is_sent_again_with_the_same_message_id_and_flagged(engine: Engine) -> None:
    """The chosen behaviour (README, "Delivery guarantee"): send again, same Message-ID, say so."""
    with pytest.raises(Crash):
        _run(engine, [brief("RM001")], [Scripted(Crash())])
    channel = Scripted()
    (result,) = _run(engine, [brief("RM001")], [channel], run_id="run-2", interrupted_after=dt.timedelta(0))
    (row,) = _rows(engine)
    assert (result.outcome, result.after_interruption, result.attempts) == (Outcome.SENT, True, 2)
    assert (row.status, row.interruptions, row.sent_run_id) == ("sent", 1, "run-2")
    assert [o.message_id for o in channel.sent] == [row.message_id]


def test_an_interrupted_last_attempt_gives_up_instead_of_hanging_in_sending(engine: Engine) -> None:
    with pytest.raises(Crash):
        _run(engine, [brief("RM001")], [Scripted(Crash())], max_attempts=1)
    (result,) = deliver(engine, [], [], [Scripted()], run_id="run-2", max_attempts=1,
                        interrupted_after=dt.timedelta(0))
    assert result.outcome == Outcome.GAVE_UP and "interrupted" in result.error
    assert (_rows(engine)[0].status, _rows(engine)[0].interruptions) == ("failed", 1)


def test_two_runs_cannot_both_claim_one_delivery(engine: Engine) -> None:
    one = brief("RM001")
    prepared = EmlChannel(Path("unused"), sender=SENDER).prepare(one, rendered(one), now=NOW)
    row = {"brief_key": one.key, "rm_ref": "RM001", "kind": "daily", "period": PERIOD, "channel": "eml",
           "recipient": prepared.recipient, "message_id": prepared.message_id, "subject": "s", "text": "t",
           "html": "h", "language": "en", "message": prepared.message, "window_end": WINDOW_END, "run_id": "r"}
    with engine.begin() as conn:
        (queued,) = queue_deliveries(conn, [(row, [])])
        (again,) = queue_deliveries(conn, [(row, [])])
    assert queued.new and not again.new and again.id == queued.id
    with engine.begin() as conn:
        first = claim(conn, queued.id, now=NOW, max_attempts=5, interrupted_before=NOW - dt.timedelta(minutes=15))
    with engine.begin() as conn:
        second = claim(conn, queued.id, now=NOW, max_attempts=5, interrupted_before=NOW - dt.timedelta(minutes=15))
    assert (first, second) == ("claimed", None)


def test_an_rm_without_an_email_address_is_skipped_and_nothing_is_queued(engine: Engine, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    results = _run(engine, [brief("RM001", email=None), brief("RM002", email="two@one@bank")],
                   [EmlChannel(outbox, sender=SENDER)])
    assert [(r.outcome, r.error) for r in results] == [
        (Outcome.SKIPPED, "RM RM001 has no usable email address"),
        (Outcome.SKIPPED, "RM RM002 has no usable email address")]
    assert _rows(engine) == [] and not outbox.exists()


def test_the_next_window_starts_where_the_last_sent_brief_ended(engine: Engine, tmp_path: Path) -> None:
    assert last_brief_window_end(engine, "RM001", "daily") is None
    _run(engine, [brief("RM001")], [Scripted(Refused("451 try later"))])
    assert last_brief_window_end(engine, "RM001", "daily") is None  # failed: its items are still new
    later = WINDOW_END + dt.timedelta(days=1)
    _run(engine, [brief("RM001", period=PERIOD + dt.timedelta(days=1), window_end=later)],
         [EmlChannel(tmp_path, sender=SENDER)])
    assert last_brief_window_end(engine, "RM001", "daily") == later
    assert last_brief_window_end(engine, "RM001", "alert") is None
    assert last_brief_window_end(engine, "RM002", "daily") is None
    _run(engine, [brief("RM002", period=PERIOD + dt.timedelta(days=2), window_end=later + dt.timedelta(days=1))],
         [EmlChannel(tmp_path, sender=SENDER)])
    assert last_brief_window_ends(engine, ["RM001", "RM002", "RM003"], "daily") == {  # read for a batch at once
        "RM001": later, "RM002": later + dt.timedelta(days=1), "RM003": None}


def test_a_rendered_brief_without_its_brief_is_refused(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="without their Brief"):
        deliver(engine, [rendered(brief("RM001"))], [], [EmlChannel(tmp_path, sender=SENDER)], run_id="r")


def test_an_unwritable_outbox_folder_fails_the_channel_with_a_clear_reason(engine: Engine, tmp_path: Path) -> None:
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be")
    results = _run(engine, [brief("RM001"), brief("RM002")], [EmlChannel(blocker, sender=SENDER)])
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.DEFERRED]
    assert results[0].error.startswith(f"outbox folder {blocker}:")


def test_the_outbox_migration_goes_down_and_up_again(engine: Engine, tmp_path: Path) -> None:
    _run(engine, [brief("RM001")], [EmlChannel(tmp_path, sender=SENDER)])
    command.downgrade(alembic_config(engine), "0003")
    assert not {"brief_deliveries", "brief_delivery_items"} & set(inspect(engine).get_table_names())
    migrate(engine, "0005_outbox")
    assert _rows(engine) == []


def test_a_brief_is_settled_only_when_every_channel_is_done_with_it(engine: Engine, tmp_path: Path) -> None:
    """What lets a re-run of the day skip composing: sent (or given up) on every channel asked for."""
    briefs = [brief("RM001"), brief("RM002", email="bo@bank.example")]
    _run(engine, briefs, [EmlChannel(tmp_path, sender=SENDER), Scripted("250 ok", Refused("451 try later"))],
         max_attempts=2)
    settled = settled_briefs(engine, ["RM001", "RM002", "RM003"], "daily", PERIOD, ["eml", "smtp"], max_attempts=2)
    assert {rm: [(r.channel, r.outcome) for r in results] for rm, results in settled.items()} == {
        "RM001": [("eml", Outcome.ALREADY_SENT), ("smtp", Outcome.ALREADY_SENT)]}  # RM002's smtp is retried
    assert set(settled_briefs(engine, ["RM002"], "daily", PERIOD, ["eml"], max_attempts=2)) == {"RM002"}
    assert settled_briefs(engine, ["RM001"], "daily", PERIOD + dt.timedelta(days=1), ["eml"]) == {}
    _run(engine, briefs, [Scripted(Refused("451 try later"))], max_attempts=2, run_id="run-2")  # RM002's 2nd try
    gave_up = settled_briefs(engine, ["RM002"], "daily", PERIOD, ["eml", "smtp"], max_attempts=2)["RM002"]
    assert [(r.channel, r.outcome) for r in gave_up] == [("eml", Outcome.ALREADY_SENT), ("smtp", Outcome.GAVE_UP)]
