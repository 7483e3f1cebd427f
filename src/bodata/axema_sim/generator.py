"""Deterministic, realistic data for the simulated Axema Vaka system: addresses, apartments, residents, keys.

An apartment is an organisation group with a Reference ID ``<FFNN>_<identifier>`` (Lantmäteriet number and an
address of at most 15 characters); residents are persons in the group carrying cards, radio keys and a few
personal codes. A share of groups gets a deliberately bad Reference ID, some get overrides, a few share one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from faker import Faker

IDENTIFIER_MAX = 15
STREET_MAX = IDENTIFIER_MAX - len(" 99B")
RESIDENT_WEIGHTS = {0: 7, 1: 29, 2: 35, 3: 16, 4: 13}
GROUPLESS_SHARE = 0.02
SECOND_GROUP_SHARE = 0.005
INTERNAL_NUMBER_ADDRESS_SHARE = 0.10
FLOOR_OVERRIDE_SHARE = 0.02
DUPLICATE_REFERENCE_EVERY = 500
BAD_REFERENCE_KINDS = (
    "missing",
    "blank",
    "three_digits",
    "no_underscore",
    "empty_identifier",
    "identifier_too_long",
    "leading_text",
)


@dataclass(frozen=True)
class SimCredential:
    """A key in the simulated system: ``type`` is ``card``, ``radio`` or ``code``."""

    id: str
    type: str
    number: str


@dataclass(frozen=True)
class SimGroup:
    """An organisation group (an apartment, or something that merely looks like one)."""

    id: str
    name: str
    reference_id: str | None = None
    apartment_number: str | None = None
    floor: str | None = None


@dataclass(frozen=True)
class SimPerson:
    """A person with the organisation groups they belong to and the keys they carry."""

    id: str
    first_name: str
    last_name: str
    group_ids: tuple[str, ...] = ()
    credentials: tuple[SimCredential, ...] = ()


@dataclass(frozen=True)
class SimController:
    """A domain controller of the system (the integration needs a B60)."""

    id: str
    model: str
    serial: str


@dataclass
class SimData:
    """Everything the simulated system holds."""

    system_name: str
    controllers: list[SimController]
    groups: list[SimGroup]
    persons: list[SimPerson]
    bad_reference_kinds: dict[str, str] = field(default_factory=dict)
    """Group id → which kind of bad Reference ID the generator gave it (for tests and demos)."""


def group_id(number: int) -> str:
    """The id of the ``number``-th organisation group (zero-padded so ids sort in creation order)."""
    return f"og-{number:06d}"


def person_id(number: int) -> str:
    """The id of the ``number``-th person."""
    return f"p-{number:06d}"


def credential_id(number: int) -> str:
    """The id of the ``number``-th credential."""
    return f"c-{number:06d}"


def generate_site(seed: int, apartments: int, *, bad_reference_ratio: float = 0.05) -> SimData:
    """Generate a site of ``apartments`` apartments; the same seed gives the same data."""
    return _SiteBuilder(seed).build(apartments, bad_reference_ratio)


@dataclass(frozen=True)
class _Apartment:
    identifier: str
    number: str  # Lantmäteriet FFNN
    internal_number: str | None
    floor_override: str | None


class _SiteBuilder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (simulated data, not security)
        faker = Faker("sv_SE")
        faker.seed_instance(seed)
        self.streets = list(dict.fromkeys(s for s in (faker.street_name() for _ in range(600)) if len(s) <= STREET_MAX))
        self.first_names = [faker.first_name() for _ in range(400)]
        self.last_names = [faker.last_name() for _ in range(400)]
        self.city = faker.city()
        self.persons: list[SimPerson] = []
        self.credential_count = 0
        self.used_numbers: set[str] = set()

    def build(self, apartments: int, bad_reference_ratio: float) -> SimData:
        flats = self._apartments(apartments)
        groups, residents = [], []
        for index, flat in enumerate(flats, start=1):
            names = self._household(group_id(index))
            residents.extend(names)
            reference = f"{flat.number}_{flat.identifier}"
            group_name = " ".join(dict.fromkeys(p.last_name for p in names)) or f"Lgh {flat.number}"
            groups.append(SimGroup(group_id(index), group_name, reference, flat.internal_number, flat.floor_override))
        bad_kinds = self._spoil_references(groups, flats, bad_reference_ratio)
        self._duplicate_references(groups, bad_kinds)
        self._add_groupless_and_second_groups(residents, groups)
        controllers = [
            SimController(f"dc-{n:03d}", "B60", f"B60-{self.rng.randrange(100000, 999999)}")
            for n in range(1, 2 + apartments // 2000)
        ]
        return SimData(f"Vaka {self.city}", controllers, groups, self.persons, bad_kinds)

    def _apartments(self, count: int) -> list[_Apartment]:
        flats: list[_Apartment] = []
        next_number = dict.fromkeys(self.streets, 0)
        internal_base = 100
        while len(flats) < count:
            if not next_number:
                raise ValueError(f"cannot place {count} apartments on the generated streets")
            street = self.rng.choice(list(next_number))
            next_number[street] += self.rng.randint(1, 4)
            if next_number[street] > 99:
                del next_number[street]
                continue
            entrances = [""] if self.rng.random() < 0.7 else ["A", "B", "C"][: self.rng.randint(2, 3)]
            for entrance in entrances:
                identifier = f"{street} {next_number[street]}{entrance}"
                internal = self.rng.random() < INTERNAL_NUMBER_ADDRESS_SHARE
                for number in self._floor_plan():
                    internal_number = str(internal_base) if internal else None
                    floor = f"{int(number[:2]) + 1:02d}" if self.rng.random() < FLOOR_OVERRIDE_SHARE else None
                    flats.append(_Apartment(identifier, number, internal_number, floor))
                    internal_base += 1
        return flats[:count]

    def _floor_plan(self) -> list[str]:
        floors = list(range(10, 10 + self.rng.randint(2, 6)))
        if self.rng.random() < 0.15:
            floors.insert(0, 9)
        return [f"{floor:02d}{door:02d}" for floor in floors for door in range(1, self.rng.randint(2, 4) + 1)]

    def _household(self, group: str) -> list[SimPerson]:
        size = self.rng.choices(list(RESIDENT_WEIGHTS), weights=list(RESIDENT_WEIGHTS.values()))[0]
        family = self.rng.choice(self.last_names)
        household = []
        for _ in range(size):
            last_name = family if self.rng.random() < 0.75 else self.rng.choice(self.last_names)
            household.append(self._person(last_name, (group,), resident=True))
        return household

    def _person(self, last_name: str, groups: tuple[str, ...], *, resident: bool) -> SimPerson:
        credentials = []
        if self.rng.random() < 0.95:
            credentials.append(self._credential("card"))
        if self.rng.random() < 0.05:
            credentials.append(self._credential("card"))
        if resident and self.rng.random() < 0.5:
            credentials.append(self._credential("radio"))
        if self.rng.random() < 0.05:
            credentials.append(self._credential("code"))
        person = SimPerson(
            person_id(len(self.persons) + 1), self.rng.choice(self.first_names), last_name, groups, tuple(credentials)
        )
        self.persons.append(person)
        return person

    def _credential(self, kind: str) -> SimCredential:
        self.credential_count += 1
        if kind == "code":
            number = f"{self.rng.randrange(10000):04d}"
        else:
            number = self._unique_number(10 if kind == "card" else 7)
        return SimCredential(credential_id(self.credential_count), kind, number)

    def _unique_number(self, digits: int) -> str:
        while True:
            number = str(self.rng.randrange(10 ** (digits - 1), 10**digits))
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def _spoil_references(self, groups: list[SimGroup], flats: list[_Apartment], ratio: float) -> dict[str, str]:
        chosen = sorted(self.rng.sample(range(len(groups)), round(len(groups) * ratio)))
        kinds = {}
        for position, index in enumerate(chosen):
            kind = BAD_REFERENCE_KINDS[position % len(BAD_REFERENCE_KINDS)]
            groups[index] = replace(groups[index], reference_id=_bad_reference(kind, flats[index]))
            kinds[groups[index].id] = kind
        return kinds

    def _duplicate_references(self, groups: list[SimGroup], bad_kinds: dict[str, str]) -> None:
        good = [index for index, group in enumerate(groups) if group.id not in bad_kinds]
        if len(good) < 10:
            return
        for _ in range(max(1, len(groups) // DUPLICATE_REFERENCE_EVERY)):
            source, target = self.rng.sample(good, 2)
            groups[target] = replace(groups[target], reference_id=groups[source].reference_id)

    def _add_groupless_and_second_groups(self, residents: list[SimPerson], groups: list[SimGroup]) -> None:
        for _ in range(round(len(residents) * GROUPLESS_SHARE)):
            self._person(self.rng.choice(self.last_names), (), resident=False)
        if not groups:
            return
        for index in self.rng.sample(range(len(residents)), round(len(residents) * SECOND_GROUP_SHARE)):
            person, extra = self.persons[index], self.rng.choice(groups).id
            if extra not in person.group_ids:
                self.persons[index] = replace(person, group_ids=(*person.group_ids, extra))


def _bad_reference(kind: str, flat: _Apartment) -> str | None:
    """A Reference ID of the given bad ``kind`` for an apartment."""
    return {
        "missing": None,
        "blank": "",
        "three_digits": f"{flat.number[1:]}_{flat.identifier}",
        "no_underscore": f"{flat.number}-{flat.identifier}",
        "empty_identifier": f"{flat.number}_",
        "identifier_too_long": f"{flat.number}_{flat.identifier} lägenhet {flat.number}",
        "leading_text": f"Lgh {flat.number}_{flat.identifier}",
    }[kind]
