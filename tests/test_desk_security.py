"""The desk's rights, sessions, forms and output, through FastAPI's TestClient against a real
SQLite warehouse built by the real pipeline (``tests.desk_bank``).

RM A cannot read or write RM B's book by URL, form or API; every POST without the session's
CSRF token is refused and changes nothing; hostile text from feeds and notes is inert on
every page; sign-in is rate limited; the audit log holds every view and decision.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from mi.desk.accounts import create_account
from mi.desk.app import create_app
from mi.settings import Settings
from mi.warehouse.desk import BriefFeedback, DeskAudit, DeskSignIn
from mi.warehouse.engine import create_warehouse_engine, migrate
from mi.warehouse.outbox import BriefDelivery
from mi.warehouse.products import FieldNote
from mi.warehouse.signals import DemandSignal
from tests.desk_bank import CLOCK, ONLY, PASSWORD, SCRIPT, build_desk_bank, ticking

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Settings]]:
    folder = tmp_path_factory.mktemp("desk")
    engine = create_warehouse_engine(f"sqlite:///{folder / 'warehouse.sqlite'}")
    migrate(engine)
    settings = build_desk_bank(engine, folder)
    yield engine, settings
    engine.dispose()


def client(bank: tuple[Engine, Settings]) -> TestClient:
    engine, settings = bank
    return TestClient(create_app(engine, settings, clock=ticking()), follow_redirects=False)


def signed_in(bank: tuple[Engine, Settings], username: str) -> tuple[TestClient, str]:
    """A client signed in as ``username``, and its session's CSRF token."""
    browser = client(bank)
    form = browser.get("/sign-in")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = browser.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf": token})
    assert answer.status_code == 303, answer.text
    home = browser.get(answer.headers["location"])
    assert home.status_code == 200, home.text
    return browser, CSRF.search(home.text).group(1)  # type: ignore[union-attr]


def count(engine: Engine, model: type, *where: object) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_sign_in_sets_an_httponly_samesite_cookie_and_every_page_carries_a_strict_policy(bank) -> None:
    browser = client(bank)
    form = browser.get("/sign-in")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = browser.post("/sign-in", data={"username": "rm1", "password": PASSWORD, "csrf": token})
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and "mi_desk_session" in v)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    for path in ("/today", "/customers", "/customers/C1", "/archive", "/alerts", "/sign-in", "/nowhere"):
        page = browser.get(path)
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy and "'unsafe-inline'" not in policy
        assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
        assert "<script" not in page.text.lower().replace(html.escape(SCRIPT).lower(), "")


