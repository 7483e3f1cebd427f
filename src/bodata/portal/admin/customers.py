"""Customers with their contact details, addresses (postal, visiting, temporary) and market profile
(portal.md §2.8, A-7)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_serializer, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.se import personnummer as swedish_personal_number

from bodata.core.db import Base
from bodata.core.errors import ApiError
from bodata.portal.admin.crud import (
    Input,
    check_order,
    columns_of,
    create_record,
    get_record,
    output_schema,
    unprocessable,
)
from bodata.portal.admin.logins import LoginOut
from bodata.portal.admin.nodes import checked_country, checked_postcode
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.admin.schemas import Id, text
from bodata.portal.models import ContactDetail, Customer, CustomerAddress, Login

router = APIRouter()


class _Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MarketType(_Profile):
    """A market-profile vocabulary entry (``SystemName`` + ``Beteckning``)."""

    SystemName: str | None = None
    Beteckning: str | None = None


class IncomeType(MarketType):
    """MarknadAktörInkomstTyp."""

    MarknadAktörInkomstTypGrupp: MarketType | None = None


class Income(_Profile):
    """MarknadAktörInkomst (portal.md §2.8)."""

    MarknadAktörInkomstId: int | None = None
    Skapad: date | datetime | None = None
    Arbetsgivare: str | None = None
    Kontaktperson: str | None = None
    Telefonnummer: str | None = None
    InkomstSedan: date | None = None
    MånadsinkomstNetto: float | None = None
    MarknadAktörInkomstTyp: IncomeType | None = None


class Education(_Profile):
    """MarknadAktörUtbildning (portal.md §2.8)."""

    MarknadAktörUtbildningId: int | None = None
    Lärosäte: str | None = None
    Ort: str | None = None
    Kontaktperson: str | None = None
    Telefonnummer: str | None = None
    Fom: date | None = None
    Tom: date | None = None
    MarknadAktörUtbildningTyp: MarketType | None = None


class Housing(_Profile):
    """MarknadAktörBoende (portal.md §2.8): the current housing."""

    Namn: str | None = None
    Kontaktperson: str | None = None
    Telefonnummer: str | None = None
    MarknadAktörBoendeTyp: MarketType | None = None


class Household(_Profile):
    """MarknadAktörHushåll (portal.md §2.8)."""

    AntalVuxna: int | None = Field(None, ge=0)
    AntalBarn: int | None = Field(None, ge=0)


class Interest(_Profile):
    """MarknadIntresse (portal.md §2.8): an interest registration."""

    MarknadIntresseId: int | None = None
    Skapad: date | datetime | None = None
    Nummer: str | None = None


class MarketEconomy(_Profile):
    """MarknadEkonomi (portal.md §2.8)."""

    Borgensman: bool | None = None
    Deposition: bool | None = None
    Kapital: bool | None = None


class MarketProfile(_Profile):
    """The customer's market profile (SessionMarknadProfil, portal.md §2.8, A-7): one object per part."""

    Skapad: date | datetime | None = None
    MarknadAktörInkomst: Income | None = None
    MarknadAktörUtbildning: Education | None = None
    MarknadAktörBoende: Housing | None = None
    MarknadAktörHushåll: Household | None = None
    MarknadIntresse: Interest | None = None
    MarknadEkonomi: MarketEconomy | None = None


ContactKind = Literal["E-postadress", "Telefon hem", "Mobilnummer"]


AddressKind = Literal["kund.post", "kund.besok", "tillfallig"]


class ContactDetailIn(Input):
    """A contact detail: e-mail, home phone or mobile number (one of each per customer)."""

    kind: ContactKind
    value: text(200, required=True)
    validated: bool = Field(False, description="Whether the customer confirmed it (Validerad).")


class ContactDetailFields(ContactDetailIn):
    """A contact detail of a customer."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"customer_id": 1, "kind": "E-postadress", "value": "anna@example.se"}]}
    )

    customer_id: Id


class AddressIn(Input):
    """A postal or visiting address, or a temporary address (``tillfallig``) valid from ``fom`` to ``tom``."""

    kind: AddressKind
    namn: text(200) | None = None
    attention: text(200) | None = None
    care_of: text(200) | None = None
    gatuadress1: text(200) | None = None
    gatuadress2: text(200) | None = None
    postnummer: text(10) | None = None
    postort: text(100) | None = None
    land: text(2) = "SE"
    fom: date | None = None
    tom: date | None = None

    @model_validator(mode="after")
    def _rules(self) -> "AddressIn":
        self.land = checked_country(self.land)
        if self.postnummer is not None:
            self.postnummer = checked_postcode(self.postnummer, self.land)
        check_order(self.fom, self.tom, "fom/tom")
        if self.kind == "tillfallig" and self.fom is None:
            raise ValueError("fom: a temporary address needs a start date")
        return self


class AddressFields(AddressIn):
    """An address of a customer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 1,
                    "kind": "tillfallig",
                    "namn": "Anna Andersson",
                    "gatuadress1": "Sommarvägen 3",
                    "postnummer": "76291",
                    "postort": "Rimbo",
                    "land": "SE",
                    "fom": "2026-06-01",
                    "tom": "2026-08-31",
                }
            ]
        }
    )

    customer_id: Id


