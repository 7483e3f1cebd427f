"""The Axema Vaka stand-in's seed files (docs/stand-in.md): organisation groups, persons and their credentials.

Field names are the Axema API's (``referenceId``, ``organisationGroupIds``, …). Records are matched by their
ids: applying a file again puts the same records back and changes nothing else. When the stand-in has seed
files, resetting it to the seed gives exactly their records (instead of the generated site).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from bodata.axema_sim.generator import SimCredential, SimGroup, SimPerson
from bodata.axema_sim.state import SimState, UnknownRecord
from bodata.core.standin.seeds import Refused, SeedFormat, SeedTarget

Id = Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9._-]+$")


class _Record(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class GroupSeed(_Record):
    """An organisation group (an apartment: its ``referenceId`` is what bodata's integration maps)."""

    id: str = Id
    name: str = Field(min_length=1, max_length=200)
    reference_id: str | None = None
    apartment_number: str | None = None
    floor: str | None = None


class CredentialSeed(_Record):
    id: str = Id
    type: Literal["card", "radio", "code"]
    number: str = Field(min_length=1, max_length=100)


class PersonSeed(_Record):
    id: str = Id
    first_name: str = ""
    last_name: str = ""
    organisation_group_ids: list[str] = Field(default_factory=list)
    credentials: list[CredentialSeed] = Field(default_factory=list)


class AxemaSeed(_Record):
    """The ``bodata-seed`` document of the Axema Vaka stand-in."""

    groups: list[GroupSeed] = Field(default_factory=list)
    persons: list[PersonSeed] = Field(default_factory=list)


def apply_seed(target: SeedTarget, seed: AxemaSeed) -> str:
    state: SimState = target.state
    groups = [SimGroup(**group.model_dump()) for group in seed.groups]
    persons = [
        SimPerson(
            id=person.id,
            first_name=person.first_name,
            last_name=person.last_name,
            group_ids=tuple(person.organisation_group_ids),
            credentials=tuple(SimCredential(c.id, c.type, c.number) for c in person.credentials),
        )
        for person in seed.persons
    ]
    try:
        state.put(groups, persons)
    except UnknownRecord as error:
        raise Refused("/persons", str(error)) from None
    credentials = sum(len(person.credentials) for person in persons)
    return f"{len(groups)} groups, {len(persons)} persons, {credentials} credentials"


SEED_FORMAT = SeedFormat(service="axema-sim", model=AxemaSeed, apply=apply_seed)
