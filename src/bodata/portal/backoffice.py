"""The back office's rules: creating, changing and deleting the property-management records behind the portal.

Staff (and integrations) maintain the records through ``/portal/admin`` (routes/admin.py) and ``bodata portal``
(cli.py); both call the plain functions here. Input schemas (``…Fields``: the columns a request may set, with
their validation; ``…Create``: the fields plus nested records) are Pydantic models whose field names are the model
columns. Output schemas are derived from them (``output_schema``) without the input validators, so records written
elsewhere are always shown; PATCH bodies are derived too (``patch_schema``), and a change is validated by merging it
into the stored record and validating the result as a whole.

Generic rules hold for every table: unknown references are refused (422) and duplicates of a unique key are a
conflict (409) before anything is written; a record that others still refer to is not deleted (409). Amounts are
computed here (Brutto = Netto + Moms on every line, entry and notice; Restbelopp = Brutto − Inbetalt; AttBetala =
the remainder, never below zero), as are OCR references, case numbers and share keys. Errors are ``ApiError``s with
English messages: the back office answers RFC 9457 problem documents like the rest of the platform.
"""

import base64
import binascii
import mimetypes
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from hashlib import sha256
from itertools import pairwise
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    create_model,
    field_serializer,
    field_validator,
    model_validator,
)
from sqlalchemy import Table, UniqueConstraint, delete, func, select, update
from sqlalchemy.orm import Session
from stdnum.se import personnummer as swedish_personal_number

from bodata.core.db import Base
from bodata.core.errors import ApiError
from bodata.core.inputs import text_problem
from bodata.core.security import hash_password, issue_token
from bodata.core.timezones import SWEDISH_TIME
from bodata.portal.customers import local_now, postcode
from bodata.portal.freshness import take_write_turn
from bodata.portal.images import ACCEPTED as IMAGE_FORMATS
from bodata.portal.images import image_type
from bodata.portal.models import (
    Actor,
    ApiKey,
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    CaseRowTimePoint,
    Company,
    ContactDetail,
    Contract,
    Customer,
    CustomerAddress,
    Document,
    Invoice,
    InvoiceDistribution,
    LaundrySlot,
    LedgerEntry,
    LedgerRow,
    Login,
    Node,
    NodeClass,
    NodeClassTimePoint,
    Notification,
    NotificationAttachment,
    NotificationChannel,
    Payment,
    PortalSession,
    StaffToken,
    StoredFile,
    TimePointType,
)
from bodata.portal.nodes import LAUNDRY_ROOM, with_ancestors
from bodata.portal.ocr import ocr_reference, valid_bankgiro, valid_ocr
from bodata.portal.shapes import COUNTRIES, NODE_CLASS_PREFIX, NODE_PREFIX, amount

Record = TypeVar("Record", bound=Base)


# --- Errors ---------------------------------------------------------------------------------------


def not_found(model: type[Base], record_id: object) -> ApiError:
    """An unknown id in the path: 404."""
    return ApiError(404, "not_found", f"There is no {noun(model)} with id {record_id}.")


def conflict(message: str, details: list[str] | None = None) -> ApiError:
    """The request clashes with stored records (a duplicate key, records that depend on this one): 409."""
    return ApiError(409, "conflict", message, details or [])


def unprocessable(message: str, details: list[str] | None = None) -> ApiError:
    """Well-formed input that breaks a rule (dates out of order, unknown references, a bad checksum): 422."""
    return ApiError(422, "invalid_request", message, details or [])


def noun(model: type[Base] | Table) -> str:
    """What a table holds, in words: ``NodeClass`` → ``node class``."""
    name = _mapped_classes()[model].__name__ if isinstance(model, Table) else model.__name__
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


@cache
def _mapped_classes() -> dict[Table, type]:
    return {mapper.local_table: mapper.class_ for mapper in Base.registry.mappers}


# --- Value types ----------------------------------------------------------------------------------


def text(max_length: int, *, required: bool = False, multiline: bool = True) -> Any:
    """A string type no longer than its column, without NUL or control characters (line breaks and tabs unless
    ``multiline`` is off); ``required``: not empty and not only blanks either (core/inputs.py)."""

    def clean(value: str) -> str:
        problem = text_problem(value, multiline=multiline, required=required)
        if problem == "control":
            raise ValueError("NUL and control characters are not allowed" + ("" if multiline else ", nor line breaks"))
        if problem == "blank":
            raise ValueError("must not be blank")
        return value

    constraints = StringConstraints(min_length=1 if required else 0, max_length=max_length)
    return Annotated[str, constraints, AfterValidator(clean)]


def _swedish_time(value: datetime) -> datetime:
    return local_now(value) if value.tzinfo is not None else value


def _base64(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ValueError("not valid base64") from None


Amount = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2),
    PlainSerializer(amount, return_type=int | float, when_used="json"),
    WithJsonSchema({"type": "number"}, mode="serialization"),
]
"""Money (kronor with öre), shown as a JSON number."""

Quantity = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=3),
    PlainSerializer(amount, return_type=int | float, when_used="json"),
    WithJsonSchema({"type": "number"}, mode="serialization"),
]
"""A metered quantity or unit price (three decimals), shown as a JSON number."""


def _with_offset(value: datetime) -> datetime:
    return value.replace(tzinfo=SWEDISH_TIME) if value.tzinfo is None else value


LocalDateTime = Annotated[
    datetime, AfterValidator(_swedish_time), PlainSerializer(_with_offset, return_type=datetime, when_used="json")
]
"""A Swedish local date-time (``2026-11-01T09:30:00``); a value with an offset is converted to Swedish time.
Shown with its offset (``2026-11-01T09:30:00+01:00``), as the OpenAPI ``date-time`` format requires."""

Base64Data = Annotated[bytes, BeforeValidator(_base64), WithJsonSchema({"type": "string", "contentEncoding": "base64"})]
"""Bytes sent inside JSON, base64-encoded."""

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""A record id."""


class Input(BaseModel):
    """Base of the input schemas: unknown fields are refused, so a misspelt field is not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """Base of the output schemas: built from stored records."""

    model_config = ConfigDict(from_attributes=True)


def output_schema(
    schema: type[BaseModel],
    name: str,
    doc: str,
    *,
    base: type[BaseModel] = Output,
    with_id: bool = True,
    **extra: Any,
) -> type[BaseModel]:
    """A response schema: ``id``, the fields of ``schema`` (types and limits, not its input rules), and ``extra``."""
    fields: dict[str, Any] = {"id": (int, ...)} if with_id else {}
    fields.update({field: (info.annotation, info) for field, info in schema.model_fields.items()})
    fields.update(extra)
    return create_model(name, __base__=base, __doc__=doc, __module__=__name__, **fields)


