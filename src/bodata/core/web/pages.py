"""The plumbing of a server-rendered UI: templates, responses, CSRF and refusal pages.

A UI makes its environment with ``environment`` (its own templates first, then core/web/templates with the shared
``layout.html``), renders with ``render`` (security headers on every page), redirects after a POST with
``redirect``, and declares its routes with ``page_route(handle)``: a route class that rolls the request's transaction
back and answers ``handle(request, exc)`` for the exceptions a UI expects (``LoginRequired``, ``CsrfRefused`` and
its own), so a refused request never writes anything. Texts in templates are written with ``{% trans %}`` and
``_()``; until a catalogue is installed they are shown as written.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from bodata.core import i18n
from bodata.core.security import tokens_equal
from bodata.core.timezones import SWEDISH_TIME

HERE = Path(__file__).parent
LOGIN_CSRF_COOKIE = "bodata_login_csrf"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
DB_STATE = "web_db"
"""``request.state`` attribute holding the request's database session, rolled back when a page is refused."""


class LoginRequired(Exception):
    """No valid session: the browser is sent to the login page."""


class CsrfRefused(Exception):
    """A POST without the right CSRF token: refused with 403, nothing written."""


def local_time(value: datetime | None) -> str:
    """An aware moment in Swedish time, ``2026-12-07 08:15``; naive values are shown as they are."""
    if value is None:
        return "–"
    if value.tzinfo is not None:
        value = value.astimezone(SWEDISH_TIME)
    return value.strftime("%Y-%m-%d %H:%M")


def environment(template_dirs: Iterable[Path]) -> Environment:
    """A Jinja2 environment over the UI's templates and the shared ones, autoescaping, with the i18n extension of
    ``core/i18n.py``: each rendering passes its language's callables (``Translator.template_context``)."""
    env = Environment(
        loader=FileSystemLoader([*template_dirs, HERE / "templates"]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    i18n.install(env)
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]  (a rendering brings its language's)
    env.filters["localtime"] = local_time
    return env


shared_static = StaticFiles(directory=HERE / "static")
"""The shared stylesheet and icon: mount at ``<ui>/static``."""


def base_path(request: Request) -> str:
    """Where the app is mounted (``/portal``): links and cookies start here."""
    return request.scope.get("root_path", "").rstrip("/")


def csrf_field(token: str | None) -> Markup:
    """The hidden form field carrying a session's CSRF token."""
    if not token:
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(escape(token))


def render(env: Environment, request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A page: the template with ``base`` (the mount path) and ``context``, with the security headers."""
    body = env.get_template(template).render(request=request, base=base_path(request), **context)
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def redirect(request: Request, path: str, **query: str) -> RedirectResponse:
    """303 See Other to ``path`` under the mount path; ``query`` values should be codes, never free text."""
    suffix = "?" + "&".join(f"{name}={value}" for name, value in query.items()) if query else ""
    return RedirectResponse(base_path(request) + path + suffix, status_code=303)


def cookie_flags(request: Request, path: str = "") -> dict[str, Any]:
    """HttpOnly, SameSite=Lax cookies for ``path`` under the mount path (``/`` at the root), Secure over HTTPS."""
    return {
        "path": base_path(request) + path or "/",
        "httponly": True,
        "samesite": "lax",
        "secure": request.url.scheme == "https",
    }


def login_csrf_token(request: Request, *, cookie: str = LOGIN_CSRF_COOKIE) -> str:
    """The login form's double-submit token: the browser's ``cookie`` when it is well-formed, else a new one."""
    token = request.cookies.get(cookie, "")
    if 20 <= len(token) <= 100 and token.replace("-", "").replace("_", "").isalnum():
        return token
    return secrets.token_urlsafe(32)


def check_login_csrf(request: Request, form_token: str, *, cookie: str = LOGIN_CSRF_COOKIE) -> None:
    """The login form must echo its ``cookie`` (a login CSRF guard)."""
    expected = request.cookies.get(cookie, "")
    if not expected or not form_token or not tokens_equal(expected, form_token):
        raise CsrfRefused()


def start_session(
    request: Request,
    response: Response,
    *,
    cookie: str,
    token: str,
    ttl: timedelta,
    path: str = "",
    login_csrf_cookie: str = LOGIN_CSRF_COOKIE,
) -> Response:
    """After a login: the session ``cookie`` (``token``, for ``ttl``) set and the login form's CSRF cookie gone."""
    flags = cookie_flags(request, path)
    response.set_cookie(cookie, token, max_age=int(ttl.total_seconds()), **flags)
    response.delete_cookie(login_csrf_cookie, **flags)
    return response


def check_csrf(expected: str, given: str) -> None:
    """A form must carry the session's CSRF token."""
    if not given or not tokens_equal(given, expected):
        raise CsrfRefused()


RefusalPage = Callable[[Request, Exception], Response]


def page_route(handle: RefusalPage, expected: tuple[type[Exception], ...]) -> type[APIRoute]:
    """A route class that answers ``handle(request, exc)`` for the ``expected`` exceptions (and LoginRequired and
    CsrfRefused), after rolling back the request's transaction (``request.state.web_db``), in the threadpool."""
    caught = (LoginRequired, CsrfRefused, *expected)

    def refused(request: Request, exc: Exception) -> Response:
        session = getattr(request.state, DB_STATE, None)
        if session is not None:
            session.rollback()
        return handle(request, exc)

    class PageRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def handle_page(request: Request) -> Response:
                try:
                    return await handler(request)
                except caught as exc:
                    return await run_in_threadpool(refused, request, exc)

            return handle_page

    return PageRoute
