"""Reminders (påminnelse) of notices left unpaid, with the fee and interest the law allows.

A notice (not itself a reminder) with something left to pay ``reminder_days`` (the company's setting) after its due
date gets one reminder: an invoice (``Faktura``, ``reminder_of_id`` set, printed "Påminnelse") with its own avinummer
and OCR reference, carrying

* the reminder fee, only where the contract says so (``Contract.reminder_fee``) and at most 60 kr (lagen om ersättning
  för inkassokostnader m.m. 2 §, förordningen 1981:1057), the company's ``reminder_fee`` otherwise;
* late-payment interest (dröjsmålsränta) on the unpaid amount from the day after the due date to the reminder's day,
  at the reference rate in force on each day plus eight percentage points (räntelagen 6 §, 9 §), from the
  ``ReferenceRate`` table (the latest rate set before a day applies; with none recorded, 0 %);
* a text line naming the unpaid notice and its amount.

It goes out like a notice (PDF by e-mail or letter) and the tenant sees it among the notices (SessionAvisering).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from bodata.portal.customers import local_now
from bodata.portal.economy import INVOICE
from bodata.portal.models import Company, Contract, Invoice, LedgerEntry, ReferenceRate
from bodata.portal.outbox import enqueue_notices
from bodata.portal.pdf import format_amount
from bodata.portal.rent import add_rows, money, take_numbers, unpaid_notice

FEE_LIMIT = Decimal(60)
"""The highest reminder fee (förordningen om ersättning för inkassokostnader m.m. 2 §)."""
INTEREST_MARGIN = Decimal(8)
"""Percentage points over the reference rate (räntelagen 6 §)."""
DAYS_PER_YEAR = Decimal(365)


class ReminderError(ValueError):
    """A setting that cannot be used (a negative fee, a rate out of range)."""


def rates(session: Session) -> list[tuple[date, Decimal]]:
    """The reference rates, oldest first."""
    return [(row.fom, row.rate) for row in session.scalars(select(ReferenceRate).order_by(ReferenceRate.fom))]


def set_reference_rate(session: Session, *, fom: date, rate: Decimal) -> ReferenceRate:
    """Record the reference rate in force from ``fom`` (Riksbanken sets it on 1 January and 1 July)."""
    if not Decimal(-10) <= rate <= Decimal(50):
        raise ReminderError(f"Referensräntan {rate} % är orimlig.")
    row = session.get(ReferenceRate, fom) or ReferenceRate(fom=fom, rate=rate)
    row.rate = rate
    session.add(row)
    session.flush()
    return row


def late_interest(amount: Decimal, *, due: date, until: date, reference: list[tuple[date, Decimal]]) -> Decimal:
    """Interest on ``amount`` for the days after ``due`` up to and including ``until``, day by day at the reference
    rate in force plus 8 percentage points, over a 365-day year, rounded to öre."""
    if amount <= 0 or until <= due:
        return Decimal(0)
    total = Decimal(0)
    day = due + timedelta(days=1)
    while day <= until:
        in_force = [rate for fom, rate in reference if fom <= day]
        rate = (in_force[-1] if in_force else Decimal(0)) + INTEREST_MARGIN
        following = [fom for fom, _ in reference if fom > day]
        stop = min([until + timedelta(days=1), *following])
        total += amount * rate / 100 * (stop - day).days / DAYS_PER_YEAR
        day = stop
    return money(total)


def overdue(session: Session, *, today: date, days: int) -> list[Invoice]:
    """Notices with something left to pay more than ``days`` after their due date and no reminder yet."""
    reminder = aliased(Invoice)
    return list(
        session.scalars(
            select(Invoice)
            .outerjoin(reminder, reminder.reminder_of_id == Invoice.id)
            .where(
                Invoice.reminder_of_id.is_(None),
                Invoice.restbelopp > 0,
                Invoice.forfallodag < today - timedelta(days=days),
                reminder.id.is_(None),
            )
            .order_by(Invoice.forfallodag, Invoice.id)
            .options(selectinload(Invoice.ledger_entries))
        )
    )


@dataclass(frozen=True)
class ReminderLine:
    """A line of a reminder."""

    text: str
    amount: Decimal


def reminder_lines(
    invoice: Invoice, *, contract: Contract | None, company: Company, today: date, reference: list[tuple[date, Decimal]]
) -> list[ReminderLine]:
    """What a reminder of ``invoice`` charges: the unpaid notice (as text), the fee where agreed, the interest."""
    lines = [
        ReminderLine(
            f"Obetalt på avi {invoice.avinummer} (förfallodag {invoice.forfallodag}): "
            f"{format_amount(invoice.restbelopp)} kr",
            Decimal(0),
        )
    ]
    if contract is not None and contract.reminder_fee and company.reminder_fee > 0:
        lines.append(ReminderLine("Påminnelseavgift", min(company.reminder_fee, FEE_LIMIT)))
    interest = late_interest(invoice.restbelopp, due=invoice.forfallodag, until=today, reference=reference)
    if interest > 0:
        lines.append(ReminderLine(f"Dröjsmålsränta {invoice.forfallodag + timedelta(days=1)}–{today}", interest))
    return lines


def send_reminders(session: Session, *, now: datetime, send: bool = True) -> list[Invoice]:
    """Remind every notice that is due a reminder today; each reminder is printed and put in the outbox."""
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        return []
    today = local_now(now).date()
    late = overdue(session, today=today, days=company.reminder_days)
    if not late:
        return []
    reference = rates(session)
    contracts = {
        contract.id: contract
        for contract in session.scalars(
            select(Contract).where(Contract.id.in_({i.contract_id for i in late if i.contract_id}))
        )
    }
    first = take_numbers(session, name="avi", count=len(late))
    due = today + timedelta(days=10)
    reminders, entries = [], {}
    for offset, notice in enumerate(late):
        lines = reminder_lines(
            notice, contract=contracts.get(notice.contract_id), company=company, today=today, reference=reference
        )
        total = sum((line.amount for line in lines), Decimal(0))
        reminder = unpaid_notice(
            number=str(first + offset),
            customer_id=notice.customer_id,
            contract_id=notice.contract_id,
            kind=(INVOICE, "P"),
            bankgiro=notice.mottagare_nummer,
            due=due,
            amounts=(total, Decimal(0)),
            now=now,
            reminder_of_id=notice.id,
        )
        session.add(reminder)
        session.flush()
        first_entry = notice.ledger_entries[0] if notice.ledger_entries else None
        entry = LedgerEntry(
            invoice_id=reminder.id,
            node_id=first_entry.node_id if first_entry else None,
            period=first_entry.period if first_entry else notice.forfallodag.strftime("%Y-%m"),
            forfallodag=due,
            nettobelopp=total,
            momsbelopp=Decimal(0),
            bruttobelopp=total,
        )
        session.add(entry)
        session.flush()
        add_rows(session, entry=entry, lines=[(line.text, line.amount, Decimal(0)) for line in lines])
        for name, value in (("ledger_entries", [entry]), ("payments", []), ("distributions", [])):
            set_committed_value(reminder, name, value)
        entries[reminder.id] = [entry]
        reminders.append(reminder)
    session.flush()
    if send:
        enqueue_notices(session, company=company, invoices=reminders, entries=entries, now=now)
    return reminders


def reminders_page(session: Session, *, limit: int = 200) -> list[tuple[Invoice, Invoice]]:
    """The newest reminders with the notices they remind of."""
    notice = aliased(Invoice)
    rows = session.execute(
        select(Invoice, notice)
        .join(notice, and_(notice.id == Invoice.reminder_of_id))
        .order_by(Invoice.id.desc())
        .limit(limit)
    )
    return [(reminder, original) for reminder, original in rows]