def patch_schema(schema: type[BaseModel], name: str, **extra: Any) -> type[BaseModel]:
    """A PATCH body for ``schema``: every field optional; the merged record is validated by ``schema`` itself."""
    fields = {
        field: (info.annotation | None, Field(None, description=info.description))
        for field, info in schema.model_fields.items()
    }
    fields.update(extra)
    return create_model(
        name,
        __base__=Input,
        __doc__=f"A change to some fields of a record ({schema.__name__}); fields left out stay as they are.",
        __module__=__name__,
        **fields,
    )


def validated(schema: type[BaseModel], data: Mapping[str, Any]) -> BaseModel:
    """``data`` validated by ``schema``; 422 listing every problem."""
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        details = [
            f"{'.'.join(str(part) for part in problem['loc']) or 'body'}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise unprocessable("The record would not be valid.", details) from None


def columns_of(record: Base, schema: type[BaseModel]) -> dict[str, Any]:
    """The values of the fields of ``schema`` that are columns of ``record``."""
    return {name: getattr(record, name) for name in schema.model_fields if name in record.__table__.columns}


# --- Any record -----------------------------------------------------------------------------------


def get_record(session: Session, model: type[Record], record_id: int, *, options: Sequence[Any] = ()) -> Record:
    """The record with this id, freshly loaded with ``options``; 404 when there is none."""
    query = select(model).where(model.id == record_id).options(*options).execution_options(populate_existing=True)
    record = session.scalar(query)
    if record is None:
        raise not_found(model, record_id)
    return record


def list_records(
    session: Session,
    model: type[Record],
    *,
    filters: Mapping[str, Any],
    limit: int,
    offset: int,
    options: Sequence[Any] = (),
    order_by: Sequence[Any] = (),
) -> tuple[list[Record], int]:
    """One page of the records whose columns equal the given (non-null) filters, and how many match in all."""
    conditions = [getattr(model, name) == value for name, value in filters.items() if value is not None]
    total = session.scalar(select(func.count()).select_from(model).where(*conditions))
    query = select(model).where(*conditions).options(*options).order_by(*order_by, model.id)
    return list(session.scalars(query.limit(limit).offset(offset))), total or 0


def check_references(session: Session, model: type[Base], values: Mapping[str, Any]) -> None:
    """422 when a value of a foreign-key column names a record that does not exist."""
    problems = []
    for name, value in values.items():
        column = model.__table__.columns.get(name)
        if value is None or column is None:
            continue
        for foreign_key in column.foreign_keys:
            target = foreign_key.column
            if session.scalar(select(target).where(target == value)) is None:
                problems.append(f"{name}: there is no {noun(target.table)} with id {value}")
    if problems:
        raise unprocessable("The record refers to records that do not exist.", problems)


def check_unique(
    session: Session, model: type[Base], values: Mapping[str, Any], *, exclude_id: int | None = None
) -> None:
    """409 when another record already has the same value(s) of a unique key."""
    table = model.__table__
    for key in _unique_keys(table):
        if any(values.get(name) is None for name in key):
            continue
        query = select(table.c.id).where(*(table.c[name] == values[name] for name in key))
        if exclude_id is not None:
            query = query.where(table.c.id != exclude_id)
        if session.scalar(query.limit(1)) is not None:
            described = ", ".join(f"{name} {values[name]!r}" for name in key)
            raise conflict(f"There already is a {noun(model)} with {described}.")


@cache
def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    keys = {
        tuple(column.name for column in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    }
    keys.update((column.name,) for column in table.columns if column.unique)
    return sorted(keys)


def dependents(session: Session, model: type[Base], record_id: int) -> list[str]:
    """What still refers to a record (references that do not cascade), e.g. ``2 contract (node_id)``."""
    found = []
    for table, column in _referring_columns(model.__table__):
        count = session.scalar(select(func.count()).select_from(table).where(column == record_id))
        if count:
            found.append(f"{count} {noun(table)} ({column.name})")
    return found


@cache
def _referring_columns(target: Table) -> list[tuple[Table, Any]]:
    return [
        (table, foreign_key.parent)
        for table in Base.metadata.sorted_tables
        for foreign_key in table.foreign_keys
        if foreign_key.column.table is target and (foreign_key.ondelete or "").upper() not in ("CASCADE", "SET NULL")
    ]


def create_record(session: Session, model: type[Record], values: Mapping[str, Any]) -> Record:
    """A new record after checking its references and unique keys."""
    check_references(session, model, values)
    check_unique(session, model, values)
    record = model(**values)
    session.add(record)
    session.flush()
    return record


def update_record(session: Session, record: Record, schema: type[BaseModel], changes: Mapping[str, Any]) -> Record:
    """Apply ``changes`` after validating the changed record as a whole with ``schema``, its references and keys.

    Fields the schema derives from others (a display name from a reference name, a normalised postcode) follow.
    """
    current = columns_of(record, schema)
    merged = validated(schema, {**current, **changes}).model_dump(include=set(current))
    values = {name: value for name, value in merged.items() if name in changes or value != current[name]}
    model = type(record)
    check_references(session, model, values)
    check_unique(session, model, merged, exclude_id=record.id)
    for name, value in values.items():
        setattr(record, name, value)
    session.flush()
    return record


def delete_record(session: Session, record: Base) -> None:
    """Delete a record with the parts that belong to it; 409 while other records refer to it."""
    model = type(record)
    found = dependents(session, model, record.id)
    if found:
        raise conflict(f"The {noun(model)} {record.id} cannot be deleted: other records refer to it.", found)
    session.execute(delete(model).where(model.id == record.id))


def _check_order(start: date | datetime | None, end: date | datetime | None, names: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"{names}: the end ({end}) is before the start ({start})")


def ascii_folded(value: str) -> str:
    """The reference-name form of a display name: ``Underhåll`` → ``Underhall``."""
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").replace(" ", "")


# --- Company --------------------------------------------------------------------------------------


class CompanyFields(Input):
    """The housing company whose name, address and bankgiro the printed notices carry."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "namn": "Bostads AB Mälarporten",
                    "organisationsnummer": "556677-8899",
                    "gatuadress": "Stora Gatan 1",
                    "postnummer": "72212",
                    "postort": "Västerås",
                    "telefon": "021-10 20 30",
                    "epost": "kundservice@malarporten.se",
                    "webbadress": "https://malarporten.se",
                    "bankgiro": "5050-1055",
                }
            ]
        }
    )

    namn: text(200, required=True)
    organisationsnummer: Annotated[str, StringConstraints(pattern=r"^\d{6}-?\d{4}$")]
    gatuadress: text(200, required=True)
    postnummer: text(10, required=True)
    postort: text(100, required=True)
    telefon: text(50) = ""
    epost: text(200) = ""
    webbadress: text(200) = ""
    bankgiro: text(20, required=True)

    @field_validator("postnummer")
    @classmethod
    def _swedish_postcode(cls, value: str) -> str:
        return _postcode(value, "SE")

    @field_validator("bankgiro")
    @classmethod
    def _bankgiro(cls, value: str) -> str:
        if not valid_bankgiro(value):
            raise ValueError("not a bankgiro number (7 or 8 digits with a check digit)")
        return value


def save_company(session: Session, *, data: CompanyFields) -> Company:
    """Create or replace the company record (there is one)."""
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        company = Company()
        session.add(company)
    for name, value in data.model_dump().items():
        setattr(company, name, value)
    session.flush()
    return company


def get_company(session: Session) -> Company:
    """The company record; 404 before one is saved."""
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        raise ApiError(404, "not_found", "No company is registered yet: PUT /portal/admin/company.")
    return company


# --- Node classes and case vocabularies -----------------------------------------------------------


class TimePointTypeFields(Input):
    """A kind of time point a case asks for (ÄrendeTidpunktTyp), e.g. ``Intraffat`` / Inträffat."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"system_name": "Intraffat", "beteckning": "Inträffat"}]})

    system_name: text(100, required=True)
    beteckning: text(200, required=True)
    deleted_at: AwareDatetime | None = Field(None, description="When the type was withdrawn (UTC); null while in use.")


class NodeClassFields(Input):
    """A node class (NodKlass): the kind of a node, or a class of general case (group ``AllmantArende``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "group_system_name": "AllmantArende",
                    "system_name": "Storning",
                    "beteckning": "Störning",
                    "kod": "S",
                    "kortbeteckning": "Stör",
                    "usage_system_name": "ExternWebbArende",
                    "time_point_type_ids": [1],
                }
            ]
        }
    )

    group_system_name: text(100, required=True) = Field(description="Objekt, Rum, Komponent or AllmantArende.")
    system_name: text(100, required=True)
    beteckning: text(200, required=True)
    kod: text(20) = ""
    kortbeteckning: text(50) = ""
    usage_system_name: text(100) | None = Field(None, description="NodKlassAnvändningTyp, e.g. ExternWebbArende.")
    deleted: bool = False


class NodeClassCreate(NodeClassFields):
    """A node class with the time points its cases ask for."""

    time_point_type_ids: list[Id] = Field(default_factory=list, description="ÄrendeKlassTidpunktLista.")


class FaultDescriptionTypeFields(Input):
    """A fault description (ÄrendeFelbeskrivningTyp); without a node class it applies to every class."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"node_class_id": None, "beteckning": "Läcker"}]})

    node_class_id: Id | None = None
    beteckning: text(200, required=True)


class KeyHandlingTypeFields(Input):
    """How staff get in (ÄrendeNyckelhanteringTyp)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"beteckning": "Lämnas på kontoret"}]})

    beteckning: text(200, required=True)


class FileTypeFields(Input):
    """A document type (EntitetFilTyp) and its sort order."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"beteckning": "Hyresavtal", "ordning": 10}]})

    beteckning: text(200, required=True)
    ordning: int = 0


def _time_point_type_ids(session: Session, ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(ids))
    known = set(session.scalars(select(TimePointType.id).where(TimePointType.id.in_(wanted)))) if wanted else set()
    missing = [str(type_id) for type_id in wanted if type_id not in known]
    if missing:
        raise unprocessable(
            "Unknown time point types.", [f"time_point_type_ids: no time point type {i}" for i in missing]
        )
    return wanted


def create_node_class(session: Session, *, data: NodeClassCreate) -> NodeClass:
    """A node class with its time point types."""
    type_ids = _time_point_type_ids(session, data.time_point_type_ids)
    node_class = create_record(session, NodeClass, data.model_dump(exclude={"time_point_type_ids"}))
    session.add_all(NodeClassTimePoint(node_class_id=node_class.id, time_point_type_id=i) for i in type_ids)
    session.flush()
    return node_class


def update_node_class(session: Session, *, node_class: NodeClass, changes: dict[str, Any]) -> NodeClass:
    """Change a node class; ``time_point_type_ids``, when given, replaces its time point types."""
    type_ids = changes.pop("time_point_type_ids", None)
    if type_ids is not None:
        type_ids = _time_point_type_ids(session, type_ids)
    update_record(session, node_class, NodeClassFields, changes)
    if type_ids is not None:
        session.execute(delete(NodeClassTimePoint).where(NodeClassTimePoint.node_class_id == node_class.id))
        session.add_all(NodeClassTimePoint(node_class_id=node_class.id, time_point_type_id=i) for i in type_ids)
        session.flush()
    return node_class


# --- Nodes ----------------------------------------------------------------------------------------


class NodeFields(Input):
    """A node of the object tree: a property, building, apartment, laundry room, room or component."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "parent_id": 2,
                    "node_class_id": 3,
                    "visningstext": "Lägenhet",
                    "nummer": "142-043-01",
                    "object_type": "Bostad",
                    "usages": "Felanmälan",
                    "gatuadress1": "Skärgatan 4",
                    "postnummer": "72131",
                    "postort": "Västerås",
                    "land": "SE",
                }
            ]
        }
    )

    parent_id: Id | None = Field(None, description="The parent node; null for a property (a root).")
    node_class_id: Id
    visningstext: text(200, required=True)
    nummer: text(50) | None = Field(None, description="The object number, e.g. 142-043-01.")
    object_type: text(50) | None = Field(None, description="Bostad or Tvattstuga for objects tenants rent or use.")
    usages: text(200) = Field("", description="Comma-separated AnvändningTyp names, e.g. Felanmälan.")
    gatuadress1: text(200) | None = None
    gatuadress2: text(200) | None = None
    postnummer: text(10) | None = None
    postort: text(100) | None = None
    land: text(2) | None = Field(None, description="ISO 3166-1 alpha-2 country code.")
    ordning: int = Field(0, description="Display order among siblings.")

    @model_validator(mode="after")
    def _address(self) -> "NodeFields":
        if self.land is not None:
            self.land = _country(self.land)
        if self.postnummer is not None:
            self.postnummer = _postcode(self.postnummer, self.land or "SE")
        return self


def _country(code: str) -> str:
    if code.upper() not in COUNTRIES:
        raise ValueError(f"land: unknown country code {code!r} (known: {', '.join(COUNTRIES)})")
    return code.upper()


def _postcode(value: str, country: str) -> str:
    normalised = postcode(value, country=country)
    if normalised is None:
        raise ValueError(f"postnummer: {value!r} is not a postcode of {country}")
    return normalised


def update_node(session: Session, *, node: Node, changes: dict[str, Any]) -> Node:
    """Change a node; moving it under itself or one of its descendants is refused (422)."""
    parent_id = changes.get("parent_id")
    if parent_id is not None and (parent_id == node.id or node.id in with_ancestors(session, [parent_id])):
        raise unprocessable(f"Node {parent_id} lies under node {node.id}: the tree would get a cycle.")
    return update_record(session, node, NodeFields, changes)


def node_children(session: Session, *, node_id: int) -> list[Node]:
    """The children of a node in display order; 404 for an unknown node."""
    get_record(session, Node, node_id)
    return list(session.scalars(select(Node).where(Node.parent_id == node_id).order_by(Node.ordning, Node.id)))


# --- Customers ------------------------------------------------------------------------------------


class _Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MarketType(_Profile):
    """A market-profile vocabulary entry (``SystemName`` + ``Beteckning``)."""

    SystemName: str | None = None
    Beteckning: str | None = None


class IncomeType(MarketType):
    """MarknadAktörInkomstTyp."""

    MarknadAktörInkomstTypGrupp: MarketType | None = None


class Income(_Profile):
    """MarknadAktörInkomst (portal.md §2.8)."""

    MarknadAktörInkomstId: int | None = None
    Skapad: date | datetime | None = None
    Arbetsgivare: str | None = None
    Kontaktperson: str | None = None
    Telefonnummer: str | None = None
    InkomstSedan: date | None = None
    MånadsinkomstNetto: float | None = None
    MarknadAktörInkomstTyp: IncomeType | None = None


class Education(_Profile):
    """MarknadAktörUtbildning (portal.md §2.8)."""

    MarknadAktörUtbildningId: int | None = None
    Lärosäte: str | None = None
    Ort: str | None = None
    Kontaktperson: str | None = None
    Telefonnummer: str | None = None
    Fom: date | None = None
    Tom: date | None = None
    MarknadAktörUtbildningTyp: MarketType | None = None


class Housing(_Profile):
    """MarknadAktörBoende (portal.md §2.8): the current housing."""

    Namn: str | None = None
    Kontaktperson: str | None = None
    Telefonnummer: str | None = None
    MarknadAktörBoendeTyp: MarketType | None = None


class Household(_Profile):
    """MarknadAktörHushåll (portal.md §2.8)."""

    AntalVuxna: int | None = Field(None, ge=0)
    AntalBarn: int | None = Field(None, ge=0)


class Interest(_Profile):
    """MarknadIntresse (portal.md §2.8): an interest registration."""

    MarknadIntresseId: int | None = None
    Skapad: date | datetime | None = None
    Nummer: str | None = None


class MarketEconomy(_Profile):
    """MarknadEkonomi (portal.md §2.8)."""

    Borgensman: bool | None = None
    Deposition: bool | None = None
    Kapital: bool | None = None


class MarketProfile(_Profile):
    """The customer's market profile (SessionMarknadProfil, portal.md §2.8, A-7): one object per part."""

    Skapad: date | datetime | None = None
    MarknadAktörInkomst: Income | None = None
    MarknadAktörUtbildning: Education | None = None
    MarknadAktörBoende: Housing | None = None
    MarknadAktörHushåll: Household | None = None
    MarknadIntresse: Interest | None = None
    MarknadEkonomi: MarketEconomy | None = None


ContactKind = Literal["E-postadress", "Telefon hem", "Mobilnummer"]
AddressKind = Literal["kund.post", "kund.besok", "tillfallig"]


class ContactDetailIn(Input):
    """A contact detail: e-mail, home phone or mobile number (one of each per customer)."""

    kind: ContactKind
    value: text(200, required=True)
    validated: bool = Field(False, description="Whether the customer confirmed it (Validerad).")


class ContactDetailFields(ContactDetailIn):
    """A contact detail of a customer."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"customer_id": 1, "kind": "E-postadress", "value": "anna@example.se"}]}
    )

    customer_id: Id


class AddressIn(Input):
    """A postal or visiting address, or a temporary address (``tillfallig``) valid from ``fom`` to ``tom``."""

    kind: AddressKind
    namn: text(200) | None = None
    attention: text(200) | None = None
    care_of: text(200) | None = None
    gatuadress1: text(200) | None = None
    gatuadress2: text(200) | None = None
    postnummer: text(10) | None = None
    postort: text(100) | None = None
    land: text(2) = "SE"
    fom: date | None = None
    tom: date | None = None

    @model_validator(mode="after")
    def _rules(self) -> "AddressIn":
        self.land = _country(self.land)
        if self.postnummer is not None:
            self.postnummer = _postcode(self.postnummer, self.land)
        _check_order(self.fom, self.tom, "fom/tom")
        if self.kind == "tillfallig" and self.fom is None:
            raise ValueError("fom: a temporary address needs a start date")
        return self


class AddressFields(AddressIn):
    """An address of a customer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 1,
                    "kind": "tillfallig",
                    "namn": "Anna Andersson",
                    "gatuadress1": "Sommarvägen 3",
                    "postnummer": "76291",
                    "postort": "Rimbo",
                    "land": "SE",
                    "fom": "2026-06-01",
                    "tom": "2026-08-31",
                }
            ]
        }
    )

    customer_id: Id


