"""The register's web UI: server-rendered pages for the people who maintain it (``/boenderegister/``).

Plain HTML forms, no JavaScript. A login makes a random session token that the browser keeps in an HttpOnly,
SameSite=Lax cookie and the database keeps as a digest (``br_web_session``) with the session's CSRF token;
every POST must carry that CSRF token, and the login form itself is protected by a double-submit cookie.
All reading and writing goes through ``service`` with the logged-in user's account, so other accounts'
records are "not found" here as everywhere.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload
from starlette.concurrency import run_in_threadpool

from bodata.boenderegister import service, sync
from bodata.boenderegister.models import Account, Integration, IntegrationRun, Key, User, WebSession
from bodata.boenderegister.refid import floor_label
from bodata.core.context import Context, DbSession
from bodata.core.credentials import throttled_check
from bodata.core.security import SecretError, issue_token, token_digest, tokens_equal
from bodata.core.throttle import LockedOut, ThrottlePolicy

_HERE = Path(__file__).parent
SESSION_COOKIE = "br_session"
LOGIN_CSRF_COOKIE = "br_login_csrf"
SESSION_TTL = timedelta(hours=8)
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


# Sessions


@dataclass
class Login:
    """The logged-in person of a request.

    The ORM objects belong to the request's session; the layout uses only the plain copies (``username``,
    ``account_name``, ``csrf_token``), which stay readable after a rollback or once the session is closed.
    """

    user: User
    account: Account
    username: str
    account_name: str
    csrf_token: str


class LoginRequired(Exception):
    """No valid session: the browser is sent to the login page."""


class CsrfRefused(Exception):
    """A POST without the right CSRF token: refused with 403, nothing written."""


def load_login(session: Session, request: Request, now: datetime) -> Login | None:
    """The login of the request's session cookie, or None when it is missing, unknown or expired."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    row = session.scalar(
        select(WebSession)
        .where(WebSession.digest == token_digest(token))
        .options(selectinload(WebSession.user).selectinload(User.account))
    )
    if row is None or row.expires_at <= now:
        return None
    user = row.user
    login = Login(
        user=user,
        account=user.account,
        username=user.username,
        account_name=user.account.name,
        csrf_token=row.csrf_token,
    )
    request.state.br_login = login
    return login


def check_csrf(login: Login, token: str) -> None:
    if not token or not tokens_equal(token, login.csrf_token):
        raise CsrfRefused()


def current_login(request: Request, session: DbSession, context: Context) -> Login:
    """Dependency for pages: the logged-in user, else a redirect to the login page."""
    request.state.br_db = session
    login = load_login(session, request, context.clock.now())
    if login is None:
        raise LoginRequired()
    return login


def posting_login(login: Annotated[Login, Depends(current_login)], csrf_token: Annotated[str, Form()] = "") -> Login:
    """Dependency for forms: the logged-in user, and the form must carry the session's CSRF token."""
    check_csrf(login, csrf_token)
    return login


PageLogin = Annotated[Login, Depends(current_login)]
PostLogin = Annotated[Login, Depends(posting_login)]


# Rendering


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


def _sentence(text: str) -> str:
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
        return error_page(request, 409, "From an integration", f"{_sentence(str(exc))} Nothing was changed.")
    return error_page(request, 400, "Not accepted", _sentence(str(exc)))


router = APIRouter(route_class=WebRoute, include_in_schema=False)


# Login and logout


def _cookie_flags(request: Request) -> dict[str, Any]:
    return {
        "path": base_path(request) or "/",
        "httponly": True,
        "samesite": "lax",
        "secure": request.url.scheme == "https",
    }


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
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=int(SESSION_TTL.total_seconds()), **_cookie_flags(request))
    return response


@router.get("/")
def home(request: Request, session: DbSession, context: Context) -> Response:
    logged_in = load_login(session, request, context.clock.now()) is not None
    return redirect(request, "/addresses" if logged_in else "/login")


@router.get("/login")
def login_form(request: Request, session: DbSession, context: Context) -> Response:
    if load_login(session, request, context.clock.now()) is not None:
        return redirect(request, "/addresses")
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not (20 <= len(token) <= 100 and token.replace("-", "").replace("_", "").isalnum()):
        token = secrets.token_urlsafe(32)
    return _login_page(request, token)


