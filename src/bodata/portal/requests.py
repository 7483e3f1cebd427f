"""What every tenant route reads from a request: parameters, booleans, ids, the JSON body, the API key and the
logged-in customer (portal.md §5.1, §5.5).

The routes import these from here, and ``api.py`` composes the routes into the app, so neither imports the other.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Depends, Request

from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError
from bodata.portal import service
from bodata.portal.paths import PATH_KEY


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


JsonBody = Annotated[dict[str, Any], Depends(json_body)]
"""The request's JSON object, read on the event loop before the (sync) route runs in the threadpool."""


def require_api_key(request: Request, session: DbSession, context: Context) -> None:
    """The app's API key (``ApiNyckel`` query parameter or header), unless the setting turns the check off."""
    if not context.settings.portal_require_api_key:
        return
    key = parameter(request, "ApiNyckel") or request.headers.get("apinyckel")
    if not key:
        raise ApiError(401, "ApiNyckelSaknas", "API-nyckel saknas: skicka ApiNyckel som parameter eller header.")
    if not service.api_key_valid(session, key):
        raise ApiError(401, "ApiNyckelOgiltig", "API-nyckeln är okänd eller återkallad.")


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
