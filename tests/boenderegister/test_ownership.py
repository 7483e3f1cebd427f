"""Who owns a record: a run changes only what its own integration delivered, adopts by name, and gives back.

Issue 20, problems 1 and 2: a sync deleted a hand-typed address it had adopted, a re-added integration failed
every run on a UNIQUE conflict, and a second integration took over the first one's addresses.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bodata.boenderegister import service
from bodata.boenderegister.engine import build_view, reconcile
from bodata.boenderegister.models import Account, Address, Apartment, Integration, Key, Resident
from bodata.boenderegister.sources.base import Snapshot
from bodata.boenderegister.sync import run_integration
from bodata.core.clock import FixedClock
from bodata.core.db import Database

from .factories import NOW, group, make_account, make_integration, person, snapshot


def kvistvagen_2_by_hand(session, account: Account) -> int:
    """The demo's hand-typed address: five apartments, eleven residents."""
    address = service.add_address(session, account=account, name="Kvistvägen 2")
    for number, names in (("1001", 3), ("1002", 2), ("1101", 2), ("1102", 2), ("1201", 2)):
        apartment = service.add_apartment(session, account=account, address_id=address.id, lm_number=number)
        for index in range(names):
            service.add_resident(
                session, account=account, apartment_id=apartment.id, first_name=f"Namn{index}", last_name=number
            )
    return address.id


def groups_and_people() -> tuple[list, list]:
    groups = [group("g1", "1001_Torget 1"), group("g2", "1002_Torget 1"), group("g3", "1101_Torget 3")]
    people = [
        person("p1", "Anna", "Andersson", "g1", keys=(("c1", "tag", "1001"),)),
        person("p2", "Bo", "Berg", "g2"),
        person("p3", "Cilla", "Ceder", "g3", keys=(("c3", "radio", "R-3"),)),
    ]
    return groups, people


@pytest.fixture
def account(database: Database) -> tuple[Database, int]:
    with database.transaction() as session:
        return database, make_account(session).id


def new_integration(database: Database, account_id: int) -> int:
    with database.transaction() as session:
        return make_integration(session, session.get(Account, account_id)).id


def sync(database: Database, account_id: int, integration_id: int, groups, people):
    view = build_view(snapshot(groups, people))
    with database.transaction() as session:
        changes = reconcile(session, account_id=account_id, integration_id=integration_id, view=view)
    return changes, view


def contents(database: Database) -> dict[str, set]:
    """Every register record with its owner."""
    with database.transaction() as session:
        return {
            "addresses": set(session.execute(select(Address.name, Address.integration_id)).all()),
            "apartments": set(
                session.execute(select(Address.name, Apartment.lm_number, Apartment.integration_id).join(Address))
            ),
            "residents": set(session.execute(select(Resident.last_name, Resident.first_name, Resident.integration_id))),
            "keys": set(session.execute(select(Key.number, Key.integration_id))),
        }


def test_an_adopted_hand_typed_address_is_given_back_when_its_group_disappears(account) -> None:
    """Problem 1: group 1001_Kvistvägen 2 added, run, group deleted, run: the hand-typed address stays whole."""
    database, account_id = account
    with database.transaction() as session:
        address_id = kvistvagen_2_by_hand(session, session.get(Account, account_id))
    by_hand = contents(database)
    integration_id = new_integration(database, account_id)
    changes, _ = sync(
        database, account_id, integration_id, [group("g1", "1001_Kvistvägen 2")], [person("p1", "Ny", "Nyman", "g1")]
    )
    assert changes.addresses.updated == 1
    assert changes.apartments.updated == 1
    assert changes.residents.created == 1
    changes, _ = sync(database, account_id, integration_id, [], [])
    assert changes.as_dict() == {
        "addresses": {"created": 0, "updated": 0, "removed": 0, "released": 1},
        "apartments": {"created": 0, "updated": 0, "removed": 0, "released": 1},
        "residents": {"created": 0, "updated": 0, "removed": 1, "released": 0},
        "keys": {"created": 0, "updated": 0, "removed": 0, "released": 0},
    }
    assert contents(database) == by_hand  # all 5 apartments and 11 residents, hand-typed again
    with database.transaction() as session:  # editable by hand again
        service.add_apartment(
            session, account=session.get(Account, account_id), address_id=address_id, lm_number="1301"
        )


