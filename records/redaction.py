"""Masking secrets in addresses before they reach a message, a log or the warehouse.

Feeds and APIs are often configured with a key in the query string (``?api_key=...``) or
credentials in the address (``https://user:password@host/``). Such an address must be
usable for the request itself, but every message the transport produces (and whatever
the gathering code stores about a target) shows it through ``redact_url``: the value of
a secret-looking query or fragment parameter becomes ``***``, and so does the password of
the userinfo. The rest of the address is kept byte for byte, so an operator still sees
which target failed.

Pure string handling on the ground floor, so that the transport's messages and what the
warehouse stores (channel configuration, raw items' addresses) are masked the same way.
"""
from __future__ import annotations

import re

MASK = "***"

#: Parameter names that carry a secret, compared lower-cased with "-" read as "_".
_SECRET_NAMES = frozenset({
    "key", "apikey", "api_key", "token", "access_token", "auth_token", "refresh_token", "id_token",
    "password", "passwd", "pwd", "pass", "secret", "client_secret", "signature", "sig", "auth",
    "credential", "credentials", "session", "sessionid", "session_id", "private_token",
})
#: ... and names ending in one of these (``x_amz_signature``, ``subscription_key``, ...).
_SECRET_SUFFIXES = ("_key", "apikey", "_token", "_secret", "_signature", "_password", "_credential")

# ``name=value`` where a query string, a fragment or free text can hold one. The value
# ends where a URL parameter or a word does; better to mask a trailing ")" than to show
# part of a key.
_PARAMETER = re.compile(r"(?P<lead>^|[?&;#\s'\"(,])(?P<name>[A-Za-z0-9_.\-\[\]]+)=(?P<value>[^&;#\s'\"<>]*)")
# ``scheme://user:password@`` inside free text (an exception's message); greedy up to the
# last "@" before the path, as in ``redact_url``.
_USERINFO_IN_TEXT = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#@:]*):(?P<password>[^\s/?#]*)@")


def is_secret_name(name: str) -> bool:
    """Whether a query parameter of this name holds a secret (``api_key``, ``X-Amz-Signature``)."""
    plain = name.strip().lower().replace("-", "_").removesuffix("[]")
    return plain in _SECRET_NAMES or plain.endswith(_SECRET_SUFFIXES)


def redact_url(url: str) -> str:
    """``url`` with the userinfo password and secret query/fragment values replaced by ``***``.

    ``https://u:pw@host/feed?api_key=abc&page=2`` becomes ``https://u:***@host/feed?api_key=***&page=2``.
    Anything that is not a URL is masked as free text (see ``redact_text``); this never raises.
    """
    if not isinstance(url, str):
        return url
    scheme_end = url.find("://")
    if scheme_end < 0:
        return redact_text(url)
    start = scheme_end + 3
    end = len(url)
    for stop in "/?#":
        found = url.find(stop, start)
        if found >= 0:
            end = min(end, found)
    authority = url[start:end]
    if "@" in authority:
        # The userinfo ends at the last "@" of the authority: a password may hold an
        # unencoded "@" of its own, and none of it may show.
        userinfo, host = authority.rsplit("@", 1)
        if ":" in userinfo:
            authority = f"{userinfo.split(':', 1)[0]}:{MASK}@{host}"
    rest = url[end:]
    return url[:start] + authority + _mask_parameters(rest)


def redact_text(text: str) -> str:
    """Free text (an exception's message) with every secret parameter and URL password masked."""
    if not isinstance(text, str):
        return text
    return _mask_parameters(_USERINFO_IN_TEXT.sub(lambda m: f"{m['head']}:{MASK}@", text))


def _mask_parameters(text: str) -> str:
    def mask(match: re.Match[str]) -> str:
        if not match["value"] or not is_secret_name(match["name"]):
            return match[0]
        return f"{match['lead']}{match['name']}={MASK}"

    return _PARAMETER.sub(mask, text)
