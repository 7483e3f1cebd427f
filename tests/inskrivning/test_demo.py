"""The newcomer's path for the land register: `bodata serve --demo`, then the demo client with the client library."""

from __future__ import annotations

from pathlib import Path

import pytest

from bodata.core.db import Database, create_database_engine
from bodata.inskrivning import service
from bodata.inskrivning.client import InskrivningClient
from bodata.inskrivning.demo import DEMO_PROPERTIES

from ..live import start_live_server

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]  # PostgreSQL walks the register in test_client.py


def test_the_demo_register_answers_the_demo_client(demo_database_url: str, tmp_path: Path) -> None:
    server = start_live_server(database_url=demo_database_url, workdir=tmp_path, args=("--demo",))
    database = Database(create_database_engine(demo_database_url))
    try:
        with database.transaction() as session:
            assert service.register_size(session) == DEMO_PROPERTIES
            listed = service.list_registrations(session, limit=10)
        ids = [row.objektidentitet for row in listed]
        base = f"{server.url}/distribution/produkter/inskrivning/v3"
        with (
            InskrivningClient(base, "demo", "demo") as as_json,
            InskrivningClient(base, "demo", "demo", format="xml") as as_xml,
        ):
            registrations = as_json.get_many(ids, include_data=["total"])
            assert registrations == as_xml.get_many(ids, include_data=["total"])
        assert [r.objektidentitet for r in registrations] == ids
        assert [r.fastighetsreferens.beteckning for r in registrations] == [row.beteckning for row in listed]
        assert all(r.agande for r in registrations)
    finally:
        database.dispose()
        server.stop()
