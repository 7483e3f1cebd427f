"""The event-loop guard: database work and password hashing on the loop's thread fail loudly in tests."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from bodata.core.db import Database
from bodata.core.loopguard import BlockingOnEventLoop
from bodata.core.security import hash_password, verify_password


def test_the_suite_runs_with_the_guard_raising() -> None:
    import os

    assert os.environ["BODATA_EVENT_LOOP_GUARD"] == "raise"


def test_a_statement_on_the_event_loop_raises(database: Database) -> None:
    async def on_loop() -> None:
        with database.transaction() as session:
            session.execute(text("SELECT 1"))

    with pytest.raises(BlockingOnEventLoop, match="event loop"):
        asyncio.run(on_loop())


def test_a_statement_in_the_threadpool_is_fine(database: Database) -> None:
    def work() -> int:
        with database.transaction() as session:
            return session.scalar(text("SELECT 1"))

    async def from_loop() -> int:
        return await run_in_threadpool(work)

    assert asyncio.run(from_loop()) == 1


def test_password_hashing_on_the_event_loop_raises() -> None:
    stored = hash_password("secret")

    async def on_loop() -> bool:
        return verify_password(stored, "secret")

    with pytest.raises(BlockingOnEventLoop):
        asyncio.run(on_loop())


def test_the_guard_warns_instead_when_told(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("BODATA_EVENT_LOOP_GUARD", "warn")
    stored = hash_password("secret")

    async def on_loop() -> bool:
        return verify_password(stored, "secret")

    assert asyncio.run(on_loop()) is True
    assert "on the event loop" in caplog.text
