"""An RM's pages: today's brief with feedback on each item, the archive, alerts, the book,
a page per customer and a note form; and the same customer data as JSON. Every read goes
through ``mi.desk.scope`` with the signed-in RM's id; every customer view is audited,
refused ones included."""
from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from mi.briefs.formats import Formats
from mi.desk import audit, scope
from mi.desk.sessions import Session
from mi.desk.today import UnknownItem, give_feedback, sections, todays_brief, view_of
from mi.desk.web import EMAIL_CSP, checked_form, client_of, field, page, see_other, signed_in, state
from mi.records.notes import NoteDraft
from mi.warehouse.desk import VERDICTS
from mi.warehouse.note_loading import REJECTED, record_notes
from mi.warehouse.outbox import delivered_html
from mi.warehouse.products import Product

router = APIRouter()
rm_session = signed_in("rm")
NOTE_SOURCE = "desk"
NOTE_LIMIT = 4000


def _refuse(request: Request, session: Session, action: str, target: str) -> scope.NotInBook:
    """Audit a refused reach into another book (in a transaction of its own), and say not found."""
    desk = state(request)
    with desk.engine.begin() as conn:
        audit.record(conn, session.account, action, target=target[:200], client=client_of(request), at=desk.now())
    return scope.NotInBook(target)


def _rm(session: Session) -> tuple[int, str]:
    account = session.account
    if account.rm_id is None or account.rm_ref is None:  # an rm account always names its RM
        raise scope.NotInBook("no RM")
    return account.rm_id, account.rm_ref


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, session: Session = Depends(rm_session)) -> Response:
    desk = state(request)
    rm_id, rm_ref = _rm(session)
    brief = todays_brief(desk.engine, rm_ref, period=desk.today(), now=desk.now())
    view = view_of(brief, desk.settings.briefs.bank_name)
    with desk.engine.begin() as conn:
        audit.record(conn, session.account, "view_brief", target=brief.key, client=client_of(request), at=desk.now(),
                     items=len(brief.items))
    return page(request, session, "today.html", language=brief.language, view=view, brief=brief,
                sections=sections(desk.engine, rm_id, brief, view), verdicts=VERDICTS,
                formats=Formats(brief.language, desk.settings.briefs.time_zone),
                message=request.query_params.get("said") in VERDICTS and "Thank you: your feedback is kept "
                "and weighs your next briefs." or None)


@router.post("/today/feedback")
async def feedback(request: Request, session: Session = Depends(rm_session)) -> Response:
    desk = state(request)
    rm_id, rm_ref = _rm(session)
    form = await checked_form(request, session)
    key, customer, verdict = field(form, "item", 400), field(form, "customer", 50), field(form, "verdict", 20)
    brief = todays_brief(desk.engine, rm_ref, period=desk.today(), now=desk.now())
    try:
        item = give_feedback(desk.engine, rm_id, brief, key=key, customer_ref=customer, verdict=verdict,
                             at=desk.now())
    except (UnknownItem, ValueError):
        with desk.engine.begin() as conn:
            audit.record(conn, session.account, "feedback_refused", target=key, client=client_of(request),
                         at=desk.now(), customer=customer, verdict=verdict[:20])
        return page(request, session, "error.html", 404, error="That item is not in your brief.")
    with desk.engine.begin() as conn:
        audit.record(conn, session.account, "feedback", target=key, client=client_of(request), at=desk.now(),
                     customer=customer or None, verdict=verdict, section=item.section, brief=brief.key)
    return see_other(request, f"/today?said={verdict}")


@router.get("/archive", response_class=HTMLResponse)
def archive(request: Request, session: Session = Depends(rm_session)) -> Response:
    desk = state(request)
    rm_id, _ = _rm(session)
    with desk.engine.connect() as conn:
        rows = scope.deliveries(conn, rm_id, kind="daily")
    return page(request, session, "archive.html", rows=rows, title="Archive of your briefs", kind="daily")


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, session: Session = Depends(rm_session)) -> Response:
    desk = state(request)
    rm_id, _ = _rm(session)
    with desk.engine.connect() as conn:
        rows = scope.deliveries(conn, rm_id, kind="alert")
    return page(request, session, "archive.html", rows=rows, title="Alerts you received", kind="alert")


@router.get("/archive/{delivery_id}")
def archived(request: Request, delivery_id: int, session: Session = Depends(rm_session)) -> Response:
    """A brief as it was emailed: its stored HTML, in a sandbox of its own (no script runs,
    no form posts, nothing is fetched)."""
    desk = state(request)
    rm_id, _ = _rm(session)
    with desk.engine.begin() as conn:
        try:
            row = scope.delivery(conn, rm_id, delivery_id)
        except scope.NotInBook:
            raise _refuse(request, session, "view_archive_refused", str(delivery_id)) from None
        audit.record(conn, session.account, "view_archive", target=row.brief_key, client=client_of(request),
                     at=desk.now())
    return HTMLResponse(delivered_html(row), headers={"Content-Security-Policy": EMAIL_CSP})


