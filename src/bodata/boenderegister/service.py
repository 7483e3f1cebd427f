"""The register's rules: accounts and logins, what an account may see and change, name boards, integrations.

Every function takes a session and the account it acts for; records of other accounts are "not found".
Records owned by an integration cannot be changed by people (``OwnedByIntegration``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from bodata.boenderegister.engine import ChangedRecord
from bodata.boenderegister.messages import CATALOGUE
from bodata.boenderegister.models import (
    SHOWN_NUMBER_CHOICES,
    Account,
    Address,
    Apartment,
    ApiToken,
    AuditEntry,
    Integration,
    IntegrationRun,
    Key,
    Resident,
    RunIssue,
    RunRecord,
    User,
)
from bodata.boenderegister.refid import floor_label, is_floor_code, storey
from bodata.core.credentials import check_password
from bodata.core.i18n import N_, Message
from bodata.core.paging import InvalidCursor, Page, paginate
from bodata.core.security import SecretBox, hash_password, issue_token, token_digest
from bodata.core.text import nfc, swedish_key

DATA_FORMATS = ("AXEMA",)
KEY_KINDS = ("tag", "radio")
_LM_NUMBER = re.compile(r"^\d{4}$")
_SCHEDULE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Refusal(Exception):
    """A request the register refuses; ``message`` says why, in Swedish, translated where it is shown."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class NotFound(Refusal, LookupError):
    """No such record in this account."""


class OwnedByIntegration(Refusal, PermissionError):
    """The record belongs to an integration; change it in the source system instead."""


class InvalidInput(Refusal, ValueError):
    """A value a person entered is not acceptable; the message says which and why."""


# Accounts, users, tokens


def create_account(session: Session, *, name: str, now: datetime, shown_number: str = "lantmateriet") -> Account:
    """A new account (property owner or housing co-op)."""
    _check_shown_number(shown_number)
    account = Account(name=name, shown_number=shown_number, created_at=now)
    session.add(account)
    session.flush()
    return account


def create_user(
    session: Session, *, account: Account, username: str, password: str, now: datetime, email: str | None = None
) -> User:
    """A web login for ``account``; the password is stored as an Argon2 hash, ``email`` receives run alerts."""
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput(N_("användarnamnet %(name)s är upptaget", name=username))
    email = _checked_email(email)
    user = User(
        account_id=account.id, username=username, password_hash=hash_password(password), created_at=now, email=email
    )
    session.add(user)
    session.flush()
    return user


def _checked_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 200 or not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise InvalidInput(N_("%(email)s är ingen e-postadress", email=email))
    return email


def set_user_email(session: Session, *, user: User, email: str | None) -> None:
    """Where the user is told when the account's nightly runs keep failing (None: not told)."""
    user.email = _checked_email(email)


def set_user_language(session: Session, *, user: User, language: str | None) -> None:
    """The language of the UI for the user on every browser (None or "": the browser's own choice)."""
    if language and language not in CATALOGUE.languages:
        raise InvalidInput(N_("språket %(language)s finns inte", language=language[:20]))
    user.language = language or None


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The user with these credentials, or None (the same answer for unknown users and wrong passwords)."""
    user = session.scalar(select(User).where(User.username == username))
    return user if check_password(user.password_hash if user else None, password) else None


def issue_api_token(
    session: Session, *, account: Account, name: str, now: datetime, valid_for: timedelta | None = None
) -> str:
    """A new REST API token for ``account``; returns the token, which is shown once and stored as a digest."""
    token = issue_token("br_")
    expires = now + valid_for if valid_for else None
    session.add(ApiToken(account_id=account.id, name=name, digest=token.digest, created_at=now, expires_at=expires))
    session.flush()
    return token.value


def api_token(session: Session, *, token: str, now: datetime) -> ApiToken | None:
    """The valid, unexpired API token row of ``token``, else None."""
    row = session.scalar(select(ApiToken).where(ApiToken.digest == token_digest(token)))
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return row


def account_for_token(session: Session, *, token: str, now: datetime) -> Account | None:
    """The account a valid, unexpired API token belongs to, else None."""
    row = api_token(session, token=token, now=now)
    return None if row is None else session.get(Account, row.account_id)


def set_shown_number(session: Session, *, account: Account, choice: str, address_id: int | None = None) -> None:
    """Choose which apartment number is shown, for the whole account or (``address_id``) one address.

    For one address, ``"account"`` removes the address's own choice so the account's applies again.
    """
    if address_id is None:
        _check_shown_number(choice)
        account.shown_number = choice
        return
    address = get_address(session, account=account, address_id=address_id)
    if choice == "account":
        address.shown_number = None
        return
    _check_shown_number(choice)
    address.shown_number = choice


def _check_shown_number(choice: str) -> None:
    if choice not in SHOWN_NUMBER_CHOICES:
        raise InvalidInput(N_("visat nummer måste vara ett av %(choices)s", choices=", ".join(SHOWN_NUMBER_CHOICES)))


# Reading the register


def list_addresses(session: Session, *, account: Account) -> list[tuple[Address, int]]:
    """The account's addresses in Swedish order, each with its number of apartments."""
    counts = select(Apartment.address_id, func.count().label("apartments")).group_by(Apartment.address_id).subquery()
    rows = session.execute(
        select(Address, func.coalesce(counts.c.apartments, 0))
        .outerjoin(counts, counts.c.address_id == Address.id)
        .where(Address.account_id == account.id)
    ).all()
    return sorted(((address, count) for address, count in rows), key=lambda row: swedish_key(row[0].name))


