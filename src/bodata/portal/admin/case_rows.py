"""Case rows and their parts: officers, history, time points and images; a status or process-step change is
written in the row's history."""

import re
from collections.abc import Callable
from datetime import date, datetime
from itertools import pairwise
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from bodata.core.context import Context, DbSession
from bodata.core.db import Base
from bodata.core.errors import ApiError
from bodata.portal.admin.crud import (
    Input,
    Output,
    Record,
    check_references,
    columns_of,
    create_record,
    delete_record,
    dependents,
    get_record,
    noun,
    output_schema,
    patch_schema,
    unprocessable,
    update_record,
)
from bodata.portal.admin.documents import FileIn, check_file_choice, check_image, store_file
from bodata.portal.admin.nodes import TimePointTypeOut
from bodata.portal.admin.resources import clock_now, media_limit
from bodata.portal.admin.schemas import Amount, Id, LocalDateTime, text
from bodata.portal.customers import local_now
from bodata.portal.models import (
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    CaseRowTimePoint,
    Node,
    NodeClass,
    StoredFile,
)
from bodata.portal.shapes import NODE_CLASS_PREFIX, NODE_PREFIX

router = APIRouter()


CLOSED = "Avslutad"


ROW_STATUSES = {"Pagaende": "Pågående", "Vilande": "Vilande", "Vantar": "Väntar på användaren", CLOSED: CLOSED}
"""Known ÄrendeStatus reference names and their display names (portal.md A-31)."""


PROCESS_STEPS = {"Handlaggare": "Hos handläggare", "Leverantor": "Hos leverantör", "Annullerad": "Annullerad"}
"""Known ÄrendeProcessteg reference names and their display names (portal.md A-31)."""


_PATH_STEP = re.compile(rf"({NODE_CLASS_PREFIX}|{NODE_PREFIX})([0-9]{{1,10}})")


def label_for(code: str | None, label: str | None, known: dict[str, str], name: str) -> str | None:
    """The display name for a reference name: the given one, else the known one."""
    if code is None or label is not None:
        return label
    if code not in known:
        raise ValueError(f"{name}: required for the reference name {code!r} (known: {', '.join(known)})")
    return known[code]


class ParticipantIn(Input):
    """A case officer (handläggare, ÄrendeDeltagare)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"visningsnamn": "Kalle Svensson", "telefon": "021-123456"}]}
    )

    role: text(20, required=True) = "handlaggare"
    visningsnamn: text(200, required=True)
    telefon: text(50) | None = None
    mobil: text(50) | None = None
    epost: text(200) | None = None


class CaseParticipantFields(ParticipantIn):
    """A case officer of a case, or of one of its rows (``case_row_id``)."""

    case_row_id: Id | None = None


class HistoryIn(Input):
    """A step in a row's history (ÄrendeHistorik)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"beteckning": "Hos leverantör", "tidpunkt": "2026-11-02T08:15:00", "anvandare": "Kalle Svensson"}
            ]
        }
    )

    beteckning: text(200, required=True)
    tidpunkt: LocalDateTime
    anvandare: text(200, required=True)


class TimePointIn(Input):
    """A time point of a row (ÄrendeRadÄrendeTidpunkt), e.g. when the fault occurred."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"time_point_type_id": 1, "varde": "2026-10-31T22:00:00"}]}
    )

    time_point_type_id: Id
    varde: LocalDateTime


class MediaIn(Input):
    """An image on a case row: an uploaded file (``file_id``) or one sent inline (``file``), with a note."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"file": {"data": "iVBORw0KGgo…"}, "notering": "Vattnet på golvet"}]}
    )

    file_id: Id | None = None
    file: FileIn | None = None
    notering: text(1000) | None = None

    @model_validator(mode="after")
    def _one_file(self) -> "MediaIn":
        check_file_choice(self.file_id, self.file, required=True, what="media")
        return self


