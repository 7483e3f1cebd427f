"""Engines, sessions and the UTC timestamp type, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError

from bodata.core.db import Database, UTCDateTime, create_database_engine

metadata = MetaData()
stamps = Table("test_stamp", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))


@pytest.fixture
def stamp_table(empty_database: Database) -> Database:
    metadata.create_all(empty_database.engine)
    return empty_database


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=1234)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 1234
    engine.dispose()


def test_timestamps_round_trip_as_aware_utc(stamp_table: Database) -> None:
    stockholm_winter = timezone(timedelta(hours=1))
    moment = datetime(2026, 1, 15, 9, 30, 15, 123456, tzinfo=stockholm_winter)
    with stamp_table.transaction() as session:
        session.execute(insert(stamps).values(id=1, at=moment))
    with stamp_table.transaction() as session:
        stored = session.scalar(select(stamps.c.at))
    assert stored == moment
    assert stored.tzinfo == UTC
    assert stored.hour == 8


def test_timestamps_compare_in_sql_across_offsets(stamp_table: Database) -> None:
    base = datetime(2026, 6, 1, 12, tzinfo=UTC)
    with stamp_table.transaction() as session:
        for number, minutes in enumerate((-30, 0, 30)):
            session.execute(insert(stamps).values(id=number, at=base + timedelta(minutes=minutes)))
    bound = datetime(2026, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))  # = 12:00 UTC
    with stamp_table.transaction() as session:
        later = session.scalars(select(stamps.c.id).where(stamps.c.at >= bound).order_by(stamps.c.id)).all()
    assert later == [1, 2]


def test_naive_timestamps_are_refused(stamp_table: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), stamp_table.transaction() as session:
        session.execute(insert(stamps).values(id=1, at=datetime(2026, 1, 1)))


def test_transaction_rolls_back_when_the_block_raises(stamp_table: Database) -> None:
    def write_then_fail() -> None:
        with stamp_table.transaction() as session:
            session.execute(insert(stamps).values(id=1, at=datetime(2026, 1, 1, tzinfo=UTC)))
            raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        write_then_fail()
    with stamp_table.transaction() as session:
        assert session.scalar(select(stamps.c.id)) is None


def test_ping_fails_on_an_unreachable_database() -> None:
    database = Database(create_database_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"))
    with pytest.raises(Exception, match="connect"):
        database.ping()


def test_concurrent_read_then_write_units_of_work_wait_instead_of_failing(stamp_table: Database) -> None:
    """Each unit of work reads, pauses, then writes; on SQLite none may fail with "database is locked"."""
    errors: list[Exception] = []

    def read_then_write(number: int) -> None:
        try:
            with stamp_table.transaction() as session:
                session.execute(select(stamps.c.id)).all()
                time.sleep(0.02)
                session.execute(insert(stamps).values(id=number, at=datetime(2026, 1, 1, tzinfo=UTC)))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with stamp_table.transaction() as session:
        assert len(session.execute(select(stamps.c.id)).all()) == 6
