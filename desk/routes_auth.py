"""Signing in and out. The sign-in form carries a CSRF token tied to a cookie of its own
(there is no session yet); attempts are rate limited per account name and per address.
Where ``MI_DESK_OIDC_*`` is set, the bank's OpenID Connect provider can vouch instead of a
password (``mi.desk.oidc``); the account named by its claim must exist on the desk."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mi.desk import audit, oidc
from mi.desk.accounts import Account, SignInRefused, account_named, authenticate
from mi.desk.sessions import COOKIE, SIGN_IN_COOKIE, end_session, new_token, open_session, same_token
from mi.desk.web import FormRefused, client_of, current_session, page, root, see_other, state
from mi.warehouse.desk import DeskSignIn

router = APIRouter()
#: What the browser carries from the redirect to the provider back to the callback.
OIDC_COOKIE = "mi_desk_oidc"
HOME = {"rm": "/today", "product": "/signals", "staff": "/staff", "admin": "/signals"}


def _cookie_path(request: Request) -> str:
    return root(request) or "/"


@router.get("/")
def home(request: Request) -> Response:
    session = current_session(request)
    if session is None:
        return see_other(request, "/sign-in")
    return see_other(request, HOME.get(session.account.role, "/sign-in"))


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request) -> Response:
    token = request.cookies.get(SIGN_IN_COOKIE) or new_token()
    response = page(request, None, "sign_in.html", sign_in_token=token, oidc=_oidc_ready(request))
    _set_cookie(request, response, SIGN_IN_COOKIE, token, max_age=3600)
    return response


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    desk = state(request)
    options = desk.settings.desk
    form = await request.form(max_files=0, max_fields=10)
    given = form.get("csrf")
    if not isinstance(given, str) or not same_token(given, request.cookies.get(SIGN_IN_COOKIE)):
        raise FormRefused()
    username = str(form.get("username") or "")[:100]
    password = str(form.get("password") or "")[:1000]
    token = request.cookies.get(SIGN_IN_COOKIE) or ""
    try:
        account = authenticate(desk.engine, username, password, client=client_of(request), now=desk.now(),
                               failures=options.sign_in_failures, client_failures=options.sign_in_client_failures,
                               window=options.sign_in_window)
    except SignInRefused:
        return page(request, None, "sign_in.html", 429, sign_in_token=token, oidc=_oidc_ready(request),
                    error="Too many failed attempts: wait a few minutes before trying again.")
    if account is None:
        return page(request, None, "sign_in.html", 401, sign_in_token=token, oidc=_oidc_ready(request),
                    error="Wrong name or password.")
    return _signed_in(request, account, method="password")


def _signed_in(request: Request, account: Account, *, method: str) -> Response:
    desk = state(request)
    options = desk.settings.desk
    session_token = open_session(desk.engine, account, now=desk.now(), hours=options.session_hours)
    with desk.engine.begin() as conn:
        audit.record(conn, account, "sign_in", client=client_of(request), at=desk.now(), method=method)
    response = RedirectResponse(root(request) + HOME.get(account.role, "/"), status_code=303)
    _set_cookie(request, response, COOKIE, session_token, max_age=int(options.session_hours * 3600))
    response.delete_cookie(SIGN_IN_COOKIE, path=_cookie_path(request))
    response.delete_cookie(OIDC_COOKIE, path=_cookie_path(request))
    return response


def _oidc_ready(request: Request) -> bool:
    options = state(request).settings.desk
    return bool(options.oidc_issuer and options.oidc_client_id and options.oidc_redirect_url)


@router.get("/sign-in/oidc")
def oidc_start(request: Request) -> Response:
    """Off to the bank's identity provider (configured with ``MI_DESK_OIDC_*``)."""
    if not _oidc_ready(request):
        return page(request, None, "error.html", 404, error="Sign-in through the bank's provider is not configured.")
    options = state(request).settings.desk
    try:
        provider = oidc.discover(options.oidc_issuer or "")
    except oidc.OidcError as exc:
        return page(request, None, "error.html", 502, error=str(exc))
    url, pending = oidc.start(provider, client_id=options.oidc_client_id or "",
                              redirect_url=options.oidc_redirect_url or "")
    response = RedirectResponse(url, status_code=303)
    _set_cookie(request, response, OIDC_COOKIE, pending.cookie(), max_age=600)
    return response


@router.get("/sign-in/oidc/callback")
def oidc_callback(request: Request) -> Response:
    desk = state(request)
    options = desk.settings.desk
    pending = oidc.Pending.from_cookie(request.cookies.get(OIDC_COOKIE))
    if not _oidc_ready(request) or pending is None:
        return page(request, None, "error.html", 403, error="This sign-in was not started here: sign in again.")
    code, given_state = request.query_params.get("code", ""), request.query_params.get("state", "")
    try:
        provider = oidc.discover(options.oidc_issuer or "")
        username = oidc.finish(provider, pending, code=code[:2000], state=given_state[:200],
                               client_id=options.oidc_client_id or "",
                               client_secret=desk.settings.resolve(options.oidc_client_secret),
                               redirect_url=options.oidc_redirect_url or "", claim=options.oidc_claim)
    except oidc.OidcError as exc:
        return page(request, None, "error.html", 403, error=f"Not signed in: {exc}.")
    account = account_named(desk.engine, username)
    with desk.engine.begin() as conn:
        conn.execute(DeskSignIn.__table__.insert().values(username=username[:100], client=client_of(request)[:100],
                                                          at=desk.now(), ok=account is not None))
    if account is None:
        return page(request, None, "error.html", 403,
                    error="The bank's provider knows you, but the desk has no account of that name.")
    return _signed_in(request, account, method="oidc")


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    desk = state(request)
    session = current_session(request)
    if session is not None:
        form = await request.form(max_files=0, max_fields=5)
        given = form.get("csrf")
        if not isinstance(given, str) or not same_token(given, session.csrf_token):
            raise FormRefused()
        end_session(desk.engine, request.cookies.get(COOKIE), now=desk.now())
        with desk.engine.begin() as conn:
            audit.record(conn, session.account, "sign_out", client=client_of(request), at=desk.now())
    response = see_other(request, "/sign-in")
    response.delete_cookie(COOKIE, path=_cookie_path(request))
    return response


def _set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int) -> None:
    # Lax rather than Strict: a link to the desk from the emailed brief opens it signed in;
    # nothing changes on a GET, and every POST carries the session's CSRF token.
    response.set_cookie(name, value, max_age=max_age, path=_cookie_path(request), httponly=True, samesite="lax",
                        secure=state(request).settings.desk.secure_cookies)