class CaseRowFields(Input):
    """A case row: one fault, offered measure or inspection remark on an object (``node_path``)."""

    node_path: Annotated[str, StringConstraints(max_length=500, pattern=r"^n(k)?\d+(-n(k)?\d+)*$")] = Field(
        description="The node path, e.g. n30212-n131564 (a node-class step nk… may end it)."
    )
    status_referensnamn: text(50, required=True) = "Pagaende"
    status_beteckning: text(100) | None = Field(None, description="Known for Pagaende, Vilande, Vantar and Avslutad.")
    processteg_referensnamn: text(50, required=True) = "Handlaggare"
    processteg_beteckning: text(100) | None = Field(None, description="Known for Handlaggare, Leverantor, Annullerad.")
    beskrivning: str | None = None
    specifikation: str | None = None
    key_handling_type_id: Id | None = None
    key_handling_note: text(500) | None = None
    fault_description_type_id: Id | None = None
    klassificering_id: int | None = None
    klassificering_system_name: text(50) | None = None
    klassificering_beteckning: text(100) | None = None
    atgard_bestalld: date | None = None
    atgard_utford: date | None = None
    atgard_accepterad: date | None = None
    atgard_planerad: LocalDateTime | None = None
    atgard_skapad: date | None = None
    atgard_intervall: int | None = None
    atgard_intervall_enhet: text(20) | None = Field(None, description="TidEnhet: timme, minut, ar …")
    atgard_typ_beteckning: text(100) | None = None
    atgard_typ_kortbeteckning: text(50) | None = None
    pris_restvarde: Amount | None = None
    pris_rabatt: Amount | None = None
    inspection_remark: str | None = None
    charged_outgoing: Amount | None = None

    @model_validator(mode="after")
    def _labels(self) -> "CaseRowFields":
        self.status_beteckning = label_for(
            self.status_referensnamn, self.status_beteckning, ROW_STATUSES, "status_beteckning"
        )
        self.processteg_beteckning = label_for(
            self.processteg_referensnamn, self.processteg_beteckning, PROCESS_STEPS, "processteg_beteckning"
        )
        return self


class CaseRowCreate(CaseRowFields):
    """A case row with its officers, history, time points and images."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "node_path": "n3-n5-n6",
                    "beskrivning": "Frysen är varm",
                    "fault_description_type_id": 1,
                    "history": [
                        {
                            "beteckning": "Hos handläggare",
                            "tidpunkt": "2026-11-01T09:30:00",
                            "anvandare": "Kalle Svensson",
                        }
                    ],
                }
            ]
        }
    )

    participants: list[ParticipantIn] = Field(default_factory=list)
    history: list[HistoryIn] = Field(default_factory=list)
    time_points: list[TimePointIn] = Field(default_factory=list)
    media: list[MediaIn] = Field(default_factory=list)


DEFAULT_HISTORY_USER = "Handläggare"
"""Who a status change is recorded by in the row's history when the change does not say."""


CaseRowChange = patch_schema(
    CaseRowFields,
    "CaseRowChange",
    anvandare=(
        text(200, required=True) | None,
        Field(None, description=f"Who changes status or process step (history); {DEFAULT_HISTORY_USER!r} if left out."),
    ),
)


def check_node_path(session: Session, path: str) -> None:
    """422 unless every node of the path exists, each a child of the one before, and every class step exists."""
    steps = [_PATH_STEP.fullmatch(step) for step in path.split("-")]
    if any(step is None for step in steps):
        raise unprocessable(f"node_path {path!r}: steps are n{{node id}} or nk{{node class id}}.")
    node_ids = [int(step.group(2)) for step in steps if step.group(1) == NODE_PREFIX]
    class_ids = [int(step.group(2)) for step in steps if step.group(1) == NODE_CLASS_PREFIX]
    nodes = {node.id: node for node in session.scalars(select(Node).where(Node.id.in_(node_ids)))} if node_ids else {}
    classes = set(session.scalars(select(NodeClass.id).where(NodeClass.id.in_(class_ids)))) if class_ids else set()
    problems = [f"node_path: there is no node {i}" for i in node_ids if i not in nodes]
    problems += [f"node_path: there is no node class {i}" for i in class_ids if i not in classes]
    if not problems:
        problems = [
            f"node_path: node {child} is not a child of node {parent}"
            for parent, child in pairwise(node_ids)
            if nodes[child].parent_id != parent
        ]
    if problems:
        raise unprocessable(f"node_path {path!r} does not lead down the object tree.", problems)


