"""Integration runs end to end: bodata's Axema connector against the stand-in Axema Vaka on loopback."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from bodata.axema_sim import RunningSim
from bodata.boenderegister.engine import build_view
from bodata.boenderegister.models import Address, Apartment, Integration, Key, Resident
from bodata.boenderegister.sources.axema import AxemaSource
from bodata.boenderegister.sync import IntegrationBusy, run_integration, source_for
from bodata.core.clock import FixedClock
from bodata.core.db import Database

from ..simulator import simulator_fixtures
from .factories import NOW, SECRETS, make_account, make_integration

running_sim, sim, control = simulator_fixtures(seed=11, apartments=80)


@pytest.fixture
def setup(database: Database, sim: RunningSim) -> tuple[Database, int]:
    with database.transaction() as session:
        integration = make_integration(session, make_account(session), base_url=sim.url)
        return database, integration.id


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def run(setup, clock: FixedClock, **options):
    database, integration_id = setup
    clock.advance(timedelta(minutes=1))
    make_source = options.pop("make_source", lambda integration: source_for(integration, SECRETS))
    return run_integration(database, integration_id, make_source=make_source, clock=clock, trigger="test", **options)


def register_contents(database: Database) -> set[tuple]:
    with database.transaction() as session:
        rows = session.execute(
            select(Address.name, Apartment.lm_number, Apartment.internal_number, Apartment.floor_code,
                   Resident.external_key, Resident.first_name, Resident.last_name, Key.external_key, Key.number)
            .join(Apartment, Apartment.address_id == Address.id)
            .outerjoin(Resident, Resident.apartment_id == Apartment.id)
            .outerjoin(Key, Key.resident_id == Resident.id)
        ).all()  # fmt: skip
    return {tuple(row) for row in rows}


def expected_contents(sim: RunningSim) -> set[tuple]:
    """The register the Axema view calls for, worked out from the stand-in's own data."""
    view = build_view(AxemaSource(sim.url, "demo", "demo").fetch())
    expected = set()
    for name, apartments in view.addresses.items():
        for lm_number, apartment in apartments.items():
            head = (name, lm_number, apartment.internal_number, apartment.floor_code)
            if not apartment.residents:
                expected.add((*head, None, None, None, None, None))
            for person_id, resident in apartment.residents.items():
                person = (person_id, resident.first_name, resident.last_name)
                if not resident.keys:
                    expected.add((*head, *person, None, None))
                for key_id, key in resident.keys.items():
                    expected.add((*head, *person, key_id, key.number))
    return expected


def row_count(database: Database, model) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_first_run_mirrors_axema_and_reports_excluded_groups(setup, sim, clock) -> None:
    result = run(setup, clock)
    assert result.status == "succeeded", result.message
    assert result.changes["apartments"]["created"] > 0
    assert register_contents(setup[0]) == expected_contents(sim)
    excluded = [issue for issue in result.issues if issue.kind == "excluded"]
    assert excluded, "the stand-in generates a share of bad Reference IDs"
    assert all(issue.reason for issue in excluded)
    assert result.groups_read == sim.state.counts()["groups"]


def test_a_second_run_with_no_change_writes_nothing(setup, sim, clock) -> None:
    run(setup, clock)
    before = register_contents(setup[0])
    again = run(setup, clock)
    assert again.status == "succeeded"
    assert sum(sum(counts.values()) for counts in again.changes.values()) == 0
    assert (again.message_code, again.message) == ("no_changes", "Inga ändringar i Axema sedan förra körningen.")
    assert register_contents(setup[0]) == before


