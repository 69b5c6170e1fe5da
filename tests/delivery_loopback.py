"""What the delivery tests talk to: a real SMTP server (aiosmtpd) and a real HTTP server
that takes POSTs, both on 127.0.0.1, a self-signed certificate made on the spot, and
briefs as composition and rendering would hand them over."""
from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from mi.records.briefs import Attachment, Brief, BriefItem, Link, Rendered

PERIOD = dt.date(2026, 12, 1)
WINDOW_END = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.timezone.utc)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def brief(rm_ref: str = "RM001", *, email: str | None = "ada@bank.example", period: dt.date = PERIOD,
          kind: str = "daily", window_end: dt.datetime = WINDOW_END) -> Brief:
    items = (
        BriefItem(section="customers", title="Acme wins a contract", summary="A large order.",
                  reason="names your customer Acme", score=0.9, customer_ref="C1", customer_name="Acme",
                  links=(Link("https://news.example/acme", "news.example"),), sources=("document:11", "event:3")),
        BriefItem(section="markets", title="EUR/USD moved", summary="Up 1.2 %.", reason="your customers trade in EUR",
                  score=0.5, sources=("series:ecb.usd", "document:11")),
    )
    return Brief(rm_ref=rm_ref, rm_name=f"Manager {rm_ref}", rm_email=email, language="en", kind=kind,
                 period=period, window_start=window_end - dt.timedelta(days=1), window_end=window_end, items=items,
                 customers=("C1",))


def rendered(of: Brief, *, subject: str | None = None) -> Rendered:
    return Rendered(
        brief_key=of.key, subject=subject or f"Your morning brief, {of.period:%d %b}", language=of.language,
        text="Acme wins a contract\nEUR/USD moved\n", html='<p>Acme wins a contract</p><img src="cid:chart1">',
        attachments=(Attachment("chart1", "image/png", PNG),),
        card={"type": "message", "text": f"Brief for {of.rm_ref}", "items": [i.title for i in of.items]})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- SMTP ------------------------------------------------------------------------------
@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    login: str | None


@dataclass
class MailHandler:
    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered 550

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        login = session.auth_data if session.authenticated else None
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content
                                      or envelope.content, server.transport.get_extra_info("ssl_object") is not None,
                                      login))
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"


class MailServer:
    """aiosmtpd on 127.0.0.1: plain, STARTTLS (``starttls=``) or implicit TLS (``implicit_tls=``),
    with AUTH when ``credentials`` are given (only over TLS, as a real server insists)."""

    def __init__(self, port: int | None = None, *, starttls: ssl.SSLContext | None = None,
                 implicit_tls: ssl.SSLContext | None = None, credentials: tuple[str, str] | None = None) -> None:
        self.handler = MailHandler()
        self.port = port or free_port()
        kwargs: dict[str, Any] = {}
        if starttls is not None:
            kwargs.update(tls_context=starttls, require_starttls=True)
        if credentials is not None:
            kwargs.update(authenticator=_authenticator(*credentials), auth_required=True)
            if implicit_tls is not None:  # aiosmtpd counts only STARTTLS as TLS when it offers AUTH
                kwargs.update(auth_require_tls=False)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ssl_context=implicit_tls,
                                     server_hostname="127.0.0.1", **kwargs)
        self.controller.start()

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    def close(self) -> None:
        self.controller.stop()


def _authenticator(user: str, password: str) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
            and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)
    return check


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for a day, and its key (PEM files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mi test mail server")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


# -- webhook ---------------------------------------------------------------------------
@dataclass
class HookReply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class HookSite:
    """Takes POSTs on 127.0.0.1; each path answers from a script (the last reply repeats)."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, str], Any]] = []
        self.script: list[HookReply] = [HookReply()]
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with site._lock:
                    site.posts.append((self.path, dict(self.headers), json.loads(body)))
                    reply = site.script.pop(0) if len(site.script) > 1 else site.script[0]
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
