"""Notices (avisering: rent notices and invoices) with ledger entries, lines, consumption specifications,
distributions and payments.

The amounts follow the ledger's arithmetic (``ledger.py``); OCR references are generated from the avinummer;
payments are dated today or earlier.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bodata.core.context import Context, DbSession
from bodata.portal.admin.crud import (
    Input,
    check_references,
    check_unique,
    columns_of,
    get_record,
    output_schema,
    unprocessable,
    update_record,
)
from bodata.portal.admin.ledger import (
    Amounts,
    LedgerEntryIn,
    LedgerEntryOut,
    add_ledger_entry,
    total,
)
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.admin.schemas import Amount, Id, LocalDateTime, text
from bodata.portal.amounts import allocated, balance
from bodata.portal.customers import local_now
from bodata.portal.models import Company, Contract, Invoice, InvoiceDistribution, LedgerEntry, Payment
from bodata.portal.ocr import ocr_reference, valid_ocr

router = APIRouter()


class DistributionIn(Input):
    """How the notice was sent (SessionAviseringDistribution)."""

    typ: Literal["brev.direkt", "epost"]
    adress: text(300, required=True)
    distribuerad: LocalDateTime


class PaymentIn(Input):
    """A payment towards a notice (SessionBetalning)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "betalvag": "Manuell inbetalning via bankgiro",
                    "belopp": 6000,
                    "betalningsdag": "2026-10-28",
                    "bokforingsdag": "2026-10-29",
                }
            ]
        }
    )

    betalvag: text(100, required=True)
    belopp: Amount
    betalningsdag: date
    bokforingsdag: date | None = None


def check_payment_day(payment: PaymentIn, *, today: date, where: str) -> None:
    """A payment is registered after it was made: no Betalningsdag or Bokföringsdag after today (422)."""
    for name in ("betalningsdag", "bokforingsdag"):
        day = getattr(payment, name)
        if day is not None and day > today:
            raise unprocessable(f"{where}.{name}: {day} is after today ({today}); a payment is entered once made.")


class InvoiceFields(Input):
    """The parts of a notice that can be changed after it is created (amounts follow from its lines and payments)."""

    contract_id: Id | None = None
    typ_referensnamn: Literal["Avi", "Faktura"] = Field(description="Avi (rent notice) or Faktura (invoice).")
    typ_beteckning: text(10) | None = Field(None, description="A or F when left out.")
    betalningsreferens: text(30) | None = Field(
        None, description="The OCR reference; generated from the avinummer when left out, checked when given."
    )
    mottagare_nummer: text(30) | None = Field(None, description="The payee's bankgiro; the company's when left out.")
    formedlare_systemnamn: text(20) = "BG"
    formedlare_beteckning: text(50) = "Bankgiro"
    forfallodag: date

    @field_validator("betalningsreferens")
    @classmethod
    def _ocr(cls, value: str | None) -> str | None:
        if value is not None and not valid_ocr(value):
            raise ValueError("not a valid OCR reference (2–25 digits ending in a Luhn check digit)")
        return value