def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_name_for_a_while(bank) -> None:
    engine, _ = bank
    create_account(engine, "locked", PASSWORD, role="staff")
    browser = client(bank)
    token = CSRF.search(browser.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    codes = [browser.post("/sign-in", data={"username": "locked", "password": "guess-" + str(n), "csrf": token})
             .status_code for n in range(6)]
    assert codes == [401] * 5 + [429]
    # Locked: even the right password is not checked until the window has passed.
    assert browser.post("/sign-in", data={"username": "Locked", "password": PASSWORD, "csrf": token}).status_code == 429
    assert count(engine, DeskSignIn, DeskSignIn.username == "locked", DeskSignIn.ok.is_(False)) == 5
    # Another name from the same address still signs in (its own count is clean).
    assert browser.post("/sign-in", data={"username": "admin", "password": PASSWORD, "csrf": token}).status_code == 303


def test_sign_in_without_its_form_token_is_refused(bank) -> None:
    browser = client(bank)
    browser.get("/sign-in")
    answer = browser.post("/sign-in", data={"username": "rm1", "password": PASSWORD})
    assert answer.status_code == 403 and "mi_desk_session" not in answer.headers.get("set-cookie", "")


@pytest.mark.parametrize("me,other", [("rm1", "RM2"), ("rm2", "RM1")])
def test_an_rm_reaches_nothing_of_another_rms_book_by_url_form_or_api(bank, me: str, other: str) -> None:
    engine, _ = bank
    browser, csrf = signed_in(bank, me)
    notes_before = count(engine, FieldNote)
    with engine.connect() as conn:
        their_briefs = conn.execute(select(BriefDelivery.id).where(BriefDelivery.rm_ref == other)).scalars().all()
    assert their_briefs  # the other RM did get a brief: its id exists
    for ref, name in {**ONLY[other], "C999": "no such customer"}.items():
        for path in (f"/customers/{ref}", f"/api/customers/{ref}"):
            answer = browser.get(path)
            assert answer.status_code == 404 and name not in answer.text, path
        posted = browser.post(f"/customers/{ref}/notes", data={"csrf": csrf, "text": "hedging interest", "need": "fx"})
        assert posted.status_code == 404 and name not in posted.text
    for delivery_id in their_briefs:
        answer = browser.get(f"/archive/{delivery_id}")
        assert answer.status_code == 404 and other not in answer.text
    listing = browser.get("/api/customers").json()
    assert not {row["ref"] for row in listing} & set(ONLY[other])
    for path in ("/customers", "/today", "/archive", "/alerts"):
        text = browser.get(path).text
        assert not any(name in text for name in ONLY[other].values()), path
    # Feedback on the other RM's items: composed for them, refused for me.
    from mi.desk.today import todays_brief
    from mi.briefs.relevance import item_key
    theirs = todays_brief(engine, other, period=CLOCK.date(), now=CLOCK)
    for item in theirs.items:
        if item.customer_ref in ONLY[other]:
            answer = browser.post("/today/feedback", data={"csrf": csrf, "item": item_key(item),
                                                           "customer": item.customer_ref, "verdict": "useful"})
            assert answer.status_code == 404
    assert count(engine, FieldNote) == notes_before
    assert count(engine, BriefFeedback, BriefFeedback.customer_ref.in_(list(ONLY[other]))) == 0
    refused = count(engine, DeskAudit, DeskAudit.username == me, DeskAudit.action.like("%refused"))
    assert refused >= 2 * len(ONLY[other])


def test_each_role_reaches_only_its_own_pages(bank) -> None:
    anonymous = client(bank)
    for path in ("/today", "/customers/C1", "/signals", "/staff", "/admin/audit", "/api/customers"):
        answer = anonymous.get(path)
        assert answer.status_code == 303 and answer.headers["location"].endswith("/sign-in"), path
    expected = {
        "rm1": {"/today": 200, "/customers/C1": 200, "/signals": 403, "/follow-up": 403, "/staff": 403,
                "/admin/audit": 403},
        "product": {"/today": 403, "/customers/C1": 403, "/api/customers": 403, "/signals": 200, "/follow-up": 200,
                    "/staff": 403},
        "staff": {"/today": 403, "/customers/C1": 403, "/signals": 403, "/staff": 200, "/staff/inspect": 200,
                  "/admin/audit": 403},
        "admin": {"/today": 403, "/customers/C1": 403, "/signals": 200, "/staff": 200, "/admin/audit": 200},
    }
    for username, paths in expected.items():
        browser, _ = signed_in(bank, username)
        for path, status in paths.items():
            assert browser.get(path).status_code == status, (username, path)


def test_every_form_without_the_sessions_csrf_token_is_refused_and_changes_nothing(bank) -> None:
    engine, _ = bank
    rm, rm_csrf = signed_in(bank, "rm1")
    product, product_csrf = signed_in(bank, "product")
    staff, _ = signed_in(bank, "staff")
    with engine.connect() as conn:
        status = dict(conn.execute(select(DemandSignal.signal_key, DemandSignal.status)).all())
    key = next(iter(status))
    before = (count(engine, FieldNote), count(engine, BriefFeedback))
    posts = [
        (rm, "/customers/C1/notes", {"text": "wants a loan"}),
        (rm, "/today/feedback", {"item": "document:1", "customer": "C1", "verdict": "useful"}),
        (product, f"/signals/{key}/decide", {"decision": "accept", "reason": "fits", "owner": "x"}),
        (staff, "/staff/inspect", {"kind": "feed", "url": "https://example.org/feed"}),
        (rm, "/sign-out", {}),
    ]
    for browser, path, data in posts:
        for token in (None, "forged", product_csrf if browser is rm else rm_csrf):
            answer = browser.post(path, data={**data, **({"csrf": token} if token else {})})
            assert answer.status_code == 403, (path, token)
    assert (count(engine, FieldNote), count(engine, BriefFeedback)) == before
    with engine.connect() as conn:
        assert dict(conn.execute(select(DemandSignal.signal_key, DemandSignal.status)).all()) == status
    assert rm.get("/today").status_code == 200  # the forged sign-out did not end the session


def test_hostile_text_from_feeds_and_notes_is_inert_on_every_page(bank) -> None:
    engine, _ = bank
    pages = {"rm1": ["/today", "/customers", "/customers/C1", "/api/customers/C1", "/archive", "/alerts"],
             "product": ["/signals", "/follow-up"], "staff": ["/staff"], "admin": ["/admin/audit"]}
    with engine.connect() as conn:
        keys = conn.execute(select(DemandSignal.signal_key)).scalars().all()
        mine = conn.execute(select(BriefDelivery.id).where(BriefDelivery.rm_ref == "RM1")).scalars().all()
    pages["product"] += [f"/signals/{key}" for key in keys]
    pages["rm1"] += [f"/archive/{i}" for i in mine]
    seen_hostile = 0
    for username, paths in pages.items():
        browser, _ = signed_in(bank, username)
        for path in paths:
            answer = browser.get(path)
            text = answer.text
            seen_hostile += "alert(" in text
            if path.startswith("/api/"):  # data, never a document: a browser will not sniff it into HTML
                assert answer.headers["content-type"] == "application/json"
                assert answer.headers["x-content-type-options"] == "nosniff"
                answer.json()
                continue
            assert "<script" not in text.lower() and "<img" not in text.lower(), path
            assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", text, re.I), path  # no event handler attribute
            assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", text, re.I), path
    assert seen_hostile >= 2  # the hostile story and note are shown, as text


def test_the_audit_log_holds_every_customer_view_brief_view_and_decision(bank) -> None:
    engine, _ = bank
    browser, _ = signed_in(bank, "rm2")
    product, csrf = signed_in(bank, "product")
    with engine.connect() as conn:
        last = conn.execute(select(func.max(DeskAudit.id))).scalar() or 0
    for path in ("/customers/C3", "/customers/C1", "/api/customers/C3", "/today", "/customers/C2"):
        browser.get(path)
    with engine.connect() as conn:
        key = conn.execute(select(DemandSignal.signal_key)).scalars().first()
    assert product.post(f"/signals/{key}/decide", data={"csrf": csrf, "decision": "reserve", "reason": "budget",
                                                        "owner": "Ann", "review_days": "30"}).status_code == 303
    with engine.connect() as conn:
        rows = conn.execute(select(DeskAudit.username, DeskAudit.action, DeskAudit.target)
                            .where(DeskAudit.id > last).order_by(DeskAudit.id)).all()
    actions = [(r.username, r.action, r.target) for r in rows]
    assert actions.count(("rm2", "view_customer", "C3")) == 2 and ("rm2", "view_customer", "C1") in actions
    assert ("rm2", "view_customer_refused", "C2") in actions
    assert any(a[:2] == ("rm2", "view_brief") for a in actions)
    assert ("product", "decide_signal", key) in actions


def test_signing_out_ends_the_session_for_good(bank) -> None:
    browser, csrf = signed_in(bank, "rm1")
    cookie = browser.cookies.get("mi_desk_session")
    assert browser.post("/sign-out", data={"csrf": csrf}).status_code == 303
    replay = client(bank)
    replay.cookies.set("mi_desk_session", cookie)
    assert replay.get("/today").status_code == 303


def test_a_post_without_a_length_or_too_large_is_refused_before_it_is_read(bank) -> None:
    browser, csrf = signed_in(bank, "rm1")
    big = browser.post("/customers/C1/notes", data={"csrf": csrf, "text": "x" * 70_000})
    assert big.status_code == 413
    assert browser.request("PUT", "/today").status_code == 405


def test_staff_inspect_reads_an_uploaded_feed_and_never_a_server_path(bank) -> None:
    staff, csrf = signed_in(bank, "staff")
    feed = Path(__file__).parent.parent / "snapshot" / "feeds" / "guardian.rss"
    answer = staff.post("/staff/inspect", data={"csrf": csrf, "kind": "feed"},
                        files={"file": ("guardian.rss", feed.read_bytes(), "application/rss+xml")})
    assert answer.status_code == 200 and "&#34;items&#34;" in answer.text and "Read" in answer.text
    refused = staff.post("/staff/inspect", data={"csrf": csrf, "kind": "feed", "url": "/etc/passwd"})
    assert refused.status_code == 400 and "root:" not in refused.text


def test_an_rm_reads_their_own_archived_brief_as_it_was_emailed(bank) -> None:
    """The outbox keeps an email's exact bytes and not its HTML a second time: the archive
    shows the HTML part of the message that was sent, in its sandbox."""
    import email
    import email.policy

    engine, _ = bank
    browser, _ = signed_in(bank, "rm1")
    with engine.connect() as conn:
        row = conn.execute(select(BriefDelivery).where(BriefDelivery.rm_ref == "RM1",
                                                       BriefDelivery.message.is_not(None))).first()
    assert row is not None and row.html == "" and row.text == ""  # not stored twice
    sent = email.message_from_bytes(row.message, policy=email.policy.default).get_body(("html",)).get_content()
    answer = browser.get(f"/archive/{row.id}")
    assert answer.status_code == 200 and answer.text == sent and "<table" in sent
    assert "sandbox" in answer.headers["content-security-policy"]
