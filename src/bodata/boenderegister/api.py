"""The REST API for devices and systems that read the register (``/boenderegister/api``), bearer-token auth."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from bodata.boenderegister import service
from bodata.boenderegister.messages import CATALOGUE
from bodata.boenderegister.models import Account
from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError, problem_response
from bodata.core.i18n import N_, Message, Translator
from bodata.core.inputs import record_id
from bodata.core.paging import MAX_LIMIT, Page
from bodata.core.text import swedish_key

router = APIRouter(prefix="/api", tags=["register"])


def api_language(request: Request) -> Translator:
    """The language of a request's texts: Accept-Language, else Swedish."""
    return CATALOGUE.translator(CATALOGUE.negotiate(accept_language=request.headers.get("accept-language")))


def problem(status: int, code: str, message: Message) -> ApiError:
    """An error of the register whose text ``render_problem`` gives in the language of Accept-Language."""
    return ApiError(status, code, message)  # type: ignore[arg-type]  (a Message where a str is declared)


def render_problem(request: Request, error: ApiError) -> Response:
    """The register's errors as RFC 9457 problem documents, their own texts in the language of Accept-Language."""
    if isinstance(error.message, Message):
        error = replace(error, message=api_language(request).render(error.message))
    return problem_response(request, error)


_bearer = HTTPBearer(auto_error=False, description="An API token made with `bodata boenderegister tokens add`.")


