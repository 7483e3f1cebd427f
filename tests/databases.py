"""Databases for tests: empty, migrated or holding the demo, as a SQLite file or a PostgreSQL database of its own.

Migrating from nothing costs 0.2 s on SQLite and about a second on PostgreSQL, and seeding the demo about ten; a
test should pay neither. So both are done once into a *template* (a SQLite file, a PostgreSQL database created
with ``CREATE DATABASE ... TEMPLATE``) and every test gets a copy: a file copy takes milliseconds, a database
copied from a template well under 100 ms. A template is named by a fingerprint of what builds it (the migration
files; for the demo every source file), so it is rebuilt when that changes and kept across runs otherwise; it is
built under a file lock, so parallel workers (pytest-xdist) build it once and share it.

PostgreSQL tests run when ``BODATA_TEST_DATABASE_URL`` names a server (CI sets it), skipped with the reason
otherwise. Each test has a database of its own; advisory locks are per database, so tests on PostgreSQL never wait
on each other. ``CREATE DATABASE`` copies some 300 files and costs 0.3-1.5 s on a busy two-core machine, so a
database at the schema's head is not dropped after its test but emptied (``_SchemaDatabases``: 10-30 ms) and
handed to the worker's next test; one whose schema the test changed is dropped instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlalchemy.pool import NullPool

import bodata
from bodata.core.db import Database, create_database_engine
from bodata.core.db.migrate import MIGRATIONS_DIR, upgrade

from .live import LIVE_SERVER_SECRET_KEY

PG_URL = os.environ.get("BODATA_TEST_DATABASE_URL", "")
PG_SKIP_REASON = "PostgreSQL tests need BODATA_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
TEMPLATE_DIR = Path(tempfile.gettempdir()) / f"bodata-test-templates-{os.getuid()}"
"""Where SQLite templates and the build locks live (shared by every worker of a run, kept between runs)."""

STALE_TEMPLATE_AGE = timedelta(days=1)
T = TypeVar("T")
Content = Literal["empty", "schema", "demo"]
"""What a test database holds: nothing, bodata's schema at head, or the schema with every service's demo."""


@contextmanager
def scratch_database_url(
    kind: str, directory: Path, name: str = "bodata.db", *, content: Content = "empty"
) -> Iterator[str]:
    """The URL of a database of ``kind`` ("sqlite" or "postgresql") holding ``content``, dropped afterwards."""
    if kind == "sqlite":
        path = directory / name
        if content != "empty":
            shutil.copyfile(_off_loop(_sqlite_template, content), path)
        yield f"sqlite:///{path}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    if content == "schema":
        database = _SCHEMA_DATABASES.take()
        try:
            yield _pg_url(database)
        finally:
            _SCHEMA_DATABASES.give_back(database)
        return
    database = f"t_{uuid.uuid4().hex[:16]}"
    _create_postgresql_database(database, content)
    try:
        yield _pg_url(database)
    finally:
        _drop_postgresql_database(database)


def _drop_postgresql_database(database: str) -> None:
    with _pg_admin() as admin:
        admin.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


class _SchemaDatabases:
    """This worker's PostgreSQL databases at the schema's head that no test holds, emptied and ready for the next.

    Giving one back ends every connection to it, checks that its schema is still the template's (a test that ran
    migrations or dropped a table gets its database dropped instead), deletes the rows of every table that has
    any (foreign-key triggers off: the whole database is being emptied), puts back the rows the migrations insert,
    and rewinds every sequence that was used, so the next test sees exactly what a fresh copy would hold.
    """

    def __init__(self) -> None:
        self._free: list[str] = []
        self._template: tuple[tuple[object, ...], dict[str, list[dict[str, object]]]] | None = None

    def take(self) -> str:
        if self._free:
            return self._free.pop()
        database = f"t_{uuid.uuid4().hex[:16]}"
        _create_postgresql_database(database, "schema")
        if self._template is None:
            with _pg_engine(database).connect() as connection:
                self._template = (_schema_signature(connection), _rows_of_nonempty_tables(connection))
        return database

    def give_back(self, database: str) -> None:
        try:
            self._empty(database)
        except (DBAPIError, _SchemaChanged):
            _drop_postgresql_database(database)
        else:
            self._free.append(database)

    def _empty(self, database: str) -> None:
        signature, rows = self._template
        with _pg_admin() as admin:
            admin.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": database},
            )
        engine = _pg_engine(database)
        try:
            with engine.connect() as connection:
                if _schema_signature(connection) != signature:
                    raise _SchemaChanged(database)
                tables = [t for t in _nonempty_tables(connection) if t != "alembic_version"]
                connection.execute(text("SET session_replication_role = replica"))
                for table in tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608  (names from the catalogue)
                for table, table_rows in rows.items():
                    if table == "alembic_version":
                        continue
                    columns = ", ".join(f'"{column}"' for column in table_rows[0])
                    values = ", ".join(f":{column}" for column in table_rows[0])
                    insert = f'INSERT INTO "{table}" ({columns}) VALUES ({values})'  # noqa: S608  (the catalogue's)
                    connection.execute(text(insert), table_rows)
                connection.execute(
                    text(
                        "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false)"
                        " FROM pg_sequences WHERE last_value IS NOT NULL"
                    )
                )
                connection.commit()
        finally:
            engine.dispose()

    def drop_all(self) -> None:
        """Drop the databases no test holds (at the end of the worker's session)."""
        while self._free:
            with suppress(DBAPIError):
                _drop_postgresql_database(self._free.pop())


class _SchemaChanged(Exception):
    """A test changed its database's schema (ran migrations, dropped a table): it cannot be handed on."""


_SCHEMA_DATABASES = _SchemaDatabases()
drop_reusable_databases = _SCHEMA_DATABASES.drop_all


def _pg_engine(database: str) -> Engine:
    return create_engine(_pg_url(database), poolclass=NullPool)


def _schema_signature(connection: Connection) -> tuple[object, ...]:
    """What a test that changes the schema changes: the migration head, the relations, columns and routines."""
    return tuple(
        connection.execute(
            text(
                "SELECT (SELECT string_agg(version_num, ',') FROM alembic_version),"
                " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                "   WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'),"
                " (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                "   WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped),"
                " (SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'),"
                " (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace),"
                " (SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace)"
            )
        ).one()
    )


