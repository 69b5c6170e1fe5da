"""Sign-in through the bank's OpenID Connect provider (authorization code flow with PKCE).

Configured with ``MI_DESK_OIDC_ISSUER``, ``MI_DESK_OIDC_CLIENT_ID``, ``MI_DESK_OIDC_CLIENT_SECRET``
(a value or a ``${secret:block}`` placeholder) and ``MI_DESK_OIDC_REDIRECT_URL`` (the public
address of ``/sign-in/oidc/callback``). Authlib builds the authorization request (state,
nonce, S256 code challenge) and exchanges the code; the ID token is verified with joserfc
against the provider's published keys: signature (RS256/ES256), issuer, audience, expiry
and the nonce sent. The claim ``MI_DESK_OIDC_CLAIM`` (``preferred_username``) names the desk
account it signs in: the provider says who someone is, the desk's account says what they
may see (role, RM), so an identity without an account is refused.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

SCOPE = "openid profile email"
ALGORITHMS = ["RS256", "ES256"]
TIMEOUT = 10.0


class OidcError(Exception):
    """The provider's answer cannot be trusted or used; the message says why (never a token)."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Pending:
    """What the browser carries (in an HttpOnly cookie) between the redirect and the callback."""

    state: str
    nonce: str
    verifier: str

    def cookie(self) -> str:
        return f"{self.state}.{self.nonce}.{self.verifier}"

    @classmethod
    def from_cookie(cls, value: str | None) -> Pending | None:
        parts = (value or "").split(".")
        return cls(*parts) if len(parts) == 3 and all(parts) else None


def discover(issuer: str) -> Provider:
    try:
        answer = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=TIMEOUT)
        answer.raise_for_status()
        meta = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError(f"the provider's configuration could not be read: {type(exc).__name__}") from None
    if meta.get("issuer") != issuer:
        raise OidcError("the provider's configuration names another issuer")
    try:
        return Provider(issuer, meta["authorization_endpoint"], meta["token_endpoint"], meta["jwks_uri"])
    except KeyError as exc:
        raise OidcError(f"the provider's configuration lacks {exc.args[0]}") from None


def start(provider: Provider, *, client_id: str, redirect_url: str) -> tuple[str, Pending]:
    """The provider's address to send the browser to, and what to keep until it comes back."""
    pending = Pending(secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48))
    client = OAuth2Session(client_id, scope=SCOPE, redirect_uri=redirect_url, code_challenge_method="S256")
    url, _ = client.create_authorization_url(provider.authorization_endpoint, state=pending.state,
                                             nonce=pending.nonce, code_verifier=pending.verifier)
    return url, pending


def finish(provider: Provider, pending: Pending, *, code: str, state: str, client_id: str, client_secret: str | None,
           redirect_url: str, claim: str) -> str:
    """The verified identity's ``claim`` (the desk account's name) after the provider's callback."""
    if not secrets.compare_digest(state, pending.state):
        raise OidcError("the sign-in answer does not match the request (state)")
    client = OAuth2Session(client_id, client_secret, scope=SCOPE, redirect_uri=redirect_url,
                           code_challenge_method="S256")
    try:
        token = client.fetch_token(provider.token_endpoint, code=code, code_verifier=pending.verifier,
                                   timeout=TIMEOUT)
        keys = requests.get(provider.jwks_uri, timeout=TIMEOUT)
        keys.raise_for_status()
        key_set = KeySet.import_key_set(keys.json())
    except Exception as exc:  # noqa: BLE001 - a provider's failure of any kind ends this sign-in
        raise OidcError(f"the provider did not complete the sign-in: {type(exc).__name__}") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("the provider sent no ID token")
    return verified_claim(id_token, key_set, issuer=provider.issuer, client_id=client_id, nonce=pending.nonce,
                          claim=claim)


def verified_claim(id_token: str, key_set: KeySet, *, issuer: str, client_id: str, nonce: str, claim: str,
                   now: float | None = None) -> str:
    try:
        decoded = jwt.decode(id_token, key_set, algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            now=int(now if now is not None else time.time()), leeway=60,
            iss={"essential": True, "value": issuer}, aud={"essential": True, "value": client_id},
            nonce={"essential": True, "value": nonce}, exp={"essential": True}, sub={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise OidcError(f"the ID token is not valid: {type(exc).__name__}") from None
    value: Any = decoded.claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        raise OidcError(f"the ID token has no {claim}")
    return value.strip().lower()
