"""The back office at ``/portal/admin``: a REST API for staff and integrations to maintain the portal's records.

Every route needs ``Authorization: Bearer <staff token>`` (``bodata portal staff-tokens add NAME``); errors are
RFC 9457 problem documents. Most resources share one shape, registered by ``add_resource`` from a ``Resource``:
``POST /things`` creates, ``GET /things`` lists (filters on columns, ``limit``/``offset``), ``GET /things/{id}``
reads, ``PATCH /things/{id}`` changes some fields, ``DELETE /things/{id}`` deletes (409 while other records refer
to the record). The routes after that carry rules of their own: logins and sessions, payments, case rows and their
parts, share keys, file uploads, laundry times, API keys and staff tokens. The rules themselves are in
``bodata.portal.backoffice``; a request is one transaction, so a refused request leaves nothing behind.
"""

# No ``from __future__ import annotations`` here: the generic routes are annotated with classes made at runtime.

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, computed_field, create_model, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bodata.core.context import AppContext, Context, DbSession
from bodata.core.db import Base
from bodata.core.errors import ApiError
from bodata.core.inputs import OFFSET_MAX, ColumnInt
from bodata.portal import backoffice, service
from bodata.portal.backoffice import Amount, Output, output_schema
from bodata.portal.models import (
    ApiKey,
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    CaseRowTimePoint,
    ContactDetail,
    Contract,
    Customer,
    CustomerAddress,
    Document,
    FaultDescriptionType,
    FileType,
    Invoice,
    KeyHandlingType,
    LaundrySlot,
    LedgerEntry,
    LedgerRow,
    Login,
    MaintenanceItem,
    Meter,
    MeterInstallation,
    MeterReading,
    Node,
    NodeClass,
    Notification,
    NotificationAttachment,
    NotificationChannel,
    OutboxMessage,
    PortalSession,
    StaffToken,
    StoredFile,
    TimePointType,
)

MAX_PAGE = 1000

# --- Authentication -------------------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="A staff token made with `bodata portal staff-tokens add NAME`.")


def require_staff(
    session: DbSession, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """A valid, unrevoked staff token; 401 otherwise."""
    if credentials is None:
        raise ApiError(401, "unauthorized", "A staff token is required: Authorization: Bearer <token>.")
    if not service.staff_token_valid(session, credentials.credentials):
        raise ApiError(401, "unauthorized", "The staff token is unknown or revoked.")


router = APIRouter(dependencies=[Depends(require_staff)])


# --- Output schemas -------------------------------------------------------------------------------

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    """One page of a listing."""

    items: list[Item]
    total: int = Field(description="How many records match, on all pages.")
    limit: int
    offset: int


class LoginOut(Output):
    """A portal login (the password hash is never shown)."""

    id: int
    customer_id: int
    username: str
    created_at: datetime
    last_login_at: datetime | None
    failed_logins: int
    locked_until: datetime | None


class SessionOut(Output):
    """A portal session of a customer; only a digest of its key is stored."""

    id: int
    customer_id: int
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    active: bool = Field(description="Neither ended nor expired.")


class SessionsEnded(BaseModel):
    """How many sessions were ended."""

    ended: int


class FileOut(Output):
    """A stored file (its bytes: GET /portal/admin/files/{id}/content)."""

    id: int
    mime_type: str
    extension: str
    size: int
    sha256: str
    created_at: datetime


class OutboxOut(Output):
    """A message bodata would send (a contact-detail validation link), kept for inspection."""

    id: int
    customer_id: int
    channel: str
    recipient: str
    subject: str
    body: str
    created_at: datetime


class CredentialOut(Output):
    """An API key or staff token (its secret is never shown after it is issued)."""

    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


class CredentialIssued(BaseModel):
    """A new API key or staff token: the key is shown this once."""

    name: str
    key: str


class ShareKey(BaseModel):
    """A case's new share key (Delningsnyckel, shown this once): GET /portal/arende/{key} shows the case."""

    case_id: int
    share_key: str


class MediaOut(Output):
    """An image on a case row (its bytes: GET /portal/admin/files/{file_id}/content)."""

    id: int
    file_id: int
    notering: str | None


class AttachmentOut(Output):
    """An attachment of a notification."""

    id: int
    notification_id: int
    externt_id: int
    externt_namn: str
    file_id: int


class LaundrySlotOut(Output):
    """A laundry time; ``customer_id`` is set while it is booked."""

    id: int
    node_id: int
    start: datetime
    end: datetime
    customer_id: int | None
    booked_at: datetime | None


class SlotsGeneratedOut(BaseModel):
    """How many laundry times were created, and how many existed already."""

    created: int
    existing: int


CompanyOut = output_schema(backoffice.CompanyFields, "Company", "The housing company.")
TimePointTypeOut = output_schema(backoffice.TimePointTypeFields, "TimePointType", "A kind of case time point.")
NodeClassOut = output_schema(
    backoffice.NodeClassFields,
    "NodeClass",
    "A node class with the time points its cases ask for.",
    time_point_types=(list[TimePointTypeOut], ...),
)
FaultDescriptionTypeOut = output_schema(
    backoffice.FaultDescriptionTypeFields, "FaultDescriptionType", "A fault description."
)
KeyHandlingTypeOut = output_schema(backoffice.KeyHandlingTypeFields, "KeyHandlingType", "A way of key handling.")
FileTypeOut = output_schema(backoffice.FileTypeFields, "FileType", "A document type.")
NodeOut = output_schema(backoffice.NodeFields, "Node", "A node of the object tree.")
ContactDetailOut = output_schema(backoffice.ContactDetailFields, "ContactDetail", "A customer's contact detail.")
AddressOut = output_schema(backoffice.AddressFields, "CustomerAddress", "A customer's address.")
_CUSTOMER_EXTRA: dict[str, Any] = {
    "created_at": (datetime, ...),
    "market_profile": (dict[str, Any] | None, Field(None, description="The market profile (portal.md §2.8).")),
}
CustomerOut = output_schema(backoffice.CustomerFields, "Customer", "A customer.", **_CUSTOMER_EXTRA)
CustomerDetail = output_schema(
    backoffice.CustomerFields,
    "CustomerDetail",
    "A customer with contact details, addresses and logins.",
    **_CUSTOMER_EXTRA,
    contact_details=(list[ContactDetailOut], ...),
    addresses=(list[AddressOut], ...),
    logins=(list[LoginOut], ...),
)
ContractOut = output_schema(backoffice.ContractFields, "Contract", "A contract.")
SpecificationOut = output_schema(
    backoffice.SpecificationIn,
    "Specification",
    "A consumption specification.",
    with_id=False,
    debiteringsfritt_total=(Amount | None, None),
)


class LedgerRowOut(Output):
    """A ledger line with its consumption specification (null when it has none)."""

    id: int
    aviseringstext: str
    nettobelopp: Amount
    momsbelopp: Amount
    bruttobelopp: Amount
    specification: SpecificationOut | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, value: Any) -> Any:
        if isinstance(value, LedgerRow):
            fields = {name: getattr(value, name) for name in ("id", "aviseringstext", "nettobelopp", "momsbelopp")}
            return {**fields, "bruttobelopp": value.bruttobelopp, "specification": backoffice.specification_of(value)}
        return value