def _nonempty_tables(connection: Connection) -> list[str]:
    names = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
    probe = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names)  # noqa: S608
    return list(connection.execute(text(probe)).scalars()) if names else []


def _rows_of_nonempty_tables(connection: Connection) -> dict[str, list[dict[str, object]]]:
    """The rows the migrations put in (the template is otherwise empty)."""
    return {
        table: [dict(row) for row in connection.execute(text(f'SELECT * FROM "{table}"')).mappings()]  # noqa: S608
        for table in _nonempty_tables(connection)
    }


def _create_postgresql_database(database: str, content: Content) -> None:
    """Create ``database`` holding ``content``; a template dropped meanwhile (by hand) is built again."""
    for attempt in (1, 2):
        template = (
            "" if content == "empty" else f' TEMPLATE "{_off_loop(_postgresql_template, content)}" STRATEGY FILE_COPY'
        )
        try:
            with _pg_admin() as admin:
                admin.execute(text(f'CREATE DATABASE "{database}"{template}'))
            return
        except ProgrammingError as error:
            if attempt == 2 or "does not exist" not in str(error):
                raise
            _postgresql_template.cache_clear()


# --- Templates ---------------------------------------------------------------------------------------------


def _off_loop(build: Callable[[Content], T], content: Content) -> T:
    """Build a template on a thread of its own: it may first be needed while a test's event loop runs (Playwright's
    sync API keeps one on the main thread), and migrations never run on an event loop (``core/loopguard.py``)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build, content).result()


def _fingerprint(content: Content) -> str:
    """A short digest of the files that build ``content``: the migrations, or for the demo the whole package."""
    root = MIGRATIONS_DIR if content == "schema" else Path(bodata.__file__).parent
    digest = hashlib.sha256(content.encode())
    if content == "demo":
        digest.update(date.today().isoformat().encode())  # the demo's dates follow today
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def _sqlite_template(content: Content) -> Path:
    """The SQLite template file for ``content``, built once (under a lock) if it is not there yet."""
    path = TEMPLATE_DIR / f"{content}-{_fingerprint(content)}.db"
    with _build_lock(path.name):
        if not path.exists():
            partial = path.with_suffix(f".{os.getpid()}.partial")
            _fill(f"sqlite:///{partial}", content)
            _drop_sqlite_sidecars(partial)
            partial.replace(path)
    return path


@cache
def _postgresql_template(content: Content) -> str:
    """The name of the PostgreSQL template database for ``content``, built once (under a lock) if missing."""
    name = f"bodata_tmpl_{content}_{_fingerprint(content)}"
    with _build_lock(name), _pg_admin() as admin:
        exists = admin.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first()
        if exists is None:
            partial = f"{name}_partial"
            admin.execute(text(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)'))
            admin.execute(text(f'CREATE DATABASE "{partial}"'))
            _fill(_pg_url(partial), content)
            admin.execute(text(f'ALTER DATABASE "{partial}" RENAME TO "{name}"'))
            admin.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{datetime.now(UTC).isoformat()}'"))
            _drop_stale_templates(admin, content, keep=name)
    return name


def _drop_stale_templates(admin: Connection, content: Content, *, keep: str) -> None:
    """Drop the templates of ``content`` built over a day ago (each keeps its build time as its comment).

    Newer ones stay: they may belong to another checkout whose tests run right now with other code.
    """
    query = text(
        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
        " WHERE datname LIKE :pattern AND datname <> :keep"
    )
    cutoff = datetime.now(UTC) - STALE_TEMPLATE_AGE
    for name, built in admin.execute(query, {"pattern": f"bodata_tmpl_{content}_%", "keep": keep}).all():
        if built and datetime.fromisoformat(built) < cutoff:
            with suppress(DBAPIError):
                admin.execute(text(f'DROP DATABASE "{name}"'))


def _fill(url: str, content: Content) -> None:
    """Migrate the database at ``url`` to head and, for the demo, load every service's demo data."""
    database = Database(create_database_engine(url))
    try:
        upgrade(database.engine)
        if content == "demo":
            _seed_demo(database)
    finally:
        database.dispose()


