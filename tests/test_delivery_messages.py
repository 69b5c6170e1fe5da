"""The brief's email bytes: headers from the standard library, bodies encoded in C and joined
by ``build_email``. Read back by the standard library's parser, every message gives exactly
the text, HTML, attachments and headers that ``email.message.EmailMessage`` (the way the
messages were built before) gives for the same brief, on text chosen to trip an encoder."""
from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from mi.delivery.messages import POLICY, build_email
from mi.records.briefs import Attachment, Rendered

SENDER = Address(display_name="Briefs", addr_spec="briefs@bank.example")
TO = Address(display_name="王 RM", addr_spec="rm007@bank.example")
DATE = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.timezone.utc)

TEXTS = [
    "",
    "one line without an end",
    "Morning brief\n\n1. Acme Corp shares fall 5%\n   Reason: holds 12 % of your book\n",
    "trailing spaces   \nand a tab\t\nand = signs == 3D\nand a line of 200 x: " + "x" * 200 + "\n",
    "工商银行（601398.SH）三季度净利润同比增长 3.2%；汇率 7.12 元/美元\n" * 20,
    "From the desk\n.\n..dots\n--=_alt_abc\n-- \nsignature\r\nwindows line\rold mac line\n",
    "é" * 80 + "\n" + " " * 90 + "\n" + "\u200b\u202etricky\n",
]
HTMLS = ["", "<p>plain</p>", "<table>" + "<tr><td>工商银行 &amp; Acme</td></tr>" * 400 + "</table>\n"]


def reference(rendered: Rendered) -> bytes:
    """The message as ``EmailMessage`` and ``email.generator`` write it."""
    message = EmailMessage(policy=POLICY)
    message["Subject"] = " ".join(rendered.subject.split())
    message["From"] = SENDER
    message["To"] = TO
    message["Date"] = "Mon, 30 Nov 2026 06:00:00 +0000"
    message["Message-ID"] = "<brief-1@bank.example>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html", cte="base64")
    # After the content: set_content drops every Content-* header set before it (which is how
    # the messages built this way lost their Content-Language).
    message["Content-Language"] = rendered.language
    if rendered.attachments:
        html = message.get_payload()[1]  # type: ignore[index]
        for part in rendered.attachments:
            maintype, _, subtype = part.mime_type.partition("/")
            html.add_related(part.data, maintype=maintype, subtype=subtype, cid=f"<{part.content_id}>",
                             disposition="inline")
    return message.as_bytes()


def read(raw: bytes) -> dict[str, object]:
    message = message_from_bytes(raw, policy=policy.default)
    assert not message.defects
    parts = []
    for part in message.walk():
        assert not part.defects, part.defects
        if part.is_multipart():
            parts.append(part.get_content_type())
            continue
        content = part.get_content()
        if isinstance(content, str):
            content = content.replace("\r\n", "\n")
        parts.append((part.get_content_type(), part.get("Content-ID"), part.get_content_disposition(), content))
    headers = {name: str(message[name]) for name in ("Subject", "From", "To", "Date", "Message-ID",
                                                      "Content-Language", "Auto-Submitted", "MIME-Version")}
    return {"headers": headers, "parts": parts}


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("html", HTMLS)
def test_messages_read_back_as_the_standard_librarys_do(text: str, html: str) -> None:
    rendered = Rendered(brief_key="daily:RM007:2026-11-30", subject="Acme Bank · 晨报\n· 3 items", html=html,
                        text=text, language="zh")
    ours = build_email(rendered, sender=SENDER, to=TO, message_id="<brief-1@bank.example>", date=DATE)
    assert read(ours) == read(reference(rendered))
    assert ours.isascii() and b"\r\n" in ours and b"\n" not in ours.replace(b"\r\n", b"")  # 7-bit, CRLF only
    assert max(len(line) for line in ours.split(b"\r\n")) <= 78  # RFC 5322's recommended line length


def test_attachments_are_related_parts_of_the_html() -> None:
    png = bytes(range(256)) * 10
    rendered = Rendered(brief_key="daily:RM1:2026-11-30", subject="s", html='<img src="cid:chart-1@bank">',
                        text="t\n", language="en",
                        attachments=(Attachment("chart-1@bank", "image/png", png), Attachment("c2@bank", "image/png", b"x")))
    ours = build_email(rendered, sender=SENDER, to=TO, message_id="<brief-1@bank.example>", date=DATE)
    assert read(ours) == read(reference(rendered))
    kinds = [p if isinstance(p, str) else p[0] for p in read(ours)["parts"]]  # type: ignore[union-attr]
    assert kinds == ["multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png", "image/png"]


def test_the_same_brief_gives_the_same_bytes_and_another_brief_other_boundaries() -> None:
    one = Rendered(brief_key="daily:RM1:2026-11-30", subject="s", html="<p>h</p>", text="t", language="en")
    other = Rendered(brief_key="daily:RM2:2026-11-30", subject="s", html="<p>h</p>", text="t", language="en")
    first = build_email(one, sender=SENDER, to=TO, message_id="<m@b>", date=DATE)
    assert first == build_email(one, sender=SENDER, to=TO, message_id="<m@b>", date=DATE)
    assert first != build_email(other, sender=SENDER, to=TO, message_id="<m@b>", date=DATE)


def test_a_header_too_long_or_not_ascii_is_folded_and_encoded_by_the_standard_library() -> None:
    rendered = Rendered(brief_key="daily:RM1:2026-11-30", subject="s", html="<p>h</p>", text="t", language="zh-汉字")
    long_id = "<brief-" + "a" * 90 + "@bank.example>"
    raw = build_email(rendered, sender=SENDER, to=TO, message_id=long_id, date=DATE)
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Message-ID"] == long_id and message["Content-Language"] == "zh-汉字"
    assert raw.isascii() and max(len(line) for line in raw.split(b"\r\n")) <= 998  # RFC 5322's hard limit