LedgerEntryOut = output_schema(
    backoffice.LedgerEntryIn,
    "LedgerEntry",
    "A ledger entry with its lines.",
    forfallodag=(date, ...),
    nettobelopp=(Amount, ...),
    momsbelopp=(Amount, ...),
    bruttobelopp=(Amount, ...),
    rows=(list[LedgerRowOut], ...),
)
DistributionOut = output_schema(backoffice.DistributionIn, "InvoiceDistribution", "How a notice was sent.")
PaymentOut = output_schema(backoffice.PaymentIn, "Payment", "A payment.")
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
InvoiceOut = output_schema(backoffice.InvoiceFields, "Invoice", "A notice with its amounts.", **_INVOICE_EXTRA)
InvoiceDetail = output_schema(
    backoffice.InvoiceFields,
    "InvoiceDetail",
    "A notice with its ledger entries, distributions and payments.",
    **_INVOICE_EXTRA,
    ledger_entries=(list[LedgerEntryOut], ...),
    distributions=(list[DistributionOut], ...),
    payments=(list[PaymentOut], ...),
)


class CaseBase(Output):
    """What every case answer shows besides its fields: whether it has a share key (never the key)."""

    share_key_digest: str | None = Field(None, exclude=True)

    @computed_field
    @property
    def has_share_key(self) -> bool:
        """Whether a share key was issued (POST /portal/admin/cases/{id}/share-key)."""
        return self.share_key_digest is not None


ActorOut = output_schema(backoffice.ActorIn, "Actor", "A case's contact person.")
ParticipantOut = output_schema(backoffice.CaseParticipantFields, "CaseParticipant", "A case officer.")
HistoryOut = output_schema(backoffice.HistoryIn, "CaseRowHistory", "A step in a row's history.")
TimePointOut = output_schema(
    backoffice.TimePointIn, "CaseRowTimePoint", "A time point of a row.", time_point_type=(TimePointTypeOut, ...)
)
CaseRowOut = output_schema(
    backoffice.CaseRowFields,
    "CaseRow",
    "A case row with its officers, history, time points and images.",
    case_id=(int, ...),
    participants=(list[ParticipantOut], ...),
    history=(list[HistoryOut], ...),
    time_points=(list[TimePointOut], ...),
    media=(list[MediaOut], ...),
)
_CASE_EXTRA: dict[str, Any] = {"nummer": (str, ...), "typ_referensnamn": (str, ...)}
CaseOut = output_schema(backoffice.CaseFields, "Case", "A case.", base=CaseBase, **_CASE_EXTRA)
CaseDetail = output_schema(
    backoffice.CaseFields,
    "CaseDetail",
    "A case with its contact, officers and rows.",
    base=CaseBase,
    **_CASE_EXTRA,
    contact=(ActorOut | None, None),
    participants=(list[ParticipantOut], ...),
    rows=(list[CaseRowOut], ...),
)
MaintenanceItemOut = output_schema(backoffice.MaintenanceItemFields, "MaintenanceItem", "Planned maintenance.")
MeterInstallationOut = output_schema(backoffice.MeterInstallationFields, "MeterInstallation", "A meter installation.")
MeterOut = output_schema(backoffice.MeterFields, "Meter", "A meter.")
MeterReadingOut = output_schema(backoffice.MeterReadingFields, "MeterReading", "A meter reading.")
DocumentOut = output_schema(backoffice.DocumentFields, "Document", "A customer document.")
ChannelOut = output_schema(backoffice.ChannelFields, "NotificationChannel", "A message on one channel.")


class NotificationOut(Output):
    """An outgoing message to a customer."""

    id: int
    customer_id: int
    created_at: datetime


class NotificationDetail(NotificationOut):
    """An outgoing message with its channels and attachments."""

    channels: list[ChannelOut]
    attachments: list[AttachmentOut]


