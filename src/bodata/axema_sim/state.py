"""The simulated Axema Vaka system's in-memory state: its data, its integration account, tokens and faults.

Records are frozen dataclasses that are replaced on change, so a page handed out under the lock stays
consistent while other threads change the state. All methods are thread-safe.
"""

from __future__ import annotations

import secrets
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from bodata.axema_sim.generator import (
    SimController,
    SimCredential,
    SimGroup,
    SimPerson,
    credential_id,
    generate_site,
    group_id,
    person_id,
)

DEFAULT_SEED = 2026
DEFAULT_APARTMENTS = 200
DEFAULT_USERNAME = "demo"
DEFAULT_PASSWORD = "demo"  # noqa: S105  (the simulator's documented demo login)
CREDENTIAL_TYPES = ("card", "radio", "code")


class UnknownRecord(LookupError):
    """No group, person or credential with that id."""


@dataclass(frozen=True)
class Faults:
    """How the simulated system misbehaves; the defaults are a healthy system."""

    delay_seconds: float = 0.0
    error_status: int | None = None
    truncate_pages: bool = False
    no_b60: bool = False
    drop_persons_ratio: float = 0.0


@dataclass(frozen=True)
class Page:
    """One page of a listing: the items and the total the listing claims."""

    items: list[Any]
    total: int


