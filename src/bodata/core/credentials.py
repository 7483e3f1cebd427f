"""Credential checks every service shares: constant-time password checks and throttled logins.

One dummy hash stands in for unknown names, so a wrong name costs as much as a wrong password and timing does not
reveal which names exist.
"""

from __future__ import annotations

from collections.abc import Callable
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


def throttled_check(context: AppContext, *, realm: str, name: str, check: Callable[[Session], T | None]) -> T | None:
    """Run ``check`` (which returns what the credentials open, or None) under the realm's login throttling
    (``BODATA_LOGIN_MAX_FAILURES`` wrong secrets in a row lock the name for ``BODATA_LOGIN_LOCKOUT_MINUTES``).

    A locked name raises ``LockedOut`` before any hash is checked; the check runs in a read transaction (no write
    lock while Argon2 works); the outcome is then recorded in its own short write transaction.
    """
    database, now, policy = context.db, context.clock.now(), ThrottlePolicy.of(context.settings)
    counted = refuse_if_locked(database, realm=realm, name=name, now=now)
    if not is_clean_text(name) or len(name) > MAX_NAME_LENGTH:
        found = None  # no register holds such a name (and PostgreSQL cannot even compare a NUL)
    else:
        with database.transaction(write=False) as session:
            found = check(session)
    if found is None or counted:  # a right secret with nothing counted writes nothing
        record(database, realm=realm, name=name, ok=found is not None, now=now, policy=policy)
    return found
