"""The desk: a FastAPI app of server-rendered pages over the warehouse.

``create_app(engine, settings)`` builds it; ``mi desk`` serves it with uvicorn. Every answer
carries a strict Content-Security-Policy and the usual hardening headers and is not cached;
a POST without a Content-Length, or larger than the settings allow, is refused before it is
read. Errors answer with a page that says what happened and nothing about whose data exists:
another RM's customer and no customer at all are the same "not found".
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from mi.desk import routes_auth, routes_product, routes_rm, routes_staff
from mi.desk.pages import STATIC
from mi.desk.scope import NotInBook
from mi.desk.web import CSP, HEADERS, DeskState, Forbidden, FormRefused, NotSignedIn, current_session, page, see_other
from mi.settings import Settings
from mi.warehouse.base import utcnow

UPLOAD_PATHS = ("/staff/inspect",)


def create_app(engine: Engine, settings: Settings, *, clock: Callable[[], dt.datetime] = utcnow) -> FastAPI:
    app = FastAPI(title="mi desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.desk = DeskState(engine, settings, clock)
    for module in (routes_auth, routes_rm, routes_product, routes_staff):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.method not in ("GET", "HEAD", "POST"):
            response: Response = PlainTextResponse("method not allowed", status_code=405)
        elif request.method == "POST" and (refused := _refused_body(request, settings)) is not None:
            response = refused
        else:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if request.method == "GET":
            return see_other(request, "/sign-in")
        return page(request, None, "error.html", 401, error="Sign in first.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return page(request, current_session(request), "error.html", 403, error="Your role does not reach this page.")

    @app.exception_handler(FormRefused)
    async def form_refused(request: Request, exc: FormRefused) -> Response:
        return page(request, current_session(request), "error.html", 403,
                    error="This form has expired or did not come from the desk: open the page again.")

    @app.exception_handler(NotInBook)
    async def not_in_book(request: Request, exc: NotInBook) -> Response:
        return _not_found(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _not_found(request)
        return HTMLResponse(f"<!DOCTYPE html><title>{exc.status_code}</title><p>{exc.status_code}</p>",
                            status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _not_found(request)

    return app


def _not_found(request: Request) -> Response:
    return page(request, current_session(request), "error.html", 404, error="Not found.")


def _refused_body(request: Request, settings: Settings) -> Response | None:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        return PlainTextResponse("a form needs a Content-Length", status_code=411)
    upload = request.url.path in UPLOAD_PATHS
    limit = settings.desk.max_upload_bytes + 10_000 if upload else settings.desk.max_form_bytes
    if int(length) > limit:
        return PlainTextResponse(f"the form is larger than {limit:,} bytes", status_code=413)
    return None