def page_addresses(
    session: Session, *, account: Account, search: str = "", cursor: str | None = None, limit: int = 50
) -> Page[tuple[Address, int]]:
    """A page of the account's addresses in Swedish order whose name contains ``search`` (any case)."""
    needle = nfc(search.strip()).casefold()
    rows = [row for row in list_addresses(session, account=account) if needle in row[0].name.casefold()]
    return _paginate(rows, values=lambda row: [row[0].name, row[0].id], cursor=cursor, limit=limit)


def _swedish_values_key(values) -> tuple:
    return tuple(swedish_key(value) if isinstance(value, str) else value for value in values)


def _paginate(rows, *, values, cursor: str | None, limit: int) -> Page:
    try:
        return paginate(rows, values=values, order=_swedish_values_key, cursor=cursor, limit=limit)
    except InvalidCursor as exc:
        raise InvalidInput(N_("ogiltig sidmarkör (cursor): börja om från första sidan")) from exc


def get_address(session: Session, *, account: Account, address_id: int) -> Address:
    """One of the account's addresses with its apartments, residents and keys loaded."""
    address = session.scalar(
        select(Address)
        .where(Address.id == address_id, Address.account_id == account.id)
        .options(selectinload(Address.apartments).selectinload(Apartment.residents).selectinload(Resident.keys))
    )
    if address is None:
        raise NotFound(N_("adress %(id)s finns inte", id=address_id))
    return address


def get_apartment(session: Session, *, account: Account, apartment_id: int) -> Apartment:
    """One of the account's apartments with its residents and keys."""
    apartment = session.scalar(
        select(Apartment)
        .join(Address)
        .where(Apartment.id == apartment_id, Address.account_id == account.id)
        .options(selectinload(Apartment.residents).selectinload(Resident.keys), selectinload(Apartment.address))
    )
    if apartment is None:
        raise NotFound(N_("lägenhet %(id)s finns inte", id=apartment_id))
    return apartment


def get_resident(session: Session, *, account: Account, resident_id: int) -> Resident:
    """One of the account's residents with their keys and apartment."""
    resident = session.scalar(
        select(Resident)
        .join(Apartment)
        .join(Address)
        .where(Resident.id == resident_id, Address.account_id == account.id)
        .options(selectinload(Resident.keys), selectinload(Resident.apartment).selectinload(Apartment.address))
    )
    if resident is None:
        raise NotFound(N_("boende %(id)s finns inte", id=resident_id))
    return resident


def list_keys(session: Session, *, account: Account) -> list[tuple[Key, Resident, Apartment, Address]]:
    """Every key of the account with whom and where it belongs (address, apartment, resident in Swedish order)."""
    return page_keys(session, account=account, limit=None).items


