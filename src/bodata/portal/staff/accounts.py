"""Staff accounts of the web UI and their browser sessions.

Staff log in with their own user name and password (Argon2, core/security.py; wrong passwords throttled by
core/credentials.py). A login makes a random token kept by the browser in an HttpOnly, SameSite=Lax cookie and by
the database as a digest, with the session's CSRF token, which every POST must carry. The role ``personal`` may
change records; ``lasbehorighet`` may only read (every POST but logging out is refused).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bodata.core.credentials import check_password
from bodata.core.security import hash_password, issue_token, token_digest
from bodata.portal.models import StaffUser, StaffWebSession

STAFF, READ_ONLY = "personal", "lasbehorighet"
ROLE_LABELS = {STAFF: "Personal", READ_ONLY: "Läsbehörighet"}
SESSION_TTL = timedelta(hours=8)


class AccountError(ValueError):
    """An account that cannot be added as asked."""


@dataclass(frozen=True)
class StaffLogin:
    """The logged-in staff member of a request (plain values: readable after a rollback)."""

    user_id: int
    username: str
    name: str
    role: str
    csrf_token: str

    @property
    def read_only(self) -> bool:
        return self.role == READ_ONLY

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def add_staff_user(
    session: Session, *, username: str, name: str, password: str, read_only: bool, now: datetime
) -> StaffUser:
    """A new staff account; the password is stored as an Argon2 hash."""
    username = username.strip()
    if not username or len(username) > 100 or not username.isprintable():
        raise AccountError("Användarnamnet ska vara 1–100 tecken utan kontrolltecken.")
    if len(password) < 8:
        raise AccountError("Lösenordet ska ha minst 8 tecken.")
    if session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
        raise AccountError(f"Användarnamnet {username!r} är upptaget.")
    user = StaffUser(
        username=username,
        name=name.strip()[:200] or username,
        password_hash=hash_password(password),
        role=READ_ONLY if read_only else STAFF,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, username: str, password: str) -> int | None:
    """The id of the staff account these credentials open, or None (the same work for an unknown name)."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    return user.id if check_password(user.password_hash if user else None, password) and user else None


def open_session(session: Session, *, user_id: int, now: datetime) -> str:
    """A new browser session (expired ones of the user are cleared); returns the cookie's token."""
    session.execute(
        delete(StaffWebSession).where(StaffWebSession.user_id == user_id, StaffWebSession.expires_at <= now)
    )
    token = issue_token("pms_")
    session.add(
        StaffWebSession(
            user_id=user_id, digest=token.digest, csrf_token=secrets.token_urlsafe(32), expires_at=now + SESSION_TTL
        )
    )
    session.flush()
    return token.value


def load_session(session: Session, *, token: str, now: datetime) -> StaffLogin | None:
    """The login of a cookie's token, or None when it is unknown or expired."""
    row = session.scalar(select(StaffWebSession).where(StaffWebSession.digest == token_digest(token)))
    if row is None or row.expires_at <= now:
        return None
    user = row.user
    return StaffLogin(user.id, user.username, user.name, user.role, row.csrf_token)


def end_session(session: Session, *, token: str) -> None:
    """Log out: the cookie's token stops working."""
    session.execute(delete(StaffWebSession).where(StaffWebSession.digest == token_digest(token)))
