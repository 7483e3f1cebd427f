"""The Axema Vaka connector: reads organisation groups, persons and keys over HTTP into a ``Snapshot``.

It gets an OAuth2 client-credentials token with the integration account, reads the system (its domain
controllers), then pages through the groups and the persons, checking that the pages add up. Anything
doubtful raises ``SourceError`` so the engine never mirrors an incomplete view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from bodata.boenderegister.sources.base import Credential, OrganisationGroup, Person, Progress, Snapshot, SourceError

# --- Wire mapping: the only place that knows the Axema API's paths, headers and field names. -------------------
TOKEN_PATH = "/api/v1/token"  # noqa: S105  (a path, not a secret)
SYSTEM_PATH = "/api/v1/system"
GROUPS_PATH = "/api/v1/organisation-groups"
PERSONS_PATH = "/api/v1/persons"
API_KEY_HEADER = "x-api-key"
MAX_PAGE_SIZE = 1000
CREDENTIAL_KINDS = {"card": "tag", "radio": "radio"}
SKIPPED_CREDENTIAL_TYPES = frozenset({"code"})  # personal codes are never imported


def controllers_from_wire(system: dict[str, Any]) -> tuple[str, ...]:
    """The models of the domain controllers in a /system answer."""
    controllers = _field(system, "domainControllers", list, "system")
    return tuple(_field(_object(item, "domain controller"), "model", str, "domain controller") for item in controllers)


def group_from_wire(item: dict[str, Any]) -> OrganisationGroup:
    """An organisation group from one item of the groups listing."""
    where = _Where("organisation group", item)
    return OrganisationGroup(
        external_id=_field(item, "id", str, where),
        name=_field(item, "name", str, where),
        reference_id=_field(item, "referenceId", str | None, where),
        apartment_number=_field(item, "apartmentNumber", str | None, where),
        floor=_field(item, "floor", str | None, where),
    )


def person_from_wire(item: dict[str, Any]) -> Person:
    """A person from one item of the persons listing, without personal codes.

    The common case (every field present and of its type) is read directly: 40,000 persons are read in each run.
    Anything else goes through the field-by-field reading, which says exactly what is wrong.
    """
    if type(item) is dict:
        external_id, first_name, last_name = item.get("id"), item.get("firstName"), item.get("lastName")
        group_ids, entries = item.get("organisationGroupIds"), item.get("credentials")
        if (
            type(external_id) is str
            and type(first_name) is str
            and type(last_name) is str
            and type(group_ids) is list
            and type(entries) is list
            and all(type(group) is str for group in group_ids)
        ):
            credentials = _credentials_of(entries)
            if credentials is not None:
                return Person(external_id, first_name, last_name, tuple(group_ids), credentials)
    return _person_checked(item)


def _credentials_of(entries: list[Any]) -> tuple[Credential, ...] | None:
    """The keys of well-formed credential entries (personal codes left out); None when one is not well formed."""
    credentials = []
    for entry in entries:
        if type(entry) is not dict:
            return None
        kind, credential_id, number = entry.get("type"), entry.get("id"), entry.get("number")
        if type(kind) is not str:
            return None
        if kind in SKIPPED_CREDENTIAL_TYPES:
            continue
        if kind not in CREDENTIAL_KINDS or type(credential_id) is not str or type(number) is not str:
            return None
        credentials.append(Credential(credential_id, CREDENTIAL_KINDS[kind], number))
    return tuple(credentials)


def _person_checked(item: dict[str, Any]) -> Person:
    """A person read field by field, raising ``SourceError`` with what is wrong."""
    item = _object(item, "person")
    where = _Where("person", item)
    credentials = []
    for entry in _field(item, "credentials", list, where):
        credential = _object(entry, where)
        kind = _field(credential, "type", str, where)
        if kind in SKIPPED_CREDENTIAL_TYPES:
            continue
        if kind not in CREDENTIAL_KINDS:
            raise SourceError("invalid", f"{where} has a credential of unknown type {kind!r}")
        number = _field(credential, "number", str, where)
        credentials.append(Credential(_field(credential, "id", str, where), CREDENTIAL_KINDS[kind], number))
    group_ids = _field(item, "organisationGroupIds", list, where)
    if not all(isinstance(group, str) for group in group_ids):
        raise SourceError("invalid", f"{where}: organisationGroupIds must be a list of strings")
    return Person(
        external_id=_field(item, "id", str, where),
        first_name=_field(item, "firstName", str, where),
        last_name=_field(item, "lastName", str, where),
        group_ids=tuple(group_ids),
        credentials=tuple(credentials),
    )


# --- End of the wire mapping. ----------------------------------------------------------------------------------


class AxemaSource:
    """Reads a snapshot from an Axema Vaka system's HTTP API with the integration account."""

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        api_key: str | None = None,
        page_size: int = MAX_PAGE_SIZE,  # the fewest round trips the protocol allows
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        self.base_url = base_url
        self.username = username
        self.password = password
        self.api_key = api_key
        self.page_size = page_size
        self.timeout = timeout
        self.transport = transport

    def fetch(self, progress: Progress | None = None) -> Snapshot:
        """Read the whole system; raise ``SourceError`` unless the answer is complete and consistent."""
        headers = {API_KEY_HEADER: self.api_key} if self.api_key else {}
        with httpx.Client(
            base_url=self.base_url, headers=headers, timeout=self.timeout, transport=self.transport
        ) as client:
            call = _Caller(client)
            call.bearer = call.token(self.username, self.password)
            system = call.get(SYSTEM_PATH)
            listings = (_Listing(GROUPS_PATH, self.page_size), _Listing(PERSONS_PATH, self.page_size))
            for listing in listings:
                listing.read_page(call)
                _report(progress, listings)
            for listing in listings:
                while not listing.complete:
                    listing.read_page(call)
                    _report(progress, listings)
        groups, persons = listings
        return Snapshot(
            groups=tuple(group_from_wire(_object(item, "organisation group")) for item in groups.items),
            persons=tuple(person_from_wire(_object(item, "person")) for item in persons.items),
            domain_controllers=controllers_from_wire(system),
            system_name=_field(system, "name", str, "system"),
            details={"version": str(system.get("version", ""))},
        )


