"""Market-information staff's pages (and the admin's audit log)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from mi.desk import audit
from mi.desk.sessions import Session
from mi.desk.staff import INSPECT_KINDS, channels, inspect_target, latest_runs
from mi.desk.web import checked_form, client_of, field, page, signed_in, state

router = APIRouter()
staff_session = signed_in("staff")
admin_session = signed_in("admin")


@router.get("/staff", response_class=HTMLResponse)
def health(request: Request, session: Session = Depends(staff_session)) -> Response:
    desk = state(request)
    return page(request, session, "staff.html", channels=channels(desk.engine),
                runs=latest_runs(desk.engine, desk.settings.desk.prefect_ui_url),
                prefect_ui=desk.settings.desk.prefect_ui_url)


@router.get("/staff/inspect", response_class=HTMLResponse)
def inspect_form(request: Request, session: Session = Depends(staff_session)) -> Response:
    return page(request, session, "inspect.html", kinds=INSPECT_KINDS, result=None, ok=None)


@router.post("/staff/inspect", response_class=HTMLResponse)
async def inspect(request: Request, session: Session = Depends(staff_session)) -> Response:
    desk = state(request)
    form = await checked_form(request, session, files=1)
    kind, url = field(form, "kind", 10), field(form, "url", 2000)
    upload = form.get("file")
    body, name = None, "upload"
    if isinstance(upload, UploadFile) and upload.filename:
        body = await upload.read(desk.settings.desk.max_upload_bytes + 1)
        name = upload.filename
        if len(body) > desk.settings.desk.max_upload_bytes:
            return page(request, session, "inspect.html", 413, kinds=INSPECT_KINDS, result=None, ok=None,
                        error=f"the file is larger than {desk.settings.desk.max_upload_bytes:,} bytes")
    try:
        result, ok = inspect_target(kind, url=url or None, upload=body, filename=name)
    except ValueError as exc:
        return page(request, session, "inspect.html", 400, kinds=INSPECT_KINDS, result=None, ok=None, error=str(exc))
    with desk.engine.begin() as conn:
        audit.record(conn, session.account, "inspect", target=(url or name)[:200], client=client_of(request),
                     at=desk.now(), kind=kind, ok=ok)
    return page(request, session, "inspect.html", kinds=INSPECT_KINDS, result=result, ok=ok)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_log(request: Request, session: Session = Depends(admin_session)) -> Response:
    return page(request, session, "audit.html", rows=audit.latest(state(request).engine))
