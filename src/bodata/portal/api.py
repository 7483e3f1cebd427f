"""The HTTP surface of the tenant portal at ``/portal``: PM5 "Mina sidor" V1 Session (portal.md) and the back office.

Every tenant call needs a Sessionsnyckel (from ``POST /session/login``) in the path, the ``Sessionsnyckel`` query
parameter or header, or the JSON body (§5.1), and, when ``BODATA_PORTAL_REQUIRE_API_KEY`` is on, the app's
``ApiNyckel`` (query parameter or header). Errors are Felmeddelanden (docs/decisions.md § Portal); the back office
under ``/portal/admin`` answers RFC 9457 problem documents like the platform.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError, problem_response
from bodata.core.web.pages import shared_static
from bodata.portal import admin, service, staff
from bodata.portal.freshness import SessionViewCache
from bodata.portal.paths import PortalPaths
from bodata.portal.requests import Tenant, require_api_key
from bodata.portal.routes import cases, customer, laundry, session_view
from bodata.portal.shapes import felmeddelande

ADMIN_PREFIX = "/admin"
MAX_BODY_BYTES = 12 * 1024 * 1024
"""Fault reports carry images as base64 (portal media limit 5 MB each, a few per report)."""

WRAPPED_RESULTS = ("andrakontaktuppgift", "validera", "Boka", "Avboka", "logout")
"""Endpoints whose result is ``{"Fel": Felmeddelande}`` rather than the Felmeddelande itself (§2.12)."""


def render_felmeddelande(request: Request, error: ApiError) -> Response:
    """Errors as a Felmeddelande (the back office: problem documents); rejected requests as 200 results."""
    route_path = request.scope["path"][len(request.scope.get("root_path", "")) :]
    if route_path.startswith(ADMIN_PREFIX + "/") or route_path == ADMIN_PREFIX:
        response = problem_response(request, error)
        if error.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="portal-admin"'
        return response
    error = swedish(error)
    body: dict[str, Any] = felmeddelande(error.code, error.message, error.details)
    if error.status == 200 and route_path.rstrip("/").endswith(WRAPPED_RESULTS):
        body = {"Fel": body}
    headers = dict(error.headers)
    if "bodata.allow" in request.scope:
        headers["Allow"] = request.scope["bodata.allow"]
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Sessionsnyckel realm="portal"'
    return Response(orjson.dumps(body), error.status, media_type="application/json", headers=headers)


_PLATFORM_CODE = re.compile(r"[a-z0-9_]+")
"""The platform's own error codes (``not_found``, ``invalid_request``, …): English, snake_case."""

_SWEDISH_ERRORS = {
    400: ("OgiltigBegaran", "Anropet har inte den förväntade formen."),
    401: ("SessionOgiltig", "Anropet saknar giltig inloggning."),
    404: ("HittadesInte", "Sökvägen finns inte i portalens API."),
    405: ("MetodEjTillaten", "Metoden är inte tillåten på den här sökvägen."),
    413: ("ForStorBegaran", "Anropets kropp är för stor."),
    415: ("FelInnehallstyp", "Anropets innehållstyp stöds inte."),
    429: ("ForMangaAnrop", "För många anrop: försök igen om en stund."),
    503: ("TillfalligtOtillganglig", "Tjänsten är tillfälligt otillgänglig: försök igen om en stund."),
}
"""The Felmeddelande of each status the platform itself raises (unknown routes, validation, size limits, faults)."""

_INTERNAL_ERROR = ("InterntFel", "Ett internt fel inträffade; det har loggats.")

_VALIDATION_MESSAGES = (
    ("Field required", "saknas"),
    ("Input should be a valid integer", "ska vara ett heltal"),
    ("Input should be a valid string", "ska vara text"),
    ("Input should be a valid boolean", "ska vara true eller false"),
    ("Input should be a valid dictionary", "ska vara ett JSON-objekt"),
    ("String should have at least", "är för kort"),
    ("String should have at most", "är för lång"),
    ("JSON decode error", "är inte giltig JSON"),
)
"""Pydantic's messages for request validation, in Swedish; any other problem reads "har fel form"."""


