"""A service's rows as data: read them, clear them and write them back in one transaction, on either database.

A service owns the tables whose name prefix its models use (``pm_``, ``hr_``, …) plus its row in
``core_seed_run``. Rows are written parents first (a table that refers to itself, like ``pm_node``, parent rows
before their children); on PostgreSQL each id sequence is then moved past the highest id, so new records never
collide with restored ones. ``encode``/``decode`` turn rows into JSON-safe lists and back, by column type.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Dialect,
    Integer,
    LargeBinary,
    Numeric,
    Table,
    Uuid,
    delete,
    func,
    select,
)
from sqlalchemy.exc import DBAPIError

from bodata.core.db import Base, UTCDateTime, generations
from bodata.core.demo import SeedRun

Rows = dict[str, list[dict[str, Any]]]
"""Rows by table name."""
SEED_RUN = SeedRun.__table__
GENERATION_SUFFIX = "_data_generation"


@cache
def service_tables(name: str) -> tuple[Table, ...]:
    """The tables of the service ``name`` in dependency order (parents first)."""
    import bodata.models  # noqa: F401  (every table on the metadata)

    prefixes = {
        mapper.local_table.name.split("_", 1)[0] + "_"
        for mapper in Base.registry.mappers
        if mapper.class_.__module__.startswith(f"bodata.{name}.")
    }
    return tuple(table for table in Base.metadata.sorted_tables if any(table.name.startswith(p) for p in prefixes))


def read(connection: Connection, name: str) -> Rows:
    """Every row of the service's tables (and its seed-run row), in primary-key order."""
    rows: Rows = {}
    for table in service_tables(name):
        result = connection.execute(select(table).order_by(*table.primary_key.columns))
        rows[str(table.name)] = [dict(row) for row in result.mappings()]
    seed_run = connection.execute(select(SEED_RUN).where(SEED_RUN.c.name == name))
    rows[str(SEED_RUN.name)] = [dict(row) for row in seed_run.mappings()]
    return rows


def replace_rows(connection: Connection, name: str, rows: Rows) -> None:
    """Make ``rows`` the service's whole content (``{}``: empty, as a fresh migration leaves it).

    A data generation counter (a ``*_data_generation`` table: id 1, value) only moves forward, past both the value
    it had and the one restored, so a cache keyed by it (``portal/freshness.py``) never serves an older state; the
    service's generations in ``core_generation`` move on too.
    """
    if connection.dialect.name == "postgresql":
        _skip_foreign_key_checks(connection)
    counters = [table for table in service_tables(name) if table.name.endswith(GENERATION_SUFFIX)]
    before = {table.name: connection.execute(select(func.max(table.c.value))).scalar() or 0 for table in counters}
    clear(connection, name)
    write(connection, name, rows)
    for table in counters:
        restored = connection.execute(select(func.max(table.c.value))).scalar() or 0
        connection.execute(delete(table))
        connection.execute(table.insert(), [{"id": 1, "value": max(before[table.name], restored) + 1}])
    generations.bump_service(connection, name)  # the caches kept by core_generation (core/db/generations.py)


def _skip_foreign_key_checks(connection: Connection) -> None:
    """On PostgreSQL, when the role may (a superuser, or one granted the setting), skip the per-row foreign-key
    triggers for the rest of the transaction: the rows written come whole from a seed or a snapshot, and checking
    each of them took two thirds of a reset. Without the right the checks stay, and the reset is only slower."""
    savepoint = connection.begin_nested()
    try:
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    except DBAPIError:
        savepoint.rollback()
    else:
        savepoint.commit()


def clear(connection: Connection, name: str) -> None:
    """Delete every row of the service (children first) and its seed-run row.

    Plain DELETEs: unlike TRUNCATE they are safe for concurrent snapshots on PostgreSQL, and were no slower there
    for the demo data. PostgreSQL gets them in one round trip.
    """
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        deletes = [f"DELETE FROM {quote(str(table.name))}" for table in reversed(service_tables(name))]  # noqa: S608
        script = "; ".join(deletes)
        connection.exec_driver_sql(script)
    else:
        for table in reversed(service_tables(name)):
            connection.execute(delete(table))
    connection.execute(delete(SEED_RUN).where(SEED_RUN.c.name == name))


