"""What the desk's pages do, through FastAPI's TestClient on a real SQLite warehouse: today's
brief is the email's composition; feedback is stored and weighs the next brief; a note lands
as the intake's do; a decision on the board reaches the RMs' next brief; the follow-up
charts are drawn to scale; sample accounts are the same everywhere."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mi.briefs.compose import compose_briefs
from mi.briefs.relevance import Verdict, apply_feedback, item_key
from mi.desk.accounts import create_account, sample_accounts
from mi.desk.app import create_app
from mi.desk.today import todays_brief
from mi.records.briefs import BriefItem
from mi.settings import Settings
from mi.warehouse.book import RelationshipManager
from mi.warehouse.desk import BriefFeedback, DeskAccount
from mi.warehouse.engine import create_warehouse_engine, migrate
from mi.warehouse.outbox import BriefDelivery, BriefDeliveryItem
from mi.warehouse.products import FieldNote
from mi.warehouse.signals import DemandSignal
from tests.desk_bank import ACCOUNTS, CLOCK, DAY, PASSWORD, build_desk_bank, ticking

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Settings]]:
    folder = tmp_path_factory.mktemp("desk-pages")
    engine = create_warehouse_engine(f"sqlite:///{folder / 'warehouse.sqlite'}")
    migrate(engine)
    yield engine, build_desk_bank(engine, folder)
    engine.dispose()


def signed_in(bank: tuple[Engine, Settings], username: str) -> tuple[TestClient, str]:
    engine, settings = bank
    browser = TestClient(create_app(engine, settings, clock=ticking()), follow_redirects=False)
    token = CSRF.search(browser.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    answer = browser.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf": token})
    home = browser.get(answer.headers["location"])
    return browser, CSRF.search(home.text).group(1)  # type: ignore[union-attr]


def test_todays_brief_on_the_desk_is_the_emailed_composition(bank) -> None:
    engine, _ = bank
    with engine.connect() as conn:
        delivery = conn.execute(select(BriefDelivery).where(BriefDelivery.rm_ref == "RM1")).first()
        emailed = set(conn.execute(select(BriefDeliveryItem.source)
                                   .where(BriefDeliveryItem.delivery_id == delivery.id)).scalars())
    brief = todays_brief(engine, "RM1", period=DAY, now=CLOCK)
    shown = {source for item in brief.items for source in item.sources}
    assert emailed and emailed <= shown
    browser, _ = signed_in(bank, "rm1")
    page = browser.get("/today").text
    assert "Chevron to buy shale producer" in page and "Why you see this:" in page
    assert 'id="section-customers"' in page


def test_feedback_is_stored_and_weighs_the_rms_next_brief(bank) -> None:
    engine, _ = bank
    browser, csrf = signed_in(bank, "rm1")
    before = todays_brief(engine, "RM1", period=DAY, now=CLOCK)
    target = next(i for i in before.section("customers") if "Chevron" in i.title)
    answer = browser.post("/today/feedback", data={"csrf": csrf, "item": item_key(target), "customer": "C1",
                                                   "verdict": "not_relevant"})
    assert answer.status_code == 303
    with engine.connect() as conn:
        rows = conn.execute(select(BriefFeedback)).all()
    assert [(r.item_key, r.customer_ref, r.verdict, r.section) for r in rows] == [
        (item_key(target), "C1", "not_relevant", "customers")]
    after = todays_brief(engine, "RM1", period=DAY, now=CLOCK)
    assert item_key(target) not in {item_key(i) for i in after.items}  # dismissed for this RM
    again = {item_key(i): i.score for i in after.section("customers") if i.customer_ref == "C1"}
    for key, score in again.items():  # the RM's other Chevron news weighs less now
        old = next(i.score for i in before.items if item_key(i) == key)
        assert score == pytest.approx(old * 0.75)
    # RM2 covers Chevron too, and still sees the story: feedback is the RM's own.
    rm2 = todays_brief(engine, "RM2", period=DAY, now=CLOCK)
    assert item_key(target) in {item_key(i) for i in rm2.items}
    assert "Thank you" in browser.get("/today?said=not_relevant").text


def test_verdicts_scale_scores_and_dismiss_only_the_judged_item() -> None:
    def news(doc: int, customer: str = "C1", score: float = 2.0) -> BriefItem:
        return BriefItem(section="customers", title=f"story {doc}", summary="", reason="", score=score,
                         customer_ref=customer, sources=(f"document:{doc}",))
    items = [news(1), news(2), news(3, "C2"), dataclasses.replace(news(4), section="markets")]
    verdicts = [Verdict("document:1", "customers", "C1", "wrong_customer"),
                Verdict("document:9", "customers", "C2", "useful"), Verdict("document:8", "customers", "C2", "useful")]
    kept = {item.title: item.score for item in apply_feedback(items, verdicts)}
    assert kept == {"story 2": 1.5, "story 3": 3.0, "story 4": 2.0}
    assert apply_feedback(items, []) == items


def test_a_note_from_the_desk_lands_as_the_intakes_do_and_stays_the_rms_own(bank) -> None:
    engine, _ = bank
    browser, csrf = signed_in(bank, "rm1")
    text = "Treasurer asks for supplier finance for 30 suppliers; wants a proposal by Friday"
    answer = browser.post("/customers/C1/notes", data={"csrf": csrf, "text": text, "need": "supplier finance",
                                                       "category": "corporate_loan", "confidential": "yes"})
    assert answer.status_code == 303 and answer.headers["location"].endswith("/customers/C1?saved=1")
    with engine.connect() as conn:
        note = conn.execute(select(FieldNote).where(FieldNote.text == text)).one()
        rm1 = conn.execute(select(RelationshipManager.id).where(RelationshipManager.rm_ref == "RM1")).scalar_one()
    assert note.source == "desk" and note.confidential and note.rm_id == rm1 and note.noted_on == DAY
    assert note.tags == ["corporate_loan", "supplier finance"] and note.extra["need"] == "supplier finance"
    assert text in browser.get("/customers/C1").text
    # The same note again is recorded once (the intake's identity rule).
    browser.post("/customers/C1/notes", data={"csrf": csrf, "text": text, "category": "corporate_loan"})
    with engine.connect() as conn:
        assert len(conn.execute(select(FieldNote.id).where(FieldNote.text == text)).all()) == 1
    other, _ = signed_in(bank, "rm2")  # covers Chevron too, but reads only their own notes
    page = other.get("/customers/C1").text
    assert text not in page and "Nightingale" not in page and "Chevron Corporation" in page


def test_a_decision_on_the_board_reaches_the_next_brief_of_the_rms_whose_notes_fed_it(bank) -> None:
    engine, _ = bank
    product, csrf = signed_in(bank, "product")
    board = product.get("/signals").text
    with engine.connect() as conn:
        signal = conn.execute(select(DemandSignal).where(DemandSignal.rms >= 2)).first()
    assert signal is not None and signal.title in board
    refused = product.post(f"/signals/{signal.signal_key}/decide", data={"csrf": csrf, "decision": "accept"})
    assert refused.status_code == 400 and "needs a reason" in refused.text
    answer = product.post(f"/signals/{signal.signal_key}/decide",
                          data={"csrf": csrf, "decision": "accept", "reason": "fits the 2027 FX plan", "owner": ""})
    assert answer.status_code == 303
    shown = product.get(answer.headers["location"]).text
    assert "Decision recorded: accepted" in shown and "fits the 2027 FX plan" in shown and "Product" in shown
    for username in ("rm1", "rm2"):
        rm, _ = signed_in(bank, username)
        page = rm.get("/today").text
        assert "Product department accepted" in page and "fits the 2027 FX plan" in page, username
    # The morning run's composition carries it once (mi.signals.feedback), as for the email.
    later = dt.datetime(2026, 11, 28, 6, tzinfo=dt.timezone.utc)
    (brief,) = compose_briefs(engine, period=later.date(), until=later, rm_refs=["RM1"])
    assert any(i.section == "decisions" and "fits the 2027 FX plan" in i.summary for i in brief.items)


def test_follow_up_charts_are_drawn_to_scale_on_the_server(bank) -> None:
    product, _ = signed_in(bank, "product")
    page = product.get("/follow-up").text
    section = page[page.index('id="product-P3"'):]
    heights = [int(h) for h in re.findall(r'class="bar w4 h(\d+) actual"', section)]
    assert len(heights) == 11 and heights == sorted(heights) and max(heights) <= 48
    # The tallest bar is the latest target (40 a year, ramped: 40 x 11/12 in the 11th month); 22 customers.
    assert heights[-1] == round(48 * 22 / (40 * 11 / 12))
    targets = [int(h) for h in re.findall(r'class="bar w4 h(\d+) target"', section)]
    assert targets[-1] == 48 and targets[0] == round(48 * (40 / 12) / (40 * 11 / 12))
    assert "style=" not in page


def test_staff_see_channel_health_and_runs_linked_to_the_prefect_ui(bank) -> None:
    staff, _ = signed_in(bank, "staff")
    page = staff.get("/staff").text
    assert "wire-a" in page and "wire-h" in page
    assert 'href="http://127.0.0.1:4200/runs/flow-run/0f0e0d0c-0b0a-4909-8807-060504030201"' in page


def test_sample_accounts_are_the_same_on_every_machine_and_sign_in(bank) -> None:
    engine, settings = bank
    first = sample_accounts(engine)
    with engine.connect() as conn:
        hashes = dict(conn.execute(select(DeskAccount.username, DeskAccount.password_hash)).all())
    assert sample_accounts(engine) == first
    assert ("rm1", "rm1-sample", "rm", "RM1") in first and ("product", "product-sample", "product", "") in first
    assert hashes["rm1"].startswith("$argon2id$") and "rm1-sample" not in hashes["rm1"]
    browser = TestClient(create_app(engine, settings, clock=ticking()), follow_redirects=False)
    token = CSRF.search(browser.get("/sign-in").text).group(1)  # type: ignore[union-attr]
    answer = browser.post("/sign-in", data={"username": "RM1", "password": "rm1-sample", "csrf": token})
    assert answer.status_code == 303 and answer.headers["location"] == "/today"
    for username in ("rm1", "rm2", "product", "staff", "admin"):  # the module's own passwords back
        role, rm_ref = ACCOUNTS[username]
        create_account(engine, username, PASSWORD, role=role, rm_ref=rm_ref, replace=True)


def test_mi_desk_prints_the_sample_sign_ins_and_refuses_them_outside_the_sample(
        tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from mi.cli import main
    from mi.settings import SNAPSHOT_CHANNELS

    monkeypatch.setenv("MI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MI_DATABASE_URL", raising=False)
    monkeypatch.setenv("MI_CHANNELS", str(SNAPSHOT_CHANNELS))
    assert main(["desk", "--sample-accounts", "--no-serve"]) == 0
    said = capsys.readouterr().out
    assert "http://127.0.0.1:8765/" in said and "product: product / product-sample" in said and "SAMPLE ONLY" in said
    own = tmp_path / "channels.yaml"
    own.write_text("channels: []\n")
    monkeypatch.setenv("MI_CHANNELS", str(own))
    assert main(["desk", "--sample-accounts", "--no-serve"]) == 1
    assert "sample bank only" in capsys.readouterr().out


@pytest.mark.postgres
def test_the_desk_works_the_same_on_postgresql(engine: Engine, tmp_path) -> None:
    """The scoped queries, the feedback upsert, a note and a decision on each backend."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the SQLite run of this is every other test of the module")
    settings = build_desk_bank(engine, tmp_path)
    bank = (engine, settings)
    browser, csrf = signed_in(bank, "rm1")
    assert browser.get("/customers/C3").status_code == 404 and browser.get("/customers/C2").status_code == 200
    item = todays_brief(engine, "RM1", period=DAY, now=CLOCK).section("customers")[0]
    for verdict in ("useful", "wrong_customer"):
        assert browser.post("/today/feedback", data={"csrf": csrf, "item": item_key(item), "verdict": verdict,
                                                     "customer": item.customer_ref or ""}).status_code == 303
    with engine.connect() as conn:
        assert conn.execute(select(BriefFeedback.verdict)).scalars().all() == ["wrong_customer"]
    assert browser.post("/customers/C2/notes", data={"csrf": csrf, "text": "wants FX forwards"}).status_code == 303
    product, product_csrf = signed_in(bank, "product")
    with engine.connect() as conn:
        key = conn.execute(select(DemandSignal.signal_key)).scalars().first()
    assert product.post(f"/signals/{key}/decide", data={"csrf": product_csrf, "decision": "reject",
                                                        "reason": "not now"}).status_code == 303
    assert product.get("/follow-up").status_code == 200