def test_records_the_integration_created_are_removed_and_hand_typed_ones_below_adopted_ones_stay(account) -> None:
    database, account_id = account
    with database.transaction() as session:
        acc = session.get(Account, account_id)
        address = service.add_address(session, account=acc, name="Torget 1")
        hand = service.add_apartment(session, account=acc, address_id=address.id, lm_number="1201")
        service.add_resident(session, account=acc, apartment_id=hand.id, first_name="Hand", last_name="Typad")
    integration_id = new_integration(database, account_id)
    groups, people = groups_and_people()
    sync(database, account_id, integration_id, groups, people)
    changes, _ = sync(database, account_id, integration_id, [], [])
    assert changes.addresses.removed == 1
    assert changes.addresses.released == 1
    assert contents(database) == {
        "addresses": {("Torget 1", None)},
        "apartments": {("Torget 1", "1201", None)},
        "residents": {("Typad", "Hand", None)},
        "keys": set(),
    }


def test_a_second_integration_never_touches_the_first_ones_records(account) -> None:
    """Problem 2: a second integration in the account delivering the same addresses is excluded, not a takeover."""
    database, account_id = account
    first = new_integration(database, account_id)
    groups, people = groups_and_people()
    sync(database, account_id, first, groups, people)
    before = contents(database)
    second = new_integration(database, account_id)
    changes, view = sync(database, account_id, second, groups, people)
    assert changes.total == 0
    assert contents(database) == before
    reasons = {issue.group.external_id: str(issue.reason) for issue in view.issues if issue.kind == "excluded"}
    assert set(reasons) == {"g1", "g2", "g3"}
    assert "tillhör en annan integration ('Axema')" in reasons["g1"]
    changes, _ = sync(database, account_id, second, [], [])  # the second empties out: the first keeps everything
    assert changes.total == 0
    assert contents(database) == before


def test_two_integrations_with_different_addresses_live_side_by_side(account) -> None:
    database, account_id = account
    first, second = new_integration(database, account_id), new_integration(database, account_id)
    groups, people = groups_and_people()
    sync(database, account_id, first, groups, people)
    sync(database, account_id, second, [group("h1", "1001_Annan 9")], [person("q1", "Q", "Qvist", "h1")])
    sync(database, account_id, first, [], [])
    assert contents(database) == {
        "addresses": {("Annan 9", second)},
        "apartments": {("Annan 9", "1001", second)},
        "residents": {("Qvist", "Q", second)},
        "keys": set(),
    }


def test_a_re_added_integration_takes_over_the_records_its_deleted_predecessor_left(account) -> None:
    """Problem 2: re-adding an integration used to fail every run on a UNIQUE conflict on br_resident."""
    database, account_id = account
    old = new_integration(database, account_id)
    groups, people = groups_and_people()
    sync(database, account_id, old, groups, people)
    with database.transaction() as session:
        service.delete_integration(
            session, integration=session.get(Integration, old), records="keep", now=NOW, actor="admin"
        )
    new = new_integration(database, account_id)
    changes, view = sync(database, account_id, new, groups, people)
    assert not [issue for issue in view.issues if issue.kind == "excluded"]
    assert changes.residents.updated == 3
    assert changes.residents.created == 0
    assert changes.keys.updated == 2
    assert changes.keys.created == 0
    assert {owner for *_, owner in contents(database)["residents"]} == {new}
    changes, _ = sync(database, account_id, new, groups, people[:1])  # people who move out are removed, not kept
    assert changes.residents.removed == 2
    assert changes.residents.released == 0


def test_deleting_an_integration_with_remove_gives_back_what_it_adopted(account) -> None:
    database, account_id = account
    with database.transaction() as session:
        service.add_address(session, account=session.get(Account, account_id), name="Torget 1")
    integration_id = new_integration(database, account_id)
    groups, people = groups_and_people()
    sync(database, account_id, integration_id, groups, people)
    with database.transaction() as session:
        counts = service.delete_integration(
            session, integration=session.get(Integration, integration_id), records="remove", now=NOW, actor="admin"
        )
    assert counts["addresses"] == {"created": 0, "updated": 0, "removed": 1, "released": 1}
    assert contents(database)["addresses"] == {("Torget 1", None)}
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 0


class _Snapshots:
    def __init__(self, value: Snapshot) -> None:
        self.value = value

    def fetch(self, progress=None) -> Snapshot:
        return self.value


def test_a_run_that_fails_while_writing_still_reports_what_it_read(account, monkeypatch) -> None:
    """Problem 2: the failed run's report said "Groups read 0" though it had read every group."""
    database, account_id = account
    integration_id = new_integration(database, account_id)
    groups, people = groups_and_people()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("bodata.boenderegister.sync.reconcile", broken)
    run = run_integration(
        database,
        integration_id,
        make_source=lambda integration: _Snapshots(snapshot(groups, people)),
        clock=FixedClock(NOW),
        trigger="test",
    )
    assert run.status == "failed"
    assert (run.groups_read, run.persons_read, run.residents_seen) == (3, 3, 3)