class SimState:
    """A simulated Axema Vaka system generated from a seed, with an integration account and fault settings."""

    def __init__(
        self,
        *,
        seed: int = DEFAULT_SEED,
        apartments: int = DEFAULT_APARTMENTS,
        bad_reference_ratio: float = 0.05,
        username: str = DEFAULT_USERNAME,
        password: str = DEFAULT_PASSWORD,
        api_key: str | None = None,
        token_ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seed = seed
        self.apartments = apartments
        self.bad_reference_ratio = bad_reference_ratio
        self.username = username
        self.password = password
        self.api_key = api_key
        self.token_ttl = token_ttl
        self.clock = clock  # seconds, for token expiry (tests move it by hand)
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}
        self._faults = Faults()
        self.reset()

    # --- data ---------------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Regenerate the data from the seed (faults and tokens are kept)."""
        data = generate_site(self.seed, self.apartments, bad_reference_ratio=self.bad_reference_ratio)
        with self._lock:
            self.system_name = data.system_name
            self._controllers = data.controllers
            self._groups = {group.id: group for group in data.groups}
            self._persons = {person.id: person for person in data.persons}
            self._next = {"group": len(data.groups), "person": len(data.persons)}
            self._next["credential"] = sum(len(person.credentials) for person in data.persons)
            self._group_order: list[str] | None = None
            self._visible_persons: list[str] | None = None

    def clear(self) -> None:
        """Remove every group and person (the system, its controllers, faults and tokens stay)."""
        with self._lock:
            self._groups, self._persons = {}, {}
            self._group_order = self._visible_persons = None

    def put(self, groups: list[SimGroup], persons: list[SimPerson]) -> None:
        """Add or replace groups and persons by id (a person's groups must exist once all are put)."""
        with self._lock:
            known = set(self._groups) | {group.id for group in groups}
            for person in persons:
                missing = [key for key in person.group_ids if key not in known]
                if missing:
                    raise UnknownRecord(f"person {person.id}: no organisation group {', '.join(missing)}")
            self._groups.update((group.id, group) for group in groups)
            self._persons.update((person.id, person) for person in persons)
            self._group_order = self._visible_persons = None
            self._next = {
                "group": max(self._next["group"], *_numbers(self._groups)),
                "person": max(self._next["person"], *_numbers(self._persons)),
                "credential": max(
                    self._next["credential"],
                    *_numbers({c.id: c for p in self._persons.values() for c in p.credentials}),
                ),
            }

    def export(self) -> dict[str, Any]:
        """The groups and persons as plain data (a stand-in snapshot)."""
        with self._lock:
            return {
                "groups": [asdict(group) for group in self._groups.values()],
                "persons": [asdict(person) for person in self._persons.values()],
            }

    def load(self, data: dict[str, Any]) -> None:
        """Replace the groups and persons with those of an ``export()``."""
        groups = [SimGroup(**group) for group in data["groups"]]
        persons = [
            SimPerson(
                id=person["id"],
                first_name=person["first_name"],
                last_name=person["last_name"],
                group_ids=tuple(person["group_ids"]),
                credentials=tuple(SimCredential(**credential) for credential in person["credentials"]),
            )
            for person in data["persons"]
        ]
        self.clear()
        self.put(groups, persons)

    def counts(self) -> dict[str, int]:
        """How many groups, persons and credentials the system holds."""
        with self._lock:
            credentials = sum(len(person.credentials) for person in self._persons.values())
            return {"groups": len(self._groups), "persons": len(self._persons), "credentials": credentials}

    def controllers(self) -> list[SimController]:
        """The domain controllers the system reports (none while the ``no_b60`` fault is on)."""
        with self._lock:
            return [] if self._faults.no_b60 else list(self._controllers)

    def groups_page(self, offset: int, limit: int) -> Page:
        """Groups sorted by id, from ``offset``; the ``truncate_pages`` fault drops each page's last item."""
        with self._lock:
            if self._group_order is None:
                self._group_order = sorted(self._groups)
            ids = self._group_order
            return self._page([self._groups[key] for key in ids[offset : offset + limit]], len(ids))

    def persons_page(self, offset: int, limit: int) -> Page:
        """Persons sorted by id, less the share hidden by ``drop_persons_ratio``; truncated like groups."""
        with self._lock:
            if self._visible_persons is None:
                threshold = self._faults.drop_persons_ratio * 1000
                self._visible_persons = sorted(key for key in self._persons if _hash_share(key) >= threshold)
            ids = self._visible_persons
            return self._page([self._persons[key] for key in ids[offset : offset + limit]], len(ids))

    def add_group(self, **fields: Any) -> SimGroup:
        """Create a group with a new id from its fields (name, reference_id, apartment_number, floor)."""
        with self._lock:
            group = SimGroup(id=self._new_id("group"), **fields)
            self._groups[group.id] = group
            self._group_order = None
            return group

    def update_group(self, key: str, **changes: Any) -> SimGroup:
        """Change some fields of a group."""
        with self._lock:
            group = replace(self._group(key), **changes)
            self._groups[key] = group
            return group

    def delete_group(self, key: str) -> None:
        """Delete a group and every membership in it."""
        with self._lock:
            self._group(key)
            del self._groups[key]
            self._group_order = None
            for person in list(self._persons.values()):
                if key in person.group_ids:
                    remaining = tuple(group for group in person.group_ids if group != key)
                    self._persons[person.id] = replace(person, group_ids=remaining)

    def add_person(
        self, first_name: str, last_name: str, group_ids: list[str], credentials: list[tuple[str, str]]
    ) -> SimPerson:
        """Create a person in existing groups, with credentials given as (type, number)."""
        with self._lock:
            for key in group_ids:
                self._group(key)
            keys = tuple(SimCredential(self._new_id("credential"), kind, number) for kind, number in credentials)
            person = SimPerson(self._new_id("person"), first_name, last_name, tuple(dict.fromkeys(group_ids)), keys)
            self._persons[person.id] = person
            self._visible_persons = None
            return person

    def update_person(self, key: str, **changes: Any) -> SimPerson:
        """Change a person's names or groups (``group_ids`` replaces the memberships: a move)."""
        with self._lock:
            person = self._person(key)
            if "group_ids" in changes:
                for group in changes["group_ids"]:
                    self._group(group)
                changes["group_ids"] = tuple(dict.fromkeys(changes["group_ids"]))
            person = replace(person, **changes)
            self._persons[key] = person
            return person

    def delete_person(self, key: str) -> None:
        """Delete a person and their credentials."""
        with self._lock:
            self._person(key)
            del self._persons[key]
            self._visible_persons = None

    def add_credential(self, key: str, kind: str, number: str) -> SimCredential:
        """Give a person a new credential."""
        with self._lock:
            person = self._person(key)
            credential = SimCredential(self._new_id("credential"), kind, number)
            self._persons[key] = replace(person, credentials=(*person.credentials, credential))
            return credential

    def delete_credential(self, key: str, credential: str) -> None:
        """Take a credential away from a person."""
        with self._lock:
            person = self._person(key)
            remaining = tuple(item for item in person.credentials if item.id != credential)
            if len(remaining) == len(person.credentials):
                raise UnknownRecord(f"person {key} has no credential {credential}")
            self._persons[key] = replace(person, credentials=remaining)

    # --- faults -------------------------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """The current fault settings."""
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> None:
        """Replace the fault settings (``Faults()`` clears them)."""
        with self._lock:
            self._faults = faults
            self._visible_persons = None

    # --- integration account and tokens ---------------------------------------------------------------

    def check_client(self, username: str, password: str) -> bool:
        """True when the integration account's credentials match."""
        user_ok = secrets.compare_digest(username.encode(), self.username.encode())
        return secrets.compare_digest(password.encode(), self.password.encode()) and user_ok

    def check_api_key(self, api_key: str | None) -> bool:
        """True when no api key is configured or ``api_key`` matches it."""
        if self.api_key is None:
            return True
        return api_key is not None and secrets.compare_digest(api_key.encode(), self.api_key.encode())

    def issue_token(self) -> str:
        """A new bearer token valid for ``token_ttl`` seconds."""
        now = self.clock()
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens = {key: expiry for key, expiry in self._tokens.items() if expiry > now}
            self._tokens[token] = now + self.token_ttl
        return token

    def token_valid(self, token: str) -> bool:
        """True when ``token`` was issued and has not expired."""
        with self._lock:
            expiry = self._tokens.get(token)
        return expiry is not None and expiry > self.clock()

    # --- internals (call with the lock held) --------------------------------------------------------------

    def _page(self, items: list[Any], total: int) -> Page:
        if self._faults.truncate_pages and items:
            items = items[:-1]
        return Page(items, total)

    def _group(self, key: str) -> SimGroup:
        try:
            return self._groups[key]
        except KeyError:
            raise UnknownRecord(f"no organisation group {key}") from None

    def _person(self, key: str) -> SimPerson:
        try:
            return self._persons[key]
        except KeyError:
            raise UnknownRecord(f"no person {key}") from None

    def _new_id(self, kind: str) -> str:
        self._next[kind] += 1
        make = {"group": group_id, "person": person_id, "credential": credential_id}[kind]
        return make(self._next[kind])


def _numbers(records: dict[str, Any]) -> list[int]:
    """The numbers in the ids (``og-000012`` → 12) of ``records``, and 0."""
    return [0, *(int(key.rsplit("-", 1)[-1]) for key in records if key.rsplit("-", 1)[-1].isdigit())]


def _hash_share(key: str) -> int:
    """A stable number 0..999 for an id, deciding whether ``drop_persons_ratio`` hides it."""
    return zlib.crc32(key.encode()) % 1000
