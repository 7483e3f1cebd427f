"""The back office's generic engine: errors, the base schemas, and reading, listing, creating, changing and deleting
any record.

Input schemas (``…Fields``: the columns a request may set, with their validation; ``…Create``: the fields plus
nested records) are Pydantic models whose field names are the model columns. Output schemas are derived from them
(``output_schema``) without the input validators, so records written elsewhere are always shown; PATCH bodies are
derived too (``patch_schema``), and a change is validated by merging it into the stored record and validating the
result as a whole. Unknown references are refused (422) and duplicates of a unique key are a conflict (409) before
anything is written; a record that others still refer to is not deleted (409). Errors are ``ApiError``s with
English messages: the back office answers RFC 9457 problem documents like the rest of the platform.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from sqlalchemy import Table, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Session

from bodata.core.db import Base
from bodata.core.errors import ApiError

Record = TypeVar("Record", bound=Base)


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


def check_order(start: date | datetime | None, end: date | datetime | None, names: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"{names}: the end ({end}) is before the start ({start})")
