"""The back office's resource table and router factory, and what every route needs: the staff token, paging, the
clock and the media limit.

Most resources share one shape, registered by ``add_resource`` from a ``Resource``: ``POST /things`` creates,
``GET /things`` lists (filters on columns, ``limit``/``offset``), ``GET /things/{id}`` reads, ``PATCH
/things/{id}`` changes some fields, ``DELETE /things/{id}`` deletes (409 while other records refer to the record).
Each domain module declares its rows and the routes that carry rules of their own. No module of the back office
uses ``from __future__ import annotations``: routes and schemas are annotated with classes made at runtime.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, create_model
from sqlalchemy.orm import Session

from bodata.core.context import AppContext, Context, DbSession
from bodata.core.db import Base
from bodata.core.errors import ApiError
from bodata.core.inputs import OFFSET_MAX, ColumnInt
from bodata.portal import service
from bodata.portal.admin.crud import (
    create_record,
    delete_record,
    get_record,
    list_records,
    noun,
    patch_schema,
    update_record,
)

MAX_PAGE = 1000
"""The longest page a listing returns."""

_bearer = HTTPBearer(auto_error=False, description="A staff token made with `bodata portal staff-tokens add NAME`.")


def require_staff(
    session: DbSession, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """A valid, unrevoked staff token; 401 otherwise."""
    if credentials is None:
        raise ApiError(401, "unauthorized", "A staff token is required: Authorization: Bearer <token>.")
    if not service.staff_token_valid(session, credentials.credentials):
        raise ApiError(401, "unauthorized", "The staff token is unknown or revoked.")


Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    """One page of a listing."""

    items: list[Item]
    total: int = Field(description="How many records match, on all pages.")
    limit: int
    offset: int


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


def add_resource(router: APIRouter, resource: Resource) -> None:
    """Register a resource's routes on ``router``."""
    model, out = resource.model, resource.out
    name, tags, item = noun(model), [resource.tag], resource.path + "/{id}"
    a_name = ("an " if name[0] in "aeiou" else "a ") + name
    summary = resource.summary or out
    record_id_type = Annotated[int, Path(alias="id", ge=1, description=f"The {name}'s id.")]
    filters_type = filter_schema(model, resource.filters)

    def read_default(session: Session, record_id: int) -> BaseModel:
        return out.model_validate(get_record(session, model, record_id, options=resource.options))

    read = resource.read or read_default

    if resource.create_schema is not None:
        body_type = resource.create_schema

        def create_default(session: Session, body: BaseModel, _context: AppContext) -> Base:
            return create_record(session, model, body.model_dump())

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
        records, count = list_records(
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
        patch_type = patch_schema(edit_schema, f"{out.__name__}Change")

        def update_default(session: Session, record: Base, changes: dict[str, Any]) -> Any:
            return update_record(session, record, edit_schema, changes)

        update = resource.update or update_default

        def update_route(record_id: record_id_type, body: patch_type, session: DbSession) -> Any:
            update(session, get_record(session, model, record_id), body.model_dump(exclude_unset=True))
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
        delete = resource.delete or delete_record

        def delete_route(record_id: record_id_type, session: DbSession) -> Response:
            delete(session, get_record(session, model, record_id))
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


def clock_now(context: AppContext) -> datetime:
    """The app's clock (a fixed one in tests)."""
    return context.clock.now()


def media_limit(context: AppContext) -> int:
    """The largest image a case row may carry (``BODATA_PORTAL_MEDIA_MAX_BYTES``)."""
    return context.settings.portal_media_max_bytes


def add_resources(router: APIRouter, resources: Iterable[Resource]) -> None:
    """Register each resource's routes on ``router``, in order."""
    for resource in resources:
        add_resource(router, resource)