def check_row(session: Session, row: CaseRowCreate, *, max_media_bytes: int, where: str) -> None:
    """Everything a new row refers to exists, and its images are images within the size limit."""
    check_node_path(session, row.node_path)
    check_references(session, CaseRow, row.model_dump(include={"key_handling_type_id", "fault_description_type_id"}))
    for time_point in row.time_points:
        check_references(session, CaseRowTimePoint, {"time_point_type_id": time_point.time_point_type_id})
    for index, media in enumerate(row.media):
        _media_type(session, media, max_bytes=max_media_bytes, where=f"{where}.media.{index}")


def _media_type(session: Session, media: MediaIn, *, max_bytes: int, where: str) -> tuple[str, str]:
    """The MIME type and extension of a row image (sent inline or uploaded before); 422 unless it is an image."""
    if media.file is not None:
        return check_image(media.file.data, max_bytes=max_bytes, where=where)
    stored = session.get(StoredFile, media.file_id)
    if stored is None:
        raise unprocessable(f"{where}: there is no stored file with id {media.file_id}.")
    return check_image(stored.data, max_bytes=max_bytes, where=where)


def add_case_row(session: Session, *, case: Case, data: CaseRowCreate, now: datetime, max_media_bytes: int) -> CaseRow:
    """A new row on a case, with its officers, history, time points and images."""
    check_row(session, data, max_media_bytes=max_media_bytes, where="row")
    row = create_record(
        session, CaseRow, {"case_id": case.id, **data.model_dump(include=set(CaseRowFields.model_fields))}
    )
    session.add_all(
        CaseParticipant(case_id=case.id, case_row_id=row.id, **person.model_dump()) for person in data.participants
    )
    session.add_all(CaseRowHistory(case_row_id=row.id, **step.model_dump()) for step in data.history)
    session.add_all(CaseRowTimePoint(case_row_id=row.id, **point.model_dump()) for point in data.time_points)
    for media in data.media:
        add_media(session, row=row, data=media, now=now, max_bytes=max_media_bytes)
    session.flush()
    return row


def case_row(session: Session, *, case_id: int, row_id: int) -> CaseRow:
    """A row of a case; 404 for an unknown case or a row of another case."""
    get_record(session, Case, case_id)
    row = session.get(CaseRow, row_id)
    if row is None or row.case_id != case_id:
        raise ApiError(404, "not_found", f"Case {case_id} has no row {row_id}.")
    return row


def case_participant(session: Session, *, case_id: int, participant_id: int) -> CaseParticipant:
    """A case officer of a case (or of one of its rows); 404 otherwise."""
    participant = session.get(CaseParticipant, participant_id)
    if participant is None or participant.case_id != case_id:
        raise ApiError(404, "not_found", f"Case {case_id} has no participant {participant_id}.")
    return participant


def row_part(session: Session, model: type[Record], *, row: CaseRow, part_id: int) -> Record:
    """A history step, time point or image of a case row; 404 for an unknown one or one of another row."""
    part = session.get(model, part_id)
    if part is None or part.case_row_id != row.id:
        raise ApiError(404, "not_found", f"Case row {row.id} has no {noun(model)} {part_id}.")
    return part


def update_case_row(session: Session, *, row: CaseRow, changes: dict[str, Any], user: str, now: datetime) -> CaseRow:
    """Change a row; a new status or process step is recorded in the row's history (by ``user``, now)."""
    before = (row.status_referensnamn, row.processteg_referensnamn)
    for code, label in (
        ("status_referensnamn", "status_beteckning"),
        ("processteg_referensnamn", "processteg_beteckning"),
    ):
        if code in changes and label not in changes:
            changes[label] = None  # derived anew from the new reference name
    if "node_path" in changes and changes["node_path"] is not None:
        check_node_path(session, changes["node_path"])
    update_record(session, row, CaseRowFields, changes)
    steps = [
        row.processteg_beteckning if row.processteg_referensnamn != before[1] else None,
        row.status_beteckning if row.status_referensnamn != before[0] else None,
    ]
    session.add_all(
        CaseRowHistory(case_row_id=row.id, beteckning=step, tidpunkt=local_now(now), anvandare=user)
        for step in steps
        if step
    )
    session.flush()
    return row


