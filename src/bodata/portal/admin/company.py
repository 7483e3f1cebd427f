"""The housing company (landlord) whose name, address and bankgiro the printed notices carry."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.context import DbSession
from bodata.core.errors import ApiError
from bodata.portal.admin.crud import Input, output_schema
from bodata.portal.admin.nodes import checked_postcode
from bodata.portal.admin.schemas import Amount, text
from bodata.portal.models import Company
from bodata.portal.ocr import valid_bankgiro

router = APIRouter()


class CompanyFields(Input):
    """The housing company whose name, address and bankgiro the printed notices carry."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "namn": "Bostads AB Mälarporten",
                    "organisationsnummer": "556677-8899",
                    "gatuadress": "Stora Gatan 1",
                    "postnummer": "72212",
                    "postort": "Västerås",
                    "telefon": "021-10 20 30",
                    "epost": "kundservice@malarporten.se",
                    "webbadress": "https://malarporten.se",
                    "bankgiro": "5050-1055",
                    "rent_run_day": 15,
                    "reminder_days": 10,
                    "reminder_fee": 60,
                }
            ]
        }
    )

    namn: text(200, required=True)
    organisationsnummer: Annotated[str, StringConstraints(pattern=r"^\d{6}-?\d{4}$")]
    gatuadress: text(200, required=True)
    postnummer: text(10, required=True)
    postort: text(100, required=True)
    telefon: text(50) = ""
    epost: text(200) = ""
    webbadress: text(200) = ""
    bankgiro: text(20, required=True)
    rent_run_day: int = Field(15, ge=1, le=28, description="The day of the month the scheduled rent run runs.")
    reminder_days: int = Field(10, ge=0, le=365, description="Days past the due date before a reminder is sent.")
    reminder_fee: Amount = Field(
        Decimal(60), ge=0, le=60, description="The reminder fee where a contract allows one (inkassolagen: ≤ 60 kr)."
    )

    @field_validator("postnummer")
    @classmethod
    def _swedish_postcode(cls, value: str) -> str:
        return checked_postcode(value, "SE")

    @field_validator("bankgiro")
    @classmethod
    def _bankgiro(cls, value: str) -> str:
        if not valid_bankgiro(value):
            raise ValueError("not a bankgiro number (7 or 8 digits with a check digit)")
        return value


def save_company(session: Session, *, data: CompanyFields) -> Company:
    """Create or replace the company record (there is one)."""
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        company = Company()
        session.add(company)
    for name, value in data.model_dump().items():
        setattr(company, name, value)
    session.flush()
    return company


def get_company(session: Session) -> Company:
    """The company record; 404 before one is saved."""
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        raise ApiError(404, "not_found", "No company is registered yet: PUT /portal/admin/company.")
    return company


CompanyOut = output_schema(CompanyFields, "Company", "The housing company.")


@router.get("/company", response_model=CompanyOut, tags=["Company"], summary="Read the company")
def read_company(session: DbSession) -> Any:
    """The housing company whose details the printed notices carry; 404 before one is saved."""
    return get_company(session)


@router.put("/company", response_model=CompanyOut, tags=["Company"], summary="Save the company")
def put_company(body: CompanyFields, session: DbSession) -> Any:
    """Create or replace the company record."""
    return save_company(session, data=body)