def page_keys(
    session: Session, *, account: Account, cursor: str | None = None, limit: int | None = 1000
) -> Page[tuple[Key, Resident, Apartment, Address]]:
    """A page of the account's keys, by address, apartment number and resident in Swedish order.

    The order is worked out on the key's light columns; only the page's rows are loaded in full.
    """
    light = session.execute(
        select(Key.id, Address.name, Apartment.lm_number, Resident.last_name, Resident.first_name)
        .join(Resident, Key.resident_id == Resident.id)
        .join(Apartment, Resident.apartment_id == Apartment.id)
        .join(Address, Apartment.address_id == Address.id)
        .where(Address.account_id == account.id)
    ).all()
    page = _paginate(
        light,
        values=lambda row: [row[1], row[2], row[3], row[4], row[0]],
        cursor=cursor,
        limit=limit or len(light) or 1,
    )
    ids = [row[0] for row in page.items]
    full = {}
    for start in range(0, len(ids), 5000):
        for key, resident, apartment, address in session.execute(
            select(Key, Resident, Apartment, Address)
            .join(Resident, Key.resident_id == Resident.id)
            .join(Apartment, Resident.apartment_id == Apartment.id)
            .join(Address, Apartment.address_id == Address.id)
            .where(Key.id.in_(ids[start : start + 5000]))
        ).all():
            full[key.id] = (key, resident, apartment, address)
    return Page(items=[full[key_id] for key_id in ids], next_cursor=page.next_cursor)


def shown_number_choice(account: Account, address: Address) -> str:
    """Which number the address shows: its own choice, else the account's."""
    return address.shown_number or account.shown_number


def shown_number(apartment: Apartment, choice: str) -> str:
    """The apartment number to show: the internal one when chosen and present, else Lantmäteriet's."""
    return apartment.internal_number if choice == "internal" and apartment.internal_number else apartment.lm_number


def resident_display_name(resident: Resident) -> str:
    """How a name board writes a resident: ``Efternamn Förnamn``, as Axema does."""
    return f"{resident.last_name} {resident.first_name}".strip()


@dataclass(frozen=True)
class BoardApartment:
    id: int
    number: str
    lm_number: str
    names: list[str]


@dataclass(frozen=True)
class BoardFloor:
    floor_code: str
    storey: int
    label: str
    apartments: list[BoardApartment]


@dataclass(frozen=True)
class NameBoard:
    address_id: int
    address: str
    shown_number: str
    floors: list[BoardFloor]


def name_board(session: Session, *, account: Account, address_id: int) -> NameBoard:
    """The stairwell board of an address: floors top down, apartments by number, residents by name."""
    address = get_address(session, account=account, address_id=address_id)
    choice = shown_number_choice(account, address)
    by_floor: dict[str, list[Apartment]] = {}
    for apartment in address.apartments:
        by_floor.setdefault(apartment.floor_code, []).append(apartment)
    floors = []
    for code in sorted(by_floor, reverse=True):
        apartments = sorted(by_floor[code], key=lambda apartment: apartment.lm_number)
        floors.append(
            BoardFloor(
                floor_code=code,
                storey=storey(code),
                label=floor_label(code),
                apartments=[
                    BoardApartment(
                        id=apartment.id,
                        number=shown_number(apartment, choice),
                        lm_number=apartment.lm_number,
                        names=sorted(
                            (resident_display_name(resident) for resident in apartment.residents), key=swedish_key
                        ),
                    )
                    for apartment in apartments
                ],
            )
        )
    return NameBoard(address_id=address.id, address=address.name, shown_number=choice, floors=floors)


# Records people type in (those no integration owns)


def add_address(session: Session, *, account: Account, name: str) -> Address:
    name = nfc(name.strip())
    if not name or len(name) > 200:
        raise InvalidInput(N_("adressen måste ha 1 till 200 tecken"))
    if session.scalar(select(Address.id).where(Address.account_id == account.id, Address.name == name)):
        raise InvalidInput(N_("adressen %(name)s finns redan", name=name))
    address = Address(account_id=account.id, name=name)
    session.add(address)
    session.flush()
    return address


def add_apartment(
    session: Session,
    *,
    account: Account,
    address_id: int,
    lm_number: str,
    internal_number: str | None = None,
    floor_code: str | None = None,
) -> Apartment:
    address = get_address(session, account=account, address_id=address_id)
    _refuse_if_owned(address.integration_id, "address")
    lm_number = lm_number.strip()
    if not _LM_NUMBER.match(lm_number):
        raise InvalidInput(N_("lantmäterinumret måste ha exakt 4 siffror, t.ex. 1102"))
    if any(apartment.lm_number == lm_number for apartment in address.apartments):
        raise InvalidInput(N_("lägenhet %(number)s finns redan på %(address)s", number=lm_number, address=address.name))
    floor_code = (floor_code or "").strip() or lm_number[:2]
    if not is_floor_code(floor_code):
        raise InvalidInput(N_("våningen måste vara en tvåsiffrig våningskod enligt Lantmäteriet, t.ex. 12 för 2 tr"))
    apartment = Apartment(
        address_id=address.id,
        lm_number=lm_number,
        internal_number=nfc((internal_number or "").strip()) or None,
        floor_code=floor_code,
    )
    session.add(apartment)
    session.flush()
    return apartment