@router.post("/login")
def login_submit(
    request: Request,
    session: DbSession,
    context: Context,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not csrf_token or not tokens_equal(cookie, csrf_token):
        raise CsrfRefused()
    name, now = username.strip(), context.clock.now()
    try:  # its own read transaction: no write lock while the password is checked
        user = throttled_check(
            context.db,
            realm="boenderegister-web",
            name=name,
            now=now,
            policy=ThrottlePolicy.of(context.settings),
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
    response = redirect(request, "/addresses")
    flags = _cookie_flags(request)
    response.set_cookie(SESSION_COOKIE, token.value, max_age=int(SESSION_TTL.total_seconds()), **flags)
    response.delete_cookie(LOGIN_CSRF_COOKIE, **flags)
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, login: PostLogin) -> Response:
    session.execute(delete(WebSession).where(WebSession.digest == token_digest(request.cookies[SESSION_COOKIE])))
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, **_cookie_flags(request))
    return response


# Addresses


ADDRESSES_PER_PAGE = 50


def _addresses_page(
    request: Request, session: Session, login: Login, *, error: str | None = None, name: str = ""
) -> HTMLResponse:
    """The address list: a search box and pages of ADDRESSES_PER_PAGE in Swedish order."""
    search = request.query_params.get("q", "")[:200]
    cursor = request.query_params.get("cursor") or None
    try:
        page = service.page_addresses(
            session, account=login.account, search=search, cursor=cursor, limit=ADDRESSES_PER_PAGE
        )
    except service.InvalidInput:
        page = service.page_addresses(session, account=login.account, search=search, limit=ADDRESSES_PER_PAGE)
    addresses = [
        {
            "address": address,
            "apartments": count,
            "shown_number": service.shown_number_choice(login.account, address),
        }
        for address, count in page.items
    ]
    return render(
        request,
        "addresses.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="addresses",
        addresses=addresses,
        name=name,
        search=search,
        paged=cursor is not None,
        next_page=str(request.url.include_query_params(cursor=page.next_cursor)) if page.next_cursor else None,
        first_page=str(request.url.remove_query_params(["cursor", "done", "error"])),
    )


@router.get("/addresses")
def addresses(request: Request, session: DbSession, login: PageLogin) -> Response:
    return _addresses_page(request, session, login)


@router.post("/addresses")
def add_address(request: Request, session: DbSession, login: PostLogin, name: Annotated[str, Form()] = "") -> Response:
    try:
        address = service.add_address(session, account=login.account, name=name)
    except service.InvalidInput as exc:
        return _addresses_page(request, session, login, error=str(exc), name=name)
    return redirect(request, f"/addresses/{address.id}", done="address-added")


@dataclass
class _Floor:
    code: str
    label: str
    apartments: list[Any]


def _floors(apartments: list[Any]) -> list[_Floor]:
    """Apartments grouped by floor, top floor first, each floor by apartment number."""
    by_floor: dict[str, list[Any]] = {}
    for apartment in apartments:
        by_floor.setdefault(apartment.floor_code, []).append(apartment)
    return [
        _Floor(code, floor_label(code), sorted(by_floor[code], key=lambda apartment: apartment.lm_number))
        for code in sorted(by_floor, reverse=True)
    ]


