"""Shared fixtures: a fresh database per test (SQLite and PostgreSQL), the app in-process, a live server.

PostgreSQL tests run when ``BODATA_TEST_DATABASE_URL`` names a server (CI sets it); each test gets its own
schema there, dropped afterwards. Without the variable those tests are skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bodata.core.clock import FixedClock
from bodata.core.db import Database, create_database_engine
from bodata.core.db.migrate import upgrade

from .databases import scratch_database_url
from .live import LiveServer, start_live_server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a fresh schema on the test PostgreSQL server."""
    with scratch_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def empty_database(database_url: str) -> Iterator[Database]:
    """A Database on an empty schema (no migrations applied)."""
    database = Database(create_database_engine(database_url))
    yield database
    database.dispose()


@pytest.fixture
def database(empty_database: Database) -> Database:
    """A Database with bodata's schema migrated to head."""
    upgrade(empty_database.engine)
    return empty_database


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