def _seed_demo(database: Database) -> None:
    """What ``bodata serve --demo`` loads before it serves, so the server finds it loaded and skips it.

    The Boenderegister's demo is left out: its integration points at the server's own URL (the Axema stand-in
    mounted beside it), which only the server knows; it is small, and the server seeds it when it starts.
    """
    from bodata.core.clock import SystemClock
    from bodata.core.demo import seed_demo
    from bodata.core.security import SecretBox
    from bodata.services import SERVICES

    seed_demo(
        database,
        [service for service in SERVICES if service.name != "boenderegister"],
        clock=SystemClock(),
        secrets=SecretBox(LIVE_SERVER_SECRET_KEY),
        server_url="http://127.0.0.1:8000",
    )


@contextmanager
def _build_lock(name: str) -> Iterator[None]:
    """An exclusive lock for building one template, shared by every process of this user on this machine."""
    TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    with (TEMPLATE_DIR / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _drop_sqlite_sidecars(path: Path) -> None:
    """A closed SQLite database has checkpointed its WAL; remove what is left so a copy of the file is whole."""
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- PostgreSQL ---------------------------------------------------------------------------------------------


def _pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


@cache
def _pg_admin_engine() -> Engine:
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=2)


@contextmanager
def _pg_admin() -> Iterator[Connection]:
    with _pg_admin_engine().connect() as connection:
        yield connection