@dataclass
class _Caller:
    """Makes the HTTP calls and turns every failure into a ``SourceError`` of the right kind."""

    client: httpx.Client
    bearer: str = ""

    def token(self, username: str, password: str) -> str:
        answer = self._send("POST", TOKEN_PATH, data={"grant_type": "client_credentials"}, auth=(username, password))
        return _field(answer, "access_token", str, "token answer")

    def get(self, path: str, params: dict[str, int] | None = None) -> dict[str, Any]:
        return self._send("GET", path, params=params, headers={"Authorization": f"Bearer {self.bearer}"})

    def _send(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise SourceError("unreachable", f"{method} {path}: no answer within the timeout ({exc})") from exc
        except httpx.TransportError as exc:
            raise SourceError("unreachable", f"{method} {path}: cannot connect to the Axema system ({exc})") from exc
        if response.status_code in (401, 403):
            raise SourceError("auth", f"{method} {path}: refused with HTTP {response.status_code} {_error(response)}")
        if response.status_code != 200:
            raise SourceError("http_error", f"{method} {path}: HTTP {response.status_code} {_error(response)}")
        try:
            answer = orjson.loads(response.content)  # several times faster than json on 40,000 persons
        except orjson.JSONDecodeError as exc:
            raise SourceError("invalid", f"{method} {path}: the answer is not JSON") from exc
        return _object(answer, f"{method} {path} answer")


@dataclass
class _Listing:
    """One paged listing, read page by page and checked: no gaps, a stable total, no duplicates."""

    path: str
    page_size: int
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int | None = None
    complete: bool = False
    ids: set[str] = field(default_factory=set)

    def read_page(self, call: _Caller) -> None:
        offset = len(self.items)
        answer = call.get(self.path, {"offset": offset, "limit": self.page_size})
        where = f"{self.path} at offset {offset}"
        items = _field(answer, "items", list, where)
        total = _field(answer, "total", int, where)
        if self.total is not None and total != self.total:
            raise SourceError("partial", f"{where}: total changed from {self.total} to {total} between pages")
        if len(items) > self.page_size:
            raise SourceError("invalid", f"{where}: {len(items)} items where at most {self.page_size} were asked")
        for item in items:
            key = _field(_object(item, where), "id", str, where)
            if key in self.ids:
                raise SourceError("partial", f"{where}: id {key!r} was listed twice")
            self.ids.add(key)
        self.items.extend(items)
        self.total = total
        read = len(self.items)
        if read > total:
            raise SourceError("partial", f"{self.path}: read {read} items but the total is {total}")
        if read < total and len(items) < self.page_size:
            raise SourceError(
                "partial", f"{where}: {len(items)} items of {self.page_size} asked, but only {read} of {total} read"
            )
        self.complete = read == total


def _report(progress: Progress | None, listings: tuple[_Listing, ...]) -> None:
    if progress is not None:
        totals = [listing.total for listing in listings]
        total = None if None in totals else sum(t for t in totals if t is not None)
        progress(sum(len(listing.items) for listing in listings), total)


class _Where:
    """Names an item in an error message; the text is made only when there is an error (40,000 persons)."""

    __slots__ = ("item", "what")

    def __init__(self, what: str, item: dict[str, Any]) -> None:
        self.what, self.item = what, item

    def __str__(self) -> str:
        return f"{self.what} {self.item.get('id')!r}"


def _object(value: Any, where: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an ``invalid`` error."""
    if not isinstance(value, dict):
        raise SourceError("invalid", f"{where}: expected a JSON object, got {type(value).__name__}")
    return value


def _field(item: dict[str, Any], name: str, kind: Any, where: object) -> Any:
    """The field ``name`` of ``item`` if present and of type ``kind``, else an ``invalid`` error."""
    if name not in item:
        raise SourceError("invalid", f"{where}: missing field {name!r}")
    value = item[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SourceError("invalid", f"{where}: field {name!r} has the wrong type ({type(value).__name__})")
    return value


def _error(response: httpx.Response) -> str:
    """A short description of an error answer, from its OAuth2-style body when there is one."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return f"{body['error']}: {body.get('error_description', '')}".rstrip(": ")
    return response.reason_phrase