def add_media(session: Session, *, row: CaseRow, data: MediaIn, now: datetime, max_bytes: int) -> CaseRowMedia:
    """An image on a row: checked to be an image (by its first bytes) of at most ``max_bytes``."""
    mime_type, extension = _media_type(session, data, max_bytes=max_bytes, where="media")
    file_id = data.file_id
    if data.file is not None:
        file_id = store_file(session, data=data.file.data, mime_type=mime_type, extension=extension, now=now).id
    media = CaseRowMedia(case_row_id=row.id, file_id=file_id, notering=data.notering)
    session.add(media)
    session.flush()
    return media


def delete_media(session: Session, *, media: CaseRowMedia) -> None:
    """Remove an image from a row, and its file unless something else refers to it."""
    file_id = media.file_id
    delete_record(session, media)
    if not dependents(session, StoredFile, file_id):
        session.execute(delete(StoredFile).where(StoredFile.id == file_id))


class MediaOut(Output):
    """An image on a case row (its bytes: GET /portal/admin/files/{file_id}/content)."""

    id: int
    file_id: int
    notering: str | None


ParticipantOut = output_schema(CaseParticipantFields, "CaseParticipant", "A case officer.")


HistoryOut = output_schema(HistoryIn, "CaseRowHistory", "A step in a row's history.")


TimePointOut = output_schema(
    TimePointIn, "CaseRowTimePoint", "A time point of a row.", time_point_type=(TimePointTypeOut, ...)
)


CaseRowOut = output_schema(
    CaseRowFields,
    "CaseRow",
    "A case row with its officers, history, time points and images.",
    case_id=(int, ...),
    participants=(list[ParticipantOut], ...),
    history=(list[HistoryOut], ...),
    time_points=(list[TimePointOut], ...),
    media=(list[MediaOut], ...),
)


CASE_ROW_PARTS = (selectinload(CaseRow.history), selectinload(CaseRow.time_points), selectinload(CaseRow.media))


def row_out(row: CaseRow, participants: list[CaseParticipant]) -> BaseModel:
    parts = {"history": row.history, "time_points": row.time_points, "media": row.media, "participants": participants}
    return CaseRowOut.model_validate({**columns_of(row, CaseRowOut), **parts})


def read_case_row(session: Session, row_id: int) -> BaseModel:
    """A case row with its officers, history, time points and images."""
    row = get_record(session, CaseRow, row_id, options=CASE_ROW_PARTS)
    officers = session.scalars(
        select(CaseParticipant).where(CaseParticipant.case_row_id == row_id).order_by(CaseParticipant.id)
    )
    return row_out(row, list(officers))


CaseId = Annotated[int, Path(alias="id", ge=1, description="The case's id (ÄrendeId).")]


RowId = Annotated[int, Path(ge=1, description="The case row's id (ÄrendeRadId).")]


PartId = Annotated[int, Path(ge=1, description="The id of the part.")]


@router.post("/cases/{id}/rows", status_code=201, response_model=CaseRowOut, tags=["Cases"], summary="Add a case row")
def add_row(case_id: CaseId, body: CaseRowCreate, session: DbSession, context: Context) -> Any:
    """A new row with its officers, history, time points and images."""
    case = get_record(session, Case, case_id)
    row = add_case_row(session, case=case, data=body, now=clock_now(context), max_media_bytes=media_limit(context))
    return read_case_row(session, row.id)


@router.patch("/cases/{id}/rows/{row_id}", response_model=CaseRowOut, tags=["Cases"], summary="Change a case row")
def change_row(case_id: CaseId, row_id: RowId, body: CaseRowChange, session: DbSession, context: Context) -> Any:
    """Change a row's fields; a new status or process step adds a history entry (by ``anvandare``, now)."""
    row = case_row(session, case_id=case_id, row_id=row_id)
    changes = body.model_dump(exclude_unset=True)
    user = changes.pop("anvandare", None) or DEFAULT_HISTORY_USER
    update_case_row(session, row=row, changes=changes, user=user, now=clock_now(context))
    return read_case_row(session, row_id)


