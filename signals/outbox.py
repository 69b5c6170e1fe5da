"""Sending what signals and follow-up publish, behind one small interface.

Publication writes each message into ``signal_messages`` in the same transaction as the
publications it carries (``mi.signals.publish``); ``deliver_pending`` then hands every
unsent one to a ``Sender`` and marks it sent. A crash between the two sends at most that
one message again, and the default sender makes even that harmless: it writes the message
to a file named by its key (``.eml`` for email, ``.json`` for a webhook), so a second
write replaces the first. A bank's SMTP server or webhook is another ``Sender``
(the delivery package's outbox, at merge). Files are written atomically: a temporary
file beside the target, then a rename.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, select

from mi.records.inert import json_text
from mi.warehouse.base import utcnow
from mi.warehouse.signals import SignalMessage

SENDER_ADDRESS = "mi-pipeline@bank.invalid"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class OutgoingMessage:
    key: str  # unique: sending the same key twice must not deliver twice
    channel: str  # email or webhook
    recipient: str
    subject: str
    text: str = ""
    html: str = ""
    payload: dict[str, object] = field(default_factory=dict, hash=False, compare=False)


class Sender(Protocol):
    def send(self, message: OutgoingMessage) -> None:
        """Deliver ``message``; raise to leave it in the outbox for the next run."""


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False if it already held it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return False
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


class FolderSender:
    """The embedded default: each message as a file in ``folder`` (``.eml`` or ``.json``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_of(self, message: OutgoingMessage) -> Path:
        suffix = ".eml" if message.channel == "email" else ".json"
        return self.folder / (_SAFE_NAME.sub("_", message.key) + suffix)

    def send(self, message: OutgoingMessage) -> None:
        if message.channel == "email":
            email = EmailMessage()
            email["From"] = SENDER_ADDRESS
            email["To"] = message.recipient
            email["Subject"] = message.subject
            email["Message-ID"] = make_msgid(idstring=_SAFE_NAME.sub("-", message.key)[:60], domain="bank.invalid")
            email.set_content(message.text)
            if message.html:
                email.add_alternative(message.html, subtype="html")
            data = bytes(email)
        else:
            data = (json_text({"to": message.recipient, "key": message.key, **message.payload}) + "\n").encode()
        write_atomically(self.path_of(message), data)


def deliver_pending(engine: Engine, sender: Sender) -> tuple[int, int]:
    """Send every unsent message, oldest first: (sent, failed). A failure stays for the next run."""
    table = SignalMessage.__table__
    with engine.connect() as conn:
        pending = conn.execute(select(table).where(table.c.sent_at.is_(None)).order_by(table.c.id)).all()
    sent = failed = 0
    for row in pending:
        message = OutgoingMessage(row.message_key, row.channel, row.recipient, row.subject, row.text, row.html,
                                  dict(row.payload or {}))
        try:
            sender.send(message)
        except Exception as exc:  # noqa: BLE001  (any sender's failure leaves the message queued)
            failed += 1
            with engine.begin() as conn:
                conn.execute(table.update().where(table.c.id == row.id)
                             .values(attempts=table.c.attempts + 1, last_error=str(exc)[:2000]))
            continue
        sent += 1
        with engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == row.id)
                         .values(attempts=table.c.attempts + 1, sent_at=utcnow(), last_error=None))
    return sent, failed