def test_changes_made_in_axema_reach_the_register(setup, sim, control, clock) -> None:
    run(setup, clock)
    persons = control.get("/state").json()
    assert persons  # the control API answers
    groups = httpx.get(f"{sim.url}/api/v1/organisation-groups", headers=_token(sim), params={"limit": 1000}).json()
    good = [
        group
        for group in groups["items"]
        if (group["referenceId"] or "")[4:5] == "_" and group["referenceId"][:4].isdigit()
    ]
    people = httpx.get(f"{sim.url}/api/v1/persons", headers=_token(sim), params={"limit": 1000}).json()["items"]
    mover = next(person for person in people if person["organisationGroupIds"])
    target = next(group for group in good if group["id"] not in mover["organisationGroupIds"])
    control.patch(f"/persons/{mover['id']}", json={"lastName": "Flyttad", "organisationGroupIds": [target["id"]]})
    control.post(f"/persons/{mover['id']}/credentials", json={"type": "card", "number": "55555"})
    broken = good[0]
    control.patch(f"/groups/{broken['id']}", json={"referenceId": "Trasig referens"})
    result = run(setup, clock)
    assert result.status == "succeeded", result.message
    assert register_contents(setup[0]) == expected_contents(sim)
    assert any(issue.group_id == broken["id"] and "4-siffrigt" in issue.reason for issue in result.issues)
    with setup[0].transaction() as session:
        moved = session.scalars(select(Resident).where(Resident.external_key == mover["id"])).all()
        assert [resident.last_name for resident in moved] == ["Flyttad"]


def _token(sim: RunningSim) -> dict[str, str]:
    token = httpx.post(f"{sim.url}/api/v1/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo"))
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ({"errorStatus": 500}, "svarade med ett fel"),
        ({"truncatePages": True}, "ofullständiga data"),
        ({"noB60": True}, "ingen domäncentral B60"),
    ],
)
def test_faults_fail_the_run_and_delete_nothing(setup, sim, control, clock, faults, message) -> None:
    run(setup, clock)
    before = register_contents(setup[0])
    control.put("/faults", json=faults).raise_for_status()
    result = run(setup, clock)
    assert result.status == "failed"
    assert message in result.message
    assert register_contents(setup[0]) == before


def test_an_unreachable_or_slow_system_fails_the_run(setup, sim, control, clock) -> None:
    control.put("/faults", json={"delaySeconds": 2}).raise_for_status()
    impatient = lambda integration: AxemaSource(integration.base_url, "demo", "demo", timeout=0.3)  # noqa: E731
    result = run(setup, clock, make_source=impatient)
    assert result.status == "failed"
    assert "kunde inte nås" in result.message
    nowhere = lambda integration: AxemaSource("http://127.0.0.1:9", "demo", "demo", timeout=1)  # noqa: E731
    assert "kunde inte nås" in run(setup, clock, make_source=nowhere).message


def test_wrong_password_is_reported(setup, sim, clock) -> None:
    wrong = lambda integration: AxemaSource(integration.base_url, "demo", "not-the-password")  # noqa: E731
    result = run(setup, clock, make_source=wrong)
    assert result.status == "failed"
    assert "nekade integrationskontot" in result.message


def test_far_fewer_residents_stop_for_confirmation(setup, sim, control, clock) -> None:
    run(setup, clock)
    residents_before = row_count(setup[0], Resident)
    control.put("/faults", json={"dropPersonsRatio": 0.5}).raise_for_status()
    held = run(setup, clock)
    assert held.status == "needs_confirmation"
    assert "Inget ändrades" in held.message
    assert row_count(setup[0], Resident) == residents_before
    confirmed = run(setup, clock, confirm_removals=True)
    assert confirmed.status == "succeeded"
    assert row_count(setup[0], Resident) < residents_before
    assert register_contents(setup[0]) == expected_contents(sim)


def test_only_one_process_runs_an_integration_at_a_time(setup, sim, clock) -> None:
    database, integration_id = setup
    with database.transaction() as session:
        session.execute(
            update(Integration)
            .where(Integration.id == integration_id)
            .values(lock_holder="other-host:1", lock_expires_at=clock.now() + timedelta(minutes=30))
        )
    with pytest.raises(IntegrationBusy):
        run(setup, clock)
    clock.advance(timedelta(hours=1))  # the other holder's lock has expired
    assert run(setup, clock).status == "succeeded"