# --- Generic resources ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """A collection of records with the usual routes, and the hooks where it has rules of its own.

    POST exists when there is a ``create_schema``, PATCH when there is an ``edit_schema`` (its fields become
    optional), DELETE when ``deletable``. ``read`` shows one record (default: ``out`` from the record loaded with
    ``options``), ``summary`` the records of a listing (default ``out``).
    """

    path: str
    model: type[Base]
    tag: str
    out: type[BaseModel]
    create_schema: type[BaseModel] | None = None
    edit_schema: type[BaseModel] | None = None
    summary: type[BaseModel] | None = None
    filters: tuple[str, ...] = ()
    deletable: bool = True
    delete_note: str = "409 while other records refer to it; the parts that belong to it go with it."
    options: tuple[Any, ...] = ()
    create: Callable[[Session, Any, AppContext], Base] | None = None
    update: Callable[[Session, Any, dict[str, Any]], Any] | None = None
    delete: Callable[[Session, Any], None] | None = None
    read: Callable[[Session, int], BaseModel] | None = None


def _filter_type(kind: type) -> Any:
    return (ColumnInt if kind is int else kind) | None


def filter_schema(model: type[Base], names: tuple[str, ...]) -> type[BaseModel]:
    """The query parameters of a listing: equality filters on columns, and paging."""
    columns = model.__table__.columns
    filters = {
        name: (_filter_type(columns[name].type.python_type), Field(None, description=f"Only records with this {name}."))
        for name in names
    }
    return create_model(
        f"{model.__name__}Filters",
        **filters,
        limit=(int, Field(100, ge=1, le=MAX_PAGE, description="At most this many records.")),
        offset=(int, Field(0, ge=0, le=OFFSET_MAX, description="Skip this many records first.")),
    )


def add_resource(resource: Resource) -> None:
    """Register a resource's routes on the back-office router."""
    model, out = resource.model, resource.out
    name, tags, item = backoffice.noun(model), [resource.tag], resource.path + "/{id}"
    a_name = ("an " if name[0] in "aeiou" else "a ") + name
    summary = resource.summary or out
    record_id_type = Annotated[int, Path(alias="id", ge=1, description=f"The {name}'s id.")]
    filters_type = filter_schema(model, resource.filters)

    def read_default(session: Session, record_id: int) -> BaseModel:
        return out.model_validate(backoffice.get_record(session, model, record_id, options=resource.options))

    read = resource.read or read_default

    if resource.create_schema is not None:
        body_type = resource.create_schema

        def create_default(session: Session, body: BaseModel, _context: AppContext) -> Base:
            return backoffice.create_record(session, model, body.model_dump())

        create = resource.create or create_default

        def create_route(body: body_type, session: DbSession, context: Context) -> Any:
            return read(session, create(session, body, context).id)

        router.add_api_route(
            resource.path,
            create_route,
            methods=["POST"],
            status_code=201,
            response_model=out,
            tags=tags,
            summary=f"Create {a_name}",
            description=body_type.__doc__,
            name=f"create {name}",
        )

    def list_route(query: Annotated[filters_type, Query()], session: DbSession) -> Any:
        values = query.model_dump(exclude={"limit", "offset"})
        options = resource.options if summary is out else ()
        records, count = backoffice.list_records(
            session, model, filters=values, limit=query.limit, offset=query.offset, options=options
        )
        items = [summary.model_validate(record) for record in records]
        return Page[summary](items=items, total=count, limit=query.limit, offset=query.offset)

    router.add_api_route(
        resource.path,
        list_route,
        methods=["GET"],
        response_model=Page[summary],
        tags=tags,
        summary=f"List {name} records",
        description=f"One page of {name} records in id order, filtered by the given columns.",
        name=f"list {name}",
    )

    def read_route(record_id: record_id_type, session: DbSession) -> Any:
        return read(session, record_id)

    router.add_api_route(
        item, read_route, methods=["GET"], response_model=out, tags=tags, summary=f"Read {a_name}", name=f"read {name}"
    )

    if resource.edit_schema is not None:
        edit_schema = resource.edit_schema
        patch_type = backoffice.patch_schema(edit_schema, f"{out.__name__}Change")

        def update_default(session: Session, record: Base, changes: dict[str, Any]) -> Any:
            return backoffice.update_record(session, record, edit_schema, changes)

        update = resource.update or update_default

        def update_route(record_id: record_id_type, body: patch_type, session: DbSession) -> Any:
            update(session, backoffice.get_record(session, model, record_id), body.model_dump(exclude_unset=True))
            return read(session, record_id)

        router.add_api_route(
            item,
            update_route,
            methods=["PATCH"],
            response_model=out,
            tags=tags,
            summary=f"Change {a_name}",
            description="Only the fields sent change; the changed record is validated as a whole.",
            name=f"change {name}",
        )

    if resource.deletable:
        delete = resource.delete or backoffice.delete_record

        def delete_route(record_id: record_id_type, session: DbSession) -> Response:
            delete(session, backoffice.get_record(session, model, record_id))
            return Response(status_code=204)

        router.add_api_route(
            item,
            delete_route,
            methods=["DELETE"],
            status_code=204,
            response_class=Response,
            tags=tags,
            summary=f"Delete {a_name}",
            description=resource.delete_note,
            name=f"delete {name}",
        )


# --- Resources ------------------------------------------------------------------------------------

INVOICE_PARTS = (
    selectinload(Invoice.ledger_entries).selectinload(LedgerEntry.rows),
    selectinload(Invoice.distributions),
    selectinload(Invoice.payments),
)
CASE_ROW_PARTS = (selectinload(CaseRow.history), selectinload(CaseRow.time_points), selectinload(CaseRow.media))
CASE_PARTS = (
    selectinload(Case.contact_actor),
    selectinload(Case.participants),
    *(selectinload(Case.rows).options(part) for part in CASE_ROW_PARTS),
)


