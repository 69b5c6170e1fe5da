"""What every route shares: the desk's state, who is signed in, the CSRF check, rendering a
page, and the headers every answer carries."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine
from starlette.datastructures import FormData

from mi.briefs.formats import Formats
from mi.desk import pages
from mi.desk.sessions import COOKIE, Session, same_token, session_for
from mi.settings import Settings

#: No script, no inline style, nothing from elsewhere; forms post only to the desk itself.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
#: A brief as it was emailed (inline styles, no scripts) shown as its own sandboxed document.
EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'; " \
            "base-uri 'none'; form-action 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@dataclass
class DeskState:
    engine: Engine
    settings: Settings
    clock: Callable[[], dt.datetime]

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """The bank's day (its time zone): the period of today's brief."""
        return self.now().astimezone(ZoneInfo(self.settings.briefs.time_zone)).date()


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


class FormRefused(Exception):
    """A form without the session's CSRF token (or with a stale one)."""


def state(request: Request) -> DeskState:
    return request.app.state.desk  # type: ignore[no-any-return]


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def root(request: Request) -> str:
    return str(request.scope.get("root_path") or "").rstrip("/")


def current_session(request: Request) -> Session | None:
    desk = state(request)
    return session_for(desk.engine, request.cookies.get(COOKIE), now=desk.now())


def signed_in(area: str) -> Callable[[Request], Session]:
    """A route dependency: the session of an account whose role reaches ``area``."""
    def dependency(request: Request) -> Session:
        session = current_session(request)
        if session is None:
            raise NotSignedIn()
        if not session.account.may(area):
            raise Forbidden()
        return session
    return dependency


async def checked_form(request: Request, session: Session, *, files: int = 0) -> FormData:
    """The posted form, once its CSRF token is the session's."""
    form = await request.form(max_files=files, max_fields=20)
    if not same_token(_text(form.get("csrf")), session.csrf_token):
        raise FormRefused()
    return form


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def field(form: FormData, name: str, limit: int = 2000) -> str:
    """A text field of a form, trimmed; too long is refused rather than cut."""
    value = _text(form.get(name)) or ""
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value.strip()


def page(request: Request, session: Session | None, template: str, code: int = 200, *,
         language: str = "en", **context: Any) -> HTMLResponse:
    desk = state(request)
    context.setdefault("message", None)
    context.setdefault("error", None)
    context.setdefault("formats", Formats(language, desk.settings.briefs.time_zone))
    html = pages.render(template, {"account": session.account if session else None,
                                   "csrf": session.csrf_token if session else "", "root": root(request),
                                   "bank_name": desk.settings.briefs.bank_name, **context}, language)
    return HTMLResponse(html, status_code=code)


def see_other(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(root(request) + path, status_code=303)
