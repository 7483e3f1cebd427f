"""Logging in and out of the staff UI (the login form is guarded by a double-submit CSRF cookie; wrong passwords
are throttled per user name)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from bodata.core.context import Context, DbSession
from bodata.core.credentials import throttled_check
from bodata.core.throttle import LockedOut
from bodata.core.web import pages
from bodata.portal.staff import accounts
from bodata.portal.staff.web import PREFIX, SESSION_COOKIE, PageRoute, PostStaff, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
WRONG = "Fel användarnamn eller lösenord."
LOCKED = "För många felaktiga lösenord i rad: försök igen om en stund."


def _login_page(request: Request, *, error: str | None = None, username: str = "", status: int = 200) -> HTMLResponse:
    token = pages.login_csrf_token(request)
    response = render(
        request, "login.html", login=None, status=status, error=error, login_csrf=token, username=username
    )
    response.set_cookie(pages.LOGIN_CSRF_COOKIE, token, **pages.cookie_flags(request, PREFIX))
    return response


@router.get("/personal")
@router.get("/personal/")
def home(request: Request, session: DbSession, context: Context) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    logged_in = token and accounts.load_session(session, token=token, now=context.clock.now())
    return pages.redirect(request, f"{PREFIX}/hyresavisering" if logged_in else f"{PREFIX}/logga-in")


@router.get("/personal/logga-in")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/personal/logga-in")
def login_submit(
    request: Request,
    session: DbSession,
    context: Context,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    pages.check_login_csrf(request, csrf_token)
    name = username.strip()
    try:  # its own read transaction: no write lock while Argon2 works
        user_id = throttled_check(
            context,
            realm="portal-staff-web",
            name=name,
            check=lambda read: accounts.authenticate(read, username=name, password=password),
        )
    except LockedOut:
        return _login_page(request, error=LOCKED, username=name, status=429)
    if user_id is None:
        return _login_page(request, error=WRONG, username=name, status=401)
    token = accounts.open_session(session, user_id=user_id, now=context.clock.now())
    return pages.start_session(
        request,
        pages.redirect(request, f"{PREFIX}/hyresavisering"),
        cookie=SESSION_COOKIE,
        token=token,
        ttl=accounts.SESSION_TTL,
        path=PREFIX,
    )


@router.post("/personal/logga-ut")
def logout(request: Request, session: DbSession, login: PostStaff) -> Response:
    accounts.end_session(session, token=request.cookies[SESSION_COOKIE])
    response = pages.redirect(request, f"{PREFIX}/logga-in")
    response.delete_cookie(SESSION_COOKIE, **pages.cookie_flags(request, PREFIX))
    return response