def read_customer(session: Session, customer_id: int) -> BaseModel:
    """A customer with contact details, addresses and logins."""
    customer = backoffice.get_record(session, Customer, customer_id)
    parts = backoffice.customer_parts(session, customer_id=customer_id)
    return CustomerDetail.model_validate({**backoffice.columns_of(customer, CustomerDetail), **parts})


def _row_out(row: CaseRow, participants: list[CaseParticipant]) -> BaseModel:
    parts = {"history": row.history, "time_points": row.time_points, "media": row.media, "participants": participants}
    return CaseRowOut.model_validate({**backoffice.columns_of(row, CaseRowOut), **parts})


def read_case(session: Session, case_id: int) -> BaseModel:
    """A case with its contact, officers and rows (each with officers, history, time points and images)."""
    case = backoffice.get_record(session, Case, case_id, options=CASE_PARTS)
    officers: dict[int | None, list[CaseParticipant]] = {}
    for participant in case.participants:
        officers.setdefault(participant.case_row_id, []).append(participant)
    rows = [_row_out(row, officers.get(row.id, [])) for row in case.rows]
    parts = {"contact": case.contact_actor, "participants": officers.get(None, []), "rows": rows}
    return CaseDetail.model_validate({**backoffice.columns_of(case, CaseDetail), **parts})


def read_case_row(session: Session, row_id: int) -> BaseModel:
    """A case row with its officers, history, time points and images."""
    row = backoffice.get_record(session, CaseRow, row_id, options=CASE_ROW_PARTS)
    officers = session.scalars(
        select(CaseParticipant).where(CaseParticipant.case_row_id == row_id).order_by(CaseParticipant.id)
    )
    return _row_out(row, list(officers))


def _now(context: AppContext) -> datetime:
    return context.clock.now()


def _media_limit(context: AppContext) -> int:
    return context.settings.portal_media_max_bytes


RESOURCES = (
    Resource(
        path="/time-point-types",
        model=TimePointType,
        tag="Node classes",
        out=TimePointTypeOut,
        create_schema=backoffice.TimePointTypeFields,
        edit_schema=backoffice.TimePointTypeFields,
        filters=("system_name",),
    ),
    Resource(
        path="/node-classes",
        model=NodeClass,
        tag="Node classes",
        out=NodeClassOut,
        create_schema=backoffice.NodeClassCreate,
        edit_schema=backoffice.NodeClassCreate,
        filters=("group_system_name", "system_name", "deleted"),
        options=(selectinload(NodeClass.time_point_types),),
        create=lambda session, body, _: backoffice.create_node_class(session, data=body),
        update=lambda session, record, changes: backoffice.update_node_class(
            session, node_class=record, changes=changes
        ),
    ),
    Resource(
        path="/fault-description-types",
        model=FaultDescriptionType,
        tag="Node classes",
        out=FaultDescriptionTypeOut,
        create_schema=backoffice.FaultDescriptionTypeFields,
        edit_schema=backoffice.FaultDescriptionTypeFields,
        filters=("node_class_id",),
    ),
    Resource(
        path="/key-handling-types",
        model=KeyHandlingType,
        tag="Node classes",
        out=KeyHandlingTypeOut,
        create_schema=backoffice.KeyHandlingTypeFields,
        edit_schema=backoffice.KeyHandlingTypeFields,
    ),
    Resource(
        path="/nodes",
        model=Node,
        tag="Object tree",
        out=NodeOut,
        create_schema=backoffice.NodeFields,
        edit_schema=backoffice.NodeFields,
        filters=("parent_id", "node_class_id", "object_type", "nummer"),
        update=lambda session, record, changes: backoffice.update_node(session, node=record, changes=changes),
    ),
    Resource(
        path="/customers",
        model=Customer,
        tag="Customers",
        out=CustomerDetail,
        summary=CustomerOut,
        create_schema=backoffice.CustomerCreate,
        edit_schema=backoffice.CustomerFields,
        filters=("kundnummer", "personnummer"),
        create=lambda session, body, context: backoffice.create_customer(session, data=body, now=_now(context)),
        read=read_customer,
    ),
    Resource(
        path="/contact-details",
        model=ContactDetail,
        tag="Customers",
        out=ContactDetailOut,
        create_schema=backoffice.ContactDetailFields,
        edit_schema=backoffice.ContactDetailFields,
        filters=("customer_id", "kind"),
    ),
    Resource(
        path="/addresses",
        model=CustomerAddress,
        tag="Customers",
        out=AddressOut,
        create_schema=backoffice.AddressFields,
        edit_schema=backoffice.AddressFields,
        filters=("customer_id", "kind"),
    ),
    Resource(path="/logins", model=Login, tag="Customers", out=LoginOut, filters=("customer_id", "username")),
    Resource(
        path="/contracts",
        model=Contract,
        tag="Contracts",
        out=ContractOut,
        create_schema=backoffice.ContractFields,
        edit_schema=backoffice.ContractFields,
        filters=("customer_id", "node_id", "avtalsnummer"),
    ),
    Resource(
        path="/invoices",
        model=Invoice,
        tag="Economy",
        out=InvoiceDetail,
        summary=InvoiceOut,
        create_schema=backoffice.InvoiceCreate,
        edit_schema=backoffice.InvoiceFields,
        filters=("customer_id", "contract_id", "avinummer", "typ_referensnamn"),
        options=INVOICE_PARTS,
        create=lambda session, body, context: backoffice.create_invoice(session, data=body, now=_now(context)),
        update=lambda session, record, changes: backoffice.update_invoice(session, invoice=record, changes=changes),
    ),
    Resource(
        path="/cases",
        model=Case,
        tag="Cases",
        out=CaseDetail,
        summary=CaseOut,
        create_schema=backoffice.CaseCreate,
        edit_schema=backoffice.CaseFields,
        filters=("customer_id", "node_id", "typ_referensnamn", "nummer", "borttagen"),
        create=lambda session, body, context: backoffice.create_case(
            session, data=body, now=_now(context), max_media_bytes=_media_limit(context)
        ),
        delete=lambda session, record: backoffice.delete_case(session, case=record),
        delete_note="Marks the case deleted (borttagen): tenants no longer see it; PATCH borttagen=false restores it.",
        read=read_case,
    ),
    Resource(
        path="/maintenance-items",
        model=MaintenanceItem,
        tag="Maintenance and meters",
        out=MaintenanceItemOut,
        create_schema=backoffice.MaintenanceItemFields,
        edit_schema=backoffice.MaintenanceItemFields,
        filters=("node_id",),
    ),
    Resource(
        path="/meter-installations",
        model=MeterInstallation,
        tag="Maintenance and meters",
        out=MeterInstallationOut,
        create_schema=backoffice.MeterInstallationFields,
        edit_schema=backoffice.MeterInstallationFields,
        filters=("node_id",),
    ),
    Resource(
        path="/meters",
        model=Meter,
        tag="Maintenance and meters",
        out=MeterOut,
        create_schema=backoffice.MeterFields,
        edit_schema=backoffice.MeterFields,
        filters=("installation_id",),
    ),
    Resource(
        path="/meter-readings",
        model=MeterReading,
        tag="Maintenance and meters",
        out=MeterReadingOut,
        create_schema=backoffice.MeterReadingFields,
        edit_schema=backoffice.MeterReadingFields,
        filters=("meter_id", "datum"),
    ),
    Resource(
        path="/file-types",
        model=FileType,
        tag="Documents",
        out=FileTypeOut,
        create_schema=backoffice.FileTypeFields,
        edit_schema=backoffice.FileTypeFields,
    ),
    Resource(path="/files", model=StoredFile, tag="Documents", out=FileOut, filters=("mime_type", "sha256")),
    Resource(
        path="/documents",
        model=Document,
        tag="Documents",
        out=DocumentOut,
        create_schema=backoffice.DocumentCreate,
        edit_schema=backoffice.DocumentFields,
        filters=("customer_id", "contract_id", "node_id", "file_type_id"),
        create=lambda session, body, context: backoffice.create_document(session, data=body, now=_now(context)),
        update=lambda session, record, changes: backoffice.update_document(session, document=record, changes=changes),
    ),
    Resource(
        path="/notifications",
        model=Notification,
        tag="Notifications",
        out=NotificationDetail,
        summary=NotificationOut,
        create_schema=backoffice.NotificationCreate,
        filters=("customer_id",),
        options=(selectinload(Notification.channels), selectinload(Notification.attachments)),
        create=lambda session, body, context: backoffice.create_notification(session, data=body, now=_now(context)),
    ),
    Resource(
        path="/notification-channels",
        model=NotificationChannel,
        tag="Notifications",
        out=ChannelOut,
        create_schema=backoffice.ChannelFields,
        edit_schema=backoffice.ChannelFields,
        filters=("notification_id",),
    ),
    Resource(
        path="/laundry-slots",
        model=LaundrySlot,
        tag="Laundry",
        out=LaundrySlotOut,
        filters=("node_id", "customer_id"),
        delete=lambda session, record: backoffice.delete_laundry_slot(session, slot=record),
        delete_note="Deletes a free laundry time; 409 for a booked one.",
    ),
    Resource(
        path="/outbox", model=OutboxMessage, tag="Outbox", out=OutboxOut, filters=("customer_id",), deletable=False
    ),
)

