"""``POST /token``: OAuth2 client credentials, as Lantmäteriet's API gateway issues tokens for Inskrivning.

The client authenticates with HTTP Basic (client id and secret), or with ``client_id``/``client_secret`` form
fields, and sends ``grant_type=client_credentials`` (optionally ``scope``). Errors follow RFC 6749 §5.2.
"""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bodata.core.context import Context, DbSession
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


@router.post("/token", summary="Get an access token (OAuth2 client credentials)")
async def token(request: Request, session: DbSession, context: Context) -> JSONResponse:
    """``grant_type=client_credentials``; answers ``access_token``, ``token_type``, ``expires_in`` and ``scope``."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return _oauth_error(400, "invalid_request", "Send the parameters as application/x-www-form-urlencoded.")
    form = await request.form()
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.")
    credentials = _basic_credentials(request)
    if credentials is None and form.get("client_id") and form.get("client_secret"):
        credentials = (str(form["client_id"]), str(form["client_secret"]))
    if credentials is None:
        return _oauth_error(401, "invalid_client", "Authenticate with HTTP Basic: client id and client secret.")
    scope = form.get("scope")
    try:
        granted = service.grant_token(
            session,
            client_id=credentials[0],
            secret=credentials[1],
            requested_scope=str(scope) if scope else None,
            now=context.clock.now(),
        )
    except service.TokenRequestError as error:
        return _oauth_error(401, error.error, error.description)
    body = {
        "access_token": granted.value,
        "scope": granted.scope,
        "token_type": "Bearer",
        "expires_in": granted.expires_in,
    }
    return JSONResponse(body, headers=_NO_STORE)
