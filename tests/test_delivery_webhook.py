"""Webhook delivery against a real HTTP server on loopback: each RM's card posted once to
that RM's address, with a timeout, no redirects, clear errors, and a URL (which holds the
hook's token) that never shows in a row, a log or an error."""
from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from mi.delivery import Outcome, WebhookChannel, deliver
from mi.warehouse.outbox import BriefDelivery
from tests.delivery_loopback import HookReply, HookSite, brief, free_port, rendered

TOKEN = "T0KEN-5ecret-in-the-path"


@pytest.fixture
def hooks() -> Iterator[HookSite]:
    site = HookSite()
    yield site
    site.close()


def _deliver(engine: Engine, channel: WebhookChannel, rms: tuple[str, ...] = ("RM001", "RM002"), run_id: str = "r1"):
    briefs = [brief(rm) for rm in rms]
    return deliver(engine, [rendered(b) for b in briefs], briefs, [channel], run_id=run_id)


def test_each_rm_card_is_posted_once_to_that_rm(engine: Engine, hooks: HookSite) -> None:
    channel = WebhookChannel(hooks.url(f"/hooks/{TOKEN}/{{rm_ref}}"), timeout=5)
    first = _deliver(engine, channel)
    again = _deliver(engine, WebhookChannel(hooks.url(f"/hooks/{TOKEN}/{{rm_ref}}"), timeout=5), run_id="r2")
    assert [r.outcome for r in first] == [Outcome.SENT, Outcome.SENT]
    assert [r.outcome for r in again] == [Outcome.ALREADY_SENT, Outcome.ALREADY_SENT]
    assert [(path, card["text"]) for path, _, card in hooks.posts] == [
        (f"/hooks/{TOKEN}/RM001", "Brief for RM001"), (f"/hooks/{TOKEN}/RM002", "Brief for RM002")]
    headers = hooks.posts[0][1]
    assert headers["Content-Type"] == "application/json" and headers["Idempotency-Key"] == first[0].message_id
    with engine.connect() as conn:
        rows = conn.execute(select(BriefDelivery.recipient, BriefDelivery.card, BriefDelivery.message,
                                   BriefDelivery.receipt).order_by(BriefDelivery.id)).all()
    assert rows[0] == ("webhook:RM001", rendered(brief("RM001")).card, None, "HTTP 200")


def test_a_server_error_is_retried_by_the_next_run(engine: Engine, hooks: HookSite) -> None:
    hooks.script = [HookReply(503, b"busy, try later"), HookReply(200)]
    channel = WebhookChannel(hooks.url("/hook/{rm_ref}"), timeout=5)
    (failed,) = _deliver(engine, channel, ("RM001",))
    (sent,) = deliver(engine, [], [], [channel], run_id="r2")
    assert (failed.outcome, failed.error) == (Outcome.FAILED, "webhook for RM RM001: HTTP 503: busy, try later")
    assert (sent.outcome, sent.attempts) == (Outcome.SENT, 2) and len(hooks.posts) == 2


def test_a_redirect_is_not_followed(engine: Engine, hooks: HookSite) -> None:
    hooks.script = [HookReply(302, b"", {"Location": "http://169.254.169.254/latest"})]
    (result,) = _deliver(engine, WebhookChannel(hooks.url("/hook/{rm_ref}"), timeout=5), ("RM001",))
    assert result.outcome == Outcome.FAILED and "redirect (HTTP 302), which is not followed" in result.error
    assert len(hooks.posts) == 1


def test_an_error_in_a_200_answer_is_a_failure(engine: Engine, hooks: HookSite) -> None:
    hooks.script = [HookReply(200, b'{"errcode": 93000, "errmsg": "invalid webhook url"}')]
    (result,) = _deliver(engine, WebhookChannel(hooks.url("/hook/{rm_ref}"), timeout=5), ("RM001",))
    assert (result.outcome, result.error) == (
        Outcome.FAILED, "webhook for RM RM001: HTTP 200 but errcode 93000: invalid webhook url")


def test_a_slow_hook_times_out_and_the_rest_wait_for_the_next_run(engine: Engine, hooks: HookSite) -> None:
    hooks.script = [HookReply(200, delay=2.0)]
    results = _deliver(engine, WebhookChannel(hooks.url("/hook/{rm_ref}"), timeout=0.5))
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.DEFERRED]
    assert results[0].error == "webhook for RM RM001: no answer within 0.5 s"


def test_the_hook_url_and_its_token_never_show(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    channel = WebhookChannel(f"http://127.0.0.1:{free_port()}/hooks/{TOKEN}/{{rm_ref}}?key={TOKEN}", timeout=2)
    (result,) = _deliver(engine, channel, ("RM001",))
    assert (result.outcome, result.error) == (Outcome.FAILED, "webhook for RM RM001: could not connect")
    with engine.connect() as conn:
        stored = [repr(tuple(row)) for row in conn.execute(select(BriefDelivery.__table__))]
    ours = [record.getMessage() for record in caplog.records if record.name.startswith("mi")]
    for shown in [*stored, *ours, repr(result), repr(channel)]:
        assert TOKEN not in shown


def test_a_webhook_url_must_address_each_rm_on_its_own() -> None:
    with pytest.raises(ValueError, match=r"must hold \{rm_ref\}"):
        WebhookChannel("https://hooks.example/team-channel")
    with pytest.raises(ValueError, match="http or https"):
        WebhookChannel("file:///tmp/{rm_ref}")


def test_a_brief_rendered_without_a_card_is_skipped(engine: Engine, hooks: HookSite) -> None:
    one = brief("RM001")
    bare = rendered(one).__class__(**{**rendered(one).__dict__, "card": {}})
    (result,) = deliver(engine, [bare], [one], [WebhookChannel(hooks.url("/hook/{rm_ref}"))], run_id="r1")
    assert result.outcome == Outcome.SKIPPED and hooks.posts == []