def swedish(error: ApiError) -> ApiError:
    """A platform error (English code and message) as the portal's Felmeddelande: a documented code and a Swedish
    message; a validation failure (422) is a malformed request, 400 ``OgiltigBegaran``, naming each field."""
    if not _PLATFORM_CODE.fullmatch(error.code):
        return error
    status = 400 if error.status == 422 else error.status
    code, message = _SWEDISH_ERRORS.get(status, _INTERNAL_ERROR)
    details = [_swedish_detail(detail) for detail in error.details] if error.status == 422 else []
    return ApiError(status, code, message, details, headers=error.headers)


def _swedish_detail(detail: str) -> str:
    location, _, problem = detail.partition(": ")
    field = location.split(".", 1)[1] if "." in location else "Anropets kropp" if location == "body" else location
    said = next((swedish for english, swedish in _VALIDATION_MESSAGES if problem.startswith(english)), "har fel form")
    return f"{field}: {said}"


# --- Login and logout -----------------------------------------------------------------------------


class LoginRequest(BaseModel):
    """A customer's portal credentials."""

    model_config = ConfigDict(populate_by_name=True)

    username: str = Field(alias="Användarnamn", min_length=1, max_length=100)
    password: str = Field(alias="Lösenord", min_length=1, max_length=200)


class LoginResult(BaseModel):
    """A new session: the key to send on every call, and when it expires if unused."""

    Sessionsnyckel: str
    GiltigTill: str


def _login(request: LoginRequest, session: DbSession, context: Context) -> LoginResult:
    """Log in with user name and password; the Sessionsnyckel expires after the configured idle time.

    Too many wrong passwords in a row lock the login for a while (429 with ``Retry-After``)."""
    settings = context.settings
    policy = service.LoginPolicy(
        session_minutes=settings.portal_session_minutes,
        max_failures=settings.portal_login_max_failures,
        lockout_minutes=settings.portal_login_lockout_minutes,
    )
    new = service.log_in(
        session, username=request.username, password=request.password, now=context.clock.now(), policy=policy
    )
    if isinstance(new, ApiError):
        session.commit()  # the wrong password is counted even though the answer is an error
        raise new
    return LoginResult(Sessionsnyckel=new.key, GiltigTill=new.expires_at.isoformat().replace("+00:00", "Z"))


def _logout(tenant: Tenant, session: DbSession, context: Context) -> JSONResponse:
    """End the session: the key stops working at once."""
    service.log_out(session, tenant=tenant, now=context.clock.now())
    return JSONResponse({"Fel": None})


# --- The app --------------------------------------------------------------------------------------


def create_portal_app() -> FastAPI:
    """The portal app, mounted at ``/portal``; its middleware normalises paths before routing."""
    app = FastAPI(
        title="bodata tenant portal (PM5 Mina sidor V1)",
        summary="Momentum PM5 Fastighet 'Mina sidor' Session API, on bodata's property-management records",
        description="Log in with `POST /portal/session/login` (`Användarnamn`, `Lösenord`) to get a "
        "`Sessionsnyckel`; send it in the path (`/session/{Sessionsnyckel}/...`), as the `Sessionsnyckel` query "
        "parameter or header, or in a POST body, together with the app's `ApiNyckel`. Paths are matched "
        "case-insensitively, with or without `/v1` and trailing slashes. The back office is under `/portal/admin` "
        "(staff token as `Authorization: Bearer`).",
    )
    tenant_dependencies = [Depends(require_api_key)]
    app.add_api_route(
        "/session/login",
        _login,
        methods=["POST"],
        tags=["Session"],
        summary="Logga in (bodata): användarnamn och lösenord ger en Sessionsnyckel",
        dependencies=tenant_dependencies,
    )
    app.add_api_route(
        "/session/logout",
        _logout,
        methods=["POST"],
        tags=["Session"],
        summary="Logga ut (bodata): sessionsnyckeln slutar gälla",
        dependencies=tenant_dependencies,
    )
    for module in (session_view, customer, laundry, cases):
        app.include_router(module.router, dependencies=tenant_dependencies)
    app.include_router(admin.router, prefix=ADMIN_PREFIX)
    app.include_router(staff.router)
    app.mount("/personal/static", shared_static, name="staff-static")
    app.add_middleware(PortalPaths)
    app.state.session_view_cache = SessionViewCache()
    return app
