"""The simulator's data generator: deterministic per seed, realistic Swedish data, the promised proportions."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from bodata.axema_sim.generator import BAD_REFERENCE_KINDS, SimData, generate_site

GOOD_REFERENCE = re.compile(r"^(\d\d)(\d\d)_(.{1,15})$")


@pytest.fixture(scope="module")
def site() -> SimData:
    return generate_site(11, 2000)


def test_the_same_seed_gives_the_same_site() -> None:
    assert generate_site(5, 120) == generate_site(5, 120)
    assert generate_site(5, 120).persons != generate_site(6, 120).persons


def test_exactly_the_asked_number_of_apartments_with_unique_sorted_ids(site: SimData) -> None:
    assert len(site.groups) == 2000
    group_ids = [group.id for group in site.groups]
    person_ids = [person.id for person in site.persons]
    assert group_ids == sorted(set(group_ids))
    assert person_ids == sorted(set(person_ids))
    credential_ids = [credential.id for person in site.persons for credential in person.credentials]
    assert len(credential_ids) == len(set(credential_ids))


def test_about_two_residents_and_three_keys_per_apartment_and_a_few_codes(site: SimData) -> None:
    kinds = Counter(credential.type for person in site.persons for credential in person.credentials)
    assert 1.8 <= len(site.persons) / 2000 <= 2.2
    assert 2.6 <= (kinds["card"] + kinds["radio"]) / 2000 <= 3.4
    assert kinds["radio"] > 0
    assert 0 < kinds["code"] < kinds["card"] / 10
    numbers = [c.number for person in site.persons for c in person.credentials if c.type != "code"]
    assert len(numbers) == len(set(numbers))


def test_good_reference_ids_are_swedish_addresses_with_floors_and_two_to_four_doors(site: SimData) -> None:
    doors_per_floor: dict[tuple[str, str], set[str]] = defaultdict(set)
    for group in site.groups:
        if group.id in site.bad_reference_kinds:
            continue
        match = GOOD_REFERENCE.match(group.reference_id or "")
        assert match, group.reference_id
        floor, door, identifier = match.groups()
        assert re.match(r"^[A-ZÅÄÖ][a-zåäö]+ \d{1,2}[ABC]?$", identifier), identifier
        assert 9 <= int(floor) <= 15
        doors_per_floor[(identifier, floor)].add(door)
    assert all(max(doors) <= "04" for doors in doors_per_floor.values())
    assert sum(1 for doors in doors_per_floor.values() if len(doors) >= 2) > 0.9 * len(doors_per_floor)
    assert {floor for _identifier, floor in doors_per_floor} >= {"09", "10", "11", "12"}


def test_a_share_of_bad_reference_ids_of_every_kind(site: SimData) -> None:
    assert len(site.bad_reference_kinds) == 100
    assert set(Counter(site.bad_reference_kinds.values())) == set(BAD_REFERENCE_KINDS)
    bad = {group.id: group.reference_id for group in site.groups if group.id in site.bad_reference_kinds}
    assert all(reference is None or not GOOD_REFERENCE.match(reference) for reference in bad.values())
    assert all(not GOOD_REFERENCE.match(group.reference_id or "") for group in site.groups if group.id in bad)


def test_no_bad_reference_ids_when_the_ratio_is_zero() -> None:
    site = generate_site(3, 300, bad_reference_ratio=0)
    assert site.bad_reference_kinds == {}
    assert all(GOOD_REFERENCE.match(group.reference_id or "") for group in site.groups)


def test_overrides_duplicates_groupless_and_multi_group_persons(site: SimData) -> None:
    assert 50 < sum(1 for group in site.groups if group.apartment_number) < 600
    assert all(group.apartment_number.isdigit() for group in site.groups if group.apartment_number)
    assert 10 < sum(1 for group in site.groups if group.floor) < 100
    references = Counter(g.reference_id for g in site.groups if g.id not in site.bad_reference_kinds)
    assert any(count == 2 for count in references.values())
    memberships = Counter(len(person.group_ids) for person in site.persons)
    assert memberships[0] > 0
    assert memberships[2] > 0
    known = {group.id for group in site.groups}
    assert all(set(person.group_ids) <= known for person in site.persons)


def test_names_and_system_look_swedish(site: SimData) -> None:
    assert site.system_name.startswith("Vaka ")
    assert [controller.model for controller in site.controllers] == ["B60", "B60"]
    assert any(re.search("[åäöÅÄÖ]", f"{p.first_name}{p.last_name}") for p in site.persons)
    assert all(group.name for group in site.groups)


def test_twenty_thousand_apartments_have_a_realistic_population() -> None:
    site = generate_site(1, 20_000)
    keys = sum(1 for person in site.persons for credential in person.credentials if credential.type != "code")
    assert len(site.groups) == 20_000
    assert 38_000 <= len(site.persons) <= 42_000
    assert 56_000 <= keys <= 64_000
