"""The simulated Axema Vaka HTTP API: an OAuth2 token endpoint, the data listings, and a control API under /sim.

The ``/api/v1`` part is the contract bodata's Axema connector speaks; ``/sim`` lets tests and demos change the
data and switch faults on, authenticated with the integration account's HTTP Basic credentials.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from bodata.axema_sim.generator import SimCredential, SimGroup, SimPerson
from bodata.axema_sim.state import Faults, Page, SimState, UnknownRecord
from bodata.core.errors import ApiError

API_KEY_HEADER = "x-api-key"
MAX_PAGE = 1000
Offset = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]


class SimError(Exception):
    """An error answer: status, an OAuth2-style error code and a description."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.status, self.error, self.description, self.headers = status, error, description, headers


class _Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class GroupBody(_Body):
    """An organisation group's fields; on PATCH only the fields sent change."""

    name: str = ""
    reference_id: str | None = None
    apartment_number: str | None = None
    floor: str | None = None


class CredentialBody(_Body):
    """A key to give a person."""

    type: Literal["card", "radio", "code"]
    number: str = Field(min_length=1)


class PersonBody(_Body):
    """A person; on PATCH only the fields sent change and ``organisationGroupIds`` replaces the memberships."""

    first_name: str = ""
    last_name: str = ""
    organisation_group_ids: list[str] = Field(default_factory=list)
    credentials: list[CredentialBody] = Field(default_factory=list)


class FaultsBody(_Body):
    """Fault settings; fields left out are off."""

    delay_seconds: float = Field(0.0, ge=0, le=300)
    error_status: int | None = Field(None, ge=400, le=599)
    truncate_pages: bool = False
    no_b60: bool = False
    drop_persons_ratio: float = Field(0.0, ge=0, le=1)


def render_sim_error(_request: Request, error: ApiError) -> Response:
    """A platform error (404, 413, an injected fault) as the Axema API writes errors."""
    body = {"error": error.code, "error_description": error.message}
    return JSONResponse(body, status_code=error.status, headers=error.headers)


