"""Reminders and reference rates (portal/reminders.py), and the outbox (portal/outbox.py): sending, retrying and
the print batch of letters."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, Field

from bodata.core.context import Context, DbSession
from bodata.portal import outbox, reminders
from bodata.portal.admin.crud import Input, get_record
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.models import OutboxMessage, ReferenceRate

router = APIRouter()


class ReferenceRateIn(Input):
    """Riksbanken's reference rate in force from ``fom`` (percent)."""

    fom: date
    rate: Decimal = Field(ge=-10, le=50, max_digits=6, decimal_places=3)


class ReferenceRateOut(BaseModel):
    model_config = {"from_attributes": True}

    fom: date
    rate: Decimal


class RemindersOut(BaseModel):
    """The reminders made (their AviseringId)."""

    reminders: list[int]


class OutboxOut(BaseModel):
    """A message in the outbox."""

    model_config = {"from_attributes": True}

    id: int
    customer_id: int
    channel: str
    kind: str
    recipient: str
    subject: str
    body: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    invoice_id: int | None
    attachment_name: str | None


class SendOut(BaseModel):
    sent: int
    retried: int
    failed: int


add_resources(
    router,
    (
        Resource(
            path="/outbox",
            model=OutboxMessage,
            tag="Outbox",
            out=OutboxOut,
            filters=("status", "channel", "kind", "customer_id", "invoice_id"),
            deletable=False,
        ),
    ),
)


@router.get("/reference-rates", response_model=list[ReferenceRateOut], tags=["Reminders"], summary="Reference rates")
def get_rates(session: DbSession) -> Any:
    """The reference rates on record, oldest first."""
    return [ReferenceRateOut(fom=fom, rate=rate) for fom, rate in reminders.rates(session)]


@router.put("/reference-rates", response_model=ReferenceRateOut, tags=["Reminders"], summary="Set a reference rate")
def put_rate(body: ReferenceRateIn, session: DbSession) -> Any:
    """Record the reference rate in force from a day (late interest is it + 8 %, räntelagen 6 §)."""
    row: ReferenceRate = reminders.set_reference_rate(session, fom=body.fom, rate=body.rate)
    return row


@router.post("/reminders", status_code=201, response_model=RemindersOut, tags=["Reminders"], summary="Send reminders")
def post_reminders(session: DbSession, context: Context) -> Any:
    """Remind every notice unpaid more than the company's ``reminder_days`` after its due date (once each)."""
    return RemindersOut(reminders=[r.id for r in reminders.send_reminders(session, now=clock_now(context))])


@router.post("/outbox/send", response_model=SendOut, tags=["Outbox"], summary="Send due e-mails now")
def post_send(context: Context) -> Any:
    """Send the e-mails that are due (as the scheduler does every minute)."""
    report = outbox.send_due(context.db, context.settings, now=clock_now(context))
    return SendOut(sent=report.sent, retried=report.retried, failed=report.failed)


@router.post("/outbox/{id}/retry", response_model=OutboxOut, tags=["Outbox"], summary="Retry a failed e-mail")
def post_retry(message_id: Annotated[int, Path(alias="id", ge=1)], session: DbSession) -> Any:
    """A failed e-mail is sent again at the next pass."""
    get_record(session, OutboxMessage, message_id)
    return outbox.retry(session, message_id=message_id)


@router.post(
    "/outbox/print-batch",
    tags=["Outbox"],
    summary="Print the waiting letters",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 204: {"description": "No letters wait."}},
)
def post_print_batch(session: DbSession, context: Context) -> Response:
    """Every waiting letter in one PDF; they are then marked printed and their notices distributed by letter."""
    count, document = outbox.print_batch(session, now=clock_now(context))
    if document is None:
        return Response(status_code=204)
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="utskrift.pdf"', "X-Letters": str(count)},
    )
