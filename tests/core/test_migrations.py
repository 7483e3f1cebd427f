"""Alembic migrations: from nothing to head on both databases, idempotent, in step with the models."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import bodata.models  # noqa: F401  (every table on the metadata)
from bodata.core.db import Base, Database
from bodata.core.db.migrate import current_revision, downgrade_to_base, head_revision, upgrade
from bodata.core.demo import SeedRun


def test_upgrade_creates_the_schema_from_nothing(empty_database: Database) -> None:
    assert current_revision(empty_database.engine) is None
    before, after = upgrade(empty_database.engine)
    assert (before, after) == (None, head_revision())
    tables = set(inspect(empty_database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_second_upgrade_changes_nothing_and_keeps_data(database: Database) -> None:
    with database.transaction() as session:
        session.add(SeedRun(name="kept", version=1, applied_at=datetime.now(UTC)))
    assert upgrade(database.engine) == (head_revision(), head_revision())
    with database.transaction() as session:
        assert session.get(SeedRun, "kept") is not None


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_downgrade_removes_every_table(database: Database) -> None:
    downgrade_to_base(database.engine)
    remaining = set(inspect(database.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    assert current_revision(database.engine) is None