def add_resident(session: Session, *, account: Account, apartment_id: int, first_name: str, last_name: str) -> Resident:
    apartment = get_apartment(session, account=account, apartment_id=apartment_id)
    _refuse_if_owned(apartment.integration_id, "apartment")
    first_name, last_name = nfc(first_name.strip()), nfc(last_name.strip())
    if not last_name or len(first_name) > 100 or len(last_name) > 100:
        raise InvalidInput(N_("en boende behöver ett efternamn; namn har högst 100 tecken"))
    resident = Resident(apartment_id=apartment.id, first_name=first_name, last_name=last_name)
    session.add(resident)
    session.flush()
    return resident


def add_key(session: Session, *, account: Account, resident_id: int, kind: str, number: str) -> Key:
    resident = get_resident(session, account=account, resident_id=resident_id)
    _refuse_if_owned(resident.integration_id, "resident")
    number = nfc(number.strip())
    if kind not in KEY_KINDS:
        raise InvalidInput(N_("nyckeltypen måste vara en av %(kinds)s", kinds=", ".join(KEY_KINDS)))
    if not number or len(number) > 100:
        raise InvalidInput(N_("nyckelnumret måste ha 1 till 100 tecken"))
    key = Key(resident_id=resident.id, kind=kind, number=number)
    session.add(key)
    session.flush()
    return key


def delete_record(session: Session, *, account: Account, kind: str, record_id: int) -> None:
    """Delete an address, apartment, resident or key the account typed in (with everything below it)."""
    if kind == "address":
        record = get_address(session, account=account, address_id=record_id)
    elif kind == "apartment":
        record = get_apartment(session, account=account, apartment_id=record_id)
    elif kind == "resident":
        record = get_resident(session, account=account, resident_id=record_id)
    elif kind == "key":
        record = session.scalar(
            select(Key)
            .join(Resident)
            .join(Apartment)
            .join(Address)
            .where(Key.id == record_id, Address.account_id == account.id)
        )
        if record is None:
            raise NotFound(N_("nyckel %(id)s finns inte", id=record_id))
    else:
        raise InvalidInput(N_("okänd sorts post %(kind)s", kind=kind))
    _refuse_if_owned(record.integration_id, kind)
    session.delete(record)
    session.flush()


_OWNED = {
    "address": N_("Adressen kommer från en integration: ändra den i Axema-systemet. Inget ändrades."),
    "apartment": N_("Lägenheten kommer från en integration: ändra den i Axema-systemet. Inget ändrades."),
    "resident": N_("Den boende kommer från en integration: ändra den i Axema-systemet. Inget ändrades."),
    "key": N_("Nyckeln kommer från en integration: ändra den i Axema-systemet. Inget ändrades."),
}


def _refuse_if_owned(integration_id: int | None, what: str) -> None:
    if integration_id is not None:
        raise OwnedByIntegration(_OWNED[what])


# Integrations


def create_integration(
    session: Session,
    *,
    account: Account,
    secrets: SecretBox,
    now: datetime,
    name: str,
    base_url: str,
    username: str,
    password: str,
    data_format: str = "AXEMA",
    api_key: str | None = None,
    schedule_time: str = "02:00",
    timezone: str = "Europe/Stockholm",
    removal_threshold: float = 0.2,
    actor: str = "system",
) -> Integration:
    """A new integration; its password (and API key) are stored encrypted, the first run is scheduled."""
    if data_format not in DATA_FORMATS:
        raise InvalidInput(N_("dataformatet måste vara ett av %(formats)s", formats=", ".join(DATA_FORMATS)))
    if not password:
        raise InvalidInput(N_("namn, användarnamn och lösenord måste anges"))
    integration = Integration(account_id=account.id, data_format=data_format, enabled=True, created_at=now)
    _apply_integration_settings(
        integration,
        secrets=secrets,
        now=now,
        name=name,
        base_url=base_url,
        username=username,
        password=password,
        api_key=api_key or None,
        schedule_time=schedule_time,
        timezone=timezone,
        removal_threshold=removal_threshold,
    )
    session.add(integration)
    session.flush()
    _audit(session, integration, actor=actor, action="created", details={"name": integration.name}, now=now)
    return integration


