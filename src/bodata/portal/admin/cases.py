"""Cases (fault reports, maintenance offers, inspections, general cases): creating, closing (which closes the rows),
deleting, share keys and case officers."""

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bodata.core.context import Context, DbSession
from bodata.core.security import issue_token
from bodata.portal.admin.case_rows import (
    CASE_ROW_PARTS,
    CLOSED,
    DEFAULT_HISTORY_USER,
    PROCESS_STEPS,
    CaseId,
    CaseParticipantFields,
    CaseRowCreate,
    CaseRowOut,
    ParticipantIn,
    ParticipantOut,
    PartId,
    add_case_row,
    case_participant,
    case_row,
    check_row,
    label_for,
    row_out,
)
from bodata.portal.admin.crud import (
    Input,
    Output,
    check_order,
    check_references,
    check_unique,
    columns_of,
    conflict,
    create_record,
    delete_record,
    get_record,
    output_schema,
    unprocessable,
)
from bodata.portal.admin.resources import Resource, add_resources, clock_now, media_limit
from bodata.portal.admin.schemas import Id, LocalDateTime, ascii_folded, text
from bodata.portal.cases import next_case_number
from bodata.portal.customers import local_now
from bodata.portal.models import Actor, Case, CaseParticipant, CaseRow, CaseRowHistory

router = APIRouter()


MAINTENANCE_OFFER = ("Underhåll", "Underhall")
"""Typ and TypReferensNamn of a maintenance offer."""


class ActorIn(Input):
    """The contact person of a case when it is not the customer (an Aktör)."""

    visningsnamn: text(200, required=True)
    fornamn: text(100) | None = None
    efternamn: text(100) | None = None
    telefon: text(50) | None = None
    mobil: text(50) | None = None
    epost: text(200) | None = None


class CaseFields(Input):
    """A case: fault report (Order), maintenance offer (Underhåll), inspection (Besiktning) or general case."""

    typ: text(50, required=True) = Field(description="Order, Underhåll, Besiktning, or a general case's class name.")
    typ_referensnamn: text(50) | None = Field(None, description="The ASCII form of typ when left out (Underhall).")
    general: bool = Field(False, description="A general case (allmänt ärende) of node class node_class_id.")
    node_class_id: Id | None = None
    customer_id: Id
    incoming_customer_id: Id | None = Field(None, description="An inspection's incoming tenant.")
    node_id: Id | None = Field(None, description="The object the case concerns (Avser).")
    kalla_systemnamn: text(20, required=True) = "MinaSidor"
    husdjur: text(500) | None = None
    processteg_referensnamn: text(50) | None = None
    processteg_beteckning: text(100) | None = None
    inkommen: LocalDateTime
    klar_senast: LocalDateTime | None = None
    avslutat: LocalDateTime | None = None
    planerad_start: LocalDateTime | None = None
    planerad_klar: LocalDateTime | None = None
    borttagen: bool = False
    erbjudande_svar_senast: date | None = Field(None, description="A maintenance offer's answer deadline.")

    @model_validator(mode="after")
    def _rules(self) -> "CaseFields":
        self.typ_referensnamn = self.typ_referensnamn or ascii_folded(self.typ)
        self.processteg_beteckning = label_for(
            self.processteg_referensnamn, self.processteg_beteckning, PROCESS_STEPS, "processteg_beteckning"
        )
        if self.general and self.node_class_id is None:
            raise ValueError("node_class_id: a general case needs its node class")
        if self.incoming_customer_id is not None and self.typ_referensnamn != "Besiktning":
            raise ValueError("incoming_customer_id: only an inspection (Besiktning) has an incoming tenant")
        check_order(self.inkommen, self.avslutat, "avslutat")
        check_order(self.planerad_start, self.planerad_klar, "planerad_klar")
        return self


