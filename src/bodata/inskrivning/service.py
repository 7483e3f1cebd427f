"""The land register's rules: storing registrations with history, reading them, and the OAuth2 clients.

Plain functions on a session and data; the HTTP layer (``api``), the importer, the generator loader and the CLI
all go through them.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Select, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from bodata.core.credentials import check_password
from bodata.core.db import generations
from bodata.core.security import hash_password, issue_token, token_digest
from bodata.core.temporal import replace_versions, select_as_of, select_current
from bodata.inskrivning.models import AccessToken, ApiClient, MortgageEntry, RegistrationVersion

SCOPE = "inskrivning_direkt_v3_read"
"""The scope Lantmäteriet's gateway grants for direct access to Inskrivning v3."""

TOKEN_LIFETIME = timedelta(hours=1)

TOKENS = "inskrivning.tokens"
"""The data generation that a revoked token or a changed client moves on (core/db/generations.py): cached token
lookups in every server process are dropped at their next request. A new token moves nothing (it is not cached)."""
generations.watch(TOKENS, {AccessToken.__tablename__, ApiClient.__tablename__}, inserts=False)
REPLACED = "inskrivning.replaced"
"""Moved on only when the register's rows are replaced wholesale (stand-in reset or restore): a stored version is
never changed in place, but a replaced register may hold another version under a reused row id and time."""
generations.watch(REPLACED, ())


# --- Registrations --------------------------------------------------------------------------------


def _mortgage_ids(document: dict[str, Any]) -> list[uuid.UUID]:
    return [
        uuid.UUID(entry["inskrivenBelastning"]["objektidentitet"])
        for entry in document.get("belastar", ())
        if entry["inskrivenBelastning"]["typ"] == "Inteckning"
    ]


def _row_values(document: dict[str, Any], registered_at: datetime) -> dict[str, Any]:
    reference = document["fastighetsreferens"]
    return {
        "effective_from": registered_at,
        "fastighet_id": uuid.UUID(reference["objektidentitet"]),
        "beteckning": reference.get("beteckning"),
        "document": orjson.dumps(document),
    }


def store_registration(session: Session, document: dict[str, Any], registered_at: datetime) -> RegistrationVersion:
    """Register a canonical document as the registration's current state from ``registered_at`` on.

    The previous state stays readable with ``instant`` before that time.
    """
    key = uuid.UUID(document["objektidentitet"])
    (row,) = replace_versions(session, RegistrationVersion, key, [_row_values(document, registered_at)], registered_at)
    session.add_all(MortgageEntry(registration_id=row.id, inteckning_id=m) for m in _mortgage_ids(document))
    return row


def load_history(session: Session, key: uuid.UUID, history: Sequence[tuple[datetime, dict[str, Any]]]) -> None:
    """Insert the whole registration history of a registration the register does not hold yet (bulk loading).

    ``history`` is chronological; each state is current until the next one's time.
    """
    ends = [moment for moment, _ in history[1:]] + [None]
    rows = [
        {
            **_row_values(document, moment),
            "objektidentitet": key,
            "registered_from": moment,
            "registered_to": end,
            "effective_to": None,
        }
        for (moment, document), end in zip(history, ends, strict=True)
    ]
    ids = session.scalars(
        insert(RegistrationVersion).returning(RegistrationVersion.id, sort_by_parameter_order=True), rows
    )
    entries = [
        {"registration_id": row_id, "inteckning_id": mortgage}
        for row_id, (_, document) in zip(ids, history, strict=True)
        for mortgage in _mortgage_ids(document)
    ]
    if entries:
        session.execute(insert(MortgageEntry), entries)


