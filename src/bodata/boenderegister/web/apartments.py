"""Apartments, residents and keys typed in by hand: their pages, adding and deleting them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from bodata.boenderegister import service
from bodata.boenderegister.models import Key
from bodata.boenderegister.refid import floor_label
from bodata.boenderegister.web.rendering import WebRoute, render, submitted
from bodata.boenderegister.web.session import Login, PageLogin, PostLogin
from bodata.core.context import DbSession
from bodata.core.i18n import N_, Message
from bodata.core.web.pages import redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _apartment_page(
    request: Request,
    session: Session,
    login: Login,
    apartment_id: int,
    *,
    error: Message | None = None,
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


def _again(request: Request, session: Session, login: Login, apartment_id: int):
    """Show the apartment's page once more with the reason a form was refused and what was typed."""
    return lambda error, form: _apartment_page(request, session, login, apartment_id, error=error, form=form)


def _deleted(request: Request, session: Session, login: Login, *, kind: str, record_id: int, back: str) -> Response:
    service.delete_record(session, account=login.account, kind=kind, record_id=record_id)
    return redirect(request, back, done="deleted")


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
    return submitted(
        request,
        lambda: service.add_resident(
            session, account=login.account, apartment_id=apartment_id, first_name=first_name, last_name=last_name
        ),
        again=_again(request, session, login, apartment_id),
        form={"first_name": first_name, "last_name": last_name},
        to=f"/apartments/{apartment_id}",
        done="resident-added",
    )


@router.post("/apartments/{apartment_id}/delete")
def delete_apartment(apartment_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    apartment = service.get_apartment(session, account=login.account, apartment_id=apartment_id)
    back = f"/addresses/{apartment.address_id}"
    return _deleted(request, session, login, kind="apartment", record_id=apartment_id, back=back)


@router.post("/residents/{resident_id}/keys")
def add_key(
    resident_id: int,
    request: Request,
    session: DbSession,
    login: PostLogin,
    kind: Annotated[str, Form()] = "",
    number: Annotated[str, Form()] = "",
) -> Response:
    apartment_id = service.get_resident(session, account=login.account, resident_id=resident_id).apartment_id
    return submitted(
        request,
        lambda: service.add_key(session, account=login.account, resident_id=resident_id, kind=kind, number=number),
        again=_again(request, session, login, apartment_id),
        form={"resident_id": str(resident_id), "kind": kind, "number": number},
        to=f"/apartments/{apartment_id}",
        done="key-added",
    )


@router.post("/residents/{resident_id}/delete")
def delete_resident(resident_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    apartment_id = service.get_resident(session, account=login.account, resident_id=resident_id).apartment_id
    return _deleted(request, session, login, kind="resident", record_id=resident_id, back=f"/apartments/{apartment_id}")


@router.post("/keys/{key_id}/delete")
def delete_key(key_id: int, request: Request, session: DbSession, login: PostLogin) -> Response:
    key = session.get(Key, key_id)
    if key is None:
        raise service.NotFound(N_("nyckel %(id)s finns inte", id=key_id))
    apartment_id = service.get_resident(session, account=login.account, resident_id=key.resident_id).apartment_id
    return _deleted(request, session, login, kind="key", record_id=key_id, back=f"/apartments/{apartment_id}")
