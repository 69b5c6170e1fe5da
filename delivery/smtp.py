"""Briefs by SMTP, over STARTTLS or implicit TLS, to the bank's mail server.

TLS is never optional once asked for: the server's certificate and name are verified
(the system's CAs, or ``MI_SMTP_CA_FILE`` for a bank's internal CA), TLS 1.2 at least, and
a server that does not offer STARTTLS is refused rather than spoken to in clear. Plain SMTP
(``MI_SMTP_SECURITY=none``) is for a relay on the same host and refuses credentials.

One connection serves a run's messages. The user and password come from the settings
(``MI_SMTP_PASSWORD`` may name a Prefect Secret block); no error text, log line or repr
shows the password, and the server's own answers are searched for it before they are kept.
"""
from __future__ import annotations

import base64
import smtplib
import ssl
from pathlib import Path

from mi.delivery.channels import ChannelDown, EmailChannel, Outgoing, Refused
from mi.records.redaction import MASK

SECURITY = ("starttls", "tls", "none")


def tls_context(ca_file: Path | None = None) -> ssl.SSLContext:
    """Certificates and host names verified, TLS 1.2 or later; ``ca_file`` adds trusted CAs."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class SmtpChannel(EmailChannel):
    name = "smtp"

    def __init__(self, *, host: str, port: int, security: str, sender: str, user: str | None = None,
                 password: str | None = None, timeout: float = 30.0, ca_file: Path | None = None) -> None:
        super().__init__(sender=sender)
        if security not in SECURITY:
            raise ValueError(f"MI_SMTP_SECURITY={security!r} is not one of {list(SECURITY)}")
        if security == "none" and (user or password):
            raise ValueError("MI_SMTP_SECURITY=none would send the SMTP password in clear: use starttls or tls")
        if bool(user) != bool(password):
            raise ValueError("MI_SMTP_USER and MI_SMTP_PASSWORD are set together or not at all")
        self.host, self.port, self.security, self.timeout = host, port, security, timeout
        self._user, self._password = user, password
        self._context = tls_context(ca_file) if security != "none" else None
        self._smtp: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"SMTP {self.host}:{self.port} ({self.security})"

    def send(self, outgoing: Outgoing) -> str:
        if outgoing.message is None:
            raise ValueError(f"{outgoing.key} holds no message")
        if self._smtp is None:
            self._smtp = self._connect()
        smtp = self._smtp
        try:
            # sendmail's three steps by hand, to keep the server's final answer as the receipt.
            self._expect(outgoing, smtp.mail(self.sender.addr_spec), 250)
            self._expect(outgoing, smtp.rcpt(outgoing.recipient), 250, 251)
            code, answer = self._expect(outgoing, smtp.data(outgoing.message), 250)
        except smtplib.SMTPResponseException as exc:  # data() raises when DATA itself is refused
            self._reset()
            raise Refused(self._scrub(f"{self.where} refused {outgoing.recipient}: {exc.smtp_code} "
                                      f"{_text(exc.smtp_error)}")) from None
        except (OSError, smtplib.SMTPException) as exc:
            # The connection broke mid-message: the server may or may not have taken it.
            self.close()
            raise ChannelDown(self._describe("lost the connection", exc)) from None
        return self._scrub(f"{code} {_text(answer)}")

    def _expect(self, outgoing: Outgoing, reply: tuple[int, bytes], *accepted: int) -> tuple[int, bytes]:
        code, answer = reply
        if code not in accepted:
            self._reset()
            raise Refused(self._scrub(f"{self.where} refused {outgoing.recipient}: {code} {_text(answer)}"))
        return reply

    def _connect(self) -> smtplib.SMTP:
        smtp: smtplib.SMTP | None = None
        try:
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                smtp.ehlo()
                if self.security == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise ChannelDown(f"{self.where}: the server does not offer STARTTLS; "
                                          "nothing is sent in clear")
                    smtp.starttls(context=self._context)
                    smtp.ehlo()
            if self._user and self._password:
                smtp.login(self._user, self._password)
            return smtp
        except ChannelDown:
            _quit(smtp)
            raise
        except smtplib.SMTPAuthenticationError as exc:
            _quit(smtp)
            raise ChannelDown(self._scrub(f"{self.where}: login as {self._user} refused: {exc.smtp_code} "
                                          f"{_text(exc.smtp_error)}")) from None
        except (OSError, smtplib.SMTPException) as exc:  # ssl.SSLError is an OSError
            _quit(smtp)
            raise ChannelDown(self._describe("could not connect", exc)) from None

    def _describe(self, what: str, exc: BaseException) -> str:
        if isinstance(exc, smtplib.SMTPResponseException):
            detail = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        elif isinstance(exc, ssl.SSLError):
            detail = f"TLS: {exc.reason or exc}"
            if isinstance(exc, ssl.SSLCertVerificationError):
                detail = f"TLS: certificate not trusted ({exc.verify_message})"
        elif isinstance(exc, OSError) and exc.strerror:
            detail = exc.strerror
        else:
            detail = str(exc) or type(exc).__name__
        return self._scrub(f"{self.where}: {what}: {type(exc).__name__}: {detail}")

    def _scrub(self, text: str) -> str:
        """Whatever a server echoed back: no password, plain or as an AUTH PLAIN blob."""
        if self._password:
            plain = base64.b64encode(f"\0{self._user}\0{self._password}".encode()).decode()
            for secret in (self._password, plain, base64.b64encode(self._password.encode()).decode()):
                text = text.replace(secret, MASK)
        return text

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        _quit(self._smtp)
        self._smtp = None

    def __repr__(self) -> str:
        return f"SmtpChannel({self.where})"


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