class InvoiceCreate(InvoiceFields):
    """A notice with its ledger entries and lines, distributions and payments, created in one go."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 1,
                    "contract_id": 1,
                    "avinummer": "9213210",
                    "typ_referensnamn": "Avi",
                    "forfallodag": "2026-10-31",
                    "ledger_entries": [
                        {
                            "node_id": 3,
                            "period": "2026-11",
                            "rows": [
                                {"aviseringstext": "Grundhyra", "nettobelopp": 7847},
                                {
                                    "aviseringstext": "Varmvatten",
                                    "nettobelopp": 53,
                                    "specification": {
                                        "avser_fom": "2026-09-01",
                                        "avser_tom": "2026-09-30",
                                        "kalla_beteckning": "Kök",
                                        "kalla_identitet": "432105",
                                        "varde_fom": 13.432,
                                        "varde_tom": 14.532,
                                        "mangdenhet": "m3",
                                        "apris": 48,
                                    },
                                },
                            ],
                        }
                    ],
                    "distributions": [
                        {"typ": "epost", "adress": "anna@example.se", "distribuerad": "2026-10-15T13:00:00"}
                    ],
                    "payments": [
                        {"betalvag": "Autogiro", "belopp": 6000, "betalningsdag": "2026-10-28"},
                    ],
                }
            ]
        }
    )

    customer_id: Id
    avinummer: Annotated[str, StringConstraints(pattern=r"^\d{1,22}$")] = Field(
        description="The notice number (digits: the OCR reference is built from it)."
    )
    nettobelopp: Amount | None = Field(None, description="Required without ledger entries; else their sum.")
    momsbelopp: Amount | None = None
    ledger_entries: list[LedgerEntryIn] = Field(default_factory=list)
    distributions: list[DistributionIn] = Field(default_factory=list)
    payments: list[PaymentIn] = Field(default_factory=list)


def _invoice_defaults(session: Session, values: dict[str, Any], *, avinummer: str) -> dict[str, Any]:
    """Fill the derived fields left out: typ_beteckning, the OCR reference, the company's bankgiro."""
    values["typ_beteckning"] = values.get("typ_beteckning") or values["typ_referensnamn"][0]
    values["betalningsreferens"] = values.get("betalningsreferens") or ocr_reference(avinummer)
    if not values.get("mottagare_nummer"):
        company = session.scalar(select(Company).order_by(Company.id).limit(1))
        if company is None:
            raise unprocessable("mottagare_nummer: required while no company (with its bankgiro) is registered.")
        values["mottagare_nummer"] = company.bankgiro
    return values


def check_contract_owner(session: Session, *, contract_id: int | None, customer_id: int) -> Contract | None:
    if contract_id is None:
        return None
    contract = session.get(Contract, contract_id)
    if contract is not None and contract.customer_id != customer_id:
        raise unprocessable(f"contract_id: contract {contract_id} belongs to another customer.")
    return contract


def create_invoice(session: Session, *, data: InvoiceCreate, now: datetime) -> Invoice:
    """A notice with everything on it; its amounts and balance are computed, its OCR reference generated."""
    check_references(session, Invoice, {"customer_id": data.customer_id, "contract_id": data.contract_id})
    for entry in data.ledger_entries:
        check_references(session, LedgerEntry, {"node_id": entry.node_id})
    check_unique(session, Invoice, {"avinummer": data.avinummer})
    check_contract_owner(session, contract_id=data.contract_id, customer_id=data.customer_id)
    entry_amounts = [
        total(
            [Amounts(row.nettobelopp, row.momsbelopp) for row in entry.rows],
            netto=entry.nettobelopp,
            moms=entry.momsbelopp,
            where=f"ledger_entries.{index}",
        )
        for index, entry in enumerate(data.ledger_entries)
    ]
    amounts = total(entry_amounts, netto=data.nettobelopp, moms=data.momsbelopp, where="invoice")
    for index, payment in enumerate(data.payments):
        check_payment_day(payment, today=local_now(now).date(), where=f"payments.{index}")
    paid = sum((payment.belopp for payment in data.payments), Decimal(0))
    rest, due = balance(amounts.brutto, paid)
    fields = _invoice_defaults(
        session, data.model_dump(include=set(InvoiceFields.model_fields)), avinummer=data.avinummer
    )
    invoice = Invoice(
        **fields,
        customer_id=data.customer_id,
        avinummer=data.avinummer,
        nettobelopp=amounts.netto,
        momsbelopp=amounts.moms,
        bruttobelopp=amounts.brutto,
        inbetalt_belopp=paid,
        restbelopp=rest,
        fordelat_belopp=allocated(amounts.brutto, paid),
        att_betala=due,
        created_at=now,
    )
    session.add(invoice)
    session.flush()
    for entry, entry_total in zip(data.ledger_entries, entry_amounts, strict=True):
        add_ledger_entry(session, invoice=invoice, entry=entry, amounts=entry_total)
    session.add_all(InvoiceDistribution(invoice_id=invoice.id, **item.model_dump()) for item in data.distributions)
    session.add_all(Payment(invoice_id=invoice.id, **payment.model_dump()) for payment in data.payments)
    session.flush()
    return invoice


_DERIVED_INVOICE_FIELDS = ("typ_beteckning", "betalningsreferens", "mottagare_nummer")