class CustomerFields(Input):
    """A customer (tenant)."""

    kundnummer: text(30, required=True)
    fornamn: text(100, required=True)
    efternamn: text(100, required=True)
    personnummer: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] | None = Field(
        None, description="Swedish personal identity number, 12 digits (YYYYMMDDnnnn)."
    )
    fodelsedatum: date | None = Field(None, description="Taken from the personnummer when not given.")
    market_profile: MarketProfile | None = Field(None, description="The market profile (portal.md §2.8).")

    @model_validator(mode="after")
    def _identity(self) -> "CustomerFields":
        if self.personnummer is not None:
            if not swedish_personal_number.is_valid(self.personnummer):
                raise ValueError("personnummer: not a valid Swedish personal identity number")
            self.fodelsedatum = self.fodelsedatum or swedish_personal_number.get_birth_date(self.personnummer)
        return self

    @field_serializer("market_profile")
    def _profile_json(self, profile: MarketProfile | None) -> dict[str, Any] | None:
        return None if profile is None else profile.model_dump(mode="json", exclude_unset=True)


class CustomerCreate(CustomerFields):
    """A customer with contact details and addresses."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kundnummer": "15555",
                    "fornamn": "Anna",
                    "efternamn": "Andersson",
                    "personnummer": "198112189876",
                    "market_profile": {
                        "Skapad": "2024-02-01T10:00:00+01:00",
                        "MarknadAktörHushåll": {"AntalVuxna": 2, "AntalBarn": 1},
                        "MarknadEkonomi": {"Borgensman": False, "Deposition": True, "Kapital": False},
                    },
                    "contact_details": [{"kind": "E-postadress", "value": "anna@example.se", "validated": True}],
                    "addresses": [
                        {
                            "kind": "kund.post",
                            "namn": "Anna Andersson",
                            "gatuadress1": "Skärgatan 4",
                            "postnummer": "72131",
                            "postort": "Västerås",
                        }
                    ],
                }
            ]
        }
    )

    contact_details: list[ContactDetailIn] = Field(default_factory=list)
    addresses: list[AddressIn] = Field(default_factory=list)


def create_customer(session: Session, *, data: CustomerCreate, now: datetime) -> Customer:
    """A customer with its contact details and addresses."""
    kinds = [detail.kind for detail in data.contact_details]
    if len(kinds) != len(set(kinds)):
        raise unprocessable("A customer has at most one contact detail of each kind.")
    fields = data.model_dump(exclude={"contact_details", "addresses"})
    customer = create_record(session, Customer, {**fields, "created_at": now})
    session.add_all(ContactDetail(customer_id=customer.id, **detail.model_dump()) for detail in data.contact_details)
    session.add_all(CustomerAddress(customer_id=customer.id, **address.model_dump()) for address in data.addresses)
    session.flush()
    return customer


def customer_by_number(session: Session, kundnummer: str) -> Customer:
    """The customer with this customer number; 404 when there is none."""
    customer = session.scalar(select(Customer).where(Customer.kundnummer == kundnummer))
    if customer is None:
        raise ApiError(404, "not_found", f"There is no customer with kundnummer {kundnummer!r}.")
    return customer


def customer_parts(session: Session, *, customer_id: int) -> dict[str, list[Base]]:
    """A customer's contact details, addresses and logins."""
    return {
        "contact_details": list(
            session.scalars(
                select(ContactDetail).where(ContactDetail.customer_id == customer_id).order_by(ContactDetail.id)
            )
        ),
        "addresses": list(
            session.scalars(
                select(CustomerAddress).where(CustomerAddress.customer_id == customer_id).order_by(CustomerAddress.id)
            )
        ),
        "logins": list(session.scalars(select(Login).where(Login.customer_id == customer_id).order_by(Login.id))),
    }