def _address_page(
    request: Request,
    session: Session,
    login: Login,
    address_id: int,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    address = service.get_address(session, account=login.account, address_id=address_id)
    choice = service.shown_number_choice(login.account, address)
    return render(
        request,
        "address.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="addresses",
        address=address,
        floors=_floors(address.apartments),
        choice=choice,
        own_choice=address.shown_number or "account",
        account_choice=login.account.shown_number,
        number=lambda apartment: service.shown_number(apartment, choice),
        display_name=service.resident_display_name,
        form=form or {},
    )


@router.get("/addresses/{address_id}")
def address_page(address_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    return _address_page(request, session, login, address_id)


@router.post("/addresses/{address_id}/apartments")
def add_apartment(
    address_id: int,
    request: Request,
    session: DbSession,
    login: PostLogin,
    lm_number: Annotated[str, Form()] = "",
    internal_number: Annotated[str, Form()] = "",
    floor_code: Annotated[str, Form()] = "",
) -> Response:
    try:
        service.add_apartment(
            session,
            account=login.account,
            address_id=address_id,
            lm_number=lm_number,
            internal_number=internal_number,
            floor_code=floor_code,
        )
    except service.InvalidInput as exc:
        form = {"lm_number": lm_number, "internal_number": internal_number, "floor_code": floor_code}
        return _address_page(request, session, login, address_id, error=str(exc), form=form)
    return redirect(request, f"/addresses/{address_id}", done="apartment-added")


@router.post("/addresses/{address_id}/shown-number")
def set_address_shown_number(
    address_id: int, request: Request, session: DbSession, login: PostLogin, choice: Annotated[str, Form()] = ""
) -> Response:
    try:
        service.set_shown_number(session, account=login.account, choice=choice, address_id=address_id)
    except service.InvalidInput as exc:
        return _address_page(request, session, login, address_id, error=str(exc))
    return redirect(request, f"/addresses/{address_id}", done="shown-number")


@router.post("/addresses/{address_id}/delete")
def delete_address(address_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    service.delete_record(session, account=login.account, kind="address", record_id=address_id)
    return redirect(request, "/addresses", done="deleted")


@router.get("/addresses/{address_id}/board")
def name_board(address_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    board = service.name_board(session, account=login.account, address_id=address_id)
    return render(request, "board.html", login=login, section="addresses", board=board)


# Apartments, residents, keys


def _apartment_page(
    request: Request,
    session: Session,
    login: Login,
    apartment_id: int,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    apartment = service.get_apartment(session, account=login.account, apartment_id=apartment_id)
    choice = service.shown_number_choice(login.account, apartment.address)
    return render(
        request,
        "apartment.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="addresses",
        apartment=apartment,
        number=service.shown_number(apartment, choice),
        floor=floor_label(apartment.floor_code),
        residents=sorted(apartment.residents, key=service.resident_display_name),
        display_name=service.resident_display_name,
        form=form or {},
    )


@router.get("/apartments/{apartment_id}")
def apartment_page(apartment_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    return _apartment_page(request, session, login, apartment_id)


@router.post("/apartments/{apartment_id}/residents")
def add_resident(
    apartment_id: int,
    request: Request,
    session: DbSession,
    login: PostLogin,
    first_name: Annotated[str, Form()] = "",
    last_name: Annotated[str, Form()] = "",
) -> Response:
    try:
        service.add_resident(
            session, account=login.account, apartment_id=apartment_id, first_name=first_name, last_name=last_name
        )
    except service.InvalidInput as exc:
        form = {"first_name": first_name, "last_name": last_name}
        return _apartment_page(request, session, login, apartment_id, error=str(exc), form=form)
    return redirect(request, f"/apartments/{apartment_id}", done="resident-added")


@router.post("/apartments/{apartment_id}/delete")
def delete_apartment(apartment_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    apartment = service.get_apartment(session, account=login.account, apartment_id=apartment_id)
    address_id = apartment.address_id
    service.delete_record(session, account=login.account, kind="apartment", record_id=apartment_id)
    return redirect(request, f"/addresses/{address_id}", done="deleted")


@router.post("/residents/{resident_id}/keys")
def add_key(
    resident_id: int,
    request: Request,
    session: DbSession,
    login: PostLogin,
    kind: Annotated[str, Form()] = "",
    number: Annotated[str, Form()] = "",
) -> Response:
    resident = service.get_resident(session, account=login.account, resident_id=resident_id)
    apartment_id = resident.apartment_id
    try:
        service.add_key(session, account=login.account, resident_id=resident_id, kind=kind, number=number)
    except service.InvalidInput as exc:
        form = {"resident_id": str(resident_id), "kind": kind, "number": number}
        return _apartment_page(request, session, login, apartment_id, error=str(exc), form=form)
    return redirect(request, f"/apartments/{apartment_id}", done="key-added")


@router.post("/residents/{resident_id}/delete")
def delete_resident(resident_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    resident = service.get_resident(session, account=login.account, resident_id=resident_id)
    apartment_id = resident.apartment_id
    service.delete_record(session, account=login.account, kind="resident", record_id=resident_id)
    return redirect(request, f"/apartments/{apartment_id}", done="deleted")


@router.post("/keys/{key_id}/delete")
def delete_key(key_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    key = session.get(Key, key_id)
    if key is None:
        raise service.NotFound(f"key {key_id} not found")
    resident = service.get_resident(session, account=login.account, resident_id=key.resident_id)
    apartment_id = resident.apartment_id
    service.delete_record(session, account=login.account, kind="key", record_id=key_id)
    return redirect(request, f"/apartments/{apartment_id}", done="deleted")


# Account settings


@router.get("/settings")
def settings_page(request: Request, login: PageLogin) -> Response:
    return render(request, "settings.html", login=login, section="settings", account=login.account)


@router.post("/settings")
def save_settings(
    request: Request, session: DbSession, login: PostLogin, shown_number: Annotated[str, Form()] = ""
) -> Response:
    try:
        service.set_shown_number(session, account=login.account, choice=shown_number)
    except service.InvalidInput as exc:
        return render(
            request, "settings.html", login=login, status=400, error=str(exc), section="settings", account=login.account
        )
    return redirect(request, "/settings", done="settings")


@router.post("/settings/me")
def save_my_settings(
    request: Request, session: DbSession, login: PostLogin, email: Annotated[str, Form()] = ""
) -> Response:
    """The logged-in user's own settings: the e-mail address alerts go to."""
    try:
        service.set_user_email(session, user=login.user, email=email)
    except service.InvalidInput as exc:
        return render(
            request, "settings.html", login=login, status=400, error=str(exc), section="settings", account=login.account
        )
    return redirect(request, "/settings", done="settings")


# Integrations


_INTEGRATION_FORM_DEFAULTS = {
    "name": "",
    "data_format": "AXEMA",
    "base_url": "",
    "username": "",
    "schedule_time": "02:00",
    "removal_threshold": "20",
}


def _integrations_page(
    request: Request, session: Session, login: Login, *, error: str | None = None, form: dict[str, str] | None = None
) -> HTMLResponse:
    integrations = service.list_integrations(session, account=login.account)
    last_runs = {
        integration.id: next(iter(service.list_runs(session, integration=integration, limit=1)), None)
        for integration in integrations
    }
    return render(
        request,
        "integrations.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="integrations",
        integrations=integrations,
        last_runs=last_runs,
        form=_INTEGRATION_FORM_DEFAULTS | (form or {}),
        timezone=DEFAULT_TIMEZONE,
    )


@router.get("/integrations")
def integrations(request: Request, session: DbSession, login: PageLogin) -> Response:
    return _integrations_page(request, session, login)


def _share(percent: str) -> float:
    """``"20"`` or ``"20 %"`` or ``"12,5"`` → 0.2, 0.125; InvalidInput when it is not a number."""
    try:
        return float(percent.replace("%", "").replace(",", ".").strip()) / 100
    except ValueError as exc:
        raise service.InvalidInput("the removal threshold must be a percentage, e.g. 20") from exc


@router.post("/integrations")
def add_integration(
    request: Request,
    session: DbSession,
    context: Context,
    login: PostLogin,
    name: Annotated[str, Form()] = "",
    data_format: Annotated[str, Form()] = "AXEMA",
    base_url: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    api_key: Annotated[str, Form()] = "",
    schedule_time: Annotated[str, Form()] = "02:00",
    removal_threshold: Annotated[str, Form()] = "20",
) -> Response:
    try:
        integration = service.create_integration(
            session,
            account=login.account,
            secrets=context.secrets,
            now=context.clock.now(),
            name=name,
            base_url=base_url,
            username=username,
            password=password,
            data_format=data_format,
            api_key=api_key.strip() or None,
            schedule_time=schedule_time.strip(),
            timezone=DEFAULT_TIMEZONE,
            removal_threshold=_share(removal_threshold),
        )
    except service.InvalidInput as exc:
        form = {
            "name": name,
            "data_format": data_format,
            "base_url": base_url,
            "username": username,
            "schedule_time": schedule_time,
            "removal_threshold": removal_threshold,
        }
        return _integrations_page(request, session, login, error=str(exc), form=form)
    return redirect(request, f"/integrations/{integration.id}", done="integration-added")


def _integration_page(
    request: Request, session: Session, login: Login, integration_id: int, *, error: str | None = None
) -> HTMLResponse:
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    runs = service.list_runs(session, integration=integration)
    return render(
        request,
        "integration.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="integrations",
        integration=integration,
        runs=runs,
        needs_confirmation=bool(runs) and runs[0].status == "needs_confirmation",
        totals=_totals,
        excluded=service.excluded_counts(session, run_ids=[run.id for run in runs]),
        audit=service.audit_trail(session, account=login.account, integration_id=integration_id),
    )


@router.get("/integrations/{integration_id}")
def integration_page(integration_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    return _integration_page(request, session, login, integration_id)


@router.post("/integrations/{integration_id}/edit")
def edit_integration(
    integration_id: int,
    request: Request,
    session: DbSession,
    context: Context,
    login: PostLogin,
    name: Annotated[str, Form()] = "",
    base_url: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    api_key: Annotated[str, Form()] = "",
    remove_api_key: Annotated[str, Form()] = "",
    schedule_time: Annotated[str, Form()] = "",
    removal_threshold: Annotated[str, Form()] = "",
) -> Response:
    """Change an integration's settings; an empty password or API key field leaves the stored one."""
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    try:
        service.update_integration(
            session,
            integration=integration,
            secrets=context.secrets,
            now=context.clock.now(),
            actor=login.username,
            name=name or None,
            base_url=base_url or None,
            username=username or None,
            password=password or None,
            api_key="" if remove_api_key == "1" else (api_key.strip() or None),
            schedule_time=schedule_time.strip() or None,
            removal_threshold=_share(removal_threshold) if removal_threshold.strip() else None,
        )
    except service.InvalidInput as exc:
        session.rollback()
        return _integration_page(request, session, login, integration_id, error=_sentence(str(exc)))
    return redirect(request, f"/integrations/{integration_id}", done="integration-saved")


@router.post("/integrations/{integration_id}/pause")
def pause_integration(
    integration_id: int, request: Request, session: DbSession, context: Context, login: PostLogin
) -> Response:
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    service.set_integration_paused(
        session, integration=integration, paused=True, now=context.clock.now(), actor=login.username
    )
    return redirect(request, f"/integrations/{integration_id}", done="integration-paused")


@router.post("/integrations/{integration_id}/resume")
def resume_integration(
    integration_id: int, request: Request, session: DbSession, context: Context, login: PostLogin
) -> Response:
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    service.set_integration_paused(
        session, integration=integration, paused=False, now=context.clock.now(), actor=login.username
    )
    return redirect(request, f"/integrations/{integration_id}", done="integration-resumed")


@router.post("/integrations/{integration_id}/delete")
def delete_integration(
    integration_id: int,
    request: Request,
    session: DbSession,
    context: Context,
    login: PostLogin,
    records: Annotated[str, Form()] = "",
) -> Response:
    """Delete the integration; the form's explicit choice says whether its records are kept or removed."""
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    service.delete_integration(
        session, integration=integration, records=records, now=context.clock.now(), actor=login.username
    )
    return redirect(request, "/integrations", done=f"integration-deleted-{records}")


@router.post("/integrations/{integration_id}/run")
def run_now(
    integration_id: int,
    request: Request,
    context: Context,
    csrf_token: Annotated[str, Form()] = "",
    confirm_removals: Annotated[str, Form()] = "",
) -> Response:
    """Run the integration now and show its report. The run takes a while: no transaction is held open
    during it, only a short one to check the login, the CSRF token and that the integration is the account's."""
    with context.db.transaction() as session:
        login = load_login(session, request, context.clock.now())
        if login is None:
            raise LoginRequired()
        check_csrf(login, csrf_token)
        service.get_integration(session, account=login.account, integration_id=integration_id)
    try:
        run = sync.run_integration(
            context.db,
            integration_id,
            make_source=lambda integration: sync.source_for(integration, context.secrets),
            clock=context.clock,
            trigger="manual",
            confirm_removals=confirm_removals == "1",
        )
    except sync.IntegrationBusy:
        return redirect(request, f"/integrations/{integration_id}", error="busy")
    except sync.IntegrationPaused:
        return redirect(request, f"/integrations/{integration_id}", error="paused")
    except SecretError:
        return redirect(request, f"/integrations/{integration_id}", error="secret")
    return redirect(request, f"/runs/{run.id}")


def _totals(run: IntegrationRun) -> dict[str, int]:
    """Created / updated / removed over every kind of record."""
    changes = run.changes or {}
    return {
        action: sum(int((changes.get(kind) or {}).get(action, 0)) for kind in CHANGE_KINDS) for action in CHANGE_ACTIONS
    }


@router.get("/runs/{run_id}")
def run_page(run_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    run = service.get_run(session, account=login.account, run_id=run_id)
    integration = session.get_one(Integration, run.integration_id)
    return render(
        request,
        "run.html",
        login=login,
        section="integrations",
        run=run,
        integration=integration,
        changes=run.changes or {},
        totals=_totals(run),
        excluded=[issue for issue in run.issues if issue.kind == "excluded"],
        warnings=[issue for issue in run.issues if issue.kind != "excluded"],
        groups_evaluated=run.groups_read > 0 or run.status in ("succeeded", "needs_confirmation"),
        records=_records_by_action(service.run_records(session, run=run)),
    )


def _records_by_action(records) -> dict[str, dict[str, list[str]]]:
    """The run's changed records as action → kind → labels, in the order of RECORD_ACTION_LABELS."""
    grouped: dict[str, dict[str, list[str]]] = {action: {} for action in RECORD_ACTION_LABELS}
    for record in records:
        grouped[record.action].setdefault(record.kind, []).append(record.label)
    return {
        action: {kind: kinds[kind] for kind in RECORD_KIND_LABELS if kind in kinds}
        for action, kinds in grouped.items()
        if kinds
    }
