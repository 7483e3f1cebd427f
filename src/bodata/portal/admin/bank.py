"""Payments from Bankgirot: BgMax files imported and matched (portal/bgmax.py), and the queue of unmatched ones."""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, UploadFile
from pydantic import BaseModel

from bodata.core.context import Context, DbSession
from bodata.portal import bgmax
from bodata.portal.admin.crud import Input, unprocessable
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.admin.schemas import Amount, Id
from bodata.portal.models import BankFile, BankPayment

router = APIRouter()
MAX_FILE_BYTES = 10 * 1024 * 1024


class BankFileOut(BaseModel):
    """An imported BgMax file."""

    model_config = {"from_attributes": True}

    id: int
    filename: str
    written_at: str
    bankgiro: str
    payments: int
    total: Amount
    imported_at: datetime
    imported_by: str


class BankPaymentOut(BaseModel):
    """A payment from a BgMax file: ``matched`` (allocated by its OCR reference), ``unmatched`` (in the queue) or
    ``allocated`` (by staff)."""

    model_config = {"from_attributes": True}

    id: int
    bank_file_id: int
    bgc_serial: str
    betalningsdag: date
    reference: str
    amount: Amount
    payer_bankgiro: str
    payer_name: str
    information: str
    status: str
    customer_id: int | None
    handled_by: str | None


class ImportOut(BaseModel):
    """What an import did; a file imported before changes nothing (``already_imported``)."""

    file_id: int
    already_imported: bool
    payments: int
    matched: int
    unmatched: int
    duplicates: int
    total: Amount


class Allocation(Input):
    invoice_id: Id


add_resources(
    router,
    (
        Resource(path="/bank-files", model=BankFile, tag="Payments", out=BankFileOut, deletable=False),
        Resource(
            path="/bank-payments",
            model=BankPayment,
            tag="Payments",
            out=BankPaymentOut,
            filters=("status", "bank_file_id", "customer_id"),
            deletable=False,
        ),
    ),
)


def import_upload(session: Any, *, upload: UploadFile, now: datetime, imported_by: str) -> bgmax.ImportReport:
    """Import an uploaded BgMax file (at most 10 MB); a malformed one is refused naming its line."""
    data = upload.file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise bgmax.BgMaxError(0, "Filen är större än 10 MB.")
    return bgmax.import_file(
        session, data=data, filename=upload.filename or "bgmax.txt", now=now, imported_by=imported_by
    )


@router.post("/bank-files", status_code=201, response_model=ImportOut, tags=["Payments"], summary="Import a BgMax file")
def post_bank_file(file: UploadFile, session: DbSession, context: Context) -> Any:
    """Import a BgMax file (multipart ``file``): every payment matched by its OCR reference is allocated to that
    notice, then to the customer's other open notices oldest first; the rest waits in the queue. A malformed file
    is refused (422 naming the line) with nothing imported; the same file again changes nothing."""
    try:
        report = import_upload(session, upload=file, now=clock_now(context), imported_by="back office")
    except bgmax.BgMaxError as exc:
        raise unprocessable(str(exc)) from None
    return ImportOut(**report.__dict__)


@router.post(
    "/bank-payments/{id}/allocate", response_model=BankPaymentOut, tags=["Payments"], summary="Allocate a payment"
)
def post_allocation(payment_id: Annotated[int, Path(alias="id", ge=1)], body: Allocation, session: DbSession) -> Any:
    """Allocate a payment from the queue to a notice (and on to the customer's other open notices)."""
    try:
        return bgmax.allocate_queued(
            session, bank_payment_id=payment_id, invoice_id=body.invoice_id, handled_by="back office"
        )
    except bgmax.QueueError as exc:
        raise unprocessable(str(exc)) from None
