"""The HTTP surface of the tenant portal at ``/portal``: PM5 "Mina sidor" V1 Session (portal.md) and the back office.

Every tenant call needs a Sessionsnyckel (from ``POST /session/login``) in the path, the ``Sessionsnyckel`` query
parameter or header, or the JSON body (§5.1), and, when ``BODATA_PORTAL_REQUIRE_API_KEY`` is on, the app's
``ApiNyckel`` (query parameter or header). Errors are Felmeddelanden (docs/decisions.md § Portal); the back office
under ``/portal/admin`` answers RFC 9457 problem documents like the platform.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError, problem_response
from bodata.core.inputs import record_id
from bodata.portal import service
from bodata.portal.freshness import SessionViewCache
from bodata.portal.paths import PATH_KEY, PortalPaths
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
    body: dict[str, Any] = felmeddelande(error.code, error.message, error.details)
    if error.status == 200 and route_path.rstrip("/").endswith(WRAPPED_RESULTS):
        body = {"Fel": body}
    headers = dict(error.headers)
    if "bodata.allow" in request.scope:
        headers["Allow"] = request.scope["bodata.allow"]
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Sessionsnyckel realm="portal"'
    return Response(orjson.dumps(body), error.status, media_type="application/json", headers=headers)


# --- Parameters -----------------------------------------------------------------------------------


def parameter(request: Request, name: str) -> str | None:
    """A query parameter by name, matched case-insensitively (§5.5)."""
    wanted = name.lower()
    for key, value in request.query_params.multi_items():
        if key.lower() == wanted:
            return value
    return None


def boolean(value: str | None, name: str, *, default: bool = False) -> bool:
    """A boolean parameter: true/false in any case, or 1/0 (§5.5)."""
    if value is None or value == "":
        return default
    lowered = value.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise service.invalid(f"{name} ska vara true eller false, inte {value!r}.")


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object (an empty object for an empty body); 400 for anything else."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise service.invalid(f"Anropets kropp är inte JSON: {error}.") from None
    if not isinstance(body, dict):
        raise service.invalid("Anropets kropp ska vara ett JSON-objekt.")
    return body


# --- Authentication -------------------------------------------------------------------------------


def require_api_key(request: Request, session: DbSession, context: Context) -> None:
    """The app's API key (``ApiNyckel`` query parameter or header), unless the setting turns the check off."""
    if not context.settings.portal_require_api_key:
        return
    key = parameter(request, "ApiNyckel") or request.headers.get("apinyckel")
    if not key:
        raise ApiError(401, "ApiNyckelSaknas", "API-nyckel saknas: skicka ApiNyckel som parameter eller header.")
    if not service.api_key_valid(session, key):
        raise ApiError(401, "ApiNyckelOgiltig", "API-nyckeln är okänd eller återkallad.")


PortalId = record_id(lambda value: service.not_found(f"Det finns ingen post med id {value}."))
"""A path id: beyond the id columns' range it is an unknown record (404 HittadesInte), not a database error."""

JsonBody = Annotated[dict[str, Any], Depends(json_body)]
"""The request's JSON object, read on the event loop before the (sync) route runs in the threadpool."""


async def session_key(request: Request) -> str | None:
    """The Sessionsnyckel from the path, query, header or JSON body, in that order (reading the body awaits)."""
    return (
        request.scope.get(PATH_KEY)
        or parameter(request, "Sessionsnyckel")
        or request.headers.get("sessionsnyckel")
        or (await _body_key(request))
    )


def current_tenant(
    key: Annotated[str | None, Depends(session_key)], session: DbSession, context: Context
) -> service.Tenant:
    """The logged-in customer of the session key (looked up in the threadpool: the route's database work)."""
    if not key:
        raise service.unauthorized("Sessionsnyckel saknas. Logga in med POST /portal/session/login.")
    return service.resolve_session(
        session, key=key, now=context.clock.now(), minutes=context.settings.portal_session_minutes
    )


async def _body_key(request: Request) -> str | None:
    if request.method != "POST" or "json" not in request.headers.get("content-type", "json"):
        return None
    try:
        value = (await json_body(request)).get("Sessionsnyckel")
    except ApiError:
        return None
    return value if isinstance(value, str) else None


Tenant = Annotated[service.Tenant, Depends(current_tenant)]
"""The logged-in customer of a tenant route."""


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
    from bodata.portal.routes import admin, cases, customer, laundry, session_view

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
    app.add_middleware(PortalPaths)
    app.state.session_view_cache = SessionViewCache()
    return app
