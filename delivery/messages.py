"""The email a brief becomes: RFC 5322 bytes built with the standard library.

multipart/alternative (text, then HTML); the HTML and its charts (``cid:`` parts) inside
multipart/related. Headers are encoded (RFC 2047) and the text quoted-printable and the HTML base64,
so the message is 7-bit clean and needs no 8BITMIME or SMTPUTF8 from any server.

The Message-ID is derived from the brief's key, not drawn at random: every copy of one
brief (a retry, a second channel, a copy sent again after an interrupted attempt) carries
the same one, which is what mail systems and readers use to recognise a duplicate.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from mi.records.briefs import Rendered

#: Like ``policy.SMTP`` (CRLF, 78-column folding), but bodies are never 8-bit.
POLICY = policy.SMTP.clone(cte_type="7bit")


def message_id(brief_key: str, sender: Address) -> str:
    """``<brief-<hash>@<sender's domain>>``: the same for every copy of one brief."""
    digest = hashlib.sha256(brief_key.encode("utf-8")).hexdigest()[:32]
    return f"<brief-{digest}@{sender.domain or 'localhost'}>"


def address(addr_spec: str | None, display_name: str = "") -> Address | None:
    """One ASCII mailbox, or None when ``addr_spec`` is not one (missing, several, a header
    break, a non-ASCII local part that would need SMTPUTF8)."""
    if not addr_spec or not addr_spec.isascii() or any(c in addr_spec for c in "\r\n,;<> \t"):
        return None
    try:
        parsed = Address(display_name=one_line(display_name), addr_spec=addr_spec.strip())
    except (HeaderParseError, ValueError, IndexError, TypeError):  # the parser's ways of saying "not one"
        return None
    return parsed if parsed.username and parsed.domain else None


def one_line(text: str) -> str:
    """Header text on one line: fetched titles can hold line breaks, which would end a header."""
    return " ".join(text.split())


def build_email(rendered: Rendered, *, sender: Address, to: Address, message_id: str, date: dt.datetime) -> bytes:
    message = EmailMessage(policy=POLICY)
    message["Subject"] = one_line(rendered.subject)
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Content-Language"] = one_line(rendered.language)
    # RFC 3834: an out-of-office reply to a brief would only land in an unread mailbox.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)  # quoted-printable: the text part stays readable as sent
    # base64 for the HTML: encoded in C, several times faster than quoted-printable's Python
    # loop over a long table-layout page, and read by every mail client.
    message.add_alternative(rendered.html, subtype="html", cte="base64")
    if rendered.attachments:
        html = message.get_payload()[1]  # type: ignore[index]
        for part in rendered.attachments:
            maintype, _, subtype = part.mime_type.partition("/")
            html.add_related(part.data, maintype=maintype, subtype=subtype or "octet-stream",
                             cid=f"<{part.content_id.strip('<>')}>", disposition="inline")
    return message.as_bytes()
