"""The per-process application context, and the request dependencies services use to reach it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

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


def db_session(request: Request) -> Iterator[Session]:
    """One request = one transaction: committed when the endpoint returns, rolled back if it raises.

    Used with ``scope="function"`` so the commit happens before the response is sent: a failed commit
    becomes an error response, never a success that was not saved. GET, HEAD and OPTIONS read: on SQLite they
    take no write lock (core/db/engine.py); the other methods take it at their first statement.
    """
    with context_of(request).db.transaction(write=request.method not in READ_METHODS) as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]
Context = Annotated[AppContext, Depends(context_of)]
