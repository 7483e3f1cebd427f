"""``POST /token``: OAuth2 client credentials, as Lantmäteriet's API gateway issues tokens for Inskrivning.

The client authenticates with HTTP Basic (client id and secret), or with ``client_id``/``client_secret`` form
fields, and sends ``grant_type=client_credentials`` (optionally ``scope``). Errors follow RFC 6749 §5.2.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from bodata.core.context import Context, DbSession
from bodata.core.credentials import throttled_check
from bodata.core.throttle import LockedOut
from bodata.inskrivning import service

router = APIRouter(tags=["Lantmäteriet gateway"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    headers = dict(_NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="token"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, separator, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (client_id, secret) if separator else None


async def _form(request: Request) -> dict[str, str] | None:
    """The form fields, read on the event loop; None when the body is not application/x-www-form-urlencoded."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return None
    return {name: value for name, value in (await request.form()).items() if isinstance(value, str)}


@router.post("/token", summary="Get an access token (OAuth2 client credentials)")
def token(
    request: Request, form: Annotated[dict[str, str] | None, Depends(_form)], session: DbSession, context: Context
) -> JSONResponse:
    """``grant_type=client_credentials``; answers ``access_token``, ``token_type``, ``expires_in`` and ``scope``."""
    if form is None:
        return _oauth_error(400, "invalid_request", "Send the parameters as application/x-www-form-urlencoded.")
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.")
    credentials = _basic_credentials(request)
    if credentials is None and form.get("client_id") and form.get("client_secret"):
        credentials = (str(form["client_id"]), str(form["client_secret"]))
    if credentials is None:
        return _oauth_error(401, "invalid_client", "Authenticate with HTTP Basic: client id and client secret.")
    client_id, secret = credentials
    now = context.clock.now()
    try:  # its own read transaction: no write lock while the secret is checked
        client = throttled_check(
            context,
            realm="token",
            name=client_id,
            check=lambda read: service.authenticate_client(read, client_id=client_id, secret=secret),
        )
    except LockedOut as locked:
        response = _oauth_error(429, "invalid_client", "Too many failed authentications in a row; try again later.")
        response.headers["Retry-After"] = str(locked.retry_after)
        return response
    if client is None:
        return _oauth_error(401, "invalid_client", "Client authentication failed.")
    scope = form.get("scope")
    granted = service.grant_token(session, client=client, requested_scope=scope or None, now=now)
    body = {
        "access_token": granted.value,
        "scope": granted.scope,
        "token_type": "Bearer",
        "expires_in": granted.expires_in,
    }
    return JSONResponse(body, headers=_NO_STORE)