# --- Logins and sessions --------------------------------------------------------------------------


class LoginCreate(Input):
    """A portal login: the password is stored as an Argon2 hash and never shown."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"username": "anna", "password": "byt-mig-snart"}]})

    username: text(100, required=True, multiline=False)
    password: text(200, required=True)


class PasswordChange(Input):
    """A new password for a login."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"password": "ett-nytt-losenord"}]})

    password: text(200, required=True)


def login_by_username(session: Session, username: str) -> Login:
    """The login with this user name; 404 when there is none."""
    login = session.scalar(select(Login).where(Login.username == username))
    if login is None:
        raise ApiError(404, "not_found", f"There is no login {username!r}.")
    return login


def set_password(session: Session, *, login: Login, password: str) -> None:
    """Give a login a new password (stored hashed); a login locked by wrong passwords opens again."""
    login.password_hash = hash_password(password)
    unlock(session, login=login)


def unlock(session: Session, *, login: Login) -> None:
    """Lift a lock left by wrong passwords and start counting them again."""
    login.failed_logins = 0
    login.locked_until = None
    session.flush()


def all_logins(session: Session) -> list[tuple[Login, Customer]]:
    """Every login with its customer, by user name."""
    query = select(Login, Customer).join(Customer, Customer.id == Login.customer_id).order_by(Login.username)
    return [(login, customer) for login, customer in session.execute(query)]


