"""Customers, objects and contracts with their rent components: lists, adding, and rent changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bodata.core.context import Context, DbSession
from bodata.core.web import pages
from bodata.portal import rent
from bodata.portal.admin.contracts import ContractFields
from bodata.portal.admin.crud import check_references, check_unique, create_record, get_record
from bodata.portal.admin.customers import AddressIn, ContactDetailIn, CustomerCreate, create_customer
from bodata.portal.models import ContactDetail, Contract, Customer, Node, RentComponent
from bodata.portal.staff.web import PREFIX, PageRoute, PageStaff, WriteStaff, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Text = Annotated[str, Form()]


def optional_date(value: str, name: str) -> date | None:
    """A date typed into a form (empty: none)."""
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        raise rent.RentError(f"{name}: skriv datumet ÅÅÅÅ-MM-DD.") from None


def required_date(value: str, name: str) -> date:
    """A date that must be typed in."""
    day = optional_date(value, name)
    if day is None:
        raise rent.RentError(f"{name}: ange ett datum (ÅÅÅÅ-MM-DD).")
    return day


def amount(value: str, name: str) -> Decimal:
    """An amount typed into a form (``7 900,50``)."""
    try:
        return Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise rent.RentError(f"{name}: skriv ett belopp, till exempel 7900 eller 7900,50.") from None


def rentable_objects(session: Session) -> list[Node]:
    """Objects a contract can let (those with an object type), by number."""
    return list(session.scalars(select(Node).where(Node.object_type.is_not(None)).order_by(Node.nummer, Node.id)))


# --- Customers ------------------------------------------------------------------------------------


@router.get("/personal/kunder")
def customers_page(request: Request, session: DbSession, login: PageStaff) -> Response:
    emails = dict(
        session.execute(
            select(ContactDetail.customer_id, ContactDetail.value).where(ContactDetail.kind == "E-postadress")
        ).all()
    )
    customers = session.scalars(select(Customer).order_by(Customer.kundnummer).limit(1000)).all()
    return render(request, "customers.html", login=login, section="kunder", customers=customers, emails=emails)


@router.post("/personal/kunder")
def add_customer(
    request: Request,
    session: DbSession,
    context: Context,
    login: WriteStaff,
    kundnummer: Text = "",
    fornamn: Text = "",
    efternamn: Text = "",
    personnummer: Text = "",
    epost: Text = "",
    gatuadress: Text = "",
    postnummer: Text = "",
    postort: Text = "",
) -> Response:
    data = CustomerCreate(
        kundnummer=kundnummer.strip(),
        fornamn=fornamn.strip(),
        efternamn=efternamn.strip(),
        personnummer=personnummer.replace("-", "").strip() or None,
        contact_details=[ContactDetailIn(kind="E-postadress", value=epost.strip())] if epost.strip() else [],
        addresses=[
            AddressIn(
                kind="kund.post",
                namn=f"{fornamn.strip()} {efternamn.strip()}",
                gatuadress1=gatuadress.strip(),
                postnummer=postnummer.replace(" ", ""),
                postort=postort.strip(),
            )
        ]
        if gatuadress.strip()
        else [],
    )
    create_customer(session, data=data, now=context.clock.now())
    return pages.redirect(request, f"{PREFIX}/kunder", klart="customer-added")


# --- Objects --------------------------------------------------------------------------------------


@router.get("/personal/objekt")
def objects_page(request: Request, session: DbSession, login: PageStaff) -> Response:
    tenants = dict(
        session.execute(
            select(Contract.node_id, func.count(Contract.id)).where(Contract.tom.is_(None)).group_by(Contract.node_id)
        ).all()
    )
    return render(
        request, "objects.html", login=login, section="objekt", objects=rentable_objects(session), tenants=tenants
    )


# --- Contracts ------------------------------------------------------------------------------------


@router.get("/personal/avtal")
def contracts_page(request: Request, session: DbSession, login: PageStaff) -> Response:
    rows = session.execute(
        select(Contract, Customer, Node)
        .join(Customer, Customer.id == Contract.customer_id)
        .join(Node, Node.id == Contract.node_id)
        .order_by(Contract.avtalsnummer)
        .limit(1000)
    ).all()
    customers = session.scalars(select(Customer).order_by(Customer.kundnummer).limit(2000)).all()
    return render(
        request,
        "contracts.html",
        login=login,
        section="avtal",
        rows=rows,
        customers=customers,
        objects=rentable_objects(session),
    )


@router.post("/personal/avtal")
def add_contract(
    request: Request,
    session: DbSession,
    login: WriteStaff,
    avtalsnummer: Text = "",
    customer_id: Annotated[int, Form()] = 0,
    node_id: Annotated[int, Form()] = 0,
    fom: Text = "",
    tom: Text = "",
    billing_period: Text = "manad",
    vat: Annotated[bool, Form()] = False,
    reminder_fee: Annotated[bool, Form()] = False,
    grundhyra: Text = "0",
) -> Response:
    data = ContractFields(
        avtalsnummer=avtalsnummer.strip(),
        customer_id=customer_id,
        node_id=node_id,
        fom=required_date(fom, "Från"),
        tom=optional_date(tom, "Till"),
        billing_period=billing_period,
        vat=vat,
        reminder_fee=reminder_fee,
    )
    values = data.model_dump()
    check_references(session, Contract, values)
    check_unique(session, Contract, values)
    contract = create_record(session, Contract, values)
    monthly = amount(grundhyra, "Grundhyra")
    if monthly > 0:
        rent.change_rent(session, contract_id=contract.id, aviseringstext="Grundhyra", monthly_amount=monthly, fom=None)
    return pages.redirect(request, f"{PREFIX}/avtal/{contract.id}", klart="contract-added")


@router.get("/personal/avtal/{contract_id}")
def contract_page(contract_id: int, request: Request, session: DbSession, login: PageStaff) -> Response:
    contract = get_record(session, Contract, contract_id)
    components = session.scalars(
        select(RentComponent)
        .where(RentComponent.contract_id == contract_id)
        .order_by(RentComponent.aviseringstext, RentComponent.fom)
    ).all()
    return render(
        request,
        "contract.html",
        login=login,
        section="avtal",
        contract=contract,
        customer=session.get(Customer, contract.customer_id),
        node=session.get(Node, contract.node_id),
        components=components,
    )


@router.post("/personal/avtal/{contract_id}/hyra")
def change_rent(
    contract_id: int,
    request: Request,
    session: DbSession,
    login: WriteStaff,
    aviseringstext: Text = "",
    belopp: Text = "",
    fom: Text = "",
) -> Response:
    get_record(session, Contract, contract_id)
    rent.change_rent(
        session,
        contract_id=contract_id,
        aviseringstext=aviseringstext,
        monthly_amount=amount(belopp, "Belopp per månad"),
        fom=optional_date(fom, "Gäller från"),
    )
    return pages.redirect(request, f"{PREFIX}/avtal/{contract_id}", klart="rent-changed")
