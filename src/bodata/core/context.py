"""The per-process application context, and the request dependencies services use to reach it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bodata.core.clock import Clock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.security import SecretBox

SCOPE_KEY = "bodata.context"


@dataclass(frozen=True)
class AppContext:
    """What every request can use: settings, the database, the clock and the secret box."""

    settings: Settings
    db: Database
    clock: Clock
    secrets: SecretBox


def context_of(request: Request) -> AppContext:
    """The AppContext of the app serving ``request`` (placed in the ASGI scope by the platform middleware)."""
    return request.scope[SCOPE_KEY]


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


async def db_session(request: Request) -> AsyncIterator[Session]:
    """One request = one transaction: committed when the endpoint returns, rolled back if it raises.

    Used with ``scope="function"`` so the commit happens before the response is sent: a failed commit
    becomes an error response, never a success that was not saved. GET, HEAD and OPTIONS read: on SQLite they
    take no write lock (core/db/engine.py); the other methods take it at their first statement.

    The session is made on the event loop (that does no I/O: it connects at its first statement, in the sync
    endpoint's thread) and ended in one threadpool hop, only when it began a transaction.
    """
    database = context_of(request).db
    session = database.session(write=request.method not in READ_METHODS)
    try:
        yield session
    except BaseException:
        await run_in_threadpool(database.end, session, commit=False)
        raise
    if session.in_transaction():
        await run_in_threadpool(database.end, session, commit=True)
    else:
        session.close()


async def in_transaction(request: Request, work: Callable[[Session], T], *, write: bool | None = None) -> T:
    """``work`` in one transaction (a read one for GET, HEAD and OPTIONS, unless ``write`` says) in the request's
    one threadpool hop: for async endpoints on the hot path, where each further hop costs a thread switch."""
    database = context_of(request).db
    write = request.method not in READ_METHODS if write is None else write

    def run() -> T:
        with database.transaction(write=write) as session:
            return work(session)

    return await run_in_threadpool(run)


DbSession = Annotated[Session, Depends(db_session, scope="function")]
Context = Annotated[AppContext, Depends(context_of)]