def customer_sessions(session: Session, *, customer_id: int) -> list[PortalSession]:
    """A customer's sessions, newest first; 404 for an unknown customer."""
    get_record(session, Customer, customer_id)
    query = select(PortalSession).where(PortalSession.customer_id == customer_id)
    return list(session.scalars(query.order_by(PortalSession.created_at.desc(), PortalSession.id.desc())))


def end_sessions(session: Session, *, customer_id: int, now: datetime, session_id: int | None = None) -> int:
    """End a customer's live sessions (or just ``session_id``); their keys stop working at once. Returns how many."""
    conditions = [
        PortalSession.customer_id == customer_id,
        PortalSession.ended_at.is_(None),
        PortalSession.expires_at > now,
    ]
    if session_id is not None:
        conditions.append(PortalSession.id == session_id)
    return session.execute(update(PortalSession).where(*conditions).values(ended_at=now)).rowcount


def purge_sessions(session: Session, *, now: datetime) -> int:
    """Delete the sessions that have ended or expired; returns how many."""
    ended = PortalSession.ended_at.is_not(None) | (PortalSession.expires_at <= now)
    return session.execute(delete(PortalSession).where(ended)).rowcount


class CredentialCreate(Input):
    """A named API key or staff token; a random one is made unless ``key`` is given."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "hyresgastappen"}]})

    name: text(100, required=True)
    key: Annotated[str, StringConstraints(min_length=12, max_length=200)] | None = Field(
        None, description="The key itself (at least 12 characters); a random one when left out."
    )


def credentials(session: Session, model: type[ApiKey] | type[StaffToken]) -> list[ApiKey] | list[StaffToken]:
    """The API keys or staff tokens (digests only), by name."""
    return list(session.scalars(select(model).order_by(model.name)))


# --- Contracts ------------------------------------------------------------------------------------


class ContractFields(Input):
    """A contract letting an object (node) to a customer from ``fom`` to ``tom`` (inclusive; open when null)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "avtalsnummer": "A-1",
                    "customer_id": 1,
                    "node_id": 3,
                    "fom": "2020-01-01",
                    "tom": None,
                    "monthly_rent": 7900,
                }
            ]
        }
    )

    avtalsnummer: text(50, required=True)
    customer_id: Id
    node_id: Id
    fom: date
    tom: date | None = None
    monthly_rent: Amount = Decimal(0)

    @model_validator(mode="after")
    def _period(self) -> "ContractFields":
        _check_order(self.fom, self.tom, "tom")
        return self


# --- Files ----------------------------------------------------------------------------------------


class FileIn(Input):
    """A file sent inside JSON: its bytes in base64, and its MIME type (recognised for images when left out)."""

    data: Base64Data
    mime_type: text(100) | None = Field(None, description="e.g. application/pdf; images are recognised by content.")
    extension: text(20) | None = Field(None, description="e.g. .pdf; derived from the MIME type when left out.")


def store_file(
    session: Session, *, data: bytes, mime_type: str | None, extension: str | None, now: datetime
) -> StoredFile:
    """Store a file's bytes; an unnamed type is recognised for images, else ``application/octet-stream``."""
    if not data:
        raise unprocessable("The file is empty.")
    recognised = image_type(data)
    mime_type = mime_type or (recognised[0] if recognised else "application/octet-stream")
    extension = extension or (recognised[1] if recognised else mimetypes.guess_extension(mime_type) or "")
    stored = StoredFile(
        mime_type=mime_type[:100],
        extension=extension[:20],
        size=len(data),
        sha256=sha256(data).hexdigest(),
        data=data,
        created_at=now,
    )
    session.add(stored)
    session.flush()
    return stored


def _file_choice(file_id: int | None, file: FileIn | None, *, required: bool, what: str) -> None:
    if file_id is not None and file is not None:
        raise ValueError(f"{what}: give file_id or file, not both")
    if required and file_id is None and file is None:
        raise ValueError(f"{what}: give file_id (an uploaded file) or file (base64)")