@router.delete(
    "/cases/{id}/rows/{row_id}", status_code=204, response_class=Response, tags=["Cases"], summary="Delete a case row"
)
def delete_row(case_id: CaseId, row_id: RowId, session: DbSession) -> Response:
    """Delete a row with its officers, history, time points and images."""
    delete_record(session, case_row(session, case_id=case_id, row_id=row_id))
    return Response(status_code=204)


@router.post(
    "/cases/{id}/rows/{row_id}/history",
    status_code=201,
    response_model=HistoryOut,
    tags=["Cases"],
    summary="Add a history entry",
)
def add_history(case_id: CaseId, row_id: RowId, body: HistoryIn, session: DbSession) -> Any:
    """A step in the row's history (ÄrendeHistorik)."""
    row = case_row(session, case_id=case_id, row_id=row_id)
    return create_record(session, CaseRowHistory, {"case_row_id": row.id, **body.model_dump()})


@router.post(
    "/cases/{id}/rows/{row_id}/time-points",
    status_code=201,
    response_model=TimePointOut,
    tags=["Cases"],
    summary="Add a time point",
)
def add_time_point(case_id: CaseId, row_id: RowId, body: TimePointIn, session: DbSession) -> Any:
    """A time point of the row (ÄrendeRadÄrendeTidpunkt)."""
    row = case_row(session, case_id=case_id, row_id=row_id)
    point = create_record(session, CaseRowTimePoint, {"case_row_id": row.id, **body.model_dump()})
    return get_record(session, CaseRowTimePoint, point.id)


@router.post(
    "/cases/{id}/rows/{row_id}/media", status_code=201, response_model=MediaOut, tags=["Cases"], summary="Add an image"
)
def post_media(case_id: CaseId, row_id: RowId, body: MediaIn, session: DbSession, context: Context) -> Any:
    """An image on the row, inline (base64) or uploaded before (``POST /files``, multipart): checked to be an image
    by its first bytes, no larger than the portal's media limit."""
    row = case_row(session, case_id=case_id, row_id=row_id)
    return add_media(session, row=row, data=body, now=clock_now(context), max_bytes=media_limit(context))


@router.post(
    "/cases/{id}/rows/{row_id}/media/upload",
    status_code=201,
    response_model=MediaOut,
    tags=["Cases"],
    summary="Upload an image",
)
def upload_media(
    case_id: CaseId,
    row_id: RowId,
    file: Annotated[UploadFile, File(description="The image (multipart/form-data).")],
    session: DbSession,
    context: Context,
    notering: Annotated[str | None, Form(max_length=1000, description="A note on the image.")] = None,
) -> Any:
    """An image on the row sent as a multipart upload; the same checks as ``POST …/media``."""
    row = case_row(session, case_id=case_id, row_id=row_id)
    data = MediaIn(file=FileIn(data=file.file.read()), notering=notering)
    return add_media(session, row=row, data=data, now=clock_now(context), max_bytes=media_limit(context))


def _add_row_part_removal(segment: str, model: type[Base], remove: Callable[[Session, Any], None]) -> None:
    def remove_route(case_id: CaseId, row_id: RowId, part_id: PartId, session: DbSession) -> Response:
        row = case_row(session, case_id=case_id, row_id=row_id)
        remove(session, row_part(session, model, row=row, part_id=part_id))
        return Response(status_code=204)

    name = noun(model)
    router.add_api_route(
        f"/cases/{{id}}/rows/{{row_id}}/{segment}/{{part_id}}",
        remove_route,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        tags=["Cases"],
        summary=f"Remove a {name}",
        name=f"remove {name}",
    )


_add_row_part_removal("history", CaseRowHistory, delete_record)


_add_row_part_removal("time-points", CaseRowTimePoint, delete_record)


_add_row_part_removal("media", CaseRowMedia, lambda session, media: delete_media(session, media=media))