@router.get("/customers", response_class=HTMLResponse)
def customers(request: Request, session: Session = Depends(rm_session)) -> Response:
    desk = state(request)
    rm_id, _ = _rm(session)
    with desk.engine.connect() as conn:
        rows = scope.customers(conn, rm_id)
    return page(request, session, "customers.html", rows=rows)


def _customer_data(request: Request, session: Session, ref: str) -> dict[str, Any]:
    desk = state(request)
    rm_id, rm_ref = _rm(session)
    with desk.engine.begin() as conn:
        try:
            found = scope.customer(conn, rm_id, ref[:50])
        except scope.NotInBook:
            raise _refuse(request, session, "view_customer_refused", ref) from None
        audit.record(conn, session.account, "view_customer", target=found.ref, client=client_of(request),
                     at=desk.now())
        data = {"customer": found, "news": scope.news(conn, rm_id, found.ref),
                "holdings": scope.holdings(conn, rm_id, found.ref),
                "offers": scope.competitor_offers(conn, rm_id, found.ref),
                "notes": scope.own_notes(conn, rm_id, found.ref)}
    brief = todays_brief(desk.engine, rm_ref, period=desk.today(), now=desk.now())
    data["moves"] = [item for item in brief.section("markets")
                     if found.ref in (item.detail.get("_customers") or "").split(",")]
    return data


@router.get("/customers/{ref}", response_class=HTMLResponse)
def customer_page(request: Request, ref: str, session: Session = Depends(rm_session)) -> Response:
    desk = state(request)
    data = _customer_data(request, session, ref)
    with desk.engine.connect() as conn:
        categories = sorted(conn.execute(select(Product.category).distinct()).scalars())
    return page(request, session, "customer.html", categories=categories,
                saved=request.query_params.get("saved"), **data)


@router.post("/customers/{ref}/notes")
async def add_note(request: Request, ref: str, session: Session = Depends(rm_session)) -> Response:
    """A field note through the warehouse's one way in for notes (``record_notes``, as the
    intake folder and ``mi note add``): only a customer the RM covers can be noted."""
    desk = state(request)
    rm_id, rm_ref = _rm(session)
    form = await checked_form(request, session)
    try:
        text, need, category = field(form, "text", NOTE_LIMIT), field(form, "need", 200), field(form, "category", 40)
    except ValueError as exc:
        return page(request, session, "error.html", 400, error=str(exc))
    with desk.engine.begin() as conn:
        try:
            found = scope.customer(conn, rm_id, ref[:50])
        except scope.NotInBook:
            raise _refuse(request, session, "add_note_refused", ref) from None
        if not text:
            return page(request, session, "error.html", 400, error="The note is empty.")
        tags = tuple(dict.fromkeys(t.lower() for t in (category, need) if t))
        draft = NoteDraft(rm=rm_ref, customer=found.ref, noted_on=desk.today(), text=text, tags=tags,
                          confidential=form.get("confidential") == "yes", source=NOTE_SOURCE,
                          extra={k: v for k, v in (("need", need), ("category", category)) if v})
        (outcome,) = record_notes(conn, [draft]).outcomes
        if outcome.status == REJECTED:
            return page(request, session, "error.html", 400, error=outcome.reason or "note not recorded")
        audit.record(conn, session.account, "add_note", target=found.ref, client=client_of(request), at=desk.now(),
                     note=outcome.note_ref, confidential=draft.confidential)
    return see_other(request, f"/customers/{found.ref}?saved=1")


@router.get("/api/customers")
def api_customers(request: Request, session: Session = Depends(rm_session)) -> Response:
    desk = state(request)
    rm_id, _ = _rm(session)
    with desk.engine.connect() as conn:
        rows = scope.customers(conn, rm_id)
    return JSONResponse([{"ref": r.ref, "name": r.name, "segment": r.segment, "balance": r.balance} for r in rows])


@router.get("/api/customers/{ref}")
def api_customer(request: Request, ref: str, session: Session = Depends(rm_session)) -> Response:
    data = _customer_data(request, session, ref)
    body = {key: [_plain(row) for row in value] if isinstance(value, list) else _plain(value)
            for key, value in data.items()}
    return JSONResponse(body)


def _plain(row: Any) -> Any:
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(row).items()}
    if isinstance(row, dict):
        return {k: _plain(v) for k, v in row.items()}
    if isinstance(row, (list, tuple)):
        return [_plain(v) for v in row]
    if hasattr(row, "isoformat"):
        return row.isoformat()
    return row
