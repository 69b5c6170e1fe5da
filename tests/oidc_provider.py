"""A small OpenID Connect provider on loopback for the desk's sign-in tests: discovery, an
authorization endpoint that consents at once for the user it is told to, a token endpoint
that checks the client's secret and the PKCE verifier, and its keys. ID tokens are signed
with a fresh RSA key (joserfc); ``forge`` makes it sign with another key or a wrong nonce."""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID, CLIENT_SECRET = "mi-desk", "desk-client-secret"


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.user = "rm1"
        self.forge: str | None = None  # None, "key" (sign with another key) or "nonce"
        self.codes: dict[str, tuple[str, str, str]] = {}  # code -> (nonce, challenge, user)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _id_token(self, nonce: str, user: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": f"id-{user}", "preferred_username": user,
                  "nonce": "another" if self.forge == "nonce" else nonce, "iat": now, "exp": now + 300}
        key = RSAKey.generate_key(2048, parameters={"kid": "k1"}) if self.forge == "key" else self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, payload: object, status: int = 200) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    base = provider.issuer
                    self._json({"issuer": base, "authorization_endpoint": f"{base}/authorize",
                                "token_endpoint": f"{base}/token", "jwks_uri": f"{base}/jwks"})
                elif url.path == "/jwks":
                    self._json(KeySet([provider.key]).as_dict(private=False))
                elif url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = (query["nonce"], query["code_challenge"], provider.user)
                    self.send_response(302)
                    self.send_header("Location", query["redirect_uri"] + "?" + urlencode(
                        {"code": code, "state": query["state"]}))
                    self.end_headers()
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                        .items()}
                auth = self.headers.get("Authorization", "")
                secret = (base64.b64decode(auth[6:]).decode().partition(":")[2] if auth.startswith("Basic ")
                          else form.get("client_secret", ""))
                found = provider.codes.pop(form.get("code", ""), None)
                if secret != CLIENT_SECRET or found is None:
                    return self._json({"error": "invalid_grant"}, 400)
                nonce, challenge, user = found
                digest = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
                if digest.rstrip(b"=").decode() != challenge:
                    return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
                self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                            "id_token": provider._id_token(nonce, user)})

        return Handler
