"""Login throttling, shared by every password or secret check (SOAP WS-Security, ``/token``, the web UI).

The portal's lockout is the model: ``max_failures`` wrong secrets in a row for one name lock it for
``lockout_minutes``, even with the right secret; a success resets the count. The count is committed in its own short
transaction, so it holds though the answer is an error. Names the register does not know are counted the same way,
so the answers reveal nothing about which names exist. Names are stored as digests (with the realm), never as text.

Order of work in a request: ``refuse_if_locked`` (a read), the credential check (Argon2, no write lock), then
``record`` (a short write). None of it holds the write lock while a hash is checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bodata.core.config import Settings
from bodata.core.db import Base, Database, UTCDateTime


class LoginFailures(Base):
    """Wrong secrets in a row for one name in one realm, and until when the name is locked."""

    __tablename__ = "core_login_failures"

    realm: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many wrong secrets in a row lock a name (0: never) and for how long."""

    max_failures: int = 5
    lockout_minutes: int = 15

    @classmethod
    def of(cls, settings: Settings) -> ThrottlePolicy:
        """``BODATA_LOGIN_MAX_FAILURES`` and ``BODATA_LOGIN_LOCKOUT_MINUTES``."""
        return cls(max_failures=settings.login_max_failures, lockout_minutes=settings.login_lockout_minutes)


class LockedOut(Exception):
    """The name is locked until ``until``; each interface answers this in its own format."""

    def __init__(self, until: datetime, now: datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until
        self.retry_after = max(1, int((until - now).total_seconds()))


def _digest(realm: str, name: str) -> str:
    return hashlib.sha256(f"{realm}\0{name}".encode("utf-8", "surrogatepass")).hexdigest()


def refuse_if_locked(session: Session, *, realm: str, name: str, now: datetime) -> bool:
    """Raise ``LockedOut`` when the name is locked now (a read: no write lock); True when failures are counted."""
    row = session.execute(
        select(LoginFailures.locked_until).where(
            LoginFailures.realm == realm, LoginFailures.name_digest == _digest(realm, name)
        )
    ).first()
    if row is not None and row.locked_until is not None and row.locked_until > now:
        raise LockedOut(row.locked_until, now)
    return row is not None


def record(database: Database, *, realm: str, name: str, ok: bool, now: datetime, policy: ThrottlePolicy) -> None:
    """Count a wrong secret (raising ``LockedOut`` when it is the one that locks), or reset after a right one."""
    digest = _digest(realm, name)
    with database.transaction() as session:
        row = session.get(LoginFailures, (realm, digest))
        if ok:
            if row is not None:
                session.delete(row)
            return
        if row is None:
            row = LoginFailures(realm=realm, name_digest=digest, failures=0, updated_at=now)
            session.add(row)
        row.failures += 1
        row.updated_at = now
        if policy.max_failures and row.failures >= policy.max_failures:
            row.failures = 0
            row.locked_until = now + timedelta(minutes=policy.lockout_minutes)
    if not ok and row.locked_until is not None and row.locked_until > now:
        raise LockedOut(row.locked_until, now)


def unlock(database: Database, *, realm: str, name: str) -> bool:
    """Lift a lock and forget the count (operators, after a password reset); True when there was one."""
    with database.transaction() as session:
        row = session.get(LoginFailures, (realm, _digest(realm, name)))
        if row is None:
            return False
        session.delete(row)
        return True
