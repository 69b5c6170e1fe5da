"""SMTP delivery against a real server on loopback (aiosmtpd): one message per RM per
period however often the run repeats or the server fails, STARTTLS and implicit TLS with a
certificate made for the test, and credentials that never reach a row, a log or an error."""
from __future__ import annotations

import email
import email.policy
import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mi.delivery import Outcome, SmtpChannel, channels_from_settings, deliver
from mi.delivery.smtp import tls_context
from mi.settings import DeliverySettings, Settings
from mi.warehouse.outbox import BriefDelivery, BriefDeliveryItem
from tests.delivery_loopback import MailServer, brief, free_port, rendered, self_signed, server_context

SENDER = "mi@bank.example"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed(tmp_path)


@pytest.fixture
def servers() -> Iterator[list[MailServer]]:
    started: list[MailServer] = []
    yield started
    for server in started:
        server.close()


def _start(servers: list[MailServer], *args: object, **kwargs: object) -> MailServer:
    server = MailServer(*args, **kwargs)  # type: ignore[arg-type]
    servers.append(server)
    return server


def _smtp(port: int, security: str = "none", **kwargs: object) -> SmtpChannel:
    return SmtpChannel(host="127.0.0.1", port=port, security=security, sender=SENDER, timeout=5, **kwargs)  # type: ignore[arg-type]


def _deliver(engine: Engine, channel: SmtpChannel, rms: tuple[str, ...] = ("RM001", "RM002"), run_id: str = "run-1"):
    briefs = [brief(rm, email=f"{rm.lower()}@bank.example") for rm in rms]
    return deliver(engine, [rendered(b) for b in briefs], briefs, [channel], run_id=run_id)


def test_each_rm_gets_one_message_however_often_the_run_repeats(engine: Engine, servers: list[MailServer]) -> None:
    server = _start(servers)
    first = _deliver(engine, _smtp(server.port))
    second = _deliver(engine, _smtp(server.port), run_id="run-2")
    assert [r.outcome for r in first] == [Outcome.SENT, Outcome.SENT]
    assert [r.outcome for r in second] == [Outcome.ALREADY_SENT, Outcome.ALREADY_SENT]
    assert sorted(m.rcpt_tos[0] for m in server.messages) == ["rm001@bank.example", "rm002@bank.example"]
    assert {m.mail_from for m in server.messages} == {SENDER}
    with engine.connect() as conn:
        receipts = conn.execute(select(BriefDelivery.receipt).order_by(BriefDelivery.id)).scalars().all()
    assert receipts == ["250 2.0.0 Ok: queued as Q1", "250 2.0.0 Ok: queued as Q2"]
    received = email.message_from_bytes(server.messages[0].content, policy=email.policy.default)
    assert received["Subject"] == "Your morning brief, 01 Dec" and received["To"].addresses[0].username == "rm001"


def test_a_server_down_in_the_first_run_gets_each_message_once_in_the_next(engine: Engine,
                                                                           servers: list[MailServer]) -> None:
    port = free_port()
    down = _deliver(engine, _smtp(port))
    assert [(r.outcome, r.attempts) for r in down] == [(Outcome.FAILED, 1), (Outcome.DEFERRED, 0)]
    assert "could not connect" in down[0].error and "Connection refused" in down[0].error
    server = _start(servers, port)
    up = _deliver(engine, _smtp(port), run_id="run-2")
    again = _deliver(engine, _smtp(port), run_id="run-3")
    assert [(r.outcome, r.attempts) for r in up] == [(Outcome.SENT, 2), (Outcome.SENT, 1)]
    assert [r.outcome for r in again] == [Outcome.ALREADY_SENT, Outcome.ALREADY_SENT]
    assert len(server.messages) == 2
    with engine.connect() as conn:
        rows = conn.execute(select(BriefDelivery.status, BriefDelivery.attempts, BriefDelivery.sent_run_id)
                            .order_by(BriefDelivery.id)).all()
    assert [tuple(r) for r in rows] == [("sent", 2, "run-2"), ("sent", 1, "run-2")]


def test_a_refused_recipient_fails_alone_and_the_others_still_go(engine: Engine, servers: list[MailServer]) -> None:
    server = _start(servers)
    server.handler.refuse.add("rm001@bank.example")
    results = _deliver(engine, _smtp(server.port))
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.SENT]
    assert results[0].error.endswith("refused rm001@bank.example: 550 5.1.1 mailbox unavailable")
    assert [m.rcpt_tos for m in server.messages] == [["rm002@bank.example"]]


def test_starttls_with_login_delivers_over_an_encrypted_verified_connection(
        engine: Engine, servers: list[MailServer], certificate: tuple[Path, Path]) -> None:
    server = _start(servers, starttls=server_context(*certificate), credentials=("mi-sender", PASSWORD))
    channel = _smtp(server.port, "starttls", user="mi-sender", password=PASSWORD, ca_file=certificate[0])
    results = _deliver(engine, channel)
    assert [r.outcome for r in results] == [Outcome.SENT, Outcome.SENT]
    assert [(m.tls, m.login) for m in server.messages] == [(True, "mi-sender"), (True, "mi-sender")]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # see MailServer: it is TLS