def current_account(
    request: Request,
    session: DbSession,
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Account:
    """The account of the request's bearer token; 401 without a valid one. The token's name is the actor
    the audit trail records (``request.state.br_actor``)."""
    if credentials is None:
        raise problem(401, "unauthorized", N_("En API-token krävs: Authorization: Bearer <token>."))
    token = service.api_token(session, token=credentials.credentials, now=context.clock.now())
    if token is None:
        raise problem(401, "unauthorized", N_("API-token är okänd eller har gått ut."))
    request.state.br_actor = f"API token {token.id} ({token.name})"
    return session.get_one(Account, token.account_id)


CurrentAccount = Annotated[Account, Depends(current_account)]


class KeyOut(BaseModel):
    id: int
    kind: str
    number: str
    from_integration: bool


class ResidentOut(BaseModel):
    id: int
    first_name: str
    last_name: str
    display_name: str
    from_integration: bool
    keys: list[KeyOut]


class ApartmentOut(BaseModel):
    id: int
    address_id: int
    number: str
    lm_number: str
    internal_number: str | None
    floor_code: str
    from_integration: bool
    residents: list[ResidentOut]


class AddressSummary(BaseModel):
    id: int
    name: str
    apartments: int
    shown_number: str
    from_integration: bool


class AddressOut(BaseModel):
    id: int
    name: str
    shown_number: str
    from_integration: bool
    apartments: list[ApartmentOut]


class KeyListing(KeyOut):
    resident_id: int
    resident: str
    apartment_id: int
    address: str


class BoardApartmentOut(BaseModel):
    id: int
    number: str
    lm_number: str
    names: list[str]


class BoardFloorOut(BaseModel):
    floor_code: str
    storey: int
    label: str
    apartments: list[BoardApartmentOut]


class NameBoardOut(BaseModel):
    address_id: int
    address: str
    shown_number: str
    floors: list[BoardFloorOut]


def _key_out(key) -> KeyOut:
    return KeyOut(id=key.id, kind=key.kind, number=key.number, from_integration=key.integration_id is not None)


def _resident_out(resident) -> ResidentOut:
    return ResidentOut(
        id=resident.id,
        first_name=resident.first_name,
        last_name=resident.last_name,
        display_name=service.resident_display_name(resident),
        from_integration=resident.integration_id is not None,
        keys=[_key_out(key) for key in sorted(resident.keys, key=lambda key: key.id)],
    )


def _apartment_out(apartment, choice: str) -> ApartmentOut:
    return ApartmentOut(
        id=apartment.id,
        address_id=apartment.address_id,
        number=service.shown_number(apartment, choice),
        lm_number=apartment.lm_number,
        internal_number=apartment.internal_number,
        floor_code=apartment.floor_code,
        from_integration=apartment.integration_id is not None,
        residents=[
            _resident_out(resident)
            for resident in sorted(apartment.residents, key=lambda r: swedish_key(service.resident_display_name(r)))
        ],
    )


def _not_found(exc: service.NotFound) -> ApiError:
    return problem(404, "not_found", exc.message)


RecordId = record_id(lambda value: problem(404, "not_found", N_("Det finns ingen post %(id)s i ert konto.", id=value)))
"""A path id: beyond the id columns' range it is an unknown record (404), not a database error."""


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items a page holds.")]
Cursor = Annotated[
    str | None, Query(max_length=2000, description="From the previous page's Link rel=next (or X-Next-Cursor).")
]


@dataclass
class Paging:
    """A list request's ``limit`` and ``cursor``; ``items`` answers a page, with the next page's link in
    ``Link: <…>; rel="next"`` and ``X-Next-Cursor``."""

    request: Request
    response: Response
    limit: int
    cursor: str | None

    def items(self, page: Page) -> list:
        if page.next_cursor:
            url = self.request.url.include_query_params(cursor=page.next_cursor, limit=self.limit)
            self.response.headers["Link"] = f'<{url}>; rel="next"'
            self.response.headers["X-Next-Cursor"] = page.next_cursor
        return page.items


def _paging(request: Request, response: Response, limit: Limit = 100, cursor: Cursor = None) -> Paging:
    return Paging(request, response, limit, cursor)


PagingQuery = Annotated[Paging, Depends(_paging)]


def _invalid_input(exc: service.InvalidInput) -> ApiError:
    return problem(422, "invalid", exc.message)


@router.get("/addresses", summary="The account's addresses, in Swedish order, a page at a time")
def list_addresses(
    session: DbSession,
    account: CurrentAccount,
    paging: PagingQuery,
    search: Annotated[str, Query(max_length=200, description="Only names containing this (any case).")] = "",
) -> list[AddressSummary]:
    try:
        page = service.page_addresses(session, account=account, search=search, cursor=paging.cursor, limit=paging.limit)
    except service.InvalidInput as exc:
        raise _invalid_input(exc) from exc
    return [
        AddressSummary(
            id=address.id,
            name=address.name,
            apartments=count,
            shown_number=service.shown_number_choice(account, address),
            from_integration=address.integration_id is not None,
        )
        for address, count in paging.items(page)
    ]


@router.get("/addresses/{address_id}", summary="An address with its apartments, residents and keys")
def get_address(address_id: RecordId, session: DbSession, account: CurrentAccount) -> AddressOut:
    try:
        address = service.get_address(session, account=account, address_id=address_id)
    except service.NotFound as exc:
        raise _not_found(exc) from exc
    choice = service.shown_number_choice(account, address)
    return AddressOut(
        id=address.id,
        name=address.name,
        shown_number=choice,
        from_integration=address.integration_id is not None,
        apartments=[
            _apartment_out(apartment, choice) for apartment in sorted(address.apartments, key=lambda a: a.lm_number)
        ],
    )


@router.get(
    "/addresses/{address_id}/nameboard",
    summary="The name board of an address (poll with If-None-Match)",
    responses={304: {"description": "Unchanged since the ETag given in If-None-Match"}},
)
def get_name_board(
    address_id: RecordId,
    session: DbSession,
    account: CurrentAccount,
    response: Response,
    if_none_match: Annotated[str | None, Header()] = None,
) -> NameBoardOut:
    """Floors top down, the apartments on each with the number to show and the residents' names.

    The ETag changes exactly when the board does, so a device can poll cheaply: send the last ETag in
    If-None-Match and get 304 with no body while nothing changed.
    """
    try:
        board = service.name_board(session, account=account, address_id=address_id)
    except service.NotFound as exc:
        raise _not_found(exc) from exc
    body = asdict(board)
    etag = '"' + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match and _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return NameBoardOut(**body)


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match list against the current ETag."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


@router.get("/apartments/{apartment_id}", summary="An apartment with its residents and their keys")
def get_apartment(apartment_id: RecordId, session: DbSession, account: CurrentAccount) -> ApartmentOut:
    try:
        apartment = service.get_apartment(session, account=account, apartment_id=apartment_id)
    except service.NotFound as exc:
        raise _not_found(exc) from exc
    return _apartment_out(apartment, service.shown_number_choice(account, apartment.address))


@router.get("/residents/{resident_id}", summary="A resident with their keys")
def get_resident(resident_id: RecordId, session: DbSession, account: CurrentAccount) -> ResidentOut:
    try:
        resident = service.get_resident(session, account=account, resident_id=resident_id)
    except service.NotFound as exc:
        raise _not_found(exc) from exc
    return _resident_out(resident)


@router.get("/keys", summary="The account's keys with whom and where they belong, a page at a time")
def list_keys(session: DbSession, account: CurrentAccount, paging: PagingQuery) -> list[KeyListing]:
    try:
        page = service.page_keys(session, account=account, cursor=paging.cursor, limit=paging.limit)
    except service.InvalidInput as exc:
        raise _invalid_input(exc) from exc
    return [
        KeyListing(
            **_key_out(key).model_dump(),
            resident_id=resident.id,
            resident=service.resident_display_name(resident),
            apartment_id=apartment.id,
            address=address.name,
        )
        for key, resident, apartment, address in paging.items(page)
    ]
