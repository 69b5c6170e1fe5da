"""What every delivery channel is: it sends one queued message and says how it went.

A channel either accepts a message (``send`` returns its receipt), refuses this one
(``Refused``: the next message may still go), or cannot be used at all (``ChannelDown``:
no connection, TLS or login failed, the outbox folder is not writable), in which case the
run tries nothing more on it and leaves the rest for the next run. Error texts never hold
a credential or a webhook's address; the outbox masks them once more before storing them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from email.headerregistry import Address
from typing import Any, ClassVar

from mi.delivery.messages import address, build_email, message_id
from mi.records.briefs import Brief, Rendered


class Refused(Exception):
    """The channel refused this message (a rejected recipient, an HTTP error answer)."""


class ChannelDown(Exception):
    """The channel cannot be used now; nothing more is tried on it in this run."""


class Skip(Exception):
    """This brief cannot go out on this channel at all (the RM has no usable address)."""


@dataclass(frozen=True)
class Prepared:
    """What the outbox stores for one brief on one channel, before any attempt."""

    recipient: str
    message_id: str
    message: bytes | None = None  # email channels
    card: dict[str, Any] | None = None  # the webhook


@dataclass(frozen=True)
class Outgoing:
    """A queued delivery as a channel sends it (read back from the outbox row)."""

    brief_key: str
    rm_ref: str
    channel: str
    recipient: str
    message_id: str
    message: bytes | None = None
    card: dict[str, Any] | None = field(default=None, hash=False, compare=False)

    @property
    def key(self) -> str:
        """The delivery's identity: ``daily:RM042:2026-12-01/smtp``."""
        return f"{self.brief_key}/{self.channel}"


class Channel(ABC):
    name: ClassVar[str]

    @abstractmethod
    def prepare(self, brief: Brief, rendered: Rendered, *, now: dt.datetime) -> Prepared:
        """The message as it will be stored and sent; ``Skip`` when it cannot go out here."""

    @abstractmethod
    def send(self, outgoing: Outgoing) -> str:
        """Hand one message over; return the channel's receipt, or raise ``Refused``/``ChannelDown``."""

    def close(self) -> None:
        """Release what the channel holds open (an SMTP connection)."""

    def __repr__(self) -> str:  # subclasses hold credentials and addresses; repr shows neither
        return f"{type(self).__name__}()"


class EmailChannel(Channel):
    """A channel that carries the brief as an email to the RM's own address."""

    def __init__(self, *, sender: str) -> None:
        parsed = address(sender) if "<" not in sender else _with_name(sender)
        if parsed is None:
            raise ValueError(f"MI_SMTP_FROM={sender!r} is not one email address")
        self.sender = parsed

    def prepare(self, brief: Brief, rendered: Rendered, *, now: dt.datetime) -> Prepared:
        to = address(brief.rm_email, brief.rm_name)
        if to is None:
            raise Skip(f"RM {brief.rm_ref} has no usable email address")
        mid = message_id(brief.key, self.sender)
        return Prepared(recipient=to.addr_spec, message_id=mid,
                        message=build_email(rendered, sender=self.sender, to=to, message_id=mid, date=now))


def _with_name(sender: str) -> Address | None:
    """``Name <box@domain>`` as one Address."""
    name, _, rest = sender.partition("<")
    return address(rest.rstrip().removesuffix(">"), name.strip().strip('"'))


def card_id(brief_key: str) -> str:
    """The webhook's idempotency key: the same for every copy of one brief."""
    return "brief-" + hashlib.sha256(brief_key.encode("utf-8")).hexdigest()[:32]
