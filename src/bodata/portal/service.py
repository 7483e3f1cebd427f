"""The portal's access rules: logins, session keys, API keys, staff tokens, and the errors tenants see.

A tenant logs in with a user name and password and gets a Sessionsnyckel (a random key; only its digest is
stored). Every call carries the key and, when ``BODATA_PORTAL_REQUIRE_API_KEY`` is on, an API key that names
the app. Sessions expire after ``BODATA_PORTAL_SESSION_MINUTES`` of inactivity (sliding). Errors are
``ApiError``s rendered as a Felmeddelande (shapes.felmeddelande); a business rule that refuses a request is a
``rejected`` error: HTTP 200 with the Felmeddelande as the result, as the document models it (A-5), and the
transaction is rolled back like any other error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bodata.core.credentials import check_password
from bodata.core.errors import ApiError
from bodata.core.inputs import id_in_range, is_clean_text
from bodata.core.security import hash_password, issue_token, token_digest, verify_password
from bodata.portal.models import ApiKey, Customer, Login, PortalSession, StaffToken

SESSION_KEY_BYTES = 32


# --- Errors ---------------------------------------------------------------------------------------


def rejected(code: str, message: str, details: list[str] | None = None) -> ApiError:
    """A business rule refuses the request: 200 with a filled Felmeddelande, nothing saved (A-5)."""
    return ApiError(200, code, message, details or [])


def invalid(message: str, details: list[str] | None = None) -> ApiError:
    """A malformed request (wrong types, missing fields, malformed paths): 400."""
    return ApiError(400, "OgiltigBegaran", message, details or [])


def not_found(message: str) -> ApiError:
    """An unknown id, or one outside the customer's data (the same answer for both, A-33): 404."""
    return ApiError(404, "HittadesInte", message)


def known_id(value: object, name: str) -> int:
    """An integer id from a path or a JSON body: 400 when it is not a whole number, 404 when no record can have it
    (below 1 or beyond the columns' range), so a huge id is an unknown one, never a database overflow."""
    if isinstance(value, str) and value.isascii() and value.removeprefix("-").isdigit():
        value = int(value)  # a negative number is a whole number no record has: 404 like a huge one
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"{name} ska vara ett heltal, inte {value!r}.")
    if not id_in_range(value):
        raise not_found(f"{name} {value} finns inte.")
    return value


def unauthorized(message: str) -> ApiError:
    """A missing, unknown or expired session key: 401."""
    return ApiError(401, "SessionOgiltig", message)


# --- Logins and sessions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenant:
    """The logged-in customer of a request."""

    customer_id: int
    session_id: int


@dataclass(frozen=True)
class NewSession:
    """A session key, shown to the client once, and when it expires if unused."""

    key: str
    expires_at: datetime


def add_login(session: Session, *, customer_id: int, username: str, password: str, now: datetime) -> Login:
    """Give a customer a portal login; the password is stored as an Argon2 hash."""
    if session.get(Customer, customer_id) is None:
        raise not_found(f"Kunden {customer_id} finns inte.")
    if session.scalar(select(Login.id).where(Login.username == username)) is not None:
        raise ApiError(409, "AnvandarnamnUpptaget", f"Användarnamnet {username!r} är upptaget.")
    login = Login(customer_id=customer_id, username=username, password_hash=hash_password(password), created_at=now)
    session.add(login)
    session.flush()
    return login


@dataclass(frozen=True)
class LoginPolicy:
    """How long sessions last, and how many wrong passwords in a row lock a login for how long (0: never)."""

    session_minutes: int
    max_failures: int
    lockout_minutes: int


def log_in(
    session: Session, *, username: str, password: str, now: datetime, policy: LoginPolicy
) -> NewSession | ApiError:
    """Check a user name and password and open a session; the same error for an unknown user and a bad password.

    A wrong password is counted on the login; the ``max_failures``-th in a row locks it for ``lockout_minutes``
    (429, even with the right password). A refusal is returned, not raised: the caller commits the count first.
    """
    login = (
        session.scalar(select(Login).where(Login.username == username).with_for_update())
        if is_clean_text(username)
        else None  # a NUL or control character: no login has such a name (and PostgreSQL cannot compare it)
    )
    if login is None:
        check_password(None, password)  # the same work as a wrong password: names are not revealed
        return unauthorized(_WRONG_CREDENTIALS)
    if login.locked_until is not None and login.locked_until > now:
        return _locked(login.locked_until, now)
    if not verify_password(login.password_hash, password):
        login.failed_logins += 1
        if policy.max_failures and login.failed_logins >= policy.max_failures:
            login.failed_logins = 0
            login.locked_until = now + timedelta(minutes=policy.lockout_minutes)
            return _locked(login.locked_until, now)
        return unauthorized(_WRONG_CREDENTIALS)
    login.failed_logins = 0
    login.locked_until = None
    login.last_login_at = now
    return open_session(session, customer_id=login.customer_id, now=now, minutes=policy.session_minutes)