for _resource in RESOURCES:
    add_resource(_resource)


# --- Company --------------------------------------------------------------------------------------


@router.get("/company", response_model=CompanyOut, tags=["Company"], summary="Read the company")
def read_company(session: DbSession) -> Any:
    """The housing company whose details the printed notices carry; 404 before one is saved."""
    return backoffice.get_company(session)


@router.put("/company", response_model=CompanyOut, tags=["Company"], summary="Save the company")
def save_company(body: backoffice.CompanyFields, session: DbSession) -> Any:
    """Create or replace the company record."""
    return backoffice.save_company(session, data=body)


# --- Nodes ----------------------------------------------------------------------------------------

NodeId = Annotated[int, Path(alias="id", ge=1, description="The node's id.")]


@router.get(
    "/nodes/{id}/children", response_model=list[NodeOut], tags=["Object tree"], summary="List a node's children"
)
def node_children(node_id: NodeId, session: DbSession) -> Any:
    """The children of a node, in display order (``ordning``, then id)."""
    return backoffice.node_children(session, node_id=node_id)


# --- Logins and sessions --------------------------------------------------------------------------

CustomerId = Annotated[int, Path(alias="id", ge=1, description="The customer's id.")]
LoginId = Annotated[int, Path(alias="id", ge=1, description="The login's id.")]


@router.post(
    "/customers/{id}/logins",
    status_code=201,
    response_model=LoginOut,
    tags=["Customers"],
    summary="Give a customer a portal login",
)
def add_login(customer_id: CustomerId, body: backoffice.LoginCreate, session: DbSession, context: Context) -> Any:
    """A login (user name and password, stored as an Argon2 hash) for ``POST /portal/session/login``."""
    backoffice.get_record(session, Customer, customer_id)
    return service.add_login(
        session, customer_id=customer_id, username=body.username, password=body.password, now=_now(context)
    )


