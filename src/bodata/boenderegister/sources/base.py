"""What every source of the integration engine delivers: a snapshot of the access-control system's view.

A source (the Axema Vaka connector, Axema's CSV person export) reads the external system and returns a
``Snapshot`` of organisation groups and persons with their credentials, exactly as the external system holds
them: no parsing of Reference IDs and no filtering here; that is the engine's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

B60 = "B60"


@dataclass(frozen=True)
class Credential:
    """A key carried by a person: a tag/card or a radio key (personal codes are never imported)."""

    external_id: str
    kind: str  # "tag" or "radio"
    number: str


@dataclass(frozen=True)
class Person:
    """A person in the access-control system and the organisation groups (apartments) they belong to."""

    external_id: str
    first_name: str
    last_name: str
    group_ids: tuple[str, ...] = ()
    credentials: tuple[Credential, ...] = ()


@dataclass(frozen=True)
class OrganisationGroup:
    """An organisation group with the fields the integration reads (Reference ID and the two overrides)."""

    external_id: str
    name: str
    reference_id: str | None = None
    apartment_number: str | None = None
    floor: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything a source read in one run.

    ``domain_controllers`` lists the controller models the system reports (``"B60"`` …); None when the source
    cannot tell (a file export), in which case the B60 requirement is not checked.
    """

    groups: tuple[OrganisationGroup, ...]
    persons: tuple[Person, ...]
    domain_controllers: tuple[str, ...] | None = None
    system_name: str = ""
    details: dict[str, str] = field(default_factory=dict)


class SourceError(Exception):
    """The source could not deliver a complete, trustworthy snapshot; the run must not delete anything.

    ``kind`` is one of: ``unreachable`` (connection failed or timed out), ``auth`` (credentials refused),
    ``http_error`` (an error answer), ``partial`` (pages missing or inconsistent), ``invalid`` (answers that
    are not what the protocol says).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


Progress = Callable[[int, int | None], None]
"""Called as records arrive: (records read so far, total expected or None)."""


class Source(Protocol):
    """Something the engine can read a snapshot from."""

    def fetch(self, progress: Progress | None = None) -> Snapshot: ...