def known_registrations(session: Session, keys: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``keys`` the register holds (in any version)."""
    column = RegistrationVersion.objektidentitet
    return set(session.scalars(select(column).where(column.in_(list(keys))).distinct()))


def _versions(instant: datetime | None) -> Select[Any]:
    base = select_current(RegistrationVersion) if instant is None else select_as_of(RegistrationVersion, instant)
    return base.with_only_columns(
        RegistrationVersion.objektidentitet, RegistrationVersion.fastighet_id, RegistrationVersion.document
    )


def registrations_by_id(
    session: Session, ids: Sequence[uuid.UUID], instant: datetime | None = None
) -> list[dict[str, Any]]:
    """The registrations with these ids (current, or as the register stood at ``instant``), in request order.

    Unknown ids are left out: the answer has "ingen, en eller flera sökträffar".
    """
    statement = _versions(instant).where(RegistrationVersion.objektidentitet.in_(ids))
    found = {key: document for key, _, document in session.execute(statement)}
    return [orjson.loads(found[key]) for key in ids if key in found]


@dataclass(frozen=True)
class Version:
    """Which stored version is a registration's current one: the row, when it was registered, and the register's
    replacement generation (``REPLACED``)."""

    row_id: int
    registered_from: datetime
    replaced: int = 0


def _current(column: Any) -> Any:
    return (
        select(column)
        .where(RegistrationVersion.objektidentitet == bindparam("key"), RegistrationVersion.registered_to.is_(None))
        .limit(1)
        .scalar_subquery()
    )


_TOKENS_AND_VERSION = select(
    generations.value_of(TOKENS).label("tokens"),
    generations.value_of(REPLACED).label("replaced"),
    _current(RegistrationVersion.id).label("row_id"),
    _current(RegistrationVersion.registered_from).label("registered_from"),
)
_DOCUMENT = select(RegistrationVersion.document).where(RegistrationVersion.id == bindparam("row_id"))


def tokens_and_current_version(session: Session, key: uuid.UUID) -> tuple[int, Version | None]:
    """The token generation (``TOKENS``) and the current version of registration ``key`` (a new version is stored
    for every change; None when there is none), in one statement: the hot path of ``GET /{id}``."""
    row = session.connection().execute(_TOKENS_AND_VERSION, {"key": key}).one()
    version = None if row.row_id is None else Version(row.row_id, row.registered_from, row.replaced or 0)
    return row.tokens or 0, version


def document_of(session: Session, version: Version) -> dict[str, Any]:
    """The canonical document stored in ``version``."""
    return orjson.loads(session.connection().execute(_DOCUMENT, {"row_id": version.row_id}).scalar_one())


def registrations_by_property(
    session: Session, property_ids: Sequence[uuid.UUID], instant: datetime | None = None
) -> list[dict[str, Any]]:
    """The registrations of these properties (``/beror``), in request order."""
    statement = _versions(instant).where(RegistrationVersion.fastighet_id.in_(property_ids))
    by_property: dict[uuid.UUID, list[bytes]] = {}
    for _, property_id, document in session.execute(statement.order_by(RegistrationVersion.objektidentitet)):
        by_property.setdefault(property_id, []).append(document)
    return [orjson.loads(document) for key in property_ids for document in by_property.get(key, ())]


def properties_encumbered_by(session: Session, inteckning_id: uuid.UUID) -> list[dict[str, Any]]:
    """The properties mortgage ``inteckning_id`` encumbers ("Hitta fastigheter som belastas av en inteckning"), as
    Fastighetsreferens by designation: the mortgage's own ``Belastar`` list and every property whose current
    registration lists it (a property the register does not hold still appears, named as the mortgage names it).
    """
    statement = (
        select(RegistrationVersion.fastighet_id, RegistrationVersion.beteckning, RegistrationVersion.document)
        .join(MortgageEntry, MortgageEntry.registration_id == RegistrationVersion.id)
        .where(MortgageEntry.inteckning_id == inteckning_id, RegistrationVersion.registered_to.is_(None))
    )
    found: dict[str, dict[str, Any]] = {}
    for property_id, beteckning, document in session.execute(statement):
        found[str(property_id)] = {
            "objektidentitet": str(property_id),
            **({"beteckning": beteckning} if beteckning else {}),
        }
        for entry in orjson.loads(document).get("belastar", ()):
            mortgage = entry["inskrivenBelastning"]
            if mortgage["typ"] == "Inteckning" and uuid.UUID(mortgage["objektidentitet"]) == inteckning_id:
                for reference in mortgage.get("belastar", ()):
                    found.setdefault(reference["objektidentitet"], reference)
    return sorted(found.values(), key=lambda reference: (reference.get("beteckning", ""), reference["objektidentitet"]))


def list_registrations(session: Session, *, search: str = "", limit: int = 20) -> list[RegistrationVersion]:
    """Current registrations by designation, those containing ``search`` (case-insensitive) when given."""
    statement = select_current(RegistrationVersion).order_by(RegistrationVersion.beteckning).limit(limit)
    if search:
        statement = statement.where(func.lower(RegistrationVersion.beteckning).contains(search.lower()))
    return list(session.scalars(statement))


def register_size(session: Session) -> int:
    """How many registrations are current."""
    return session.scalar(select(func.count()).select_from(select_current(RegistrationVersion).subquery())) or 0


# --- OAuth2 clients and tokens ----------------------------------------------------------------------


@dataclass(frozen=True)
class GrantedToken:
    """An access token as handed to the client (the value is never stored)."""

    value: str
    scope: str
    expires_in: int


def add_client(
    session: Session, client_id: str, *, secret: str | None, now: datetime, description: str = ""
) -> tuple[ApiClient, str]:
    """Create an API client allowed the scope ``inskrivning_direkt_v3_read``; returns it and its secret.

    Without ``secret`` a random one is generated. Only its Argon2 hash is stored.
    """
    if not client_id or len(client_id) > 100 or not client_id.isprintable() or ":" in client_id:
        raise ValueError("a client id is 1-100 printable characters without ':'")
    if session.scalar(select(ApiClient.id).where(ApiClient.client_id == client_id)) is not None:
        raise ValueError(f"the client {client_id!r} exists already")
    secret = secret or secrets.token_urlsafe(24)
    client = ApiClient(
        client_id=client_id, secret_hash=hash_password(secret), scopes=SCOPE, description=description, created_at=now
    )
    session.add(client)
    session.flush()
    return client, secret


def remove_client(session: Session, client_id: str) -> bool:
    """Delete a client and every token it holds; False when there is no such client."""
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is None:
        return False
    session.execute(delete(AccessToken).where(AccessToken.client_id == client.id))
    session.delete(client)
    return True


def list_clients(session: Session) -> list[ApiClient]:
    """Every client, by id."""
    return list(session.scalars(select(ApiClient).order_by(ApiClient.client_id)))


def authenticate_client(session: Session, *, client_id: str, secret: str) -> ApiClient | None:
    """The client with this id and secret, or None (the same work for an unknown id and a wrong secret)."""
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    return client if check_password(client.secret_hash if client else None, secret) else None


def grant_token(session: Session, *, client: ApiClient, requested_scope: str | None, now: datetime) -> GrantedToken:
    """The client-credentials grant for an authenticated client: the allowed part of the requested scope.

    Without a requested scope the client gets all its scopes; requested scopes it does not hold are dropped,
    and a token with none of them gets the scope ``default`` (as Lantmäteriet's WSO2 gateway does), which opens
    no API.
    """
    allowed = client.scopes.split()
    granted = allowed if not requested_scope else [s for s in requested_scope.split() if s in allowed]
    scope = " ".join(dict.fromkeys(granted)) or "default"
    session.execute(delete(AccessToken).where(AccessToken.client_id == client.id, AccessToken.expires_at <= now))
    token = issue_token()
    session.add(AccessToken(client_id=client.id, digest=token.digest, scope=scope, expires_at=now + TOKEN_LIFETIME))
    return GrantedToken(token.value, scope, int(TOKEN_LIFETIME.total_seconds()))


_TOKEN = select(AccessToken.scope, AccessToken.expires_at).where(AccessToken.digest == bindparam("digest"))


def token_grant(session: Session, token: str) -> tuple[frozenset[str], datetime] | None:
    """The scopes and expiry of a bearer token (expired or not); None when there is no such token."""
    row = session.connection().execute(_TOKEN, {"digest": token_digest(token)}).first()
    return None if row is None else (frozenset(row.scope.split()), row.expires_at)


def load_generated(session: Session, properties: Iterable[Any]) -> int:
    """Load generated registrations (``bodata.inskrivning.generator``): new ones with their whole history,
    ones the register already holds as a new current state. Returns how many were loaded.
    """
    batch = list(properties)
    known = known_registrations(session, [item.inskrivning_id for item in batch])
    for item in batch:
        if item.inskrivning_id in known:
            store_registration(session, item.history[-1].document, item.history[-1].registered_at)
        else:
            load_history(session, item.inskrivning_id, [(s.registered_at, s.document) for s in item.history])
    return len(batch)
