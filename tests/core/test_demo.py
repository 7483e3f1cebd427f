"""The demo-data convention: deterministic data, loaded once per version, in one transaction per service."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bodata.core.clock import FixedClock
from bodata.core.db import Database
from bodata.core.demo import DemoData, loaded_seed_version, seed_demo
from bodata.core.security import SecretBox

from .sample_service import SAMPLE, Note, SampleBase

BOX = SecretBox("demo-test-key")


def seed(database: Database, services, clock: FixedClock):
    return seed_demo(database, services, clock=clock, secrets=BOX, server_url="http://127.0.0.1:8000")


@pytest.fixture
def notes_db(database: Database) -> Database:
    SampleBase.metadata.create_all(database.engine)
    return database


def notes(database: Database) -> list[str]:
    with database.transaction() as session:
        return list(session.scalars(select(Note.text).order_by(Note.id)))


def test_demo_data_is_the_same_on_every_run(clock: FixedClock) -> None:
    first = DemoData("sample", clock, BOX).faker("sv_SE")
    second = DemoData("sample", clock, BOX).faker("sv_SE")
    assert [first.name() for _ in range(5)] == [second.name() for _ in range(5)]
    assert DemoData("sample", clock, BOX).random().random() == DemoData("sample", clock, BOX).random().random()


def test_each_service_has_its_own_stream(clock: FixedClock) -> None:
    assert DemoData("a", clock, BOX).faker("da_DK").name() != DemoData("b", clock, BOX).faker("da_DK").name()


def test_seeding_is_idempotent(notes_db: Database, clock: FixedClock) -> None:
    outcomes = seed(notes_db, [SAMPLE], clock)
    assert [(o.service, o.loaded) for o in outcomes] == [("sample", True)]
    loaded = notes(notes_db)
    assert len(loaded) == 3
    again = seed(notes_db, [SAMPLE], clock)
    assert [(o.loaded, o.reason) for o in again] == [(False, "version 1 already loaded")]
    assert notes(notes_db) == loaded


def test_a_new_seed_version_is_loaded_again(notes_db: Database, clock: FixedClock) -> None:
    seed(notes_db, [SAMPLE], clock)

    def add_one_more(session, demo) -> None:
        session.add(Note(text="version two"))

    upgraded = dataclasses.replace(SAMPLE, seed_version=2, seed_demo=add_one_more)
    assert seed(notes_db, [upgraded], clock)[0].loaded
    assert notes(notes_db)[-1] == "version two"
    assert loaded_seed_version(notes_db, "sample") == 2


def test_a_failing_seeder_leaves_nothing(notes_db: Database, clock: FixedClock) -> None:
    def half_then_fail(session, demo) -> None:
        session.add(Note(text="half"))
        session.flush()
        raise RuntimeError("seed data broken")

    with pytest.raises(RuntimeError):
        seed(notes_db, [dataclasses.replace(SAMPLE, seed_demo=half_then_fail)], clock)
    assert notes(notes_db) == []
    assert loaded_seed_version(notes_db, "sample") is None
