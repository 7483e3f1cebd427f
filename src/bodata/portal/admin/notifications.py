"""Notifications to customers with their channels (NotifieringMeddelandeKanal) and attachments (E2)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import AwareDatetime, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError
from bodata.portal.admin.case_rows import PartId
from bodata.portal.admin.crud import (
    Input,
    Output,
    check_unique,
    create_record,
    delete_record,
    get_record,
    output_schema,
)
from bodata.portal.admin.documents import FileIn, attached_file, check_file_choice
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.admin.schemas import Id, text
from bodata.portal.models import Notification, NotificationAttachment, NotificationChannel

router = APIRouter()


class ChannelIn(Input):
    """A message as sent on one channel (NotifieringMeddelandeKanal with its NotifieringKanalTyp)."""

    kanal_system_name: text(50, required=True) = Field(description="NotifieringKanalTyp.SystemName, e.g. Nyhet.")
    kanal_beteckning: text(100, required=True)
    kanal_hjalptext: text(500) | None = None
    notifierad: bool = False
    klar_utc: AwareDatetime | None = None
    overgiven_utc: AwareDatetime | None = None
    amne: text(300, required=True)
    brodtext: str


class ChannelFields(ChannelIn):
    """A channel of a notification."""

    notification_id: Id


class AttachmentIn(Input):
    """An attachment (NotifieringBilaga): an uploaded or inline file; ``externt_id`` numbers it within the message."""

    externt_id: int | None = Field(None, ge=1, le=2**31 - 1, description="1, 2, … when left out.")
    externt_namn: text(200, required=True) = Field(description="The file name, e.g. Bilaga1.jpg.")
    file_id: Id | None = None
    file: FileIn | None = None

    @model_validator(mode="after")
    def _one_file(self) -> "AttachmentIn":
        check_file_choice(self.file_id, self.file, required=True, what="attachment")
        return self


class NotificationCreate(Input):
    """An outgoing message to a customer on one or more channels, with attachments."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 1,
                    "channels": [
                        {
                            "kanal_system_name": "Nyhet",
                            "kanal_beteckning": "Utsida nyhet",
                            "notifierad": True,
                            "klar_utc": "2026-11-20T09:34:09.477Z",
                            "amne": "Vattenavstängning",
                            "brodtext": "Hej Anna, vattnet stängs av tisdag 08–12.",
                        }
                    ],
                    "attachments": [{"externt_namn": "Bilaga1.pdf", "file_id": 4}],
                }
            ]
        }
    )

    customer_id: Id
    channels: list[ChannelIn] = Field(min_length=1)
    attachments: list[AttachmentIn] = Field(default_factory=list)


def create_notification(session: Session, *, data: NotificationCreate, now: datetime) -> Notification:
    """A message with its channels and attachments."""
    notification = create_record(session, Notification, {"customer_id": data.customer_id, "created_at": now})
    session.add_all(
        NotificationChannel(notification_id=notification.id, **channel.model_dump()) for channel in data.channels
    )
    for attachment in data.attachments:
        add_attachment(session, notification=notification, data=attachment, now=now)
    session.flush()
    return notification


def add_attachment(
    session: Session, *, notification: Notification, data: AttachmentIn, now: datetime
) -> NotificationAttachment:
    """An attachment of a message, numbered after the others unless ``externt_id`` is given."""
    taken = session.scalar(
        select(func.max(NotificationAttachment.externt_id)).where(
            NotificationAttachment.notification_id == notification.id
        )
    )
    externt_id = data.externt_id or (taken or 0) + 1
    check_unique(session, NotificationAttachment, {"notification_id": notification.id, "externt_id": externt_id})
    file_id = attached_file(session, file_id=data.file_id, file=data.file, now=now)
    attachment = NotificationAttachment(
        notification_id=notification.id, externt_id=externt_id, externt_namn=data.externt_namn, file_id=file_id
    )
    session.add(attachment)
    session.flush()
    return attachment


class AttachmentOut(Output):
    """An attachment of a notification."""

    id: int
    notification_id: int
    externt_id: int
    externt_namn: str
    file_id: int


ChannelOut = output_schema(ChannelFields, "NotificationChannel", "A message on one channel.")


class NotificationOut(Output):
    """An outgoing message to a customer."""

    id: int
    customer_id: int
    created_at: datetime


class NotificationDetail(NotificationOut):
    """An outgoing message with its channels and attachments."""

    channels: list[ChannelOut]
    attachments: list[AttachmentOut]


add_resources(
    router,
    (
        Resource(
            path="/notifications",
            model=Notification,
            tag="Notifications",
            out=NotificationDetail,
            summary=NotificationOut,
            create_schema=NotificationCreate,
            filters=("customer_id",),
            options=(selectinload(Notification.channels), selectinload(Notification.attachments)),
            create=lambda session, body, context: create_notification(session, data=body, now=clock_now(context)),
        ),
        Resource(
            path="/notification-channels",
            model=NotificationChannel,
            tag="Notifications",
            out=ChannelOut,
            create_schema=ChannelFields,
            edit_schema=ChannelFields,
            filters=("notification_id",),
        ),
    ),
)


NotificationId = Annotated[int, Path(alias="id", ge=1, description="The notification's id.")]


@router.post(
    "/notifications/{id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    tags=["Notifications"],
    summary="Attach a file",
)
def post_attachment(notification_id: NotificationId, body: AttachmentIn, session: DbSession, context: Context) -> Any:
    """An attachment of the message (NotifieringBilaga), numbered after the others unless ``externt_id`` is given."""
    notification = get_record(session, Notification, notification_id)
    return add_attachment(session, notification=notification, data=body, now=clock_now(context))


@router.delete(
    "/notifications/{id}/attachments/{attachment_id}",
    status_code=204,
    response_class=Response,
    tags=["Notifications"],
    summary="Remove an attachment",
)
def remove_attachment(notification_id: NotificationId, attachment_id: PartId, session: DbSession) -> Response:
    """Remove an attachment from the message."""
    attachment = session.get(NotificationAttachment, attachment_id)
    if attachment is None or attachment.notification_id != notification_id:
        raise ApiError(404, "not_found", f"Notification {notification_id} has no attachment {attachment_id}.")
    delete_record(session, attachment)
    return Response(status_code=204)