_WRONG_CREDENTIALS = "Fel användarnamn eller lösenord."


def _locked(until: datetime, now: datetime) -> ApiError:
    seconds = max(1, int((until - now).total_seconds()))
    return ApiError(
        429,
        "InloggningSparrad",
        "För många felaktiga lösenord i rad: inloggningen är spärrad en stund.",
        [f"Försök igen efter {until.isoformat().replace('+00:00', 'Z')}."],
        headers={"Retry-After": str(seconds)},
    )


def open_session(session: Session, *, customer_id: int, now: datetime, minutes: int) -> NewSession:
    """A new session for a customer (also used by the back office to act as a tenant in tests)."""
    token = issue_token(nbytes=SESSION_KEY_BYTES)
    expires_at = now + timedelta(minutes=minutes)
    session.add(PortalSession(digest=token.digest, customer_id=customer_id, created_at=now, expires_at=expires_at))
    session.flush()
    return NewSession(key=token.value, expires_at=expires_at)


def resolve_session(session: Session, *, key: str, now: datetime, minutes: int) -> Tenant:
    """The tenant of a live session key; extends the session when less than half its lifetime remains."""
    row = session.execute(
        select(PortalSession.id, PortalSession.customer_id, PortalSession.expires_at).where(
            PortalSession.digest == token_digest(key), PortalSession.ended_at.is_(None)
        )
    ).first()
    if row is None:
        raise unauthorized("Sessionsnyckeln är okänd eller utloggad. Logga in igen.")
    if row.expires_at <= now:
        raise unauthorized("Sessionen har gått ut. Logga in igen.")
    if row.expires_at - now < timedelta(minutes=minutes) / 2:
        session.execute(
            update(PortalSession).where(PortalSession.id == row.id).values(expires_at=now + timedelta(minutes=minutes))
        )
    return Tenant(customer_id=row.customer_id, session_id=row.id)


def log_out(session: Session, *, tenant: Tenant, now: datetime) -> None:
    """End a session: its key stops working at once."""
    session.execute(update(PortalSession).where(PortalSession.id == tenant.session_id).values(ended_at=now))


# --- API keys and staff tokens --------------------------------------------------------------------


def add_api_key(session: Session, *, name: str, now: datetime, value: str | None = None) -> str:
    """Register an app's API key (a new random one unless ``value`` is given); returns the key once."""
    key = value or issue_token(prefix="pk_").value
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise ApiError(409, "NamnUpptaget", f"En API-nyckel med namnet {name!r} finns redan.")
    session.add(ApiKey(name=name, digest=token_digest(key), created_at=now))
    session.flush()
    return key


def api_key_valid(session: Session, key: str) -> bool:
    """True for a registered, unrevoked API key."""
    return (
        session.scalar(select(ApiKey.id).where(ApiKey.digest == token_digest(key), ApiKey.revoked_at.is_(None)))
        is not None
    )


def add_staff_token(session: Session, *, name: str, now: datetime, value: str | None = None) -> str:
    """A back-office token (a new random one unless ``value`` is given); returns the token once."""
    token = value or issue_token(prefix="st_").value
    if session.scalar(select(StaffToken.id).where(StaffToken.name == name)) is not None:
        raise ApiError(409, "NamnUpptaget", f"En personalnyckel med namnet {name!r} finns redan.")
    session.add(StaffToken(name=name, digest=token_digest(token), created_at=now))
    session.flush()
    return token


def staff_token_valid(session: Session, token: str) -> bool:
    """True for a registered, unrevoked staff token."""
    return (
        session.scalar(
            select(StaffToken.id).where(StaffToken.digest == token_digest(token), StaffToken.revoked_at.is_(None))
        )
        is not None
    )


def revoke(session: Session, *, model: type[ApiKey] | type[StaffToken], name: str, now: datetime) -> bool:
    """Revoke an API key or staff token by name; False when there is none."""
    result = session.execute(update(model).where(model.name == name, model.revoked_at.is_(None)).values(revoked_at=now))
    return result.rowcount > 0