@router.put(
    "/logins/{id}/password", status_code=204, response_class=Response, tags=["Customers"], summary="Reset a password"
)
def reset_password(login_id: LoginId, body: backoffice.PasswordChange, session: DbSession) -> Response:
    """Give a login a new password; sessions already open stay open (end them with DELETE …/sessions)."""
    backoffice.set_password(session, login=backoffice.get_record(session, Login, login_id), password=body.password)
    return Response(status_code=204)


@router.post(
    "/logins/{id}/unlock",
    status_code=204,
    response_class=Response,
    tags=["Customers"],
    summary="Unlock a login locked by wrong passwords",
)
def unlock_login(login_id: LoginId, session: DbSession) -> Response:
    """Lift the lock that too many wrong passwords in a row put on a login (a password reset lifts it too)."""
    backoffice.unlock(session, login=backoffice.get_record(session, Login, login_id))
    return Response(status_code=204)


def _session_out(record: PortalSession, now: datetime) -> BaseModel:
    active = record.ended_at is None and record.expires_at > now
    return SessionOut.model_validate({**backoffice.columns_of(record, SessionOut), "active": active})


@router.get(
    "/customers/{id}/sessions",
    response_model=list[SessionOut],
    tags=["Customers"],
    summary="List a customer's sessions",
)
def list_sessions(customer_id: CustomerId, session: DbSession, context: Context) -> Any:
    """A customer's portal sessions, newest first."""
    records = backoffice.customer_sessions(session, customer_id=customer_id)
    return [_session_out(record, _now(context)) for record in records]


@router.delete(
    "/customers/{id}/sessions", response_model=SessionsEnded, tags=["Customers"], summary="End a customer's sessions"
)
def end_sessions(customer_id: CustomerId, session: DbSession, context: Context) -> Any:
    """End every live session of a customer: their keys stop working at once."""
    backoffice.get_record(session, Customer, customer_id)
    return SessionsEnded(ended=backoffice.end_sessions(session, customer_id=customer_id, now=_now(context)))


@router.delete(
    "/customers/{id}/sessions/{session_id}",
    status_code=204,
    response_class=Response,
    tags=["Customers"],
    summary="End one session",
)
def end_session(
    customer_id: CustomerId, session_id: Annotated[int, Path(ge=1)], session: DbSession, context: Context
) -> Response:
    """End one session of a customer (a session that already ended stays ended)."""
    record = session.get(PortalSession, session_id)
    if record is None or record.customer_id != customer_id:
        raise ApiError(404, "not_found", f"Customer {customer_id} has no session {session_id}.")
    backoffice.end_sessions(session, customer_id=customer_id, now=_now(context), session_id=session_id)
    return Response(status_code=204)


# --- Invoices -------------------------------------------------------------------------------------

InvoiceId = Annotated[int, Path(alias="id", ge=1, description="The notice's id (AviseringId).")]


@router.post(
    "/invoices/{id}/payments",
    status_code=201,
    response_model=InvoiceDetail,
    tags=["Economy"],
    summary="Register a payment",
)
def register_payment(invoice_id: InvoiceId, body: backoffice.PaymentIn, session: DbSession, context: Context) -> Any:
    """Record a payment (not dated after today); the notice's InbetaltBelopp, BetalningFördeladBelopp, Restbelopp
    and AttBetala follow."""
    invoice = backoffice.get_record(session, Invoice, invoice_id)
    today = backoffice.local_now(_now(context)).date()
    backoffice.register_payment(session, invoice=invoice, payment=body, today=today)
    return InvoiceDetail.model_validate(backoffice.get_record(session, Invoice, invoice_id, options=INVOICE_PARTS))


# --- Cases ----------------------------------------------------------------------------------------

CaseId = Annotated[int, Path(alias="id", ge=1, description="The case's id (ÄrendeId).")]
RowId = Annotated[int, Path(ge=1, description="The case row's id (ÄrendeRadId).")]
PartId = Annotated[int, Path(ge=1, description="The id of the part.")]


@router.post(
    "/maintenance-offers",
    status_code=201,
    response_model=CaseDetail,
    tags=["Cases"],
    summary="Create a maintenance offer",
)
def create_offer(body: backoffice.MaintenanceOfferCreate, session: DbSession, context: Context) -> Any:
    """A case of type Underhåll whose rows are the offered measures; tenants answer by the deadline (E14)."""
    case = backoffice.create_case(session, data=body, now=_now(context), max_media_bytes=_media_limit(context))
    return read_case(session, case.id)


@router.post("/cases/{id}/close", response_model=CaseDetail, tags=["Cases"], summary="Close a case")
def close_case(case_id: CaseId, body: backoffice.CaseClose, session: DbSession, context: Context) -> Any:
    """Set ÄrendeAvslutat (now unless given); 409 when the case is already closed."""
    at = body.avslutat or backoffice.local_now(_now(context))
    backoffice.close_case(session, case=backoffice.get_record(session, Case, case_id), at=at)
    return read_case(session, case_id)


@router.post(
    "/cases/{id}/share-key", status_code=201, response_model=ShareKey, tags=["Cases"], summary="Issue a share key"
)
def issue_share_key(case_id: CaseId, session: DbSession) -> Any:
    """A new share key (Delningsnyckel), shown this once; it replaces the case's earlier key."""
    key = backoffice.issue_share_key(session, case=backoffice.get_record(session, Case, case_id))
    return ShareKey(case_id=case_id, share_key=key)


@router.delete(
    "/cases/{id}/share-key", status_code=204, response_class=Response, tags=["Cases"], summary="Withdraw the share key"
)
def withdraw_share_key(case_id: CaseId, session: DbSession) -> Response:
    """The case's share key stops working."""
    backoffice.get_record(session, Case, case_id).share_key_digest = None
    return Response(status_code=204)