_EDITABLE = ("name", "base_url", "username", "password", "api_key", "schedule_time", "timezone", "removal_threshold")
_SECRET_FIELDS = ("password", "api_key")


def update_integration(
    session: Session, *, integration: Integration, secrets: SecretBox, now: datetime, actor: str, **values
) -> list[str]:
    """Change an integration's settings (``None`` or absent: unchanged; ``api_key=""`` removes the key).

    Returns the names of the settings changed; the audit trail records them (never the secrets' values).
    """
    unknown = set(values) - set(_EDITABLE)
    if unknown:
        raise InvalidInput(N_("okända inställningar: %(names)s", names=", ".join(sorted(unknown))))
    given = {name: value for name, value in values.items() if value is not None}
    if given.get("password") == "":
        raise InvalidInput(N_("lösenordet får inte vara tomt"))
    before = {name: getattr(integration, name) for name in _EDITABLE if name not in _SECRET_FIELDS}
    current = {**before, "password": None, "api_key": _UNCHANGED}
    _apply_integration_settings(integration, secrets=secrets, now=now, **(current | given))
    changed = [name for name in before if getattr(integration, name) != before[name]]
    changed += [name for name in _SECRET_FIELDS if name in given]
    if changed:
        details = {name: [before[name], getattr(integration, name)] for name in changed if name in before}
        details |= {name: "changed" for name in changed if name in _SECRET_FIELDS}
        _audit(session, integration, actor=actor, action="updated", details=details, now=now)
    return changed


_UNCHANGED = object()


