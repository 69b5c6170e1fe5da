"""The email a brief becomes: RFC 5322 bytes built with the standard library.

multipart/alternative (text, then HTML); the HTML and its charts (``cid:`` parts) inside
multipart/related. Headers are encoded (RFC 2047) and the text quoted-printable and the HTML base64,
so the message is 7-bit clean and needs no 8BITMIME or SMTPUTF8 from any server.

The headers are the standard library's (``email.headerregistry`` under ``policy.SMTP``: its
encoding and folding of fetched titles are well tried); the bodies are encoded by
``binascii`` in C and joined here. ``email.generator`` writes a body line by line in Python,
which cost half the delivery of a 500-RM morning (``bench/brief.py``); the parts are those
it would write, and ``tests/test_delivery_messages.py`` parses both kinds back to the same
text, HTML and attachments. The MIME boundaries come from the brief's key (``=_`` can occur
in neither a quoted-printable nor a base64 body), so every copy of a brief is the same bytes.

The Message-ID is derived from the brief's key, not drawn at random: every copy of one
brief (a retry, a second channel, a copy sent again after an interrupted attempt) carries
the same one, which is what mail systems and readers use to recognise a duplicate.
"""
from __future__ import annotations

import binascii
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
    # The headers that carry people's text (an RM's name, a fetched title) are encoded and
    # folded by the standard library; the others are ASCII of our own making, written as
    # they are when they fit on a line (``_plain``).
    head = EmailMessage(policy=POLICY)
    head["Subject"] = one_line(rendered.subject)
    head["From"] = sender
    head["To"] = to
    out = [POLICY.fold_binary(name, value) for name, value in head.items()]
    tag = hashlib.sha256(rendered.brief_key.encode("utf-8")).hexdigest()[:24]
    outer, related = f"=_alt_{tag}", f"=_rel_{tag}"
    out += [_plain("Date", format_datetime(date)), _plain("Message-ID", message_id),
            _plain("Content-Language", one_line(rendered.language)),
            # RFC 3834: an out-of-office reply to a brief would only land in an unread mailbox.
            _plain("Auto-Submitted", "auto-generated"), _plain("MIME-Version", "1.0"),
            _plain("Content-Type", f'multipart/alternative; boundary="{outer}"')]
    out += [b"\r\n", b"--%s\r\n" % outer.encode("ascii")]
    # quoted-printable: the text part stays readable as sent.
    out += [b'Content-Type: text/plain; charset="utf-8"\r\n', b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            quoted_printable(rendered.text), b"\r\n--%s\r\n" % outer.encode("ascii")]
    # base64 for the HTML: read by every mail client, and no line of a table layout too long.
    html = [b'Content-Type: text/html; charset="utf-8"\r\n', b"Content-Transfer-Encoding: base64\r\n\r\n",
            base64_lines(_ending_in_newline(rendered.html).encode("utf-8"))]
    if rendered.attachments:
        out += [b'Content-Type: multipart/related; boundary="%s"\r\n\r\n' % related.encode("ascii"),
                b"--%s\r\n" % related.encode("ascii")] + html
        for part in rendered.attachments:
            maintype, _, subtype = part.mime_type.partition("/")
            cid = "".join(c for c in part.content_id.strip("<>") if c.isascii() and c.isprintable() and c not in "<> ")
            out += [b"--%s\r\n" % related.encode("ascii"),
                    f"Content-Type: {_token(maintype)}/{_token(subtype or 'octet-stream')}\r\n".encode("ascii"),
                    b"Content-Transfer-Encoding: base64\r\n", b"Content-Disposition: inline\r\n",
                    f"Content-ID: <{cid}>\r\n\r\n".encode("ascii"), base64_lines(part.data)]
        out.append(b"--%s--\r\n" % related.encode("ascii"))
    else:
        out += html
    out.append(b"--%s--\r\n" % outer.encode("ascii"))
    return b"".join(out)


def _plain(name: str, value: str) -> bytes:
    """A header line as is when it is printable ASCII that fits in 78 columns; else the
    standard library's encoding and folding."""
    line = f"{name}: {value}"
    if len(line) <= 78 and line.isascii() and line.isprintable():
        return line.encode("ascii") + b"\r\n"
    return POLICY.fold_binary(name, POLICY.header_factory(name, value))


def quoted_printable(text: str) -> bytes:
    """UTF-8 quoted-printable with CRLF line ends (RFC 2045: soft breaks before 76 columns,
    ``=`` and non-ASCII and whitespace at a line's end encoded), ending in CRLF."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(lines.encode("utf-8"), quotetabs=False, istext=True, header=False)
    encoded = encoded.replace(b"\n", b"\r\n")
    return encoded if encoded.endswith(b"\r\n") else encoded + b"\r\n"


def base64_lines(data: bytes) -> bytes:
    """Base64 in lines of 76 characters, each ending in CRLF."""
    encoded = binascii.b2a_base64(data, newline=False)
    return b"".join([encoded[i:i + 76] + b"\r\n" for i in range(0, len(encoded), 76)])


def _ending_in_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _token(value: str) -> str:
    """A MIME type or subtype as a token (RFC 2045): anything else becomes "octet-stream"."""
    ok = value and all(c.isascii() and (c.isalnum() or c in "!#$&-^_.+") for c in value)
    return value.lower() if ok else "octet-stream"