def update_invoice(session: Session, *, invoice: Invoice, changes: dict[str, Any]) -> Invoice:
    """Change a notice's changeable fields; a cleared type label, OCR reference or payee is derived again."""
    check_contract_owner(session, contract_id=changes.get("contract_id"), customer_id=invoice.customer_id)
    cleared = {name for name in _DERIVED_INVOICE_FIELDS if name in changes and changes[name] is None}
    update_record(session, invoice, InvoiceFields, {k: v for k, v in changes.items() if k not in cleared})
    values = {**columns_of(invoice, InvoiceFields), **dict.fromkeys(cleared)}
    derived = _invoice_defaults(session, values, avinummer=invoice.avinummer)
    for name in cleared:
        setattr(invoice, name, derived[name])
    session.flush()
    return invoice


def register_payment(session: Session, *, invoice: Invoice, payment: PaymentIn, today: date) -> Payment:
    """Record a payment (dated today or earlier) and update the notice's paid, allocated and remaining amounts."""
    check_payment_day(payment, today=today, where="payment")
    record = Payment(invoice_id=invoice.id, **payment.model_dump())
    session.add(record)
    session.flush()
    paid = sum(session.scalars(select(Payment.belopp).where(Payment.invoice_id == invoice.id)), Decimal(0))
    invoice.inbetalt_belopp = paid
    invoice.restbelopp, invoice.att_betala = balance(invoice.bruttobelopp, paid)
    invoice.fordelat_belopp = allocated(invoice.bruttobelopp, paid)
    session.flush()
    return record


DistributionOut = output_schema(DistributionIn, "InvoiceDistribution", "How a notice was sent.")


PaymentOut = output_schema(PaymentIn, "Payment", "A payment.")


_INVOICE_EXTRA: dict[str, Any] = {
    "customer_id": (int, ...),
    "avinummer": (str, ...),
    "typ_beteckning": (str, ...),
    "betalningsreferens": (str, ...),
    "mottagare_nummer": (str, ...),
    **dict.fromkeys(
        (
            "nettobelopp",
            "momsbelopp",
            "bruttobelopp",
            "inbetalt_belopp",
            "restbelopp",
            "fordelat_belopp",
            "att_betala",
        ),
        (Amount, ...),
    ),
    "created_at": (datetime, ...),
}


InvoiceOut = output_schema(InvoiceFields, "Invoice", "A notice with its amounts.", **_INVOICE_EXTRA)


InvoiceDetail = output_schema(
    InvoiceFields,
    "InvoiceDetail",
    "A notice with its ledger entries, distributions and payments.",
    **_INVOICE_EXTRA,
    ledger_entries=(list[LedgerEntryOut], ...),
    distributions=(list[DistributionOut], ...),
    payments=(list[PaymentOut], ...),
)


INVOICE_PARTS = (
    selectinload(Invoice.ledger_entries).selectinload(LedgerEntry.rows),
    selectinload(Invoice.distributions),
    selectinload(Invoice.payments),
)


add_resources(
    router,
    (
        Resource(
            path="/invoices",
            model=Invoice,
            tag="Economy",
            out=InvoiceDetail,
            summary=InvoiceOut,
            create_schema=InvoiceCreate,
            edit_schema=InvoiceFields,
            filters=("customer_id", "contract_id", "avinummer", "typ_referensnamn"),
            options=INVOICE_PARTS,
            create=lambda session, body, context: create_invoice(session, data=body, now=clock_now(context)),
            update=lambda session, record, changes: update_invoice(session, invoice=record, changes=changes),
        ),
    ),
)


InvoiceId = Annotated[int, Path(alias="id", ge=1, description="The notice's id (AviseringId).")]


@router.post(
    "/invoices/{id}/payments",
    status_code=201,
    response_model=InvoiceDetail,
    tags=["Economy"],
    summary="Register a payment",
)
def post_payment(invoice_id: InvoiceId, body: PaymentIn, session: DbSession, context: Context) -> Any:
    """Record a payment (not dated after today); the notice's InbetaltBelopp, BetalningFördeladBelopp, Restbelopp
    and AttBetala follow."""
    invoice = get_record(session, Invoice, invoice_id)
    today = local_now(clock_now(context)).date()
    register_payment(session, invoice=invoice, payment=body, today=today)
    return InvoiceDetail.model_validate(get_record(session, Invoice, invoice_id, options=INVOICE_PARTS))
