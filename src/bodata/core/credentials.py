"""Credential checks every service shares: constant-time password checks and throttled logins.

One dummy hash stands in for unknown names, so a wrong name costs as much as a wrong password and timing does not
reveal which names exist.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from functools import cache
from typing import TypeVar

from sqlalchemy.orm import Session

from bodata.core.context import AppContext
from bodata.core.inputs import is_clean_text
from bodata.core.security import hash_password, verify_password
from bodata.core.throttle import ThrottlePolicy, record, refuse_if_locked

T = TypeVar("T")
MAX_NAME_LENGTH = 255


@cache
def _dummy_hash() -> str:
    return hash_password("bodata timing equaliser")  # made on first use, in the threadpool, not at import


def check_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; ``None`` (no such name) checks a dummy hash and is False: same work."""
    if password_hash is None:
        verify_password(_dummy_hash(), password)
        return False
    return verify_password(password_hash, password)


def throttled_check(
    context: AppContext,
    *,
    realm: str,
    name: str,
    check: Callable[[Session], T | None],
    session: Session | None = None,
) -> T | None:
    """Run ``check`` (which returns what the credentials open, or None) under the realm's login throttling
    (``BODATA_LOGIN_MAX_FAILURES`` wrong secrets in a row lock the name for ``BODATA_LOGIN_LOCKOUT_MINUTES``).

    A locked name raises ``LockedOut`` before any hash is checked; the lock check and ``check`` run in one read
    transaction (no write lock while Argon2 works): ``session`` when the caller has one open for a read-only request
    (its work then shares the transaction), else a new one. The outcome is then recorded in its own short write
    transaction.
    """
    database, now, policy = context.db, context.clock.now(), ThrottlePolicy.of(context.settings)
    with nullcontext(session) if session is not None else database.transaction(write=False) as reading:
        counted = refuse_if_locked(reading, realm=realm, name=name, now=now)
        # no register holds an unclean or overlong name (and PostgreSQL cannot even compare a NUL)
        found = check(reading) if is_clean_text(name) and len(name) <= MAX_NAME_LENGTH else None
    if found is None or counted:  # a right secret with nothing counted writes nothing
        record(database, realm=realm, name=name, ok=found is not None, now=now, policy=policy)
    return found