def test_implicit_tls_delivers(engine: Engine, servers: list[MailServer], certificate: tuple[Path, Path]) -> None:
    server = _start(servers, implicit_tls=server_context(*certificate), credentials=("mi-sender", PASSWORD))
    channel = _smtp(server.port, "tls", user="mi-sender", password=PASSWORD, ca_file=certificate[0])
    assert [r.outcome for r in _deliver(engine, channel, ("RM001",))] == [Outcome.SENT]
    assert [m.tls for m in server.messages] == [True]


def test_an_untrusted_certificate_stops_the_channel_and_nothing_goes_in_clear(
        engine: Engine, servers: list[MailServer], certificate: tuple[Path, Path]) -> None:
    server = _start(servers, starttls=server_context(*certificate))
    results = _deliver(engine, _smtp(server.port, "starttls"))  # no ca_file: the system's CAs only
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.DEFERRED]
    assert "certificate not trusted" in results[0].error and server.messages == []


def test_a_server_that_offers_no_starttls_is_refused_not_spoken_to_in_clear(engine: Engine,
                                                                             servers: list[MailServer]) -> None:
    server = _start(servers)
    (result,) = _deliver(engine, _smtp(server.port, "starttls"), ("RM001",))
    assert result.outcome == Outcome.FAILED and "does not offer STARTTLS" in result.error
    assert server.messages == []


def test_the_password_never_reaches_a_row_a_log_or_an_error(engine: Engine, servers: list[MailServer],
                                                           certificate: tuple[Path, Path],
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = _start(servers, starttls=server_context(*certificate), credentials=("mi-sender", "the right one"))
    channel = _smtp(server.port, "starttls", user="mi-sender", password=PASSWORD, ca_file=certificate[0])
    results = _deliver(engine, channel)
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.DEFERRED]
    assert "login as mi-sender refused: 535" in results[0].error
    with engine.connect() as conn:
        stored = [repr(tuple(row)) for table in (BriefDelivery, BriefDeliveryItem)
                  for row in conn.execute(select(table.__table__))]
    ours = [record.getMessage() for record in caplog.records if record.name.startswith("mi")]
    assert ours and server.messages == []
    for text in [*stored, *ours, *(repr(r) for r in results), repr(channel)]:
        assert PASSWORD not in text and "Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ" not in text


def test_the_tls_context_verifies_certificates_and_host_names() -> None:
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_plain_smtp_refuses_credentials_and_half_credentials_are_refused() -> None:
    with pytest.raises(ValueError, match="password in clear"):
        _smtp(25, "none", user="u", password=PASSWORD)
    with pytest.raises(ValueError, match="set together"):
        _smtp(587, "starttls", user="u")


def test_the_smtp_password_may_name_a_secret_block_and_is_never_shown(tmp_path: Path) -> None:
    env = {"MI_DATA_DIR": str(tmp_path), "MI_DELIVERY_CHANNELS": "eml,smtp", "MI_SMTP_HOST": "mail.bank.example",
           "MI_SMTP_USER": "mi", "MI_SMTP_PASSWORD": "${secret:mi-smtp}", "MI_SMTP_FROM": "MI <mi@bank.example>"}
    settings = Settings.from_env(env)
    assert settings.delivery.smtp_port == 587 and settings.delivery.outbox_dir == (tmp_path / "outbox").resolve()
    from mi.settings import Variables
    resolved = Settings(**{**settings.__dict__, "variables": Variables(env, secrets={"mi-smtp": PASSWORD}.get)})
    eml, smtp = channels_from_settings(resolved)
    assert smtp._password == PASSWORD and eml.folder == settings.delivery.outbox_dir
    assert PASSWORD not in repr(resolved) and PASSWORD not in repr(smtp)
    absent = Settings(**{**settings.__dict__, "variables": Variables(env, secrets=lambda name: None)})
    with pytest.raises(ValueError, match=r"\$\{secret:mi-smtp\} name no environment variable"):
        channels_from_settings(absent)


def test_delivery_settings_refuse_what_they_do_not_know(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown channels"):
        Settings.from_env({"MI_DATA_DIR": str(tmp_path), "MI_DELIVERY_CHANNELS": "eml,fax"})
    with pytest.raises(ValueError, match="MI_SMTP_SECURITY"):
        Settings.from_env({"MI_DATA_DIR": str(tmp_path), "MI_SMTP_SECURITY": "ssl3"})
    with pytest.raises(ValueError, match="MI_SMTP_HOST is not set"):
        channels_from_settings(Settings.from_env({"MI_DATA_DIR": str(tmp_path), "MI_DELIVERY_CHANNELS": "smtp"}))
    assert Settings.from_env({"MI_DATA_DIR": str(tmp_path), "MI_SMTP_SECURITY": "tls"}).delivery.smtp_port == 465
    assert "hunter2" not in repr(DeliverySettings(smtp_password="hunter2", webhook_url="https://h/x?token=hunter2"))