def _attached_file(session: Session, *, file_id: int | None, file: FileIn | None, now: datetime) -> int | None:
    """The id of the file a record attaches: an existing one (checked to exist) or one stored now."""
    if file is not None:
        return store_file(session, data=file.data, mime_type=file.mime_type, extension=file.extension, now=now).id
    if file_id is not None and session.get(StoredFile, file_id) is None:
        raise unprocessable(f"file_id: there is no stored file with id {file_id}")
    return file_id


def check_image(data: bytes, *, max_bytes: int, where: str) -> tuple[str, str]:
    """The MIME type and extension of an image of at most ``max_bytes``; 422 for anything else."""
    if len(data) > max_bytes:
        raise unprocessable(f"{where}: the image has {len(data)} bytes; at most {max_bytes} are accepted.")
    recognised = image_type(data)
    if recognised is None:
        raise unprocessable(f"{where}: not an image ({IMAGE_FORMATS}).")
    return recognised


# --- Invoices -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    """Net and VAT amounts; gross is their sum."""

    netto: Decimal
    moms: Decimal

    @property
    def brutto(self) -> Decimal:
        """Bruttobelopp = Nettobelopp + Momsbelopp."""
        return self.netto + self.moms


def total(parts: Sequence[Amounts], *, netto: Decimal | None, moms: Decimal | None, where: str) -> Amounts:
    """The sum of ``parts``, which given amounts must equal; without parts, the given amounts (netto required)."""
    if not parts:
        if netto is None:
            raise unprocessable(f"{where}: nettobelopp is required when there are no rows to add up.")
        return Amounts(netto, moms or Decimal(0))
    summed = Amounts(sum((part.netto for part in parts), Decimal(0)), sum((part.moms for part in parts), Decimal(0)))
    for name, given, computed in (("nettobelopp", netto, summed.netto), ("momsbelopp", moms, summed.moms)):
        if given is not None and given != computed:
            raise unprocessable(f"{where}: {name} {given} is not the sum of its rows ({computed}).")
    return summed


def balance(brutto: Decimal, paid: Decimal) -> tuple[Decimal, Decimal]:
    """Restbelopp = Brutto − Inbetalt, and AttBetala: the remainder, never below zero."""
    rest = brutto - paid
    return rest, max(rest, Decimal(0))


def allocated(brutto: Decimal, paid: Decimal) -> Decimal:
    """BetalningFördeladBelopp (our rule, A-20): the part of the payments settled against the notice, at most its
    Bruttobelopp (an overpayment stays unallocated)."""
    return max(min(paid, brutto), Decimal(0))


class SpecificationIn(Input):
    """The consumption specification of a ledger line (SessionReskontraRadSpecifikation), e.g. metered hot water."""

    avser_fom: date | None = None
    avser_tom: date | None = None
    kalla_beteckning: text(100) | None = Field(None, description="The metering source, e.g. Kök.")
    kalla_identitet: text(100) | None = Field(None, description="The meter, e.g. 432105.")
    varde_fom: Quantity | None = None
    varde_tom: Quantity | None = None
    mangd: Quantity | None = Field(None, description="Computed as varde_tom − varde_fom when left out.")
    mangdenhet: text(20) | None = None
    apris: Quantity | None = None
    debiteringsfri_tom: date | None = None
    debiteringsfritt_netto: Amount | None = None
    debiteringsfritt_moms: Amount | None = None

    @model_validator(mode="after")
    def _values(self) -> "SpecificationIn":
        _check_order(self.avser_fom, self.avser_tom, "avser_tom")
        if self.mangd is None and self.varde_fom is not None and self.varde_tom is not None:
            self.mangd = self.varde_tom - self.varde_fom
        return self


class LedgerRowIn(Input):
    """A ledger line (SessionReskontraRad); Bruttobelopp is computed."""

    aviseringstext: text(200, required=True)
    nettobelopp: Amount
    momsbelopp: Amount = Decimal(0)
    specification: SpecificationIn | None = None


class LedgerEntryIn(Input):
    """A ledger entry (SessionReskontra): one period for one rented object; its amounts are its rows' sums."""

    node_id: Id | None = Field(None, description="The rented object (Hyresobjekt).")
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = Field(description="YYYY-MM")
    forfallodag: date | None = Field(None, description="The notice's due date when left out.")
    nettobelopp: Amount | None = Field(None, description="Required without rows; must equal the rows' sum with.")
    momsbelopp: Amount | None = None
    skickad_till_inkasso: date | None = None
    rows: list[LedgerRowIn] = Field(default_factory=list)


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


def _check_contract_owner(session: Session, *, contract_id: int | None, customer_id: int) -> Contract | None:
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
    _check_contract_owner(session, contract_id=data.contract_id, customer_id=data.customer_id)
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
        _add_ledger_entry(session, invoice=invoice, entry=entry, amounts=entry_total)
    session.add_all(InvoiceDistribution(invoice_id=invoice.id, **item.model_dump()) for item in data.distributions)
    session.add_all(Payment(invoice_id=invoice.id, **payment.model_dump()) for payment in data.payments)
    session.flush()
    return invoice


def _add_ledger_entry(session: Session, *, invoice: Invoice, entry: LedgerEntryIn, amounts: Amounts) -> None:
    ledger_entry = LedgerEntry(
        invoice_id=invoice.id,
        node_id=entry.node_id,
        period=entry.period,
        forfallodag=entry.forfallodag or invoice.forfallodag,
        nettobelopp=amounts.netto,
        momsbelopp=amounts.moms,
        bruttobelopp=amounts.brutto,
        skickad_till_inkasso=entry.skickad_till_inkasso,
    )
    session.add(ledger_entry)
    session.flush()
    for row in entry.rows:
        specification = row.specification
        spec_columns = {} if specification is None else {f"spec_{k}": v for k, v in specification.model_dump().items()}
        if specification is not None and specification.debiteringsfritt_netto is not None:
            free = Amounts(specification.debiteringsfritt_netto, specification.debiteringsfritt_moms or Decimal(0))
            spec_columns["spec_debiteringsfritt_total"] = free.brutto
        session.add(
            LedgerRow(
                ledger_entry_id=ledger_entry.id,
                aviseringstext=row.aviseringstext,
                nettobelopp=row.nettobelopp,
                momsbelopp=row.momsbelopp,
                bruttobelopp=row.nettobelopp + row.momsbelopp,
                has_specification=specification is not None,
                **spec_columns,
            )
        )


def specification_of(row: LedgerRow) -> dict[str, Any] | None:
    """A ledger line's consumption specification as the fields of ``SpecificationIn`` (with the computed total)."""
    if not row.has_specification:
        return None
    fields = {name: getattr(row, f"spec_{name}") for name in SpecificationIn.model_fields}
    return {**fields, "debiteringsfritt_total": row.spec_debiteringsfritt_total}


