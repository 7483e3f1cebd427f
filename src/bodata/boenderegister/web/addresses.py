"""The address list (search, pages), an address's page with its apartments, and its name board."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from bodata.boenderegister import service
from bodata.boenderegister.refid import floor_label
from bodata.boenderegister.web.rendering import WebRoute, render, submitted
from bodata.boenderegister.web.session import Login, PageLogin, PostLogin
from bodata.core.context import DbSession
from bodata.core.i18n import Message
from bodata.core.web.pages import redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)


ADDRESSES_PER_PAGE = 50


def _addresses_page(
    request: Request, session: Session, login: Login, *, error: Message | None = None, name: str = ""
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
    return submitted(
        request,
        lambda: service.add_address(session, account=login.account, name=name),
        again=lambda error, _: _addresses_page(request, session, login, error=error, name=name),
        to=lambda address: f"/addresses/{address.id}",
        done="address-added",
    )


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
    error: Message | None = None,
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


def _again(request: Request, session: Session, login: Login, address_id: int):
    """Show the address's page once more with the reason a form was refused and what was typed."""
    return lambda error, form: _address_page(request, session, login, address_id, error=error, form=form)


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
    form = {"lm_number": lm_number, "internal_number": internal_number, "floor_code": floor_code}
    return submitted(
        request,
        lambda: service.add_apartment(session, account=login.account, address_id=address_id, **form),
        again=_again(request, session, login, address_id),
        form=form,
        to=f"/addresses/{address_id}",
        done="apartment-added",
    )


@router.post("/addresses/{address_id}/shown-number")
def set_address_shown_number(
    address_id: int, request: Request, session: DbSession, login: PostLogin, choice: Annotated[str, Form()] = ""
) -> Response:
    return submitted(
        request,
        lambda: service.set_shown_number(session, account=login.account, choice=choice, address_id=address_id),
        again=_again(request, session, login, address_id),
        to=f"/addresses/{address_id}",
        done="shown-number",
    )


@router.post("/addresses/{address_id}/delete")
def delete_address(address_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    service.delete_record(session, account=login.account, kind="address", record_id=address_id)
    return redirect(request, "/addresses", done="deleted")


@router.get("/addresses/{address_id}/board")
def name_board(address_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    board = service.name_board(session, account=login.account, address_id=address_id)
    return render(request, "board.html", login=login, section="addresses", board=board)
