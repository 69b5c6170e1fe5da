"""Briefs as cards posted to a webhook (Teams, Slack, WeCom-style JSON).

``MI_WEBHOOK_URL`` holds ``{rm_ref}``, replaced by each RM's id: the address must reach
that RM alone (a bot gateway that forwards to the RM's chat), since a brief names the RM's
customers; a URL without it is refused when the channel is built. Such URLs usually carry
their token in the path, so no message, row or log shows the URL: an error names the RM.

A POST is an outbound write, not a read, so it does not go through ``mi.transport``'s
crawler rules; it has its own connect and read timeouts, follows no redirect, and sends an
``Idempotency-Key`` that is the same for every copy of one brief.
"""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote, urlsplit

import requests

from mi.delivery.channels import Channel, ChannelDown, Outgoing, Prepared, Refused, Skip, card_id
from mi.records.briefs import Brief, Rendered
from mi.records.redaction import redact_text

_ANSWER_BYTES = 64 * 1024  # of an answer's body, read to check it and to quote it in an error
_QUOTED_CHARS = 200


class WebhookChannel(Channel):
    name = "webhook"

    def __init__(self, url: str, *, timeout: float = 10.0, user_agent: str = "mi-pipeline/0.1") -> None:
        if "{rm_ref}" not in url:
            raise ValueError("MI_WEBHOOK_URL must hold {rm_ref}: without it every RM's brief would go to one place")
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("MI_WEBHOOK_URL must be an http or https URL")
        self._url = url
        self.timeout = timeout
        self._session = requests.Session()
        self._session.headers["User-Agent"] = user_agent

    def prepare(self, brief: Brief, rendered: Rendered, *, now: dt.datetime) -> Prepared:
        if not rendered.card:
            raise Skip(f"the brief for RM {brief.rm_ref} was rendered without a card")
        return Prepared(recipient=f"webhook:{brief.rm_ref}", message_id=card_id(brief.key), card=dict(rendered.card))

    def send(self, outgoing: Outgoing) -> str:
        where = f"webhook for RM {outgoing.rm_ref}"
        url = self._url.replace("{rm_ref}", quote(outgoing.rm_ref, safe=""))
        try:
            response = self._session.post(url, json=outgoing.card, timeout=(self.timeout, self.timeout),
                                          allow_redirects=False, stream=True,
                                          headers={"Idempotency-Key": outgoing.message_id})
        except requests.Timeout:
            raise ChannelDown(f"{where}: no answer within {self.timeout:g} s") from None
        except requests.ConnectionError:
            raise ChannelDown(f"{where}: could not connect") from None
        except requests.RequestException as exc:  # its message would quote the URL
            raise Refused(f"{where}: {type(exc).__name__}") from None
        with response:
            try:
                body = response.raw.read(_ANSWER_BYTES, decode_content=True) or b""
            except (OSError, requests.RequestException, ValueError):
                body = b""
            status = response.status_code
        if 300 <= status < 400:
            raise Refused(f"{where}: answered with a redirect (HTTP {status}), which is not followed")
        if not 200 <= status < 300:
            raise Refused(f"{where}: HTTP {status}: {_quote(body)}")
        refusal = _refusal_in(body)
        if refusal:
            raise Refused(f"{where}: HTTP {status} but {refusal}")
        return f"HTTP {status}"

    def close(self) -> None:
        self._session.close()


def _refusal_in(body: bytes) -> str | None:
    """WeCom and DingTalk robots answer 200 with their error in the JSON body (``errcode``)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    code = answer.get("errcode")
    if isinstance(code, int) and not isinstance(code, bool) and code != 0:
        return f"errcode {code}: {_quote(str(answer.get('errmsg', '')).encode())}"
    return None


def _quote(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    text = text if len(text) <= _QUOTED_CHARS else text[:_QUOTED_CHARS - 1] + "\u2026"
    return redact_text(text) or "(empty answer)"
