"""Portal fixtures: the small world in a migrated database, the app in-process with logged-in tenants, a live server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient

from bodata.app import create_app
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.db import Database, create_database_engine
from bodata.portal.service_entry import SERVICE

from ..live import LiveServer, start_live_server
from .fixtures import API_KEY, PASSWORD, World, make_world

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def world(database: Database, clock: FixedClock) -> World:
    """The small world, committed."""
    with database.transaction() as session:
        return make_world(session, clock.now())


@dataclass
class Portal:
    """The portal in-process: an HTTP client, the world, and a logged-in session key per tenant."""

    client: TestClient
    world: World
    database: Database
    clock: FixedClock
    keys: dict[str, str]

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        return self.client.post(
            "/portal/session/login",
            json={"Användarnamn": username, "Lösenord": password},
            params={"ApiNyckel": API_KEY},
        )

    def get(self, path: str, tenant: str = "anna", **params: object) -> httpx.Response:
        """GET ``/portal{path}`` as ``tenant`` (the key as a query parameter)."""
        return self.client.get(
            "/portal" + path, params={"Sessionsnyckel": self.keys[tenant], "ApiNyckel": API_KEY, **params}
        )

    def post(self, path: str, body: object, tenant: str = "anna", **params: object) -> httpx.Response:
        """POST JSON to ``/portal{path}`` as ``tenant`` (the key as a query parameter)."""
        return self.client.post(
            "/portal" + path, json=body, params={"Sessionsnyckel": self.keys[tenant], "ApiNyckel": API_KEY, **params}
        )


def portal_settings(**overrides: object) -> Settings:
    return Settings(secret_key="k", **overrides)


@pytest.fixture
def portal(database: Database, world: World, clock: FixedClock) -> Portal:
    """The app in-process with Anna and Bertil logged in."""
    client = TestClient(create_app(portal_settings(), services=[SERVICE], database=database, clock=clock))
    result = Portal(client=client, world=world, database=database, clock=clock, keys={})
    for name in ("anna", "bertil"):
        response = result.login(name)
        assert response.status_code == 200, response.text
        result.keys[name] = response.json()["Sessionsnyckel"]
    return result


@pytest.fixture(scope="module")
def live_portal(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, World]]:
    """``bodata serve`` on a database holding the small world (seeded before the server starts), one per module:
    its tests leave the world as they found it, or change only what no other test of the module reads."""
    database = Database(create_database_engine(module_database_url))
    with database.transaction() as session:
        world = make_world(session, datetime.now(UTC))
    database.dispose()
    server = start_live_server(database_url=module_database_url, workdir=tmp_path_factory.mktemp("live-portal"))
    try:
        yield server, world
    finally:
        server.stop()
