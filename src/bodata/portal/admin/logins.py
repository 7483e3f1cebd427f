"""Portal logins and sessions of customers, and the API keys and staff tokens of apps and staff (the outbox is in
``reminders.py``)."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError
from bodata.core.security import hash_password
from bodata.portal import service
from bodata.portal.admin.crud import Input, Output, columns_of, get_record, noun
from bodata.portal.admin.resources import Resource, add_resources, clock_now
from bodata.portal.admin.schemas import text
from bodata.portal.models import ApiKey, Customer, Login, PortalSession, StaffToken

router = APIRouter()


class LoginCreate(Input):
    """A portal login: the password is stored as an Argon2 hash and never shown."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"username": "anna", "password": "byt-mig-snart"}]})

    username: text(100, required=True, multiline=False)
    password: text(200, required=True)


class PasswordChange(Input):
    """A new password for a login."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"password": "ett-nytt-losenord"}]})

    password: text(200, required=True)


def login_by_username(session: Session, username: str) -> Login:
    """The login with this user name; 404 when there is none."""
    login = session.scalar(select(Login).where(Login.username == username))
    if login is None:
        raise ApiError(404, "not_found", f"There is no login {username!r}.")
    return login


def set_password(session: Session, *, login: Login, password: str) -> None:
    """Give a login a new password (stored hashed); a login locked by wrong passwords opens again."""
    login.password_hash = hash_password(password)
    unlock(session, login=login)


def unlock(session: Session, *, login: Login) -> None:
    """Lift a lock left by wrong passwords and start counting them again."""
    login.failed_logins = 0
    login.locked_until = None
    session.flush()


def all_logins(session: Session) -> list[tuple[Login, Customer]]:
    """Every login with its customer, by user name."""
    query = select(Login, Customer).join(Customer, Customer.id == Login.customer_id).order_by(Login.username)
    return [(login, customer) for login, customer in session.execute(query)]


def customer_sessions(session: Session, *, customer_id: int) -> list[PortalSession]:
    """A customer's sessions, newest first; 404 for an unknown customer."""
    get_record(session, Customer, customer_id)
    query = select(PortalSession).where(PortalSession.customer_id == customer_id)
    return list(session.scalars(query.order_by(PortalSession.created_at.desc(), PortalSession.id.desc())))


def end_sessions(session: Session, *, customer_id: int, now: datetime, session_id: int | None = None) -> int:
    """End a customer's live sessions (or just ``session_id``); their keys stop working at once. Returns how many."""
    conditions = [
        PortalSession.customer_id == customer_id,
        PortalSession.ended_at.is_(None),
        PortalSession.expires_at > now,
    ]
    if session_id is not None:
        conditions.append(PortalSession.id == session_id)
    return session.execute(update(PortalSession).where(*conditions).values(ended_at=now)).rowcount


def purge_sessions(session: Session, *, now: datetime) -> int:
    """Delete the sessions that have ended or expired; returns how many."""
    ended = PortalSession.ended_at.is_not(None) | (PortalSession.expires_at <= now)
    return session.execute(delete(PortalSession).where(ended)).rowcount