def _apply_integration_settings(
    integration: Integration,
    *,
    secrets: SecretBox,
    now: datetime,
    name: str,
    base_url: str,
    username: str,
    password: str | None,
    api_key,
    schedule_time: str,
    timezone: str,
    removal_threshold: float,
) -> None:
    """Check and set an integration's settings; a new password or API key is stored encrypted."""
    from bodata.boenderegister.sync import next_scheduled_run

    if not re.match(r"^https?://[^\s/]+", base_url.strip()):
        raise InvalidInput(N_("Axema-systemets adress måste vara en http://- eller https://-URL"))
    if not name.strip() or not username.strip():
        raise InvalidInput(N_("namn, användarnamn och lösenord måste anges"))
    if not _SCHEDULE.match(schedule_time):
        raise InvalidInput(N_("körtiden måste vara ett klockslag som TT:MM, t.ex. 02:00"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(N_("okänd tidszon %(zone)s", zone=timezone)) from exc
    if not 0 < float(removal_threshold) <= 1:
        raise InvalidInput(N_("borttagningsgränsen måste vara en andel mellan 0 och 1, t.ex. 0,2 för 20 %%"))
    rescheduled = (schedule_time, timezone) != (integration.schedule_time, integration.timezone)
    integration.name, integration.username = nfc(name.strip()), username.strip()
    integration.base_url = base_url.strip().rstrip("/")
    integration.schedule_time, integration.timezone = schedule_time, timezone
    integration.removal_threshold = float(removal_threshold)
    if password is not None:
        integration.password_encrypted = secrets.encrypt(password)
    if api_key is not _UNCHANGED:
        integration.api_key_encrypted = secrets.encrypt(api_key) if api_key else None
    if rescheduled and integration.enabled:
        integration.next_run_at = next_scheduled_run(integration, now)


def set_integration_paused(
    session: Session, *, integration: Integration, paused: bool, now: datetime, actor: str
) -> None:
    """Pause (no scheduled runs, "Run now" refused) or resume an integration; resuming schedules the next run."""
    from bodata.boenderegister.sync import next_scheduled_run

    if integration.enabled == (not paused):
        return
    integration.enabled = not paused
    integration.next_run_at = None if paused else next_scheduled_run(integration, now)
    integration.failed_attempts, integration.alert, integration.alert_code = 0, None, None
    _audit(session, integration, actor=actor, action="paused" if paused else "resumed", details={}, now=now)


RECORD_CHOICES = ("keep", "remove")


def delete_integration(session: Session, *, integration: Integration, records: str, now: datetime, actor: str) -> dict:
    """Delete an integration; ``records`` says what becomes of its records.

    ``keep``: they become the account's, as if typed in by hand (another integration may adopt them by the rules
    of "Who owns a record"). ``remove``: they are removed as if Axema had emptied out, so records it adopted are
    given back, not deleted. Refused while the integration is running. Returns the counts.
    """
    from bodata.boenderegister.engine import View, reconcile

    if records not in RECORD_CHOICES:
        raise InvalidInput(N_("välj vad som ska hända med integrationens poster: keep (behåll) eller remove (ta bort)"))
    if integration.lock_holder is not None and integration.lock_expires_at and integration.lock_expires_at > now:
        raise InvalidInput(N_("integrationen körs; vänta tills körningen är klar"))
    counts: dict = {}
    if records == "keep":
        for model in (Address, Apartment, Resident, Key):
            counts[model.__tablename__] = session.execute(
                update(model).where(model.integration_id == integration.id).values(integration_id=None, adopted=False)
            ).rowcount
    else:
        counts = reconcile(
            session, account_id=integration.account_id, integration_id=integration.id, view=View()
        ).as_dict()
    _audit(
        session,
        integration,
        actor=actor,
        action="deleted",
        details={"name": integration.name, "records": records, "counts": counts},
        now=now,
    )
    session.delete(integration)
    session.flush()
    return counts


def _audit(
    session: Session, integration: Integration, *, actor: str, action: str, details: dict, now: datetime
) -> None:
    session.add(
        AuditEntry(
            account_id=integration.account_id,
            integration_id=integration.id,
            actor=actor,
            action=action,
            details=details,
            at=now,
        )
    )


def audit_trail(session: Session, *, account: Account, integration_id: int | None = None) -> list[AuditEntry]:
    """Who changed what in the account's integrations, newest first."""
    query = select(AuditEntry).where(AuditEntry.account_id == account.id)
    if integration_id is not None:
        query = query.where(AuditEntry.integration_id == integration_id)
    return list(session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


def list_integrations(session: Session, *, account: Account) -> list[Integration]:
    return list(
        session.scalars(select(Integration).where(Integration.account_id == account.id).order_by(Integration.id))
    )


def get_integration(session: Session, *, account: Account, integration_id: int) -> Integration:
    integration = session.scalar(
        select(Integration).where(Integration.id == integration_id, Integration.account_id == account.id)
    )
    if integration is None:
        raise NotFound(N_("integration %(id)s finns inte", id=integration_id))
    return integration


def list_runs(session: Session, *, integration: Integration, limit: int | None = 50) -> list[IntegrationRun]:
    """The integration's latest runs (all with ``limit=None``), newest first."""
    return list(
        session.scalars(
            select(IntegrationRun)
            .where(IntegrationRun.integration_id == integration.id)
            .order_by(IntegrationRun.started_at.desc(), IntegrationRun.id.desc())
            .limit(limit)
        )
    )


def get_run(session: Session, *, account: Account, run_id: int) -> IntegrationRun:
    """One run of one of the account's integrations, with its issues."""
    run = session.scalar(
        select(IntegrationRun)
        .join(Integration)
        .where(IntegrationRun.id == run_id, Integration.account_id == account.id)
        .options(selectinload(IntegrationRun.issues))
    )
    if run is None:
        raise NotFound(N_("körning %(id)s finns inte", id=run_id))
    return run


def excluded_counts(session: Session, *, run_ids: list[int]) -> dict[int, int]:
    """How many groups each of these runs excluded."""
    if not run_ids:
        return {}
    rows = session.execute(
        select(RunIssue.run_id, func.count())
        .where(RunIssue.run_id.in_(run_ids), RunIssue.kind == "excluded")
        .group_by(RunIssue.run_id)
    ).all()
    return {run_id: count for run_id, count in rows}  # noqa: C416  (rows are Row objects)


def run_records(session: Session, *, run: IntegrationRun) -> list[ChangedRecord]:
    """Every record the run created, updated, adopted, removed or released, by kind and action."""
    rows = session.execute(
        select(RunRecord.kind, RunRecord.action, RunRecord.labels)
        .where(RunRecord.run_id == run.id)
        .order_by(RunRecord.id)
    )
    return [ChangedRecord(kind, action, label) for kind, action, labels in rows for label in labels]
