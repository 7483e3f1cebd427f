"""Rent runs (preview, commit), notices and their PDFs, payments from Bankgirot and the unmatched queue, reminders
and reference rates, and the outbox (send now, print the letters, retry)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, UploadFile
from sqlalchemy import select

from bodata.core.context import Context, DbSession, context_of
from bodata.core.web import pages
from bodata.portal import bgmax, outbox, reminders, rent
from bodata.portal.admin.bank import import_upload
from bodata.portal.customers import invoice_pdf, local_now
from bodata.portal.models import BankFile, BankPayment, Customer, Invoice, RentRun
from bodata.portal.pdf import file_name
from bodata.portal.staff.registry import amount, required_date
from bodata.portal.staff.web import PREFIX, PageRoute, PageStaff, SelfTransactedStaff, WriteStaff, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


# --- Rent runs ------------------------------------------------------------------------------------


@router.get("/personal/hyresavisering")
def rent_runs_page(request: Request, session: DbSession, context: Context, login: PageStaff) -> Response:
    period = request.query_params.get("period") or rent.next_period(context.clock.now())
    plan = rent.plan_rent_run(session, period=period)
    customers = {
        c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_({n.customer_id for n in plan.notices})))
    }
    runs = session.scalars(select(RentRun).order_by(RentRun.id.desc()).limit(50)).all()
    return render(
        request, "rent_runs.html", login=login, section="hyresavisering", plan=plan, customers=customers, runs=runs
    )


@router.post("/personal/hyresavisering")
def commit_run(
    request: Request, session: DbSession, context: Context, login: WriteStaff, period: Annotated[str, Form()] = ""
) -> Response:
    rent.commit_rent_run(
        session, period=period.strip(), now=context.clock.now(), trigger="webb", started_by=login.username
    )
    return pages.redirect(request, f"{PREFIX}/aviseringar", klart="run-committed")


# --- Notices --------------------------------------------------------------------------------------


@router.get("/personal/aviseringar")
def notices_page(request: Request, session: DbSession, login: PageStaff) -> Response:
    rows = session.execute(
        select(Invoice, Customer)
        .join(Customer, Customer.id == Invoice.customer_id)
        .order_by(Invoice.id.desc())
        .limit(500)
    ).all()
    return render(request, "notices.html", login=login, section="aviseringar", rows=rows)


@router.get("/personal/aviseringar/{invoice_id}/pdf")
def notice_pdf(invoice_id: int, request: Request, session: DbSession, login: PageStaff) -> Response:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        return render(
            request, "error.html", login=login, status=404, title="Finns inte", message="Aviseringen finns inte."
        )
    _, document = invoice_pdf(session, customer_id=invoice.customer_id, invoice_id=invoice_id)
    return Response(
        document,
        media_type="application/pdf",
        headers={**pages.SECURITY_HEADERS, "Content-Disposition": f'inline; filename="{file_name(invoice)}"'},
    )


# --- Payments -------------------------------------------------------------------------------------


@router.get("/personal/betalningar")
def payments_page(request: Request, session: DbSession, login: PageStaff) -> Response:
    files = session.scalars(select(BankFile).order_by(BankFile.id.desc()).limit(50)).all()
    recent = session.scalars(
        select(BankPayment).where(BankPayment.status != bgmax.UNMATCHED).order_by(BankPayment.id.desc()).limit(100)
    ).all()
    return render(
        request,
        "payments.html",
        login=login,
        section="betalningar",
        files=files,
        queue=bgmax.queue(session),
        recent=recent,
    )


@router.post("/personal/betalningar")
def upload_bgmax(
    request: Request, session: DbSession, context: Context, login: WriteStaff, fil: UploadFile
) -> Response:
    report = import_upload(session, upload=fil, now=context.clock.now(), imported_by=login.username)
    return pages.redirect(
        request, f"{PREFIX}/betalningar", klart="already-imported" if report.already_imported else "imported"
    )


@router.post("/personal/betalningar/{payment_id}/fordela")
def allocate(
    payment_id: int, request: Request, session: DbSession, login: WriteStaff, avinummer: Annotated[str, Form()] = ""
) -> Response:
    invoice_id = session.scalar(select(Invoice.id).where(Invoice.avinummer == avinummer.strip()))
    if invoice_id is None:
        raise bgmax.QueueError(f"Det finns ingen avisering med avinummer {avinummer.strip()!r}.")
    bgmax.allocate_queued(session, bank_payment_id=payment_id, invoice_id=invoice_id, handled_by=login.username)
    return pages.redirect(request, f"{PREFIX}/betalningar", klart="allocated")


# --- Reminders ------------------------------------------------------------------------------------


@router.get("/personal/paminnelser")
def reminders_page(request: Request, session: DbSession, context: Context, login: PageStaff) -> Response:
    return render(
        request,
        "reminders.html",
        login=login,
        section="paminnelser",
        reminders=reminders.reminders_page(session),
        rates=reminders.rates(session),
        today=local_now(context.clock.now()).date(),
    )


@router.post("/personal/paminnelser")
def send_reminders(request: Request, session: DbSession, context: Context, login: WriteStaff) -> Response:
    reminders.send_reminders(session, now=context.clock.now())
    return pages.redirect(request, f"{PREFIX}/paminnelser", klart="reminded")


@router.post("/personal/paminnelser/referensranta")
def save_rate(
    request: Request,
    session: DbSession,
    login: WriteStaff,
    fom: Annotated[str, Form()] = "",
    ranta: Annotated[str, Form()] = "",
) -> Response:
    reminders.set_reference_rate(session, fom=required_date(fom, "Gäller från"), rate=amount(ranta, "Räntesats"))
    return pages.redirect(request, f"{PREFIX}/paminnelser", klart="rate-saved")


# --- Outbox ---------------------------------------------------------------------------------------


@router.get("/personal/utskick")
def outbox_page(request: Request, session: DbSession, login: PageStaff) -> Response:
    status = request.query_params.get("status") or None
    messages = outbox.outbox_page(session, status=status)
    return render(request, "outbox.html", login=login, section="utskick", messages=messages, shown_status=status)


@router.post("/personal/utskick/skicka")
def send_now(request: Request, login: SelfTransactedStaff) -> Response:
    """Sends outside the request's transaction: the sender opens its own short ones around each SMTP call."""
    context = context_of(request)
    outbox.send_due(context.db, context.settings, now=context.clock.now())
    return pages.redirect(request, f"{PREFIX}/utskick", klart="sent")


@router.post("/personal/utskick/utskrift")
def print_letters(request: Request, session: DbSession, context: Context, login: WriteStaff) -> Response:
    count, document = outbox.print_batch(session, now=context.clock.now())
    if document is None:
        return render(
            request,
            "outbox.html",
            login=login,
            section="utskick",
            messages=outbox.outbox_page(session, status=None),
            shown_status=None,
            error="Inga brev väntar på utskrift.",
        )
    return Response(
        document,
        media_type="application/pdf",
        headers={
            **pages.SECURITY_HEADERS,
            "Content-Disposition": 'attachment; filename="brev.pdf"',
            "X-Brev": str(count),
        },
    )


@router.post("/personal/utskick/{message_id}/igen")
def retry(message_id: int, request: Request, session: DbSession, login: WriteStaff) -> Response:
    outbox.retry(session, message_id=message_id)
    return pages.redirect(request, f"{PREFIX}/utskick", klart="retry")