def write(connection: Connection, name: str, rows: Rows | Prepared) -> None:
    """Insert ``rows`` into the service's (empty) tables, parents first, then move PostgreSQL's sequences on.

    Rows go straight to the driver (``executemany``, or ``COPY`` on PostgreSQL), their values already converted
    for the database (:func:`prepare`), so writing back tens of thousands of rows takes a fraction of a second.
    """
    prepared = rows if isinstance(rows, Prepared) else prepare(connection.dialect, rows)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for table, columns, values in prepared.tables:
            names = ", ".join(prepared.quote(column) for column in columns)
            if connection.dialect.name == "postgresql":
                with cursor.copy(f"COPY {prepared.quote(table)} ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                insert = f"INSERT INTO {prepared.quote(table)} ({names}) VALUES ({marks})"  # noqa: S608  (metadata names)
                cursor.executemany(insert, values)
    finally:
        cursor.close()
    if connection.dialect.name == "postgresql":
        _move_sequences(connection, [table for table, _, values in prepared.tables if values])


@dataclass(frozen=True)
class Prepared:
    """Rows ready for the driver: per table (parents first) its column names and value tuples."""

    tables: list[tuple[str, list[str], list[tuple[Any, ...]]]]
    quote: Callable[[str], str]


def prepare(dialect: Dialect, rows: Rows) -> Prepared:
    """``rows`` with each value converted by its column type for ``dialect``, ordered for :func:`write`."""
    prepared = []
    for table in _all_tables():
        if not rows.get(str(table.name)):
            continue
        columns = [str(column.name) for column in table.columns]
        processors = [table.columns[column].type._cached_bind_processor(dialect) for column in columns]
        values = [
            tuple(
                value if process is None or value is None else process(value)
                for process, value in zip(processors, (row.get(column) for column in columns), strict=True)
            )
            for row in _parents_first(table, rows[str(table.name)])
        ]
        prepared.append((str(table.name), columns, values))
    return Prepared(prepared, dialect.identifier_preparer.quote)


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` ordered so a row that refers to another row of the same table comes after it."""
    own = [fk for fk in table.foreign_keys if fk.column.table is table]
    if not own:
        return rows
    column, target = own[0].parent.name, own[0].column.name
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    waiting = rows
    while waiting:
        ready = [row for row in waiting if row[column] is None or row[column] in placed]
        if not ready:
            raise ValueError(f"{table.name}: rows refer to rows that are not there (a cycle or a missing parent)")
        ordered += ready
        placed.update(row[target] for row in ready)
        ready_ids = {id(row) for row in ready}
        waiting = [row for row in waiting if id(row) not in ready_ids]
    return ordered


def _move_sequences(connection: Connection, names: list[str]) -> None:
    """Move the id sequences of the tables ``names`` past their highest id, in one statement."""
    tables = {str(table.name): table for table in _all_tables()}
    moves = []
    for name in names:
        keys = list(tables[name].primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, Integer):
            column = keys[0].name
            highest = f'COALESCE((SELECT MAX("{column}") FROM "{name}"), 0) + 1'  # noqa: S608  (metadata names)
            moves.append(f"setval(pg_get_serial_sequence('{name}', '{column}'), {highest}, false)")
    if moves:
        connection.exec_driver_sql("SELECT " + ", ".join(moves))


# --- JSON form ---------------------------------------------------------------------------------------------


def encode(rows: Rows) -> dict[str, Any]:
    """``rows`` as JSON-safe data: per table its column names and each row as a list of values."""
    tables = {str(table.name): table for table in _all_tables()}
    encoded: dict[str, Any] = {}
    for name, table_rows in rows.items():
        columns = [str(column.name) for column in tables[name].columns]
        codecs = [_codec(tables[name].columns[column].type)[0] for column in columns]
        encoded[name] = {
            "columns": columns,
            "rows": [[to(row[c]) for to, c in zip(codecs, columns, strict=True)] for row in table_rows],
        }
    return encoded


def decode(service: str, encoded: dict[str, Any]) -> Rows:
    """The rows of ``encoded`` (see :func:`encode`) for ``service``; a table or column this schema lacks is an
    error."""
    tables = {table.name: table for table in (*service_tables(service), SEED_RUN)}
    rows: Rows = {}
    for name, table_data in encoded.items():
        table = tables.get(name)
        if table is None:
            raise ValueError(f"{service}: table {name} is not one of this service's tables")
        columns = table_data["columns"]
        unknown = [column for column in columns if column not in table.columns]
        if unknown:
            raise ValueError(f"{name}: unknown columns {', '.join(unknown)} (snapshot of another schema?)")
        codecs = [_codec(table.columns[column].type)[1] for column in columns]
        rows[name] = [
            {c: (None if v is None else back(v)) for back, c, v in zip(codecs, columns, values, strict=True)}
            for values in table_data["rows"]
        ]
    return rows


def _all_tables() -> Iterable[Table]:
    import bodata.models  # noqa: F401

    return Base.metadata.sorted_tables


def _same(value: Any) -> Any:
    return value


def _codec(column_type: Any) -> tuple[Any, Any]:
    """(to JSON, from JSON) for a column type."""
    if isinstance(column_type, (UTCDateTime, DateTime)):
        return _iso, datetime.fromisoformat
    if isinstance(column_type, Date):
        return _iso, date.fromisoformat
    if isinstance(column_type, Numeric) and column_type.asdecimal:
        return _text, Decimal
    if isinstance(column_type, LargeBinary):
        return _base64, base64.b64decode
    if isinstance(column_type, Uuid):
        return _text, uuid.UUID
    return _same, _same


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _base64(value: Any) -> Any:
    return None if value is None else base64.b64encode(value).decode()