@router.post(
    "/cases/{id}/participants",
    status_code=201,
    response_model=ParticipantOut,
    tags=["Cases"],
    summary="Add a case officer",
)
def add_participant(case_id: CaseId, body: backoffice.CaseParticipantFields, session: DbSession) -> Any:
    """A case officer (handläggare) of the case, or of one of its rows (``case_row_id``)."""
    backoffice.get_record(session, Case, case_id)
    if body.case_row_id is not None:
        backoffice.case_row(session, case_id=case_id, row_id=body.case_row_id)
    return backoffice.create_record(session, CaseParticipant, {"case_id": case_id, **body.model_dump()})


@router.delete(
    "/cases/{id}/participants/{participant_id}",
    status_code=204,
    response_class=Response,
    tags=["Cases"],
    summary="Remove a case officer",
)
def remove_participant(case_id: CaseId, participant_id: PartId, session: DbSession) -> Response:
    """Remove a case officer from the case."""
    participant = backoffice.case_participant(session, case_id=case_id, participant_id=participant_id)
    backoffice.delete_record(session, participant)
    return Response(status_code=204)


@router.post("/cases/{id}/rows", status_code=201, response_model=CaseRowOut, tags=["Cases"], summary="Add a case row")
def add_row(case_id: CaseId, body: backoffice.CaseRowCreate, session: DbSession, context: Context) -> Any:
    """A new row with its officers, history, time points and images."""
    case = backoffice.get_record(session, Case, case_id)
    row = backoffice.add_case_row(
        session, case=case, data=body, now=_now(context), max_media_bytes=_media_limit(context)
    )
    return read_case_row(session, row.id)


@router.patch("/cases/{id}/rows/{row_id}", response_model=CaseRowOut, tags=["Cases"], summary="Change a case row")
def change_row(
    case_id: CaseId, row_id: RowId, body: backoffice.CaseRowChange, session: DbSession, context: Context
) -> Any:
    """Change a row's fields; a new status or process step adds a history entry (by ``anvandare``, now)."""
    row = backoffice.case_row(session, case_id=case_id, row_id=row_id)
    changes = body.model_dump(exclude_unset=True)
    user = changes.pop("anvandare", None) or backoffice.DEFAULT_HISTORY_USER
    backoffice.update_case_row(session, row=row, changes=changes, user=user, now=_now(context))
    return read_case_row(session, row_id)


@router.delete(
    "/cases/{id}/rows/{row_id}", status_code=204, response_class=Response, tags=["Cases"], summary="Delete a case row"
)
def delete_row(case_id: CaseId, row_id: RowId, session: DbSession) -> Response:
    """Delete a row with its officers, history, time points and images."""
    backoffice.delete_record(session, backoffice.case_row(session, case_id=case_id, row_id=row_id))
    return Response(status_code=204)


@router.post(
    "/cases/{id}/rows/{row_id}/history",
    status_code=201,
    response_model=HistoryOut,
    tags=["Cases"],
    summary="Add a history entry",
)
def add_history(case_id: CaseId, row_id: RowId, body: backoffice.HistoryIn, session: DbSession) -> Any:
    """A step in the row's history (ÄrendeHistorik)."""
    row = backoffice.case_row(session, case_id=case_id, row_id=row_id)
    return backoffice.create_record(session, CaseRowHistory, {"case_row_id": row.id, **body.model_dump()})


@router.post(
    "/cases/{id}/rows/{row_id}/time-points",
    status_code=201,
    response_model=TimePointOut,
    tags=["Cases"],
    summary="Add a time point",
)
def add_time_point(case_id: CaseId, row_id: RowId, body: backoffice.TimePointIn, session: DbSession) -> Any:
    """A time point of the row (ÄrendeRadÄrendeTidpunkt)."""
    row = backoffice.case_row(session, case_id=case_id, row_id=row_id)
    point = backoffice.create_record(session, CaseRowTimePoint, {"case_row_id": row.id, **body.model_dump()})
    return backoffice.get_record(session, CaseRowTimePoint, point.id)


@router.post(
    "/cases/{id}/rows/{row_id}/media", status_code=201, response_model=MediaOut, tags=["Cases"], summary="Add an image"
)
def add_media(case_id: CaseId, row_id: RowId, body: backoffice.MediaIn, session: DbSession, context: Context) -> Any:
    """An image on the row, inline (base64) or uploaded before (``POST /files``, multipart): checked to be an image
    by its first bytes, no larger than the portal's media limit."""
    row = backoffice.case_row(session, case_id=case_id, row_id=row_id)
    return backoffice.add_media(session, row=row, data=body, now=_now(context), max_bytes=_media_limit(context))


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
    row = backoffice.case_row(session, case_id=case_id, row_id=row_id)
    data = backoffice.MediaIn(file=backoffice.FileIn(data=file.file.read()), notering=notering)
    return backoffice.add_media(session, row=row, data=data, now=_now(context), max_bytes=_media_limit(context))


def _add_row_part_removal(segment: str, model: type[Base], remove: Callable[[Session, Any], None]) -> None:
    def remove_route(case_id: CaseId, row_id: RowId, part_id: PartId, session: DbSession) -> Response:
        row = backoffice.case_row(session, case_id=case_id, row_id=row_id)
        remove(session, backoffice.row_part(session, model, row=row, part_id=part_id))
        return Response(status_code=204)

    name = backoffice.noun(model)
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


_add_row_part_removal("history", CaseRowHistory, backoffice.delete_record)
_add_row_part_removal("time-points", CaseRowTimePoint, backoffice.delete_record)
_add_row_part_removal("media", CaseRowMedia, lambda session, media: backoffice.delete_media(session, media=media))