_DERIVED_INVOICE_FIELDS = ("typ_beteckning", "betalningsreferens", "mottagare_nummer")


def update_invoice(session: Session, *, invoice: Invoice, changes: dict[str, Any]) -> Invoice:
    """Change a notice's changeable fields; a cleared type label, OCR reference or payee is derived again."""
    _check_contract_owner(session, contract_id=changes.get("contract_id"), customer_id=invoice.customer_id)
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


# --- Cases ----------------------------------------------------------------------------------------

CASE_NUMBER_START = 1000
CLOSED = "Avslutad"
ROW_STATUSES = {"Pagaende": "Pågående", "Vilande": "Vilande", "Vantar": "Väntar på användaren", CLOSED: CLOSED}
"""Known ÄrendeStatus reference names and their display names (portal.md A-31)."""
PROCESS_STEPS = {"Handlaggare": "Hos handläggare", "Leverantor": "Hos leverantör", "Annullerad": "Annullerad"}
"""Known ÄrendeProcessteg reference names and their display names (portal.md A-31)."""
MAINTENANCE_OFFER = ("Underhåll", "Underhall")
"""Typ and TypReferensNamn of a maintenance offer."""
_PATH_STEP = re.compile(rf"({NODE_CLASS_PREFIX}|{NODE_PREFIX})([0-9]{{1,10}})")


def _label(code: str | None, label: str | None, known: dict[str, str], name: str) -> str | None:
    """The display name for a reference name: the given one, else the known one."""
    if code is None or label is not None:
        return label
    if code not in known:
        raise ValueError(f"{name}: required for the reference name {code!r} (known: {', '.join(known)})")
    return known[code]


def next_case_number(session: Session, now: datetime) -> str:
    """The next case number of the month: ``R-{YYMM}-{n}``, n running from 1000 within each month (A-30).

    Takes the write turn first, so two cases created at the same moment read each other's numbers and differ.
    """
    take_write_turn(session)
    prefix = f"R-{local_now(now):%y%m}-"
    numbers = session.scalars(select(Case.nummer).where(Case.nummer.startswith(prefix, autoescape=True)))
    running = [int(number[len(prefix) :]) for number in numbers if number[len(prefix) :].isdigit()]
    return f"{prefix}{max(running, default=CASE_NUMBER_START - 1) + 1}"


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
        _file_choice(self.file_id, self.file, required=True, what="media")
        return self


class ActorIn(Input):
    """The contact person of a case when it is not the customer (an Aktör)."""

    visningsnamn: text(200, required=True)
    fornamn: text(100) | None = None
    efternamn: text(100) | None = None
    telefon: text(50) | None = None
    mobil: text(50) | None = None
    epost: text(200) | None = None


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
        self.status_beteckning = _label(
            self.status_referensnamn, self.status_beteckning, ROW_STATUSES, "status_beteckning"
        )
        self.processteg_beteckning = _label(
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
        self.processteg_beteckning = _label(
            self.processteg_referensnamn, self.processteg_beteckning, PROCESS_STEPS, "processteg_beteckning"
        )
        if self.general and self.node_class_id is None:
            raise ValueError("node_class_id: a general case needs its node class")
        if self.incoming_customer_id is not None and self.typ_referensnamn != "Besiktning":
            raise ValueError("incoming_customer_id: only an inspection (Besiktning) has an incoming tenant")
        _check_order(self.inkommen, self.avslutat, "avslutat")
        _check_order(self.planerad_start, self.planerad_klar, "planerad_klar")
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


def _check_row(session: Session, row: CaseRowCreate, *, max_media_bytes: int, where: str) -> None:
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


def create_case(session: Session, *, data: CaseCreate, now: datetime, max_media_bytes: int) -> Case:
    """A case with its contact, officers and rows (each with officers, history, time points and images)."""
    nested = {"nummer", "contact", "participants", "rows", "inkommen"}
    fields = data.model_dump(exclude=nested)
    check_references(session, Case, fields)
    for index, row in enumerate(data.rows):
        _check_row(session, row, max_media_bytes=max_media_bytes, where=f"rows.{index}")
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


def add_case_row(session: Session, *, case: Case, data: CaseRowCreate, now: datetime, max_media_bytes: int) -> CaseRow:
    """A new row on a case, with its officers, history, time points and images."""
    _check_row(session, data, max_media_bytes=max_media_bytes, where="row")
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


def delete_media(session: Session, *, media: CaseRowMedia) -> None:
    """Remove an image from a row, and its file unless something else refers to it."""
    file_id = media.file_id
    delete_record(session, media)
    if not dependents(session, StoredFile, file_id):
        session.execute(delete(StoredFile).where(StoredFile.id == file_id))


def issue_share_key(session: Session, *, case: Case) -> str:
    """A new share key (Delningsnyckel) for a case, replacing any earlier one; returned once, stored as a digest."""
    token = issue_token()
    case.share_key_digest = token.digest
    session.flush()
    return token.value


# --- Maintenance and meters -----------------------------------------------------------------------


class MaintenanceItemFields(Input):
    """Planned maintenance on an object (SessionUnderhåll)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"node_id": 3, "atgard": "Bytes", "avser": "Badrum 1 / Handukstork", "planerat": "2027-03-01"}]
        }
    )

    node_id: Id
    atgard: text(200, required=True)
    avser: text(200, required=True)
    planerat: date | None = None
    bestalld: date | None = None
    utford: date | None = None


class MeterInstallationFields(Input):
    """A metering installation on an object (SessionMätdataAnläggning)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"node_id": 3, "anvandning": "Vatten", "beteckning": "705-079-01 Vatten"}]}
    )

    node_id: Id
    anvandning: text(100, required=True)
    beteckning: text(200, required=True)


class MeterFields(Input):
    """A meter of an installation (SessionMätare)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"installation_id": 1, "anvandning": "Varmvatten", "beteckning": "Kök", "enhet": "m3"}]
        }
    )

    installation_id: Id
    anvandning: text(100, required=True)
    beteckning: text(200, required=True)
    enhet: text(20, required=True)


class MeterReadingFields(Input):
    """One reading period of a meter (SessionMätdata): from ``datum`` to ``tom``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "meter_id": 1,
                    "datum": "2026-09-01",
                    "tom": "2026-09-30",
                    "forbrukning": 1.1,
                    "matarstallning": 14.532,
                    "kostnad": 53,
                    "debiterad": True,
                    "avlast_tid": "2026-10-01T06:00:00",
                    "pris": 53,
                    "apris": 48,
                }
            ]
        }
    )

    meter_id: Id
    datum: date
    tom: date
    forbrukning: Quantity
    matarstallning: Quantity
    kostnad: Amount
    debiterad: bool = False
    avlast_tid: LocalDateTime
    pris: Amount | None = None
    apris: Quantity | None = None
    debiteras_tidigast: date | None = None

    @model_validator(mode="after")
    def _period(self) -> "MeterReadingFields":
        _check_order(self.datum, self.tom, "tom")
        return self


