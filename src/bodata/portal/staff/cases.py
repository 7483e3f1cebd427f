"""Fault reports (assign a case officer, change a row's status, reply, close; the tenant sees each step through E6
and gets an e-mail) and the laundry rooms' bookings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from sqlalchemy import select

from bodata.core.context import Context, DbSession
from bodata.core.web import pages
from bodata.portal import outbox
from bodata.portal.admin.case_rows import CLOSED, ROW_STATUSES, update_case_row
from bodata.portal.admin.cases import close_case
from bodata.portal.admin.crud import get_record
from bodata.portal.customers import local_now
from bodata.portal.models import Case, CaseParticipant, CaseRow, CaseRowHistory, Customer, LaundrySlot, Node
from bodata.portal.rent import RentError
from bodata.portal.staff.web import PREFIX, PageRoute, PageStaff, WriteStaff, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
FAULT_REPORT = "Order"
Text = Annotated[str, Form()]


@router.get("/personal/arenden")
def cases_page(request: Request, session: DbSession, login: PageStaff) -> Response:
    rows = session.execute(
        select(Case, Customer)
        .join(Customer, Customer.id == Case.customer_id)
        .where(Case.typ == FAULT_REPORT, Case.borttagen.is_(False))
        .order_by(Case.avslutat.is_not(None), Case.inkommen.desc())
        .limit(500)
    ).all()
    return render(request, "cases.html", login=login, section="arenden", rows=rows)


@router.get("/personal/arenden/{case_id}")
def case_page(case_id: int, request: Request, session: DbSession, login: PageStaff) -> Response:
    case = get_record(session, Case, case_id)
    rows = session.scalars(select(CaseRow).where(CaseRow.case_id == case_id).order_by(CaseRow.id)).all()
    history = session.scalars(
        select(CaseRowHistory)
        .where(CaseRowHistory.case_row_id.in_([row.id for row in rows]))
        .order_by(CaseRowHistory.tidpunkt)
    ).all()
    participants = session.scalars(select(CaseParticipant).where(CaseParticipant.case_id == case_id)).all()
    return render(
        request,
        "case.html",
        login=login,
        section="arenden",
        case=case,
        customer=session.get(Customer, case.customer_id),
        rows=rows,
        history=history,
        participants=participants,
        statuses={code: label for code, label in ROW_STATUSES.items() if code != CLOSED},
    )


def _open_case(session: DbSession, case_id: int) -> Case:
    case = get_record(session, Case, case_id)
    if case.avslutat is not None:
        raise RentError("Ärendet är avslutat och kan inte ändras.")
    return case


@router.post("/personal/arenden/{case_id}/handlaggare")
def assign(
    case_id: int,
    request: Request,
    session: DbSession,
    login: WriteStaff,
    namn: Text = "",
    telefon: Text = "",
    epost: Text = "",
) -> Response:
    _open_case(session, case_id)
    if not namn.strip():
        raise RentError("Ange handläggarens namn.")
    session.add(
        CaseParticipant(
            case_id=case_id,
            visningsnamn=namn.strip()[:200],
            telefon=telefon.strip()[:50] or None,
            epost=epost.strip()[:200] or None,
        )
    )
    return pages.redirect(request, f"{PREFIX}/arenden/{case_id}", klart="case-saved")


@router.post("/personal/arenden/{case_id}/status")
def change_status(
    case_id: int,
    request: Request,
    session: DbSession,
    context: Context,
    login: WriteStaff,
    row_id: Annotated[int, Form()] = 0,
    status: Text = "",
) -> Response:
    case = _open_case(session, case_id)
    row = session.get(CaseRow, row_id)
    if row is None or row.case_id != case_id or status not in ROW_STATUSES or status == CLOSED:
        raise RentError("Välj en rad och en status.")
    update_case_row(session, row=row, changes={"status_referensnamn": status}, user=login.name, now=context.clock.now())
    outbox.enqueue_case_update(
        session, case=case, text=f"Ditt ärende har fått status {ROW_STATUSES[status]}.", now=context.clock.now()
    )
    return pages.redirect(request, f"{PREFIX}/arenden/{case_id}", klart="case-saved")


@router.post("/personal/arenden/{case_id}/svar")
def reply(
    case_id: int, request: Request, session: DbSession, context: Context, login: WriteStaff, text: Text = ""
) -> Response:
    case = _open_case(session, case_id)
    message = " ".join(text.split())
    row = session.scalar(select(CaseRow).where(CaseRow.case_id == case_id).order_by(CaseRow.id).limit(1))
    if not message or row is None:
        raise RentError("Skriv ett svar (ärendet behöver minst en rad).")
    now = context.clock.now()
    session.add(
        CaseRowHistory(case_row_id=row.id, beteckning=message[:200], tidpunkt=local_now(now), anvandare=login.name)
    )
    outbox.enqueue_case_update(session, case=case, text=f"Svar från {login.name}: {message}", now=now)
    return pages.redirect(request, f"{PREFIX}/arenden/{case_id}", klart="case-saved")


@router.post("/personal/arenden/{case_id}/avsluta")
def close(case_id: int, request: Request, session: DbSession, context: Context, login: WriteStaff) -> Response:
    case = _open_case(session, case_id)
    now = context.clock.now()
    close_case(session, case=case, at=local_now(now))
    outbox.enqueue_case_update(session, case=case, text="Ditt ärende är avslutat.", now=now)
    return pages.redirect(request, f"{PREFIX}/arenden/{case_id}", klart="case-closed")


# --- Laundry --------------------------------------------------------------------------------------


@router.get("/personal/tvattstuga")
def laundry_page(request: Request, session: DbSession, context: Context, login: PageStaff) -> Response:
    today = local_now(context.clock.now()).date()
    rows = session.execute(
        select(LaundrySlot, Node, Customer)
        .join(Node, Node.id == LaundrySlot.node_id)
        .outerjoin(Customer, Customer.id == LaundrySlot.customer_id)
        .where(
            LaundrySlot.start >= datetime.combine(today, time.min),
            LaundrySlot.start < datetime.combine(today + timedelta(days=14), time.min),
        )
        .order_by(LaundrySlot.start, Node.visningstext)
        .limit(2000)
    ).all()
    return render(request, "laundry.html", login=login, section="tvattstuga", rows=rows)


@router.post("/personal/tvattstuga/{slot_id}/avboka")
def cancel_booking(slot_id: int, request: Request, session: DbSession, login: WriteStaff) -> Response:
    slot = get_record(session, LaundrySlot, slot_id)
    slot.customer_id, slot.booked_at = None, None
    return pages.redirect(request, f"{PREFIX}/tvattstuga", klart="booking-cancelled")
