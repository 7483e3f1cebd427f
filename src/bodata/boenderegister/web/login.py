"""Logging in and out (the login form is protected by a double-submit CSRF cookie), and choosing the language."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import delete

from bodata.boenderegister import service
from bodata.boenderegister.models import WebSession
from bodata.boenderegister.web.rendering import (
    CATALOGUE,
    LOCKED_OUT,
    WRONG_CREDENTIALS,
    WebRoute,
    render,
)
from bodata.boenderegister.web.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_TTL,
    PostLogin,
    load_login,
)
from bodata.core.context import Context, DbSession
from bodata.core.credentials import throttled_check
from bodata.core.i18n import LANGUAGE_COOKIE, N_
from bodata.core.security import issue_token, token_digest
from bodata.core.throttle import LockedOut
from bodata.core.web import pages
from bodata.core.web.pages import redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def _login_page(request: Request, token: str, *, error: str | None = None, username: str = "") -> HTMLResponse:
    response = render(
        request,
        "login.html",
        login=None,
        status=200,
        error=error,
        login_csrf=token,
        username=username,
    )
    flags = pages.cookie_flags(request)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=int(SESSION_TTL.total_seconds()), **flags)
    return response


@router.get("/")
def home(request: Request, session: DbSession, context: Context) -> Response:
    logged_in = load_login(session, request, context.clock.now()) is not None
    return redirect(request, "/addresses" if logged_in else "/login")


@router.get("/login")
def login_form(request: Request, session: DbSession, context: Context) -> Response:
    if load_login(session, request, context.clock.now()) is not None:
        return redirect(request, "/addresses")
    return _login_page(request, pages.login_csrf_token(request, cookie=LOGIN_CSRF_COOKIE))


@router.post("/login")
def login_submit(
    request: Request,
    session: DbSession,
    context: Context,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    pages.check_login_csrf(request, csrf_token, cookie=LOGIN_CSRF_COOKIE)
    name, now = username.strip(), context.clock.now()
    try:  # its own read transaction: no write lock while the password is checked
        user = throttled_check(
            context,
            realm="boenderegister-web",
            name=name,
            check=lambda read: service.authenticate(read, username=name, password=password),
        )
    except LockedOut:
        page = _login_page(request, secrets.token_urlsafe(32), error=LOCKED_OUT, username=name)
        page.status_code = 429
        return page
    if user is None:
        return _login_page(request, secrets.token_urlsafe(32), error=WRONG_CREDENTIALS, username=name)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at <= now))
    token = issue_token("brw_")
    session.add(
        WebSession(
            user_id=user.id, digest=token.digest, csrf_token=secrets.token_urlsafe(32), expires_at=now + SESSION_TTL
        )
    )
    return pages.start_session(
        request,
        redirect(request, "/addresses"),
        cookie=SESSION_COOKIE,
        token=token.value,
        ttl=SESSION_TTL,
        login_csrf_cookie=LOGIN_CSRF_COOKIE,
    )


@router.get("/language/{language}")
def choose_language(language: str, request: Request, next: str = "/") -> Response:
    """Remember the visitor's language in a cookie (it wins over Accept-Language) and go back to the page."""
    if language not in CATALOGUE.languages:
        raise service.NotFound(N_("språket %(language)s finns inte", language=language[:20]))
    back = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
    response = redirect(request, back)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_AGE, **pages.cookie_flags(request))
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, login: PostLogin) -> Response:
    session.execute(delete(WebSession).where(WebSession.digest == token_digest(request.cookies[SESSION_COOKIE])))
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, **pages.cookie_flags(request))
    return response
