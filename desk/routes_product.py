"""The product department's pages: the signals board, one signal with its evidence, score
reasons and history, the decision form (``mi.signals.lifecycle.decide``, as ``mi signals
decide``), and the follow-up charts. Every decision, taken or refused, is audited."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from mi.desk import audit
from mi.desk.product import BOARD_DECISIONS, DecisionError, board, charts, evidence_href, signal_page
from mi.desk.sessions import Session
from mi.desk.web import checked_form, client_of, field, page, see_other, signed_in, state
from mi.signals.lifecycle import decide

router = APIRouter()
product_session = signed_in("product")
STATUSES = ("new", "sent", "acknowledged", "accepted", "rejected", "reserved", "launched")


@router.get("/signals", response_class=HTMLResponse)
def signals_board(request: Request, session: Session = Depends(product_session)) -> Response:
    status = request.query_params.get("status")
    status = status if status in STATUSES else None
    return page(request, session, "signals.html", items=board(state(request).engine, status), status=status,
                statuses=STATUSES)


@router.get("/signals/{key}", response_class=HTMLResponse)
def signal(request: Request, key: str, session: Session = Depends(product_session)) -> Response:
    try:
        item, history = signal_page(state(request).engine, key[:120])
    except DecisionError:
        return page(request, session, "error.html", 404, error="No such signal.")
    return page(request, session, "signal.html", item=item, history=history, decisions=BOARD_DECISIONS,
                href=evidence_href, decided=request.query_params.get("decided"))


@router.post("/signals/{key}/decide")
async def decide_signal(request: Request, key: str, session: Session = Depends(product_session)) -> Response:
    desk = state(request)
    form = await checked_form(request, session)
    try:
        decision, reason = field(form, "decision", 20), field(form, "reason", 1000)
        owner = field(form, "owner", 200) or session.account.display_name
        review_days = int(field(form, "review_days", 5) or 90)
        if decision not in BOARD_DECISIONS:
            raise DecisionError(f"decide one of {', '.join(BOARD_DECISIONS)}")
        done = decide(desk.engine, key[:120], decision, owner=owner, reason=reason, review_days=review_days,
                      at=desk.now())
    except (DecisionError, ValueError) as exc:
        with desk.engine.begin() as conn:
            audit.record(conn, session.account, "decide_signal_refused", target=key[:120], client=client_of(request),
                         at=desk.now(), error=str(exc)[:300])
        try:
            item, history = signal_page(desk.engine, key[:120])
        except DecisionError:
            return page(request, session, "error.html", 404, error="No such signal.")
        return page(request, session, "signal.html", 400, item=item, history=history, decisions=BOARD_DECISIONS,
                    href=evidence_href, decided=None, error=str(exc))
    with desk.engine.begin() as conn:
        audit.record(conn, session.account, "decide_signal", target=done.signal_key, client=client_of(request),
                     at=desk.now(), decision=decision, owner=owner, reason=reason, event=done.event_id,
                     from_status=done.from_status, to_status=done.to_status)
    return see_other(request, f"/signals/{done.signal_key}?decided={done.to_status}")


@router.get("/follow-up", response_class=HTMLResponse)
def follow_up(request: Request, session: Session = Depends(product_session)) -> Response:
    desk = state(request)
    return page(request, session, "follow_up.html", charts=charts(desk.engine, desk.today()), as_of=desk.today())
