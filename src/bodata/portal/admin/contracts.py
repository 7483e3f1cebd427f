"""Contracts: which customer rents which object, from when, for how much."""

from datetime import date
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter
from pydantic import ConfigDict, Field, model_validator

from bodata.portal.admin.crud import Input, check_order, output_schema
from bodata.portal.admin.resources import Resource, add_resources
from bodata.portal.admin.schemas import Amount, Id, text
from bodata.portal.models import Contract

router = APIRouter()


class ContractFields(Input):
    """A contract letting an object (node) to a customer from ``fom`` to ``tom`` (inclusive; open when null)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "avtalsnummer": "A-1",
                    "customer_id": 1,
                    "node_id": 3,
                    "fom": "2020-01-01",
                    "tom": None,
                    "monthly_rent": 7900,
                    "billing_period": "manad",
                    "vat": False,
                    "reminder_fee": True,
                    "due_day": None,
                }
            ]
        }
    )

    avtalsnummer: text(50, required=True)
    customer_id: Id
    node_id: Id
    fom: date
    tom: date | None = None
    monthly_rent: Amount = Field(Decimal(0), description="Billed as Hyra while the contract has no rent components.")
    billing_period: Literal["manad", "kvartal"] = Field("manad", description="Notices monthly or quarterly.")
    vat: bool = Field(False, description="Commercial premises: 25 % VAT on every rent line.")
    reminder_fee: bool = Field(False, description="The contract allows a reminder fee (inkassolagen).")
    due_day: int | None = Field(
        None, ge=1, le=28, description="Due on this day of the month before; the last weekday before when null."
    )

    @model_validator(mode="after")
    def _period(self) -> "ContractFields":
        check_order(self.fom, self.tom, "tom")
        return self


ContractOut = output_schema(ContractFields, "Contract", "A contract.")


add_resources(
    router,
    (
        Resource(
            path="/contracts",
            model=Contract,
            tag="Contracts",
            out=ContractOut,
            create_schema=ContractFields,
            edit_schema=ContractFields,
            filters=("customer_id", "node_id", "avtalsnummer"),
        ),
    ),
)