# --- Files and notifications ----------------------------------------------------------------------

FileId = Annotated[int, Path(alias="id", ge=1, description="The file's id.")]
GENERIC_MIME_TYPE = "application/octet-stream"


@router.post("/files", status_code=201, response_model=FileOut, tags=["Documents"], summary="Upload a file")
def upload_file(
    file: Annotated[UploadFile, File(description="The file (multipart/form-data).")],
    session: DbSession,
    context: Context,
    mime_type: Annotated[str | None, Form(max_length=100, description="Overrides the upload's type.")] = None,
) -> Any:
    """Store a file for a document, case-row image or attachment to refer to (``file_id``).

    The MIME type is the form field ``mime_type``, else the part's Content-Type; images are recognised by content
    when neither names a type.
    """
    declared = mime_type or (file.content_type if file.content_type != GENERIC_MIME_TYPE else None)
    extension = PurePath(file.filename or "").suffix.lower() or None
    data = file.file.read()
    return backoffice.store_file(session, data=data, mime_type=declared, extension=extension, now=_now(context))


@router.get(
    "/files/{id}/content",
    response_class=Response,
    tags=["Documents"],
    summary="Download a file",
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file's bytes."}},
)
def file_content(file_id: FileId, session: DbSession) -> Response:
    """The file's bytes, with its MIME type."""
    stored = backoffice.get_record(session, StoredFile, file_id)
    return Response(stored.data, media_type=stored.mime_type)


NotificationId = Annotated[int, Path(alias="id", ge=1, description="The notification's id.")]


@router.post(
    "/notifications/{id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    tags=["Notifications"],
    summary="Attach a file",
)
def add_attachment(
    notification_id: NotificationId, body: backoffice.AttachmentIn, session: DbSession, context: Context
) -> Any:
    """An attachment of the message (NotifieringBilaga), numbered after the others unless ``externt_id`` is given."""
    notification = backoffice.get_record(session, Notification, notification_id)
    return backoffice.add_attachment(session, notification=notification, data=body, now=_now(context))


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
    backoffice.delete_record(session, attachment)
    return Response(status_code=204)


# --- Laundry --------------------------------------------------------------------------------------

LaundryId = Annotated[int, Path(ge=1, description="The laundry room's node id.")]


@router.post(
    "/laundry/{node_id}/slots",
    status_code=201,
    response_model=SlotsGeneratedOut,
    tags=["Laundry"],
    summary="Generate laundry times",
)
def generate_slots(node_id: LaundryId, body: backoffice.SlotGeneration, session: DbSession) -> Any:
    """Bookable times in a laundry room for each day of a date range and each daily window (existing ones kept)."""
    return backoffice.generate_laundry_slots(session, node_id=node_id, data=body)


@router.get(
    "/laundry/{node_id}/slots", response_model=list[LaundrySlotOut], tags=["Laundry"], summary="List laundry times"
)
def list_slots(
    node_id: LaundryId,
    session: DbSession,
    fom: Annotated[date | None, Query(description="From this day.")] = None,
    tom: Annotated[date | None, Query(description="To this day (inclusive).")] = None,
    booked: Annotated[bool | None, Query(description="Only booked (true) or free (false) times.")] = None,
) -> Any:
    """A laundry room's times in time order."""
    return backoffice.laundry_slots(session, node_id=node_id, fom=fom, tom=tom, booked=booked)


@router.get(
    "/laundry/{node_id}/bookings", response_model=list[LaundrySlotOut], tags=["Laundry"], summary="List bookings"
)
def list_bookings(
    node_id: LaundryId,
    session: DbSession,
    fom: Annotated[date | None, Query(description="From this day.")] = None,
    tom: Annotated[date | None, Query(description="To this day (inclusive).")] = None,
) -> Any:
    """The booked times of a laundry room, with the customers who booked them."""
    return backoffice.laundry_slots(session, node_id=node_id, fom=fom, tom=tom, booked=True)


# --- API keys and staff tokens --------------------------------------------------------------------


def _add_credential_routes(path: str, model: type[ApiKey] | type[StaffToken], issue: Callable[..., str]) -> None:
    name = backoffice.noun(model)
    tags = ["API keys and staff tokens"]

    def issue_route(body: backoffice.CredentialCreate, session: DbSession, context: Context) -> Any:
        key = issue(session, name=body.name, now=_now(context), value=body.key)
        return CredentialIssued(name=body.name, key=key)

    def list_route(session: DbSession) -> Any:
        return backoffice.credentials(session, model)

    def revoke_route(
        credential_name: Annotated[str, Path(alias="name")], session: DbSession, context: Context
    ) -> Response:
        if not service.revoke(session, model=model, name=credential_name, now=_now(context)):
            raise ApiError(404, "not_found", f"There is no unrevoked {name} {credential_name!r}.")
        return Response(status_code=204)

    router.add_api_route(
        path,
        issue_route,
        methods=["POST"],
        status_code=201,
        response_model=CredentialIssued,
        tags=tags,
        summary=f"Issue a {name}",
        description="The key is shown once; only its digest is stored.",
        name=f"issue {name}",
    )
    router.add_api_route(
        path, list_route, methods=["GET"], response_model=list[CredentialOut], tags=tags, summary=f"List {name}s"
    )
    router.add_api_route(
        path + "/{name}",
        revoke_route,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        tags=tags,
        summary=f"Revoke a {name}",
        name=f"revoke {name}",
    )


_add_credential_routes("/api-keys", ApiKey, service.add_api_key)
_add_credential_routes("/staff-tokens", StaffToken, service.add_staff_token)
