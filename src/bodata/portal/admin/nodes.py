"""The object tree and its vocabularies: node classes with their time-point types, fault-description and
key-handling types, and the nodes themselves (cycles and unknown parents are refused)."""

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import AwareDatetime, ConfigDict, Field, model_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from bodata.core.context import DbSession
from bodata.portal.admin.crud import Input, create_record, get_record, output_schema, unprocessable, update_record
from bodata.portal.admin.resources import Resource, add_resources
from bodata.portal.admin.schemas import Id, text
from bodata.portal.customers import postcode
from bodata.portal.models import (
    FaultDescriptionType,
    KeyHandlingType,
    Node,
    NodeClass,
    NodeClassTimePoint,
    TimePointType,
)
from bodata.portal.nodes import with_ancestors
from bodata.portal.shapes import COUNTRIES

router = APIRouter()


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
            self.land = checked_country(self.land)
        if self.postnummer is not None:
            self.postnummer = checked_postcode(self.postnummer, self.land or "SE")
        return self


def checked_country(code: str) -> str:
    if code.upper() not in COUNTRIES:
        raise ValueError(f"land: unknown country code {code!r} (known: {', '.join(COUNTRIES)})")
    return code.upper()


def checked_postcode(value: str, country: str) -> str:
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


TimePointTypeOut = output_schema(TimePointTypeFields, "TimePointType", "A kind of case time point.")


NodeClassOut = output_schema(
    NodeClassFields,
    "NodeClass",
    "A node class with the time points its cases ask for.",
    time_point_types=(list[TimePointTypeOut], ...),
)


FaultDescriptionTypeOut = output_schema(FaultDescriptionTypeFields, "FaultDescriptionType", "A fault description.")


KeyHandlingTypeOut = output_schema(KeyHandlingTypeFields, "KeyHandlingType", "A way of key handling.")


NodeOut = output_schema(NodeFields, "Node", "A node of the object tree.")


add_resources(
    router,
    (
        Resource(
            path="/time-point-types",
            model=TimePointType,
            tag="Node classes",
            out=TimePointTypeOut,
            create_schema=TimePointTypeFields,
            edit_schema=TimePointTypeFields,
            filters=("system_name",),
        ),
        Resource(
            path="/node-classes",
            model=NodeClass,
            tag="Node classes",
            out=NodeClassOut,
            create_schema=NodeClassCreate,
            edit_schema=NodeClassCreate,
            filters=("group_system_name", "system_name", "deleted"),
            options=(selectinload(NodeClass.time_point_types),),
            create=lambda session, body, _: create_node_class(session, data=body),
            update=lambda session, record, changes: update_node_class(session, node_class=record, changes=changes),
        ),
        Resource(
            path="/fault-description-types",
            model=FaultDescriptionType,
            tag="Node classes",
            out=FaultDescriptionTypeOut,
            create_schema=FaultDescriptionTypeFields,
            edit_schema=FaultDescriptionTypeFields,
            filters=("node_class_id",),
        ),
        Resource(
            path="/key-handling-types",
            model=KeyHandlingType,
            tag="Node classes",
            out=KeyHandlingTypeOut,
            create_schema=KeyHandlingTypeFields,
            edit_schema=KeyHandlingTypeFields,
        ),
        Resource(
            path="/nodes",
            model=Node,
            tag="Object tree",
            out=NodeOut,
            create_schema=NodeFields,
            edit_schema=NodeFields,
            filters=("parent_id", "node_class_id", "object_type", "nummer"),
            update=lambda session, record, changes: update_node(session, node=record, changes=changes),
        ),
    ),
)


NodeId = Annotated[int, Path(alias="id", ge=1, description="The node's id.")]


@router.get(
    "/nodes/{id}/children", response_model=list[NodeOut], tags=["Object tree"], summary="List a node's children"
)
def list_node_children(node_id: NodeId, session: DbSession) -> Any:
    """The children of a node, in display order (``ordning``, then id)."""
    return node_children(session, node_id=node_id)