class CaseCreate(CaseFields):
    """A case with its contact, officers and rows; its number is generated unless given."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "typ": "Order",
                    "customer_id": 1,
                    "node_id": 3,
                    "participants": [{"visningsnamn": "Kalle Svensson", "telefon": "021-123456"}],
                    "rows": [{"node_path": "n3-n5-n6", "beskrivning": "Frysen är varm"}],
                }
            ]
        }
    )

    nummer: text(30) | None = Field(None, description="R-{YYMM}-{n} when left out.")
    inkommen: LocalDateTime | None = Field(None, description="Now when left out.")
    contact: ActorIn | None = None
    participants: list[ParticipantIn] = Field(default_factory=list)
    rows: list[CaseRowCreate] = Field(default_factory=list)


class MaintenanceOfferCreate(CaseCreate):
    """A maintenance offer: a case of type Underhåll whose rows are the offered measures, and an answer deadline."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 1,
                    "node_id": 3,
                    "erbjudande_svar_senast": "2026-12-15",
                    "rows": [
                        {
                            "node_path": "n3-n8",
                            "atgard_typ_beteckning": "Målas",
                            "atgard_typ_kortbeteckning": "Malas",
                            "atgard_planerad": "2027-02-01T08:00:00",
                            "pris_restvarde": 1200,
                            "pris_rabatt": 300,
                        }
                    ],
                }
            ]
        }
    )

    typ: Literal["Underhåll"] = MAINTENANCE_OFFER[0]
    typ_referensnamn: Literal["Underhall"] = MAINTENANCE_OFFER[1]
    erbjudande_svar_senast: date


def create_case(session: Session, *, data: CaseCreate, now: datetime, max_media_bytes: int) -> Case:
    """A case with its contact, officers and rows (each with officers, history, time points and images)."""
    nested = {"nummer", "contact", "participants", "rows", "inkommen"}
    fields = data.model_dump(exclude=nested)
    check_references(session, Case, fields)
    for index, row in enumerate(data.rows):
        check_row(session, row, max_media_bytes=max_media_bytes, where=f"rows.{index}")
    nummer = data.nummer or next_case_number(session, now)
    check_unique(session, Case, {"nummer": nummer})
    if data.contact is not None:
        actor = create_record(session, Actor, {**data.contact.model_dump(), "created_at": now})
        fields["contact_actor_id"] = actor.id
    case = create_record(session, Case, {**fields, "nummer": nummer, "inkommen": data.inkommen or local_now(now)})
    session.add_all(CaseParticipant(case_id=case.id, **person.model_dump()) for person in data.participants)
    for row in data.rows:
        add_case_row(session, case=case, data=row, now=now, max_media_bytes=max_media_bytes)
    session.flush()
    return case


def close_case(session: Session, *, case: Case, at: datetime) -> Case:
    """Close a case (ÄrendeAvslutat) and each of its rows (ÄrendeStatus ``Avslutad``, written in the row's history);
    409 when it is already closed."""
    if case.avslutat is not None:
        raise conflict(f"Case {case.nummer} was closed at {case.avslutat.isoformat()}.")
    if at < case.inkommen:
        raise unprocessable("avslutat: a case cannot be closed before it came in.")
    case.avslutat = at
    open_rows = select(CaseRow).where(CaseRow.case_id == case.id, CaseRow.status_referensnamn != CLOSED)
    for row in session.scalars(open_rows):
        row.status_referensnamn = row.status_beteckning = CLOSED
        session.add(CaseRowHistory(case_row_id=row.id, beteckning=CLOSED, tidpunkt=at, anvandare=DEFAULT_HISTORY_USER))
    session.flush()
    return case


class CaseClose(Input):
    """When a case was closed (now when left out)."""

    avslutat: LocalDateTime | None = None


def delete_case(session: Session, *, case: Case) -> None:
    """Mark a case deleted (ÄrendeHändelser.Borttagen): tenants no longer see it among their cases (A-37)."""
    case.borttagen = True
    session.flush()


def issue_share_key(session: Session, *, case: Case) -> str:
    """A new share key (Delningsnyckel) for a case, replacing any earlier one; returned once, stored as a digest."""
    token = issue_token()
    case.share_key_digest = token.digest
    session.flush()
    return token.value


class ShareKey(BaseModel):
    """A case's new share key (Delningsnyckel, shown this once): GET /portal/arende/{key} shows the case."""

    case_id: int
    share_key: str


class CaseBase(Output):
    """What every case answer shows besides its fields: whether it has a share key (never the key)."""

    share_key_digest: str | None = Field(None, exclude=True)

    @computed_field
    @property
    def has_share_key(self) -> bool:
        """Whether a share key was issued (POST /portal/admin/cases/{id}/share-key)."""
        return self.share_key_digest is not None


ActorOut = output_schema(ActorIn, "Actor", "A case's contact person.")


_CASE_EXTRA: dict[str, Any] = {"nummer": (str, ...), "typ_referensnamn": (str, ...)}


CaseOut = output_schema(CaseFields, "Case", "A case.", base=CaseBase, **_CASE_EXTRA)


