"""Rendering the UI: labels and messages, the Jinja2 environment, the layout, redirects and error pages, and the
route class that turns the UI's expected errors into pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from bodata.boenderegister import service
from bodata.boenderegister.web.session import CsrfRefused, Login, LoginRequired

_HERE = Path(__file__).parent
DEFAULT_TIMEZONE = "Europe/Stockholm"
WRONG_CREDENTIALS = "Fel användarnamn eller lösenord. Wrong user name or password."
LOCKED_OUT = (
    "För många felaktiga lösenord i rad: försök igen om en stund. "
    "Too many wrong passwords in a row: try again in a while."
)
SHOWN_NUMBER_LABELS = {
    "lantmateriet": "Lantmäteriet number (e.g. 1102)",
    "internal": "Internal number (e.g. 348), where the apartment has one",
}
KEY_KIND_LABELS = {"tag": "Tag / card", "radio": "Radio key"}
RUN_STATUS_LABELS = {
    "succeeded": "Succeeded",
    "failed": "Failed",
    "needs_confirmation": "Needs confirmation",
    "running": "Running",
    "interrupted": "Interrupted",
}
TRIGGER_LABELS = {
    "manual": "Manual (web)",
    "schedule": "Scheduled",
    "retry": "Scheduled (retry)",
    "scheduled": "Scheduled",
    "cli": "Command line",
    "csv": "CSV file",
}
CHANGE_KINDS = ("addresses", "apartments", "residents", "keys")
CHANGE_ACTIONS = ("created", "updated", "removed", "released")
RECORD_ACTION_LABELS = {
    "created": "Created",
    "updated": "Updated",
    "adopted": "Adopted (typed in by hand, now kept by the integration)",
    "removed": "Removed",
    "released": "Given back (kept, as typed in by hand)",
}
RECORD_KIND_LABELS = {"address": "Addresses", "apartment": "Apartments", "resident": "Residents", "key": "Keys"}
RECORDS_SHOWN = 1000  # per action and kind on the run page; the API lists them all

# Messages after a redirect: the query string names one of these, so no text can be injected through a link.
FLASHES = {
    "address-added": "The address was added.",
    "apartment-added": "The apartment was added.",
    "resident-added": "The resident was added.",
    "key-added": "The key was added.",
    "deleted": "Deleted.",
    "shown-number": "The choice of apartment number was saved.",
    "settings": "The settings were saved.",
    "integration-added": "The integration was added. Press Run now to fetch the register from the Axema system.",
    "integration-saved": "The integration's settings were saved.",
    "integration-paused": "The integration is paused: no scheduled runs until it is resumed.",
    "integration-resumed": "The integration is resumed; its next run is scheduled.",
    "integration-deleted-keep": "The integration was deleted. Its records were kept as typed in by hand.",
    "integration-deleted-remove": "The integration was deleted with its records.",
}
ERRORS = {
    "busy": "The integration is running right now (started by the schedule or another user). "
    "Wait a minute and look at the run history.",
    "secret": "The integration's stored password cannot be decrypted with this server's secret key "
    "(BODATA_SECRET_KEY changed?). Enter its password again under Edit.",
    "paused": "The integration is paused. Resume it to run it.",
}


def _localtime(value: datetime | None, zone: str = DEFAULT_TIMEZONE) -> str:
    if value is None:
        return "–"
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _percent(value: float) -> str:
    return f"{value * 100:g} %"


_env = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["localtime"] = _localtime
_env.filters["percent"] = _percent
_env.filters["sentence"] = lambda text: text[:1].upper() + text[1:]
_env.globals.update(
    SHOWN_NUMBER_LABELS=SHOWN_NUMBER_LABELS,
    KEY_KIND_LABELS=KEY_KIND_LABELS,
    RUN_STATUS_LABELS=RUN_STATUS_LABELS,
    TRIGGER_LABELS=TRIGGER_LABELS,
    CHANGE_KINDS=CHANGE_KINDS,
    CHANGE_ACTIONS=CHANGE_ACTIONS,
    RECORD_ACTION_LABELS=RECORD_ACTION_LABELS,
    RECORD_KIND_LABELS=RECORD_KIND_LABELS,
    RECORDS_SHOWN=RECORDS_SHOWN,
    DATA_FORMATS=service.DATA_FORMATS,
    KEY_KINDS=service.KEY_KINDS,
)
templates = Jinja2Templates(env=_env)
static_files = StaticFiles(directory=_HERE / "static")

_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def base_path(request: Request) -> str:
    """Where the service is mounted (``/boenderegister``): every link and the cookies' path start here."""
    return request.scope.get("root_path", "").rstrip("/")


def render(
    request: Request,
    template: str,
    *,
    login: Login | None,
    status: int = 200,
    error: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page of the UI: the layout with nav, the flash or error message, and the template's content."""
    flash = FLASHES.get(request.query_params.get("done", ""))
    error = error or ERRORS.get(request.query_params.get("error", ""))
    csrf_field = (
        Markup('<input type="hidden" name="csrf_token" value="{}">').format(escape(login.csrf_token))
        if login
        else Markup("")
    )
    response = templates.TemplateResponse(
        request,
        template,
        {"base": base_path(request), "login": login, "csrf_field": csrf_field, "flash": flash, "error": error}
        | context,
        status_code=status,
    )
    response.headers.update(_SECURITY_HEADERS)
    return response


def redirect(request: Request, path: str, **query: str) -> RedirectResponse:
    """303 See Other to a page of the UI (after a POST, or to the login page)."""
    suffix = "?" + "&".join(f"{name}={value}" for name, value in query.items()) if query else ""
    return RedirectResponse(base_path(request) + path + suffix, status_code=303)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    login = getattr(request.state, "br_login", None)
    return render(request, "error.html", login=login, status=status, title=title, message=message)


_PAGE_ERRORS = (LoginRequired, CsrfRefused, service.NotFound, service.OwnedByIntegration, service.InvalidInput)


class WebRoute(APIRoute):
    """Turns the UI's expected errors into pages: login redirects, 403 for CSRF, 404, owned records.

    The request's transaction is rolled back first, so a refused request never writes anything.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except _PAGE_ERRORS as exc:
                return await run_in_threadpool(_refused, request, exc)  # a rollback and a page: database work

        return handle


def _refused(request: Request, exc: Exception) -> Response:
    db = getattr(request.state, "br_db", None)
    if db is not None:
        db.rollback()
    return _page_for(request, exc)


def as_sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop, as a message on a page."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _page_for(request: Request, exc: Exception) -> Response:
    if isinstance(exc, LoginRequired):
        return redirect(request, "/login")
    if isinstance(exc, CsrfRefused):
        return error_page(
            request,
            403,
            "Refused",
            "The form was out of date or did not come from this site (missing or wrong CSRF token). "
            "Nothing was changed. Go back, reload the page and try again.",
        )
    if isinstance(exc, service.NotFound):
        return error_page(request, 404, "Not found", "There is no such record in your account.")
    if isinstance(exc, service.OwnedByIntegration):
        return error_page(request, 409, "From an integration", f"{as_sentence(str(exc))} Nothing was changed.")
    return error_page(request, 400, "Not accepted", as_sentence(str(exc)))
