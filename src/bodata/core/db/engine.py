"""Engines and sessions: SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bodata.core.config import Settings
from bodata.core.loopguard import check_off_loop


def create_database_engine(url: str, *, busy_timeout_ms: int = 5000, pool_size: int = 5) -> Engine:
    """Create an engine for ``url`` with bodata's connection settings applied."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": busy_timeout_ms / 1000})
        _configure_sqlite(engine, busy_timeout_ms)
    else:
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size * 2)
    _guard_event_loop(engine)
    return engine


def _guard_event_loop(engine: Engine) -> None:
    """Check every connection checkout and statement against the event-loop guard (core/loopguard.py)."""

    @event.listens_for(engine, "checkout")
    def on_checkout(*_args) -> None:
        check_off_loop("a database connection was checked out")

    @event.listens_for(engine, "before_cursor_execute")
    def on_execute(*_args) -> None:
        check_off_loop("a database statement was executed")


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn on WAL, foreign keys and a busy timeout, and let SQLAlchemy issue BEGIN itself.

    pysqlite's own transaction handling defers BEGIN until the first write, which breaks the isolation
    of one-request-one-transaction; emitting BEGIN explicitly fixes that (the documented recipe).
    Units of work that write (``Database.transaction()``) begin IMMEDIATE: a deferred transaction that reads and
    then writes fails at once with "database is locked" when another connection committed in between (the busy
    timeout does not apply to that case), so they take the write lock up front and wait their turn instead.
    Read-only units (``Database.transaction(write=False)``: GET requests, password checks) begin DEFERRED and
    take no write lock, so they neither wait for writers nor hold them up (WAL readers see a snapshot).

    Writers of one process queue at a gate (a lock taken before BEGIN IMMEDIATE, given back when the connection
    returns to the pool) instead of polling SQLite's busy handler, which lets a newcomer overtake a waiter that is
    asleep, so that under many writers some starve past the busy timeout ("database is locked"). A writer that
    waits longer than the busy timeout at the gate goes on to SQLite's own lock, as it would without the gate.
    """
    gate = threading.Lock()
    gate_timeout = busy_timeout_ms / 1000

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        immediate = connection.get_execution_options().get(_UNIT_OF_WORK, False)
        if immediate and not connection.info.get(_GATE_HELD):
            connection.info[_GATE_HELD] = gate.acquire(timeout=gate_timeout)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "checkin")
    @event.listens_for(engine, "invalidate")
    def on_checkin(_dbapi_connection, record, *_exception) -> None:
        if record is not None and record.info.pop(_GATE_HELD, False):
            gate.release()


_UNIT_OF_WORK = "bodata_unit_of_work"
_GATE_HELD = "bodata_write_gate_held"


class Database:
    """One engine and its session factories; ``transaction()`` is the unit of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine.execution_options(**{_UNIT_OF_WORK: True}), expire_on_commit=False)
        self.read_sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(
            create_database_engine(
                settings.database_url,
                busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                pool_size=settings.db_pool_size,
            )
        )

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A session whose work is committed when the block ends and rolled back if it raises.

        ``write=False`` is for work that only reads (or writes rarely and may wait): on SQLite it takes no write
        lock up front; a write in it still works when no other writer got in first.
        """
        session = self.session(write=write)
        try:
            yield session
        except BaseException:
            self.end(session, commit=False)
            raise
        self.end(session, commit=True)

    def session(self, *, write: bool = True) -> Session:
        """A new session (no connection yet: it connects at its first statement); end it with ``end``."""
        return (self.sessions if write else self.read_sessions)()

    def end(self, session: Session, *, commit: bool) -> None:
        """Commit (or roll back) and close ``session``; a failed commit is rolled back and raised."""
        try:
            if commit:
                session.commit()
            else:
                session.rollback()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