CaseDetail = output_schema(
    CaseFields,
    "CaseDetail",
    "A case with its contact, officers and rows.",
    base=CaseBase,
    **_CASE_EXTRA,
    contact=(ActorOut | None, None),
    participants=(list[ParticipantOut], ...),
    rows=(list[CaseRowOut], ...),
)


CASE_PARTS = (
    selectinload(Case.contact_actor),
    selectinload(Case.participants),
    *(selectinload(Case.rows).options(part) for part in CASE_ROW_PARTS),
)


def read_case(session: Session, case_id: int) -> BaseModel:
    """A case with its contact, officers and rows (each with officers, history, time points and images)."""
    case = get_record(session, Case, case_id, options=CASE_PARTS)
    officers: dict[int | None, list[CaseParticipant]] = {}
    for participant in case.participants:
        officers.setdefault(participant.case_row_id, []).append(participant)
    rows = [row_out(row, officers.get(row.id, [])) for row in case.rows]
    parts = {"contact": case.contact_actor, "participants": officers.get(None, []), "rows": rows}
    return CaseDetail.model_validate({**columns_of(case, CaseDetail), **parts})


add_resources(
    router,
    (
        Resource(
            path="/cases",
            model=Case,
            tag="Cases",
            out=CaseDetail,
            summary=CaseOut,
            create_schema=CaseCreate,
            edit_schema=CaseFields,
            filters=("customer_id", "node_id", "typ_referensnamn", "nummer", "borttagen"),
            create=lambda session, body, context: create_case(
                session, data=body, now=clock_now(context), max_media_bytes=media_limit(context)
            ),
            delete=lambda session, record: delete_case(session, case=record),
            delete_note="Marks the case deleted (borttagen): tenants no longer see it; "
            "PATCH borttagen=false restores it.",
            read=read_case,
        ),
    ),
)


@router.post(
    "/maintenance-offers",
    status_code=201,
    response_model=CaseDetail,
    tags=["Cases"],
    summary="Create a maintenance offer",
)
def create_offer(body: MaintenanceOfferCreate, session: DbSession, context: Context) -> Any:
    """A case of type Underhåll whose rows are the offered measures; tenants answer by the deadline (E14)."""
    case = create_case(session, data=body, now=clock_now(context), max_media_bytes=media_limit(context))
    return read_case(session, case.id)


@router.post("/cases/{id}/close", response_model=CaseDetail, tags=["Cases"], summary="Close a case")
def post_close(case_id: CaseId, body: CaseClose, session: DbSession, context: Context) -> Any:
    """Set ÄrendeAvslutat (now unless given); 409 when the case is already closed."""
    at = body.avslutat or local_now(clock_now(context))
    close_case(session, case=get_record(session, Case, case_id), at=at)
    return read_case(session, case_id)


@router.post(
    "/cases/{id}/share-key", status_code=201, response_model=ShareKey, tags=["Cases"], summary="Issue a share key"
)
def post_share_key(case_id: CaseId, session: DbSession) -> Any:
    """A new share key (Delningsnyckel), shown this once; it replaces the case's earlier key."""
    key = issue_share_key(session, case=get_record(session, Case, case_id))
    return ShareKey(case_id=case_id, share_key=key)


@router.delete(
    "/cases/{id}/share-key", status_code=204, response_class=Response, tags=["Cases"], summary="Withdraw the share key"
)
def withdraw_share_key(case_id: CaseId, session: DbSession) -> Response:
    """The case's share key stops working."""
    get_record(session, Case, case_id).share_key_digest = None
    return Response(status_code=204)


@router.post(
    "/cases/{id}/participants",
    status_code=201,
    response_model=ParticipantOut,
    tags=["Cases"],
    summary="Add a case officer",
)
def add_participant(case_id: CaseId, body: CaseParticipantFields, session: DbSession) -> Any:
    """A case officer (handläggare) of the case, or of one of its rows (``case_row_id``)."""
    get_record(session, Case, case_id)
    if body.case_row_id is not None:
        case_row(session, case_id=case_id, row_id=body.case_row_id)
    return create_record(session, CaseParticipant, {"case_id": case_id, **body.model_dump()})


@router.delete(
    "/cases/{id}/participants/{participant_id}",
    status_code=204,
    response_class=Response,
    tags=["Cases"],
    summary="Remove a case officer",
)
def remove_participant(case_id: CaseId, participant_id: PartId, session: DbSession) -> Response:
    """Remove a case officer from the case."""
    participant = case_participant(session, case_id=case_id, participant_id=participant_id)
    delete_record(session, participant)
    return Response(status_code=204)