class CustomerFields(Input):
    """A customer (tenant)."""

    kundnummer: text(30, required=True)
    fornamn: text(100, required=True)
    efternamn: text(100, required=True)
    personnummer: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] | None = Field(
        None, description="Swedish personal identity number, 12 digits (YYYYMMDDnnnn)."
    )
    fodelsedatum: date | None = Field(None, description="Taken from the personnummer when not given.")
    market_profile: MarketProfile | None = Field(None, description="The market profile (portal.md §2.8).")

    @model_validator(mode="after")
    def _identity(self) -> "CustomerFields":
        if self.personnummer is not None:
            if not swedish_personal_number.is_valid(self.personnummer):
                raise ValueError("personnummer: not a valid Swedish personal identity number")
            self.fodelsedatum = self.fodelsedatum or swedish_personal_number.get_birth_date(self.personnummer)
        return self

    @field_serializer("market_profile")
    def _profile_json(self, profile: MarketProfile | None) -> dict[str, Any] | None:
        return None if profile is None else profile.model_dump(mode="json", exclude_unset=True)


class CustomerCreate(CustomerFields):
    """A customer with contact details and addresses."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kundnummer": "15555",
                    "fornamn": "Anna",
                    "efternamn": "Andersson",
                    "personnummer": "198112189876",
                    "market_profile": {
                        "Skapad": "2024-02-01T10:00:00+01:00",
                        "MarknadAktörHushåll": {"AntalVuxna": 2, "AntalBarn": 1},
                        "MarknadEkonomi": {"Borgensman": False, "Deposition": True, "Kapital": False},
                    },
                    "contact_details": [{"kind": "E-postadress", "value": "anna@example.se", "validated": True}],
                    "addresses": [
                        {
                            "kind": "kund.post",
                            "namn": "Anna Andersson",
                            "gatuadress1": "Skärgatan 4",
                            "postnummer": "72131",
                            "postort": "Västerås",
                        }
                    ],
                }
            ]
        }
    )

    contact_details: list[ContactDetailIn] = Field(default_factory=list)
    addresses: list[AddressIn] = Field(default_factory=list)


def create_customer(session: Session, *, data: CustomerCreate, now: datetime) -> Customer:
    """A customer with its contact details and addresses."""
    kinds = [detail.kind for detail in data.contact_details]
    if len(kinds) != len(set(kinds)):
        raise unprocessable("A customer has at most one contact detail of each kind.")
    fields = data.model_dump(exclude={"contact_details", "addresses"})
    customer = create_record(session, Customer, {**fields, "created_at": now})
    session.add_all(ContactDetail(customer_id=customer.id, **detail.model_dump()) for detail in data.contact_details)
    session.add_all(CustomerAddress(customer_id=customer.id, **address.model_dump()) for address in data.addresses)
    session.flush()
    return customer


def customer_by_number(session: Session, kundnummer: str) -> Customer:
    """The customer with this customer number; 404 when there is none."""
    customer = session.scalar(select(Customer).where(Customer.kundnummer == kundnummer))
    if customer is None:
        raise ApiError(404, "not_found", f"There is no customer with kundnummer {kundnummer!r}.")
    return customer


def customer_parts(session: Session, *, customer_id: int) -> dict[str, list[Base]]:
    """A customer's contact details, addresses and logins."""
    return {
        "contact_details": list(
            session.scalars(
                select(ContactDetail).where(ContactDetail.customer_id == customer_id).order_by(ContactDetail.id)
            )
        ),
        "addresses": list(
            session.scalars(
                select(CustomerAddress).where(CustomerAddress.customer_id == customer_id).order_by(CustomerAddress.id)
            )
        ),
        "logins": list(session.scalars(select(Login).where(Login.customer_id == customer_id).order_by(Login.id))),
    }


ContactDetailOut = output_schema(ContactDetailFields, "ContactDetail", "A customer's contact detail.")


AddressOut = output_schema(AddressFields, "CustomerAddress", "A customer's address.")


_CUSTOMER_EXTRA: dict[str, Any] = {
    "created_at": (datetime, ...),
    "market_profile": (dict[str, Any] | None, Field(None, description="The market profile (portal.md §2.8).")),
}


CustomerOut = output_schema(CustomerFields, "Customer", "A customer.", **_CUSTOMER_EXTRA)


CustomerDetail = output_schema(
    CustomerFields,
    "CustomerDetail",
    "A customer with contact details, addresses and logins.",
    **_CUSTOMER_EXTRA,
    contact_details=(list[ContactDetailOut], ...),
    addresses=(list[AddressOut], ...),
    logins=(list[LoginOut], ...),
)


def read_customer(session: Session, customer_id: int) -> BaseModel:
    """A customer with contact details, addresses and logins."""
    customer = get_record(session, Customer, customer_id)
    parts = customer_parts(session, customer_id=customer_id)
    return CustomerDetail.model_validate({**columns_of(customer, CustomerDetail), **parts})


add_resources(
    router,
    (
        Resource(
            path="/customers",
            model=Customer,
            tag="Customers",
            out=CustomerDetail,
            summary=CustomerOut,
            create_schema=CustomerCreate,
            edit_schema=CustomerFields,
            filters=("kundnummer", "personnummer"),
            create=lambda session, body, context: create_customer(session, data=body, now=clock_now(context)),
            read=read_customer,
        ),
        Resource(
            path="/contact-details",
            model=ContactDetail,
            tag="Customers",
            out=ContactDetailOut,
            create_schema=ContactDetailFields,
            edit_schema=ContactDetailFields,
            filters=("customer_id", "kind"),
        ),
        Resource(
            path="/addresses",
            model=CustomerAddress,
            tag="Customers",
            out=AddressOut,
            create_schema=AddressFields,
            edit_schema=AddressFields,
            filters=("customer_id", "kind"),
        ),
    ),
)