class CredentialCreate(Input):
    """A named API key or staff token; a random one is made unless ``key`` is given."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "hyresgastappen"}]})

    name: text(100, required=True)
    key: Annotated[str, StringConstraints(min_length=12, max_length=200)] | None = Field(
        None, description="The key itself (at least 12 characters); a random one when left out."
    )


def credentials(session: Session, model: type[ApiKey] | type[StaffToken]) -> list[ApiKey] | list[StaffToken]:
    """The API keys or staff tokens (digests only), by name."""
    return list(session.scalars(select(model).order_by(model.name)))


class LoginOut(Output):
    """A portal login (the password hash is never shown)."""

    id: int
    customer_id: int
    username: str
    created_at: datetime
    last_login_at: datetime | None
    failed_logins: int
    locked_until: datetime | None


class SessionOut(Output):
    """A portal session of a customer; only a digest of its key is stored."""

    id: int
    customer_id: int
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    active: bool = Field(description="Neither ended nor expired.")


class SessionsEnded(BaseModel):
    """How many sessions were ended."""

    ended: int


class CredentialOut(Output):
    """An API key or staff token (its secret is never shown after it is issued)."""

    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


class CredentialIssued(BaseModel):
    """A new API key or staff token: the key is shown this once."""

    name: str
    key: str


add_resources(
    router,
    (Resource(path="/logins", model=Login, tag="Customers", out=LoginOut, filters=("customer_id", "username")),),
)


CustomerId = Annotated[int, Path(alias="id", ge=1, description="The customer's id.")]


LoginId = Annotated[int, Path(alias="id", ge=1, description="The login's id.")]


@router.post(
    "/customers/{id}/logins",
    status_code=201,
    response_model=LoginOut,
    tags=["Customers"],
    summary="Give a customer a portal login",
)
def add_login(customer_id: CustomerId, body: LoginCreate, session: DbSession, context: Context) -> Any:
    """A login (user name and password, stored as an Argon2 hash) for ``POST /portal/session/login``."""
    get_record(session, Customer, customer_id)
    return service.add_login(
        session, customer_id=customer_id, username=body.username, password=body.password, now=clock_now(context)
    )


@router.put(
    "/logins/{id}/password", status_code=204, response_class=Response, tags=["Customers"], summary="Reset a password"
)
def reset_password(login_id: LoginId, body: PasswordChange, session: DbSession) -> Response:
    """Give a login a new password; sessions already open stay open (end them with DELETE …/sessions)."""
    set_password(session, login=get_record(session, Login, login_id), password=body.password)
    return Response(status_code=204)


@router.post(
    "/logins/{id}/unlock",
    status_code=204,
    response_class=Response,
    tags=["Customers"],
    summary="Unlock a login locked by wrong passwords",
)
def unlock_login(login_id: LoginId, session: DbSession) -> Response:
    """Lift the lock that too many wrong passwords in a row put on a login (a password reset lifts it too)."""
    unlock(session, login=get_record(session, Login, login_id))
    return Response(status_code=204)


def _session_out(record: PortalSession, now: datetime) -> BaseModel:
    active = record.ended_at is None and record.expires_at > now
    return SessionOut.model_validate({**columns_of(record, SessionOut), "active": active})


@router.get(
    "/customers/{id}/sessions",
    response_model=list[SessionOut],
    tags=["Customers"],
    summary="List a customer's sessions",
)
def list_sessions(customer_id: CustomerId, session: DbSession, context: Context) -> Any:
    """A customer's portal sessions, newest first."""
    records = customer_sessions(session, customer_id=customer_id)
    return [_session_out(record, clock_now(context)) for record in records]


@router.delete(
    "/customers/{id}/sessions", response_model=SessionsEnded, tags=["Customers"], summary="End a customer's sessions"
)
def end_customer_sessions(customer_id: CustomerId, session: DbSession, context: Context) -> Any:
    """End every live session of a customer: their keys stop working at once."""
    get_record(session, Customer, customer_id)
    return SessionsEnded(ended=end_sessions(session, customer_id=customer_id, now=clock_now(context)))


@router.delete(
    "/customers/{id}/sessions/{session_id}",
    status_code=204,
    response_class=Response,
    tags=["Customers"],
    summary="End one session",
)
def end_session(
    customer_id: CustomerId, session_id: Annotated[int, Path(ge=1)], session: DbSession, context: Context
) -> Response:
    """End one session of a customer (a session that already ended stays ended)."""
    record = session.get(PortalSession, session_id)
    if record is None or record.customer_id != customer_id:
        raise ApiError(404, "not_found", f"Customer {customer_id} has no session {session_id}.")
    end_sessions(session, customer_id=customer_id, now=clock_now(context), session_id=session_id)
    return Response(status_code=204)


def _add_credential_routes(path: str, model: type[ApiKey] | type[StaffToken], issue: Callable[..., str]) -> None:
    name = noun(model)
    tags = ["API keys and staff tokens"]

    def issue_route(body: CredentialCreate, session: DbSession, context: Context) -> Any:
        key = issue(session, name=body.name, now=clock_now(context), value=body.key)
        return CredentialIssued(name=body.name, key=key)

    def list_route(session: DbSession) -> Any:
        return credentials(session, model)

    def revoke_route(
        credential_name: Annotated[str, Path(alias="name")], session: DbSession, context: Context
    ) -> Response:
        if not service.revoke(session, model=model, name=credential_name, now=clock_now(context)):
            raise ApiError(404, "not_found", f"There is no unrevoked {name} {credential_name!r}.")
        return Response(status_code=204)

    router.add_api_route(
        path,
        issue_route,
        methods=["POST"],
        status_code=201,
        response_model=CredentialIssued,
        tags=tags,
        summary=f"Issue a {name}",
        description="The key is shown once; only its digest is stored.",
        name=f"issue {name}",
    )
    router.add_api_route(
        path, list_route, methods=["GET"], response_model=list[CredentialOut], tags=tags, summary=f"List {name}s"
    )
    router.add_api_route(
        path + "/{name}",
        revoke_route,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        tags=tags,
        summary=f"Revoke a {name}",
        name=f"revoke {name}",
    )


_add_credential_routes("/api-keys", ApiKey, service.add_api_key)


_add_credential_routes("/staff-tokens", StaffToken, service.add_staff_token)
