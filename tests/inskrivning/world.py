"""Builders for the land register's tests."""

from __future__ import annotations

from datetime import UTC, datetime

from bodata.core.db import Database
from bodata.inskrivning import service
from bodata.inskrivning.generator import GeneratedProperty, generate_register


def store_register(database: Database, count: int, *, seed: int) -> list[GeneratedProperty]:
    """``count`` generated registrations and the API client c1/s1, stored now."""
    now = datetime.now(UTC)
    properties = list(generate_register(count, seed=seed, now=now))
    with database.transaction() as session:
        service.add_client(session, "c1", secret="s1", now=now)
        service.load_generated(session, properties)
    return properties