# --- Documents ------------------------------------------------------------------------------------


class DocumentFields(Input):
    """A customer document (SessionDokument): a stored file, a web link, or both."""

    customer_id: Id
    contract_id: Id | None = Field(None, description="The contract (AvtalVersionId) the document belongs to.")
    node_id: Id | None = Field(None, description="The object; the contract's when left out.")
    file_type_id: Id
    file_id: Id | None = Field(None, description="An uploaded file (POST /admin/files).")
    ordning: int = 0
    beteckning: text(200, required=True)
    webbadress: text(500) | None = None
    meddelande: str | None = None


class DocumentCreate(DocumentFields):
    """A document with its file uploaded before (``file_id``), sent inline (``file``), or only a link."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 1,
                    "contract_id": 1,
                    "file_type_id": 2,
                    "beteckning": "Tvättmaskin 1",
                    "file": {"data": "JVBERi0xLjQK…", "mime_type": "application/pdf"},
                    "webbadress": "https://www.exempel.com/Bruksanvisning.html",
                    "meddelande": "Bruksanvisning för tvättmaskin 1.",
                }
            ]
        }
    )

    file: FileIn | None = None

    @model_validator(mode="after")
    def _content(self) -> "DocumentCreate":
        _file_choice(self.file_id, self.file, required=self.webbadress is None, what="document")
        return self


def _document_rules(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """The contract is the customer's; the object defaults to the contract's; a document has a file or a link."""
    contract = _check_contract_owner(session, contract_id=values.get("contract_id"), customer_id=values["customer_id"])
    if values.get("node_id") is None and contract is not None:
        values["node_id"] = contract.node_id
    return values


def create_document(session: Session, *, data: DocumentCreate, now: datetime) -> Document:
    """A document, storing its inline file."""
    values = data.model_dump(exclude={"file"})
    check_references(session, Document, values)
    values = _document_rules(session, values)
    values["file_id"] = _attached_file(session, file_id=data.file_id, file=data.file, now=now)
    return create_record(session, Document, values)


def update_document(session: Session, *, document: Document, changes: dict[str, Any]) -> Document:
    """Change a document; it must keep a file or a link."""
    update_record(session, document, DocumentFields, changes)
    _document_rules(session, columns_of(document, DocumentFields))
    if document.file_id is None and document.webbadress is None:
        raise unprocessable("A document needs a file (file_id) or a link (webbadress).")
    return document


# --- Notifications --------------------------------------------------------------------------------


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
        _file_choice(self.file_id, self.file, required=True, what="attachment")
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
    file_id = _attached_file(session, file_id=data.file_id, file=data.file, now=now)
    attachment = NotificationAttachment(
        notification_id=notification.id, externt_id=externt_id, externt_namn=data.externt_namn, file_id=file_id
    )
    session.add(attachment)
    session.flush()
    return attachment


# --- Laundry --------------------------------------------------------------------------------------

MAX_SLOT_DAYS = 366


class TimeWindow(Input):
    """A daily laundry time, e.g. 07:00–10:00."""

    start: time
    end: time

    @model_validator(mode="after")
    def _order(self) -> "TimeWindow":
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


class SlotGeneration(Input):
    """Bookable laundry times: each day from ``fom`` to ``tom`` (inclusive), in each daily window."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "fom": "2026-12-01",
                    "tom": "2026-12-31",
                    "windows": [
                        {"start": "07:00", "end": "10:00"},
                        {"start": "10:00", "end": "13:00"},
                        {"start": "13:00", "end": "16:00"},
                    ],
                }
            ]
        }
    )

    fom: date
    tom: date
    windows: list[TimeWindow] = Field(min_length=1, max_length=24)

    @model_validator(mode="after")
    def _range(self) -> "SlotGeneration":
        _check_order(self.fom, self.tom, "tom")
        if (self.tom - self.fom).days >= MAX_SLOT_DAYS:
            raise ValueError(f"tom: at most {MAX_SLOT_DAYS} days at a time")
        ordered = sorted(self.windows, key=lambda window: window.start)
        for earlier, later in pairwise(ordered):
            if later.start < earlier.end:
                raise ValueError(f"windows: {earlier.start}–{earlier.end} and {later.start}–{later.end} overlap")
        return self


@dataclass(frozen=True)
class SlotsGenerated:
    """How many laundry times were created, and how many already existed."""

    created: int
    existing: int


def laundry_room(session: Session, node_id: int) -> Node:
    """A laundry-room node; 404 for an unknown node, 422 for a node that is no laundry room."""
    node = get_record(session, Node, node_id)
    if node.object_type != LAUNDRY_ROOM:
        raise unprocessable(f"Node {node_id} is not a laundry room (object_type {LAUNDRY_ROOM}).")
    return node


def generate_laundry_slots(session: Session, *, node_id: int, data: SlotGeneration) -> SlotsGenerated:
    """Create the laundry times of a date range and daily windows; times that exist already are kept as they are."""
    laundry_room(session, node_id)
    first, last = datetime.combine(data.fom, time.min), datetime.combine(data.tom, time.max)
    existing = set(
        session.scalars(
            select(LaundrySlot.start).where(LaundrySlot.node_id == node_id, LaundrySlot.start.between(first, last))
        )
    )
    days = [data.fom + timedelta(days=offset) for offset in range((data.tom - data.fom).days + 1)]
    wanted = [
        (datetime.combine(day, window.start), datetime.combine(day, window.end))
        for day in days
        for window in data.windows
    ]
    new = [LaundrySlot(node_id=node_id, start=start, end=end) for start, end in wanted if start not in existing]
    session.add_all(new)
    session.flush()
    return SlotsGenerated(created=len(new), existing=len(wanted) - len(new))


def laundry_slots(
    session: Session, *, node_id: int, fom: date | None, tom: date | None, booked: bool | None
) -> list[LaundrySlot]:
    """A laundry room's times (from ``fom``, to ``tom`` inclusive), only booked or free ones when asked."""
    laundry_room(session, node_id)
    conditions = [LaundrySlot.node_id == node_id]
    if fom is not None:
        conditions.append(LaundrySlot.start >= datetime.combine(fom, time.min))
    if tom is not None:
        conditions.append(LaundrySlot.start <= datetime.combine(tom, time.max))
    if booked is not None:
        conditions.append(LaundrySlot.customer_id.is_not(None) if booked else LaundrySlot.customer_id.is_(None))
    return list(session.scalars(select(LaundrySlot).where(*conditions).order_by(LaundrySlot.start)))


def delete_laundry_slot(session: Session, *, slot: LaundrySlot) -> None:
    """Delete a free laundry time; 409 for a booked one (the tenant cancels it first)."""
    if slot.customer_id is not None:
        raise conflict(f"Laundry time {slot.id} is booked by customer {slot.customer_id}.")
    delete_record(session, slot)
