"""The one window of the delivery guarantee, made real: a process killed (SIGKILL) after the
channel accepted a message and before the outbox recorded it. Over SMTP the next run sends
that message again, with the same Message-ID, and says so; the .eml channel ends with the
one file it would have had anyway. Both on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from mi.delivery import EmlChannel, Outcome, SmtpChannel, deliver
from mi.warehouse.outbox import BriefDelivery
from tests.delivery_loopback import MailServer, brief, rendered

ROOT = Path(__file__).resolve().parents[1]

# Runs one delivery in a child process whose outbox update is replaced by SIGKILL: the
# process dies right after the channel accepted the message, before anything is recorded.
CHILD = """
import os, signal, sys
import mi.delivery.outbox as outbox
outbox.mark_sent = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
from pathlib import Path
from mi.delivery import EmlChannel, SmtpChannel, deliver
from mi.warehouse.engine import create_warehouse_engine
from tests.delivery_loopback import brief, rendered
url, schema, channel, where = sys.argv[1:5]
engine = create_warehouse_engine(url, **({"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}))
if channel == "smtp":
    chosen = SmtpChannel(host="127.0.0.1", port=int(where), security="none", sender="mi@bank.example", timeout=5)
else:
    chosen = EmlChannel(Path(where), sender="mi@bank.example")
one = brief("RM001")
deliver(engine, [rendered(one)], [one], [chosen], run_id="run-killed")
"""


@pytest.fixture
def server() -> Iterator[MailServer]:
    started = MailServer()
    yield started
    started.close()


def _killed_run(engine: Engine, channel: str, where: str) -> None:
    schema = ""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    done = subprocess.run([sys.executable, "-c", CHILD, engine.url.render_as_string(hide_password=False), schema,
                           channel, where], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == -signal.SIGKILL, done.stderr[-3000:]


def _row(engine: Engine):
    with engine.connect() as conn:
        return conn.execute(select(BriefDelivery.__table__)).one()


def test_smtp_killed_after_acceptance_sends_once_more_with_the_same_message_id(engine: Engine,
                                                                               server: MailServer) -> None:
    _killed_run(engine, "smtp", str(server.port))
    assert len(server.messages) == 1 and _row(engine).status == "sending"
    one = brief("RM001")
    channel = SmtpChannel(host="127.0.0.1", port=server.port, security="none", sender="mi@bank.example", timeout=5)
    soon = deliver(engine, [rendered(one)], [one], [channel], run_id="run-2")
    assert [r.outcome for r in soon] == [Outcome.IN_PROGRESS] and len(server.messages) == 1
    later = deliver(engine, [rendered(one)], [one], [channel], run_id="run-3", interrupted_after=dt.timedelta(0))
    assert [(r.outcome, r.after_interruption, r.attempts) for r in later] == [(Outcome.SENT, True, 2)]
    ids = [email.message_from_bytes(m.content, policy=email.policy.default)["Message-ID"] for m in server.messages]
    row = _row(engine)
    assert ids == [row.message_id, row.message_id]  # the duplicate is recognisable as one message
    assert (row.status, row.interruptions, row.sent_run_id) == ("sent", 1, "run-3")
    assert deliver(engine, [rendered(one)], [one], [channel], run_id="run-4",
                   interrupted_after=dt.timedelta(0))[0].outcome == Outcome.ALREADY_SENT
    assert len(server.messages) == 2


def test_eml_killed_after_the_rename_still_ends_with_exactly_one_file(engine: Engine, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    _killed_run(engine, "eml", str(outbox))
    (written,) = outbox.iterdir()
    first = written.read_bytes()
    one = brief("RM001")
    (result,) = deliver(engine, [rendered(one)], [one], [EmlChannel(outbox, sender="mi@bank.example")],
                        run_id="run-2", interrupted_after=dt.timedelta(0))
    assert (result.outcome, result.after_interruption) == (Outcome.SENT, True)
    assert list(outbox.iterdir()) == [written] and written.read_bytes() == first
