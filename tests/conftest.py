"""Shared fixtures: a fresh database per test (SQLite and PostgreSQL), the app in-process, a live server.

Every database comes from a template migrated once per run (``tests/databases.py``), so a test pays a file copy
or ``CREATE DATABASE ... TEMPLATE``, not a migration. PostgreSQL tests run when ``BODATA_TEST_DATABASE_URL`` names a
server (CI sets it); each test gets a database of its own there, emptied or dropped afterwards. Without the
variable those tests are skipped with the reason.

Passwords are hashed with cheap Argon2id parameters in the test process: the parameters travel inside each hash,
so a live server verifies a fixture's password cheaply too, and what is tested (salted Argon2id, verification,
constant-time refusals) stays the same. Production hashing keeps the library's defaults (``core/security.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from bodata.core import security
from bodata.core.clock import FixedClock
from bodata.core.db import Database, create_database_engine

from .databases import drop_reusable_databases, scratch_database_url
from .live import LiveServer, start_live_server

security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # see the module docstring
# pytest-xdist's workers set COLUMNS=80 and LINES=24, and a Rich console made at import keeps the width it sees
# then; without them a console measures at print time, where each CLI test sets the width it wants.
for _variable in ("COLUMNS", "LINES"):
    os.environ.pop(_variable, None)

# Blocking work on the event loop fails loudly in tests, in-process and in live servers (core/loopguard.py).
os.environ.setdefault("BODATA_EVENT_LOOP_GUARD", "raise")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request: pytest.FixtureRequest) -> str:
    """The database a test runs on: every test that needs one runs on SQLite and on PostgreSQL."""
    return request.param


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with bodata's schema at head: a SQLite file, or a database on the test server."""
    with scratch_database_url(database_kind, tmp_path, content="schema") as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like ``database_url``, but one database for the whole test module (for modules sharing one live server)."""
    directory = tmp_path_factory.mktemp(f"module-{request.param}")
    with scratch_database_url(request.param, directory, content="schema") as url:
        yield url


@pytest.fixture
def empty_database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no migrations applied)."""
    with scratch_database_url(database_kind, tmp_path, "empty.db") as url:
        yield url


@pytest.fixture
def demo_database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a database holding what ``bodata serve --demo`` loads (see ``databases._seed_demo``)."""
    with scratch_database_url(database_kind, tmp_path, "demo.db", content="demo") as url:
        yield url


@pytest.fixture
def empty_database(empty_database_url: str) -> Iterator[Database]:
    """A Database on an empty database (no migrations applied)."""
    database = Database(create_database_engine(empty_database_url))
    yield database
    database.dispose()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A Database with bodata's schema migrated to head."""
    database = Database(create_database_engine(database_url))
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """A clock the test moves by hand."""
    return FixedClock()


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """``bodata serve`` in a subprocess on a free loopback port, on the test database."""
    server = start_live_server(database_url=database_url, workdir=tmp_path)
    try:
        yield server
    finally:
        server.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A module marked ``sqlite_only`` runs on SQLite alone: its rules are plain ORM reads and writes with nothing
    that differs between the databases (no locking, numbering, concurrency, migrations or bitemporal SQL), so the
    PostgreSQL half would only double its time. Everything else runs on both. End-to-end modules run first."""
    selected, deselected = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgresql = params is not None and "postgresql" in params.params.values()
        (deselected if on_postgresql and item.get_closest_marker("sqlite_only") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    # End-to-end modules first: they are the longest (live servers, browsers), and xdist hands out whole modules
    # in this order (--dist loadfile), so starting them early keeps a long one from finishing alone at the end.
    items[:] = sorted(selected, key=lambda item: item.get_closest_marker("e2e") is None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop the PostgreSQL databases this process kept for reuse (``databases._SchemaDatabases``)."""
    drop_reusable_databases()
