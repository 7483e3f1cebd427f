"""The outbox: what the landlord sends tenants, kept until it is sent and recorded once it is.

Notices and reminders go as PDF attachments by e-mail to the customer's ``E-postadress``, or as letters to the
print batch (one PDF of every waiting letter) for customers without one; validation links (customers.py) and case
updates go by e-mail. Messages are sent over SMTP (``BODATA_SMTP_*``, core/mail.py) by ``send_due``: a message is
claimed in a short transaction (``next_attempt_at`` pushed past the sending time, so a second instance leaves it
alone), sent with no transaction open, and its outcome recorded in another; a failure is retried after 5, 10, 20 …
minutes and given up (``failed``) after ``MAX_ATTEMPTS``. A sent or printed notice gets its
SessionAviseringDistribution (``epost`` / ``brev.direkt``), so the tenant sees where it went.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from pypdf import PdfWriter
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.mail import Attachment, MailError, mail_configured, send_mail
from bodata.portal import pdf
from bodata.portal.customers import local_now, recipients
from bodata.portal.models import (
    Case,
    Company,
    ContactDetail,
    Customer,
    Invoice,
    InvoiceDistribution,
    LedgerEntry,
    Node,
    OutboxMessage,
    StoredFile,
)

logger = logging.getLogger("bodata.portal.outbox")

EMAIL, LETTER = "epost", "brev"
PENDING, SENT, PRINTED, FAILED = "pending", "sent", "printed", "failed"
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=5)
CLAIM = timedelta(minutes=10)
"""How long a claimed message is left alone by other senders while it is being sent."""
EMAIL_KIND = "E-postadress"


def _emails(session: Session, customer_ids: set[int]) -> dict[int, str]:
    rows = session.execute(
        select(ContactDetail.customer_id, ContactDetail.value).where(
            ContactDetail.customer_id.in_(customer_ids), ContactDetail.kind == EMAIL_KIND
        )
    )
    return {customer_id: value for customer_id, value in rows if value}


def _texts(invoice: Invoice, company: Company) -> tuple[str, str, str]:
    """Kind, subject and body of the message carrying a notice."""
    if invoice.reminder_of_id:
        kind, what = "paminnelse", "Påminnelse"
    else:
        kind, what = "avi", pdf.DOCUMENT_TITLES.get(invoice.typ_referensnamn, invoice.typ_referensnamn)
    body = (
        f"Hej!\n\nHär kommer din {what.lower()} {invoice.avinummer} från {company.namn}.\n"
        f"Att betala: {pdf.format_amount(invoice.att_betala)} kr senast {invoice.forfallodag.isoformat()} till "
        f"bankgiro {invoice.mottagare_nummer} med OCR-nummer {invoice.betalningsreferens}.\n\n"
        f"Aviseringen finns som PDF i bilagan och på Mina sidor.\n\nVänliga hälsningar\n{company.namn}\n"
    )
    return kind, f"{what} {invoice.avinummer} från {company.namn}", body


def enqueue_notices(
    session: Session,
    *,
    company: Company,
    invoices: list[Invoice],
    entries: dict[int, list[LedgerEntry]],
    now: datetime,
) -> list[OutboxMessage]:
    """Print each notice (``invoices`` with ledgers, payments and distributions attached) and put it in the outbox:
    an e-mail when the customer has an address, else a letter to the address block it is printed with."""
    customers = {
        c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_({i.customer_id for i in invoices})))
    }
    node_ids = {entry.node_id for rows in entries.values() for entry in rows if entry.node_id is not None}
    nodes = {node.id: node for node in session.scalars(select(Node).where(Node.id.in_(node_ids)))} if node_ids else {}
    emails = _emails(session, set(customers))
    addresses = recipients(session, customers=list(customers.values()), sent=local_now(now).date())
    messages, files = [], []
    for invoice in invoices:
        customer = customers[invoice.customer_id]
        data = pdf.render_invoice(
            company=company,
            customer=customer,
            invoice=invoice,
            objects=nodes,
            recipient_lines=addresses[customer.id],
        )
        files.append(
            StoredFile(
                mime_type="application/pdf",
                extension=".pdf",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                created_at=now,
            )
        )
    session.add_all(files)
    session.flush()
    for invoice, stored in zip(invoices, files, strict=True):
        kind, subject, body = _texts(invoice, company)
        email = emails.get(invoice.customer_id)
        messages.append(
            OutboxMessage(
                customer_id=invoice.customer_id,
                channel=EMAIL if email else LETTER,
                recipient=email or "\n".join(addresses[invoice.customer_id]),
                subject=subject,
                body=body,
                created_at=now,
                kind=kind,
                status=PENDING,
                invoice_id=invoice.id,
                file_id=stored.id,
                attachment_name=pdf.file_name(invoice),
            )
        )
    session.add_all(messages)
    session.flush()
    return messages


def enqueue_case_update(session: Session, *, case: Case, text: str, now: datetime) -> OutboxMessage | None:
    """An e-mail telling the customer what happened to their case (none without an e-mail address)."""
    email = _emails(session, {case.customer_id}).get(case.customer_id)
    if email is None:
        return None
    message = OutboxMessage(
        customer_id=case.customer_id,
        channel=EMAIL,
        recipient=email,
        subject=f"Ditt ärende {case.nummer}",
        body=f"Hej!\n\n{text}\n\nDu kan följa ärendet {case.nummer} på Mina sidor.\n",
        created_at=now,
        kind="arende",
        status=PENDING,
    )
    session.add(message)
    session.flush()
    return message


# --- Sending --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    id: int
    recipient: str
    subject: str
    body: str
    attachment: Attachment | None


@dataclass(frozen=True)
class SendReport:
    """What one pass of the sender did."""

    sent: int
    retried: int
    failed: int


def _due(now: datetime) -> tuple:
    return (
        OutboxMessage.status == PENDING,
        OutboxMessage.channel == EMAIL,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )


def _claim(database: Database, *, now: datetime, limit: int) -> list[_Claimed]:
    with database.transaction() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(*_due(now))
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for message in rows:
            message.next_attempt_at = now + CLAIM
            attachment = None
            if message.file_id is not None:
                stored = session.get_one(StoredFile, message.file_id)
                attachment = Attachment(message.attachment_name or "bilaga.pdf", stored.data, stored.mime_type)
            claimed.append(_Claimed(message.id, message.recipient, message.subject, message.body, attachment))
        return claimed


def send_due(
    database: Database, settings: Settings, *, now: datetime, batch: int = 200, limit: int = 5000
) -> SendReport:
    """Send the e-mails that are due, claimed ``batch`` at a time, at most ``limit`` in one pass (the rest at the
    next); nothing without an SMTP server configured."""
    if not mail_configured(settings):
        return SendReport(0, 0, 0)
    sent = retried = failed = 0
    while sent + retried + failed < limit and (claimed := _claim(database, now=now, limit=batch)):
        report = _send(database, settings, claimed, now=now)
        sent, retried, failed = sent + report.sent, retried + report.retried, failed + report.failed
    return SendReport(sent, retried, failed)


def _send(database: Database, settings: Settings, claimed: list[_Claimed], *, now: datetime) -> SendReport:
    sent = retried = failed = 0
    for message in claimed:
        attachments = (message.attachment,) if message.attachment else ()
        try:
            send_mail(
                settings, to=[message.recipient], subject=message.subject, body=message.body, attachments=attachments
            )
            error = None
        except MailError as exc:
            error = str(exc)[:500]
            logger.warning("outbox message %s not sent: %s", message.id, error)
        with database.transaction() as session:
            outcome = _record(session, message_id=message.id, error=error, now=now)
        sent += outcome == SENT
        failed += outcome == FAILED
        retried += outcome == PENDING
    return SendReport(sent, retried, failed)


def _record(session: Session, *, message_id: int, error: str | None, now: datetime) -> str:
    message = session.get_one(OutboxMessage, message_id)
    message.attempts += 1
    if error is None:
        message.status, message.sent_at, message.last_error = SENT, now, None
        _distributed(session, message, typ="epost", address=message.recipient, now=now)
    else:
        message.last_error = error
        if message.attempts >= MAX_ATTEMPTS:
            message.status = FAILED
        else:
            message.next_attempt_at = now + FIRST_RETRY * 2 ** (message.attempts - 1)
    return message.status


def _distributed(session: Session, message: OutboxMessage, *, typ: str, address: str, now: datetime) -> None:
    if message.invoice_id is not None:
        session.add(
            InvoiceDistribution(
                invoice_id=message.invoice_id, typ=typ, adress=address[:300], distribuerad=local_now(now)
            )
        )


def retry(session: Session, *, message_id: int) -> OutboxMessage:
    """Send a failed e-mail again at the next pass."""
    message = session.get_one(OutboxMessage, message_id)
    if message.status == FAILED:
        message.status, message.attempts, message.next_attempt_at = PENDING, 0, None
    return message


# --- Letters --------------------------------------------------------------------------------------


def print_batch(session: Session, *, now: datetime) -> tuple[int, bytes | None]:
    """Every waiting letter's PDF in one file, in order, for printing and posting; the letters are then marked
    printed and their notices distributed by letter (``brev.direkt``). ``(0, None)`` when none wait."""
    letters = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.channel == LETTER, OutboxMessage.file_id.is_not(None))
        .order_by(OutboxMessage.id)
        .with_for_update()
    ).all()
    if not letters:
        return 0, None
    writer = PdfWriter()
    for letter in letters:
        writer.append(io.BytesIO(session.get_one(StoredFile, letter.file_id).data))
        letter.status, letter.sent_at, letter.attempts = PRINTED, now, letter.attempts + 1
        _distributed(session, letter, typ="brev.direkt", address=letter.recipient.replace("\n", ", "), now=now)
    buffer = io.BytesIO()
    writer.write(buffer)
    return len(letters), buffer.getvalue()


def outbox_page(session: Session, *, status: str | None, limit: int = 200) -> list[OutboxMessage]:
    """The newest messages, optionally with one status."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(session.scalars(query))
