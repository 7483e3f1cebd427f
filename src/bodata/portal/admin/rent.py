"""Rent components, rent changes and rent runs (portal/rent.py): preview a period's notices, then commit them."""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field, model_validator

from bodata.core.context import Context, DbSession
from bodata.portal import rent
from bodata.portal.admin.crud import Input, check_order, get_record, output_schema, unprocessable
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.admin.schemas import Amount, Id, text
from bodata.portal.models import Contract, RentComponent, RentRun

router = APIRouter()

Period = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM", examples=["2027-01"])]


class RentComponentFields(Input):
    """A part of a contract's rent per month (Grundhyra, Parkering, Förråd), in force from ``fom`` to ``tom``."""

    contract_id: Id
    aviseringstext: text(200, required=True)
    monthly_amount: Amount = Field(ge=0)
    fom: date | None = None
    tom: date | None = None

    @model_validator(mode="after")
    def _period(self) -> "RentComponentFields":
        check_order(self.fom, self.tom, "tom")
        return self


RentComponentOut = output_schema(RentComponentFields, "RentComponent", "A rent component.")


class RentChange(Input):
    """A new monthly amount for one of the contract's components from a day (a rent change, hyresändring)."""

    aviseringstext: text(200, required=True)
    monthly_amount: Amount = Field(ge=0)
    fom: date | None = Field(None, description="Effective from; from the contract's start when null.")


class PlannedLineOut(BaseModel):
    month: date
    text: str
    netto: Amount
    moms: Amount


class PlannedNoticeOut(BaseModel):
    contract_id: int
    avtalsnummer: str
    customer_id: int
    period_fom: date
    forfallodag: date
    netto: Amount
    moms: Amount
    brutto: Amount
    lines: list[PlannedLineOut]


class RentPreviewOut(BaseModel):
    """What committing the run would make; ``already_noticed`` contracts have their notice for the period."""

    period: str
    total: Amount
    already_noticed: int
    notices: list[PlannedNoticeOut]


class RentRunIn(Input):
    period: Period


class RentRunOut(BaseModel):
    """A committed rent run."""

    model_config = {"from_attributes": True}

    id: int
    period: str
    trigger: str
    started_by: str
    created_at: datetime
    notices: int
    total: Amount


def preview_out(plan: rent.RentPlan) -> RentPreviewOut:
    """The preview as the API shows it."""
    notices = [
        PlannedNoticeOut(
            contract_id=n.contract_id,
            avtalsnummer=n.avtalsnummer,
            customer_id=n.customer_id,
            period_fom=n.period_fom,
            forfallodag=n.forfallodag,
            netto=n.netto,
            moms=n.moms,
            brutto=n.brutto,
            lines=[
                PlannedLineOut(month=line.month, text=line.text, netto=line.netto, moms=line.moms) for line in n.lines
            ],
        )
        for n in plan.notices
    ]
    return RentPreviewOut(period=plan.period, total=plan.total, already_noticed=plan.already_noticed, notices=notices)


add_resources(
    router,
    (
        Resource(
            path="/rent-components",
            model=RentComponent,
            tag="Rent",
            out=RentComponentOut,
            create_schema=RentComponentFields,
            edit_schema=RentComponentFields,
            filters=("contract_id",),
        ),
        Resource(path="/rent-runs", model=RentRun, tag="Rent", out=RentRunOut, filters=("period",), deletable=False),
    ),
)


@router.post(
    "/contracts/{id}/rent-changes",
    status_code=201,
    response_model=RentComponentOut,
    tags=["Rent"],
    summary="Change a contract's rent",
)
def post_rent_change(contract_id: Annotated[int, Path(alias="id", ge=1)], body: RentChange, session: DbSession) -> Any:
    """Set a component's monthly amount from ``fom``: the amount in force then ends the day before."""
    get_record(session, Contract, contract_id)
    return rent.change_rent(
        session,
        contract_id=contract_id,
        aviseringstext=body.aviseringstext,
        monthly_amount=body.monthly_amount,
        fom=body.fom,
    )


@router.get("/rent-run-preview", response_model=RentPreviewOut, tags=["Rent"], summary="Preview a rent run")
def get_preview(period: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")], session: DbSession) -> Any:
    """The notices a run for ``period`` would make (contracts that have theirs are counted, not repeated)."""
    try:
        return preview_out(rent.plan_rent_run(session, period=period))
    except rent.RentError as exc:
        raise unprocessable(str(exc)) from None


@router.post("/rent-runs", status_code=201, response_model=RentRunOut, tags=["Rent"], summary="Commit a rent run")
def post_rent_run(body: RentRunIn, session: DbSession, context: Context) -> Any:
    """Make the period's missing notices with OCR references and PDFs, and put them in the outbox (e-mail or the
    print batch). Running a period again makes only what is missing."""
    try:
        committed = rent.commit_rent_run(
            session, period=body.period, now=clock_now(context), trigger="api", started_by="back office"
        )
    except rent.RentError as exc:
        raise unprocessable(str(exc)) from None
    return committed.run