def create_sim_app(state: SimState) -> FastAPI:
    """The simulator's ASGI app, serving ``state``."""
    app = FastAPI(title="Axema Vaka simulator", description="A stand-in Axema Vaka system for bodata's tests.")
    app.state.sim = state  # the stand-in controls reach the state through it (core/standin/controls.py)

    @app.exception_handler(SimError)
    async def _sim_error(_request: Request, exc: SimError) -> JSONResponse:
        body = {"error": exc.error, "error_description": exc.description}
        return JSONResponse(body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(UnknownRecord)
    async def _unknown(_request: Request, exc: UnknownRecord) -> JSONResponse:
        return JSONResponse({"error": "not_found", "error_description": str(exc)}, status_code=404)

    app.include_router(_api_router(state))
    app.include_router(_control_router(state))
    return app


def _api_router(state: SimState) -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    async def delay() -> None:
        if state.faults.delay_seconds:
            await asyncio.sleep(state.faults.delay_seconds)

    async def authorised(request: Request) -> None:
        await delay()
        if not state.check_api_key(request.headers.get(API_KEY_HEADER)):
            raise SimError(401, "invalid_api_key", "missing or wrong x-api-key header")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not state.token_valid(token.strip()):
            raise SimError(401, "invalid_token", "missing, unknown or expired token", {"WWW-Authenticate": "Bearer"})
        if state.faults.error_status is not None:
            raise SimError(state.faults.error_status, "simulated_error", "the simulator was told to fail this call")

    @router.post("/token")
    async def token(request: Request) -> JSONResponse:
        await delay()
        if not state.check_api_key(request.headers.get(API_KEY_HEADER)):
            raise SimError(403, "invalid_api_key", "missing or wrong x-api-key header")
        credentials = _basic_credentials(request)
        if credentials is None or not state.check_client(*credentials):
            raise SimError(401, "invalid_client", "wrong credentials", {"WWW-Authenticate": 'Basic realm="vaka"'})
        form = parse_qs((await request.body()).decode("utf-8", errors="replace"))
        if form.get("grant_type") != ["client_credentials"]:
            raise SimError(400, "unsupported_grant_type", "grant_type must be client_credentials")
        body = {"access_token": state.issue_token(), "token_type": "Bearer", "expires_in": int(state.token_ttl)}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    @router.get("/system", dependencies=[Depends(authorised)])
    def system() -> JSONResponse:
        controllers = [asdict(controller) for controller in state.controllers()]
        return JSONResponse({"name": state.system_name, "version": "VAKA 4.7", "domainControllers": controllers})

    @router.get("/organisation-groups", dependencies=[Depends(authorised)])
    def organisation_groups(offset: Offset = 0, limit: Limit = 500) -> JSONResponse:
        return _page_response(state.groups_page(offset, limit), offset, limit, group_json)

    @router.get("/persons", dependencies=[Depends(authorised)])
    def persons(offset: Offset = 0, limit: Limit = 500) -> JSONResponse:
        return _page_response(state.persons_page(offset, limit), offset, limit, person_json)

    return router


def _control_router(state: SimState) -> APIRouter:
    def control_account(request: Request) -> None:
        credentials = _basic_credentials(request)
        if credentials is None or not state.check_client(*credentials):
            raise SimError(401, "invalid_client", "wrong credentials", {"WWW-Authenticate": 'Basic realm="vaka-sim"'})

    router = APIRouter(prefix="/sim", dependencies=[Depends(control_account)])

    def state_json() -> dict[str, Any]:
        faults = {to_camel(name): value for name, value in asdict(state.faults).items()}
        settings = {"systemName": state.system_name, "seed": state.seed, "apartments": state.apartments}
        return {**settings, **state.counts(), "apiKeyRequired": state.api_key is not None, "faults": faults}

    @router.get("/state")
    def get_state() -> dict[str, Any]:
        return state_json()

    @router.post("/reset")
    def reset() -> dict[str, Any]:
        state.reset()
        return state_json()

    @router.put("/faults")
    def put_faults(body: FaultsBody) -> dict[str, Any]:
        state.set_faults(Faults(**body.model_dump()))
        return state_json()

    @router.delete("/faults")
    def clear_faults() -> dict[str, Any]:
        state.set_faults(Faults())
        return state_json()

    @router.post("/groups", status_code=201)
    def create_group(body: GroupBody) -> dict[str, Any]:
        return group_json(state.add_group(**body.model_dump()))

    @router.patch("/groups/{key}")
    def change_group(key: str, body: GroupBody) -> dict[str, Any]:
        return group_json(state.update_group(key, **body.model_dump(exclude_unset=True)))

    @router.delete("/groups/{key}", status_code=204)
    def delete_group(key: str) -> Response:
        state.delete_group(key)
        return Response(status_code=204)

    @router.post("/persons", status_code=201)
    def create_person(body: PersonBody) -> dict[str, Any]:
        keys = [(credential.type, credential.number) for credential in body.credentials]
        return person_json(state.add_person(body.first_name, body.last_name, body.organisation_group_ids, keys))

    @router.patch("/persons/{key}")
    def change_person(key: str, body: PersonBody) -> dict[str, Any]:
        changes = body.model_dump(exclude_unset=True)
        if "credentials" in changes:
            raise SimError(400, "invalid_request", "change credentials through /sim/persons/{id}/credentials")
        if "organisation_group_ids" in changes:
            changes["group_ids"] = changes.pop("organisation_group_ids")
        return person_json(state.update_person(key, **changes))

    @router.delete("/persons/{key}", status_code=204)
    def delete_person(key: str) -> Response:
        state.delete_person(key)
        return Response(status_code=204)

    @router.post("/persons/{key}/credentials", status_code=201)
    def add_credential(key: str, body: CredentialBody) -> dict[str, Any]:
        return credential_json(state.add_credential(key, body.type, body.number))

    @router.delete("/persons/{key}/credentials/{credential}", status_code=204)
    def delete_credential(key: str, credential: str) -> Response:
        state.delete_credential(key, credential)
        return Response(status_code=204)

    return router


def group_json(group: SimGroup) -> dict[str, Any]:
    """An organisation group as the API writes it."""
    return {
        "id": group.id,
        "name": group.name,
        "referenceId": group.reference_id,
        "apartmentNumber": group.apartment_number,
        "floor": group.floor,
    }


def person_json(person: SimPerson) -> dict[str, Any]:
    """A person as the API writes it."""
    return {
        "id": person.id,
        "firstName": person.first_name,
        "lastName": person.last_name,
        "organisationGroupIds": list(person.group_ids),
        "credentials": [credential_json(credential) for credential in person.credentials],
    }


def credential_json(credential: SimCredential) -> dict[str, Any]:
    """A credential as the API writes it."""
    return {"id": credential.id, "type": credential.type, "number": credential.number}


def _page_response(page: Page, offset: int, limit: int, to_json: Callable[[Any], dict[str, Any]]) -> JSONResponse:
    items = [to_json(item) for item in page.items]
    return JSONResponse({"items": items, "offset": offset, "limit": limit, "total": page.total})


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    """The (username, password) of an HTTP Basic Authorization header, or None."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, separator, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (username, password) if separator else None
